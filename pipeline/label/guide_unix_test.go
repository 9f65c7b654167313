//go:build unix

package label

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"chorus/models/redact"
)

// A named pipe, a device or an oversized file given as the coding guide is
// refused when the server starts, naming the file, instead of blocking or
// filling memory on the first visit.
func TestGuideBounded(t *testing.T) {
	st := servedStore(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "GUIDE-pipe.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "GUIDE-big.md")
	if err := os.WriteFile(big, make([]byte, maxGuideBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "a named pipe", "/dev/zero": "a device", big: "larger than the limit"} {
		_, err := NewServer(context.Background(), st, ServerOptions{Coder: "ann", Taxonomy: defaultTaxonomy(t), Guide: path, Redact: redact.New().Text})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("guide %s: %v, want an error naming it and %q", path, err, want)
		}
	}
}
