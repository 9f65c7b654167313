package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"chorus/pipeline/store"
	"chorus/reports"
)

// The publish stage: the reports are written into a staging folder beside
// the report folder, which replaces it in one step, and only when every
// file is written, the database has passed its check and the run is not far
// smaller than the last (shrinkGuard). The block cache is committed after.

// publisher publishes one run's reports.
type publisher struct {
	*job
	check *dbCheck // started with the run
}

// Publish writes and publishes the reports of a.
func (p publisher) Publish(ctx context.Context, a *assembled) error {
	if err := p.shrinkGuard(ctx); err != nil {
		return err
	}
	staging, err := stagingDir(p.cfg.Output)
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // gone after a good publish; cleans up a failed one
	if err := reports.Write(ctx, staging, a.in); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	if err := a.streamErr(); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	if err := p.check.wait(); err != nil {
		if errors.Is(err, store.ErrDamaged) {
			return damaged(err)
		}
		return err
	}
	mode, _ := p.cfg.outputMode() // checked by Validate
	if err := setModes(staging, mode); err != nil {
		return err
	}
	if err := publish(staging, p.cfg.Output); err != nil {
		return err
	}
	// The reports are out. The cache only saves the next run work: failing
	// to commit it costs that run an encoding of every post.
	gens := make([]store.PostGen, len(a.posts))
	for i, post := range a.posts {
		gens[i] = store.PostGen{ID: post.ID, Gen: post.Gen}
	}
	if err := p.blocks.Commit(gens); err != nil {
		p.log.Warn("report block cache not saved: the next run encodes every post's rows again", "err", err)
	}
	return nil
}

// shrinkGuard refuses to publish reports far smaller than the last ones. An
// input folder that is unmounted, emptied or unreadable looks to a run like
// an archive whose files have all vanished: it would replace last night's
// reports with empty ones and exit 0. So a run that found no input file at
// all, or would publish fewer than cfg.ShrinkLimit times the comments of the
// last published run, publishes nothing, unless cfg.AllowShrink.
func (p publisher) shrinkGuard(ctx context.Context) error {
	cfg, sum := p.cfg, p.sum
	if cfg.AllowShrink {
		return nil
	}
	if p.read && len(cfg.Inputs) > 0 && sum.Files == 0 && sum.FilesRejected == 0 {
		return fmt.Errorf("%w: no input file was found in %s (is the share mounted?); run with --allow-shrink to publish empty reports",
			ErrRefused, p.red.Text(strings.Join(cfg.Inputs, ", ")))
	}
	last, ok, err := p.st.LastPublished(ctx)
	if err != nil || !ok || last == 0 {
		return err
	}
	if float64(sum.Comments) < cfg.ShrinkLimit*float64(last) {
		return fmt.Errorf("%w: this run has %d comments, under %.0f%% of the %d the last run published (%d input files found, %d vanished); if the archive really shrank, run once with --allow-shrink",
			ErrRefused, sum.Comments, 100*cfg.ShrinkLimit, last, sum.Files, sum.FilesVanished)
	}
	return nil
}

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
