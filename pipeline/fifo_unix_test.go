//go:build unix

package pipeline

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, or skips the test where it cannot.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}
