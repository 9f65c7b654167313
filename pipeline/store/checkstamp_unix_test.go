//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCheckStampPipeIsNoStamp: a named pipe where DB.checked belongs is no
// stamp, found without waiting for a writer: opening it for reading as a
// plain file blocks until one comes, and the run would hang holding the
// database's lock.
func TestCheckStampPipeIsNoStamp(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	if err := os.WriteFile(db, []byte("sixteen bytes..."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(checkStampPath(db), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan bool, 1)
	go func() {
		_, ok := ReadCheckStamp(db)
		done <- ok
	}()
	select {
	case ok := <-done:
		if ok {
			t.Error("a named pipe read as a stamp")
		}
	case <-time.After(10 * time.Second):
		// Let the blocked open go, then fail.
		if f, err := os.OpenFile(checkStampPath(db), os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		<-done
		t.Fatal("ReadCheckStamp blocked on a named pipe")
	}
}
