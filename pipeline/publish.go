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
	staging, err := p.stagingDir()
	if err != nil {
		return err
	}
	published := false
	defer func() {
		if !published {
			p.remove(staging) // a failed publish leaves no half-written folder
		}
	}()
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
	old, err := publish(staging, p.cfg.Output)
	if err != nil {
		return err
	}
	published = true
	// The reports are out, and the run is a published run whatever
	// follows. The previous reports lie in a staging folder now: one that
	// cannot be removed (a file in it another user owns, say) wastes disk
	// until the next run's stagingDir removes it, nothing more.
	if old != "" {
		if err := p.remove(old); err != nil {
			p.log.Warn("the new reports are published, but the previous ones could not be removed; the next run tries again",
				"path", p.red.Text(old), "err", p.red.Text(err.Error()))
		}
	}
	// The cache only saves the next run work: failing to commit it costs
	// that run an encoding of every post.
	gens := make([]store.PostGen, len(a.posts))
	for i, post := range a.posts {
		gens[i] = store.PostGen{ID: post.ID, Gen: post.Gen}
	}
	if err := p.blocks.Commit(gens); err != nil {
		p.log.Warn("report block cache not saved: the next run encodes every post's rows again", "err", err)
	}
	return nil
}

// remove removes a staging folder and everything in it: os.RemoveAll,
// unless a test gave Config.removeAll to make it fail.
func (p publisher) remove(path string) error {
	if p.cfg.removeAll != nil {
		return p.cfg.removeAll(path)
	}
	return os.RemoveAll(path)
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

// stagingDir makes an empty folder beside the report folder for a run to
// write its reports into. Beside, not inside: the rename that publishes it
// must stay on one file system, and the report folder itself is what gets
// replaced.
func (p publisher) stagingDir() (string, error) {
	out := p.cfg.Output
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", p.red.Text(parent), err)
	}
	prefix := stagingPrefix(out)
	// A run killed before publishing leaves its staging folder behind, and
	// a run that published but could not remove the previous reports leaves
	// them in theirs (named prefix+hex, or prefix+hex+".old" after the
	// rename fallback). The caller holds the report folder's lock, so no
	// other run owns one: clear them. One that will not go is only disk
	// used: this run's folder has a fresh name, so it is no reason to
	// publish nothing.
	if stale, err := filepath.Glob(filepath.Join(parent, prefix+"*")); err == nil {
		for _, s := range stale {
			if err := p.remove(s); err != nil {
				p.log.Warn("could not remove an old staging folder; the next run tries again",
					"path", p.red.Text(s), "err", p.red.Text(err.Error()))
			}
		}
	}
	// Not os.MkdirTemp, whose folder is mode 0700 whatever the umask: the
	// published folder is meant for the researchers' group and perhaps a
	// web server, so it takes the umask's mode, as the files in it do.
	for try := 0; ; try++ {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("create staging folder beside %s: %w", p.red.Text(out), err)
		}
		dir := filepath.Join(parent, prefix+hex.EncodeToString(b[:]))
		err := os.Mkdir(dir, 0o777)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return "", fmt.Errorf("create staging folder beside %s: %w", p.red.Text(out), err)
		}
	}
}

// stagingPrefix is how the names of out's staging folders begin.
func stagingPrefix(out string) string {
	return "." + filepath.Base(filepath.Clean(out)) + ".staging-"
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
// leaves the previous reports whole. A first run, with no out yet, is one
// rename.
//
// On success old names the folder that holds the previous reports now
// (staging itself after a swap, staging+".old" after the fallback; "" on a
// first run), for the caller to remove: both names begin with
// stagingPrefix, so a folder left there is cleared by the next stagingDir.
func publish(staging, out string) (old string, err error) {
	out = filepath.Clean(out)
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Rename(staging, out); err != nil {
			return "", fmt.Errorf("publish %s: %w", out, err)
		}
		return "", nil
	case err != nil:
		return "", fmt.Errorf("publish %s: %w", out, err)
	case !fi.IsDir():
		return "", fmt.Errorf("publish %s: it exists and is not a folder; chorus will not replace it", out)
	}
	if err := exchange(staging, out); err == nil {
		return staging, nil
	}
	// The fallback: rename aside, then in.
	aside := staging + ".old"
	if err := os.Rename(out, aside); err != nil {
		return "", fmt.Errorf("publish %s: move old reports aside: %w", out, err)
	}
	if err := os.Rename(staging, out); err != nil {
		_ = os.Rename(aside, out)
		return "", fmt.Errorf("publish %s: %w", out, err)
	}
	return aside, nil
}
