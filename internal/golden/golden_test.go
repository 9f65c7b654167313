package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records a failure instead of stopping.
// Only Helper, Fatal and Fatalf are called on it; the embedded TB is nil.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatalf(format string, args ...any) { r.failed = format }
func (r *recorder) Fatal(args ...any)                 { r.failed = "fatal" }

// TestCheck writes a golden file, accepts the same text, and fails on a
// changed line, a missing line and a missing file.
func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	Check(t, path, "a\nb\n", true, "regen")
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\nb\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}
	Check(t, path, "a\nb\n", false, "regen")
	for _, got := range []string{"a\nc\n", "a\n", "a\nb\nc\n"} {
		r := &recorder{}
		Check(r, path, got, false, "regen")
		if r.failed == "" {
			t.Errorf("Check accepted %q against %q", got, "a\nb\n")
		}
	}
	r := &recorder{}
	Check(r, filepath.Join(t.TempDir(), "none"), "a", false, "regen")
	if r.failed == "" {
		t.Error("Check accepted a missing golden file")
	}
}
