package learned

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chorus/internal/sharedtest"
	"chorus/models/evaluate"
	"chorus/models/sentiment/domain"
)

// loadDev reads ../shared/eval/probation/dev.jsonl as training examples
// (skips when ../shared is absent).
func loadDev(t testing.TB) ([]Example, []byte, string) {
	t.Helper()
	path := filepath.Join(sharedtest.Dir(t, "eval/probation"), "dev.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	items, err := evaluate.ParseSentimentGold(path, data)
	if err != nil {
		t.Fatal(err)
	}
	ex, field, err := Examples(items)
	if err != nil {
		t.Fatal(err)
	}
	return ex, data, field
}

func lexicon(t testing.TB, opts domain.Options) *domain.Model {
	t.Helper()
	m, err := domain.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDevCrossValidated logs the grouped cross-validated figures on the dev
// set (the ones docs/methods.md quotes) and guards them against
// regression: macro-F1 and Spearman >= 0.55 (the figure expected on
// comments never tuned on) and accuracy above the majority baseline. The
// issue asked for macro-F1 >= 0.60; the model reaches 0.598, and
// docs/methods.md says so rather than the bar being chased on dev.
func TestDevCrossValidated(t *testing.T) {
	ex, _, _ := loadDev(t)
	rep, err := CrossValidate(context.Background(), lexicon(t, domain.Options{}), ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Sentiment
	t.Logf("grouped CV, %d folds over %d groups, n=%d:\n%s", rep.Folds, rep.Groups, rep.N, s)
	t.Logf("majority baseline accuracy %v; accuracy gain %v", rep.Majority, rep.AccuracyGain)
	if s.MacroF1.Value < 0.55 {
		t.Errorf("grouped-CV macro-F1 %.3f, want >= 0.55", s.MacroF1.Value)
	}
	if s.Spearman.Value < 0.55 {
		t.Errorf("grouped-CV Spearman %.3f, want >= 0.55", s.Spearman.Value)
	}
	if s.Accuracy.Value <= rep.Majority.Value {
		t.Errorf("grouped-CV accuracy %.3f, not above the majority baseline %.3f", s.Accuracy.Value, rep.Majority.Value)
	}
}

// TestBundledReproducible retrains on dev.jsonl as `make model` does and
// checks the bytes equal the bundled weights: the file in the repository is
// what the training code makes of the labels, nothing edited by hand.
func TestBundledReproducible(t *testing.T) {
	ex, data, field := loadDev(t)
	f, _, err := Train(context.Background(), lexicon(t, domain.Options{}), ex, data, Options{Grouping: field})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	_, want, ok, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("no bundled weights in %s: run make model", BundledName)
	}
	if string(got) != string(want) {
		t.Errorf("retraining gives %d bytes that differ from the bundled %d: run make model and commit %s", len(got), len(want), BundledName)
	}
}
