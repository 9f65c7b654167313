package pipeline

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stagingDir makes an empty folder beside out for a run to write its
// reports into. Beside, not inside: the rename that publishes it must stay
// on one file system, and out itself is what gets replaced.
func stagingDir(out string) (string, error) {
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", parent, err)
	}
	prefix := "." + filepath.Base(out) + ".staging-"
	// A run killed before publishing leaves its staging folder behind. The
	// caller holds the database lock, so no other run owns one: clear them.
	if stale, err := filepath.Glob(filepath.Join(parent, prefix+"*")); err == nil {
		for _, s := range stale {
			if err := os.RemoveAll(s); err != nil {
				return "", fmt.Errorf("remove stale staging folder %s: %w", s, err)
			}
		}
	}
	// Not os.MkdirTemp, whose folder is mode 0700 whatever the umask: the
	// published folder is meant for the researchers' group and perhaps a
	// web server, so it takes the umask's mode, as the files in it do.
	for try := 0; ; try++ {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("create staging folder beside %s: %w", out, err)
		}
		dir := filepath.Join(parent, prefix+hex.EncodeToString(b[:]))
		err := os.Mkdir(dir, 0o777)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return "", fmt.Errorf("create staging folder beside %s: %w", out, err)
		}
	}
}

// setModes gives the staging folder, its subfolders and its files the
// configured mode (folders mode, files mode less its execute bits); with
// mode 0 it leaves the umask's modes.
func setModes(staging string, mode fs.FileMode) error {
	if mode == 0 {
		return nil
	}
	return filepath.WalkDir(staging, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		m := mode
		if !d.IsDir() {
			m &^= 0o111
		}
		if err := os.Chmod(p, m); err != nil {
			return fmt.Errorf("set mode of %s: %w", p, err)
		}
		return nil
	})
}

// publish replaces out with the complete staging folder. Where the system
// can swap two folders in one atomic step (renameat2 with RENAME_EXCHANGE on
// Linux, renamex_np with RENAME_SWAP on macOS; see exchange), a reader sees
// the old reports or the new, never a mix or nothing. Elsewhere (Windows),
// or where the file system cannot exchange, out is renamed aside and staging
// renamed in, which leaves out missing only between two renames, and a
// failed second rename puts the old folder back. Either way a failed publish
// leaves the previous reports whole. The old reports are removed after. A
// first run, with no out yet, is one rename.
func publish(staging, out string) error {
	out = filepath.Clean(out)
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Rename(staging, out); err != nil {
			return fmt.Errorf("publish %s: %w", out, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("publish %s: %w", out, err)
	case !fi.IsDir():
		return fmt.Errorf("publish %s: it exists and is not a folder; chorus will not replace it", out)
	}
	if err := exchange(staging, out); err != nil {
		// The fallback: rename aside, then in.
		aside := staging + ".old"
		if err := os.Rename(out, aside); err != nil {
			return fmt.Errorf("publish %s: move old reports aside: %w", out, err)
		}
		if err := os.Rename(staging, out); err != nil {
			_ = os.Rename(aside, out)
			return fmt.Errorf("publish %s: %w", out, err)
		}
		staging = aside
	}
	// staging now holds the previous reports.
	if err := os.RemoveAll(staging); err != nil {
		return fmt.Errorf("remove previous reports %s: %w", staging, err)
	}
	return nil
}
