//go:build unix

package fsread

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A named pipe with no writer and an endless device are refused at once
// (an ordinary open of the pipe would wait for a writer forever, and a read
// of /dev/zero would never end).
func TestReadRefusesPipesAndDevices(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for path, want := range map[string]string{fifo: "a named pipe", "/dev/zero": "a device"} {
		_, err := Read(path, 1<<20, "thing")
		if err == nil || !strings.Contains(err.Error(), "not a regular file ("+want+")") {
			t.Errorf("%s: %v, want not a regular file (%s)", path, err, want)
		}
	}
}
