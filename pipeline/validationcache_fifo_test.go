package pipeline

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestValidationCachePipeIsNoCache: a named pipe where DB.validation
// belongs is no cache, found without waiting for a writer: opening it for
// reading as a plain file blocks until one comes, and the run would hang
// holding the database's lock.
func TestValidationCachePipeIsNoCache(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mkfifo(t, validationCachePath(db))
	done := make(chan bool, 1)
	go func() {
		_, ok := loadValidation(db, [sha256.Size]byte{})
		done <- ok
	}()
	select {
	case ok := <-done:
		if ok {
			t.Error("a named pipe read as a validation cache")
		}
	case <-time.After(10 * time.Second):
		// Let the blocked open go, then fail.
		if f, err := os.OpenFile(validationCachePath(db), os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		<-done
		t.Fatal("loadValidation blocked on a named pipe")
	}
}
