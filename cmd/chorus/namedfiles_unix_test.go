//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every file an operator names (the config, the taxonomy, the lexicon
// overlay, the thresholds, a gold set) is read only if it is a regular file
// and no larger than its limit. A named pipe given as one of them would
// otherwise block the command forever, and /dev/zero or a huge file would
// exhaust memory. Each must fail at once, naming the file and saying why,
// and a run must publish nothing.
func TestNamedFilesBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, filepath.Join(dir, "pipe"))
	// A sparse file of 1 GiB is over every limit (the largest, for gold
	// sets, is 256 MiB) and costs no disk.
	huge := filepath.Join(dir, "huge")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	good := filepath.Join(dir, "good.jsonl")
	if err := os.WriteFile(good, []byte(`{"post_id": "p", "text": "Caseloads."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	topicsGold := filepath.Join(dir, "topics.jsonl")
	if err := os.WriteFile(topicsGold, []byte(`{"text": "Caseloads again.", "topics": ["workload"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	run := func(model string, extra ...string) []string {
		return append([]string{"run", "-q", "--input", good, "--out", out, "--model", model}, extra...)
	}
	cases := []struct {
		kind string
		args func(p string) []string
	}{
		{"config", func(p string) []string { return []string{"run", "--config", p} }},
		{"taxonomy", func(p string) []string { return run("vader", "--taxonomy", p) }},
		{"lexicon", func(p string) []string { return run("lexicon", "--lexicon", p) }},
		{"thresholds", func(p string) []string { return run("lexicon", "--thresholds", p) }},
		{"eval sentiment gold", func(p string) []string { return []string{"eval", "sentiment", "--model", "vader", "--gold", p} }},
		{"eval topics gold", func(p string) []string { return []string{"eval", "topics", "--gold", p} }},
		{"eval topics taxonomy", func(p string) []string { return []string{"eval", "topics", "--gold", topicsGold, "--taxonomy", p} }},
		{"train gold", func(p string) []string {
			return []string{"train", "sentiment", "--gold", p, "--out", filepath.Join(dir, "w.json")}
		}},
		{"calibrate gold", func(p string) []string { return []string{"calibrate", "--gold", p, "--dry-run"} }},
	}
	files := []struct{ path, want string }{
		{fifo, "not a regular file (a named pipe)"},
		{"/dev/zero", "not a regular file (a device)"},
		{huge, "larger than the limit"},
	}
	for _, c := range cases {
		for _, file := range files {
			t.Run(c.kind+"/"+filepath.Base(file.path), func(t *testing.T) {
				cmd := exec.Command(chorusBin, c.args(file.path)...)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				if code := waitExit(t, cmd, 30*time.Second); code == 0 {
					t.Fatalf("exit 0, want a failure; stderr %q", stderr.String())
				}
				if stderr := stderr.String(); !strings.Contains(stderr, file.path) || !strings.Contains(stderr, file.want) {
					t.Errorf("stderr %q, want the file's name and %q", stderr, file.want)
				}
				if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a report folder was published")
				}
			})
		}
	}
}
