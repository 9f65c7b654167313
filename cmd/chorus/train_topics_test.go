package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chorus/models/topics"
	"chorus/pipeline"
)

// TestTrainTopics runs chorus train topics on an invented gold file of 12
// posts: the folds never split a post, the report carries the held-out
// and in-sample figures, and the --out taxonomy parses back with the
// thresholds the report says were chosen on all items.
func TestTrainTopics(t *testing.T) {
	gold := filepath.Join("testdata", "topics_gold.jsonl")
	out := filepath.Join(t.TempDir(), "tuned.toml")
	code, stdout, stderr := chorus(t, "train", "topics", "--gold", gold, "--folds", "4", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"25 labelled comments in 12 posts (grouped by post_id); grouped cross-validation, 4 folds",
		"HELD-OUT (grouped cross-validation)",
		"IN-SAMPLE, for comparison only",
		"resamples of the 12 posts",
		"macro-F1 leaves out 8 of the taxonomy's 11 topics",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	// The folds: the same data through the library the command uses.
	data, err := readRegular(gold)
	if err != nil {
		t.Fatal(err)
	}
	items, err := topics.ParseGold(gold, data)
	if err != nil {
		t.Fatal(err)
	}
	tax, err := topics.Default()
	if err != nil {
		t.Fatal(err)
	}
	tg, err := topics.NewTagger(tax)
	if err != nil {
		t.Fatal(err)
	}
	res, err := topics.CrossValidate(context.Background(), tg, items, topics.CVOptions{MaxFolds: 4})
	if err != nil {
		t.Fatal(err)
	}
	foldOf := map[string]int{}
	for i, it := range items {
		if f, ok := foldOf[it.PostID]; ok && f != res.Fold[i] {
			t.Errorf("post %s in folds %d and %d", it.PostID, f, res.Fold[i])
		}
		foldOf[it.PostID] = res.Fold[i]
	}
	if len(foldOf) != 12 || res.Folds != 4 {
		t.Errorf("%d posts in %d folds, want 12 in 4", len(foldOf), res.Folds)
	}

	// The "all" column of the printed thresholds is what --out wrote.
	back, err := pipeline.ReadTaxonomy(out)
	if err != nil {
		t.Fatalf("--out file does not load: %v", err)
	}
	row := regexp.MustCompile(`(?m)^(\w+)\s+([0-9.]+(?:\s+[0-9.]+){5})$`)
	printed := map[string]float64{}
	for _, m := range row.FindAllStringSubmatch(stdout, -1) {
		f := strings.Fields(m[2])
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			t.Fatal(err)
		}
		printed[m[1]] = v
	}
	if len(printed) != len(back.Topics()) {
		t.Fatalf("found %d threshold rows in the output, want %d:\n%s", len(printed), len(back.Topics()), stdout)
	}
	for i, tp := range back.Topics() {
		if got, want := back.Thresholds()[i], printed[tp.Name]; got != want || got != res.Thresholds[i] {
			t.Errorf("%s: --out threshold %v, printed %v, chosen %v", tp.Name, got, want, res.Thresholds[i])
		}
	}
	// The copy keeps the built-in taxonomy's comments.
	if !strings.Contains(string(back.Source()), "# chorus topic taxonomy (default, embedded in the binary)") {
		t.Error("--out copy lost the taxonomy's header comment")
	}
	// And it can be passed back with --taxonomy.
	if code, stdout, stderr := chorus(t, "eval", "topics", "--gold", gold, "--taxonomy", out); code != 0 || !strings.Contains(stdout, "micro") {
		t.Errorf("eval topics --taxonomy %s: exit %d\n%s%s", out, code, stdout, stderr)
	}

	// A gold file without post_id or source_file is a usage error that
	// says why.
	bare := filepath.Join(t.TempDir(), "bare.jsonl")
	if err := os.WriteFile(bare, []byte(`{"text": "My caseload is huge.", "topics": ["workload"]}`+"\n"+`{"text": "Pay is poor.", "topics": ["pay"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := chorus(t, "train", "topics", "--gold", bare); code != 2 || !strings.Contains(stderr, "post_id") {
		t.Errorf("gold without groups: exit %d, stderr %q; want 2 naming post_id", code, stderr)
	}
}
