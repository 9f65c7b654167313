package fsread

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Read returns a file of up to limit bytes whole, refuses one byte more
// with a message saying what was over the limit, refuses a folder, and
// keeps fs.ErrNotExist for a missing file (callers treat an absent default
// file as "none"). No message names the path.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at-limit-jo.bloggs@example.com")
	if err := os.WriteFile(at, []byte("12345678"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Read(at, 8, "thing")
	if err != nil || string(b) != "12345678" {
		t.Fatalf("at the limit: %q, %v", b, err)
	}
	_, err = Read(at, 7, "thing")
	if err == nil || err.Error() != "thing is larger than the limit of 7 bytes" {
		t.Errorf("over the limit: %v", err)
	}
	_, err = Read(dir, 1<<20, "thing")
	if err == nil || !strings.Contains(err.Error(), "not a regular file (a folder)") {
		t.Errorf("folder: %v", err)
	}
	_, err = Read(filepath.Join(dir, "missing-jo.bloggs@example.com"), 1, "thing")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
	if err != nil && strings.Contains(err.Error(), "bloggs") {
		t.Errorf("the error names the path: %v", err)
	}
}
