package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of shared/REL (REL may be ""), or skips the
// test when it is absent. CHORUS_SHARED overrides where shared/ is looked for.
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	base := os.Getenv("CHORUS_SHARED")
	if base == "" {
		root, err := repoRoot()
		if err != nil {
			tb.Skipf("shared data not checked: %v", err)
		}
		base = filepath.Join(filepath.Dir(root), "shared")
	}
	p := filepath.Join(base, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data not checked: %s is absent (it sits beside the clone in CI only)", p)
	}
	return p
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
