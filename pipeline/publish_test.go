package pipeline

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/models/redact"
	"chorus/pipeline/store"
)

// TestPreviousReportsLeftOverStillPublished: once the new reports are
// swapped in, a run is a published run. The previous reports, which then
// lie in the staging folder, may fail to go (a file in them another user
// owns): the run warns, succeeds and is recorded as published with its
// counts, and the next run removes the folder; one that still will not go
// does not stop that run either.
func TestPreviousReportsLeftOverStillPublished(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	// A file only the previous reports hold, to tell them from the new.
	marker := filepath.Join(cfg.Output, "previous-run-marker")
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	failing := cfg
	failing.removeAll = func(p string) error {
		return &fs.PathError{Op: "unlinkat", Path: p, Err: fs.ErrPermission}
	}

	sum, logs := runLogged(t, failing) // succeeds
	if !strings.Contains(logs, "previous ones could not be removed") {
		t.Errorf("no warning about the previous reports in the log:\n%s", logs)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the previous reports are still published")
	}
	if _, err := os.Stat(filepath.Join(cfg.Output, "comments.csv")); err != nil {
		t.Errorf("the new reports are not published: %v", err)
	}
	if left := leftovers(t, cfg.Output); len(left) != 1 || !hasMarker(left[0]) {
		t.Fatalf("staging folders after the run: %v, want the previous reports in one", left)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(context.Background())
	if err == nil && len(runs) == 2 {
		last := runs[1]
		var counts Summary
		if jerr := json.Unmarshal([]byte(last.Counts), &counts); last.Status != "ok" || jerr != nil || counts.Comments != sum.Comments || sum.Comments == 0 {
			t.Errorf("the run is recorded as %q with counts %s (%v), want ok with %d comments", last.Status, last.Counts, jerr, sum.Comments)
		}
	} else {
		t.Errorf("runs: %d (%v), want 2", len(runs), err)
	}
	if n, ok, err := st.LastPublished(context.Background()); err != nil || !ok || n != sum.Comments {
		t.Errorf("last published: %d %v (%v), want %d", n, ok, err, sum.Comments)
	}
	st.Close()

	// The next run cannot remove it either: it still publishes.
	if _, err := (&Runner{}).Run(context.Background(), failing); err != nil {
		t.Fatalf("run beside a staging folder it cannot remove: %v, want success", err)
	}
	if left := leftovers(t, cfg.Output); len(left) != 2 {
		t.Fatalf("staging folders: %v, want the two left over", left)
	}
	// One that can removes them all.
	run(t, cfg)
	if left := leftovers(t, cfg.Output); len(left) != 0 {
		t.Errorf("staging folders after a run that can remove them: %v, want none", left)
	}
}

// leftovers lists the staging folders beside out.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(out), stagingPrefix(out)+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func hasMarker(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "previous-run-marker"))
	return err == nil
}

// TestStaleStagingFoldersCleared: whichever name publish left the previous
// reports under (the staging folder after a swap, staging+".old" after the
// rename fallback), and a folder a killed run left, the next run's staging
// folder clears them, and nothing else beside the report folder.
func TestStaleStagingFoldersCleared(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	stale := []string{stagingPrefix(out) + "0a1b2c3d4e5f", stagingPrefix(out) + "0a1b2c3d4e5f.old"}
	keep := []string{"out", ".other.staging-0a1b2c3d4e5f", "out.staging-kept"}
	for _, n := range append(append([]string{}, stale...), keep...) {
		mustWrite(t, filepath.Join(parent, n), map[string]string{"comments.csv": "x\n"})
	}
	cfg := DefaultConfig()
	cfg.Output = out
	p := publisher{job: &job{cfg: cfg, red: redact.New(), log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	dir, err := p.stagingDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(parent, n)); err == nil {
			t.Errorf("%s is still there", n)
		}
	}
	for _, n := range keep {
		if _, err := os.Stat(filepath.Join(parent, n)); err != nil {
			t.Errorf("%s was removed: %v", n, err)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("the new staging folder %s: %d entries (%v), want empty", dir, len(entries), err)
	}
}
