package learned

import (
	"context"
	"fmt"
	"testing"

	"chorus/models/sentiment/domain"
)

// TestDevAblation logs, on the dev set, the grouped cross-validated figures
// of the variants docs/methods.md tabulates: the penalty grid that was
// looked at, the model without the bag of words, with only the lexicon
// compound, and with a lexicon model that has no overlay (the overlay was
// written after reading these comments, so features built on it are partly
// in-sample even under grouped CV). It asserts only that the default is
// among them and that the run is reproducible; the figures are for the
// docs.
func TestDevAblation(t *testing.T) {
	if testing.Short() {
		t.Skip("ablation grid: skipped in -short")
	}
	ex, _, _ := loadDev(t)
	ctx := context.Background()
	full := lexicon(t, domain.Options{})
	items, err := features(ctx, full, ex)
	if err != nil {
		t.Fatal(err)
	}
	noOv, err := features(ctx, lexicon(t, domain.Options{NoOverlay: true}), ex)
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, src []item, keep func(j int) bool, o Options) float64 {
		its := make([]item, len(src))
		for i, it := range src {
			x := make([]float64, nDense)
			for j := range x {
				if keep(j) {
					x[j] = it.x[j]
				}
			}
			its[i] = item{x: x, idx: it.idx, y: it.y}
		}
		rep, err := crossValidate(ctx, its, ex, o.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		s := rep.Sentiment
		t.Logf("| %-44s | %s | %s | %s | %.3f | %.2f / %.2f / %.2f |", name, s.MacroF1, s.Spearman, s.Accuracy, rep.Majority.Value,
			s.PerClass[0].Recall, s.PerClass[1].Recall, s.PerClass[2].Recall)
		return s.MacroF1.Value
	}
	all := func(int) bool { return true }
	t.Log("| variant | macro-F1 | Spearman | accuracy | majority | recall neg / neu / pos |")
	def := run("default (penalties lexicon 1, dense 30; no bag of words)", items, all, Options{})
	for _, ll := range []float64{0.3, 1} {
		for _, ld := range []float64{1, 3, 10, 30, 100} {
			run(fmt.Sprintf("penalties lexicon %g, dense %g", ll, ld), items, all, Options{LambdaLexicon: ll, LambdaDense: ld})
		}
	}
	run("with the bag of words (hashed, penalty 30)", items, all, Options{Hashed: true})
	run("lexicon compound only (no other feature)", items, func(j int) bool { return j == 0 }, Options{})
	run("no overlay in the lexicon model", noOv, all, Options{})
	run("no overlay, lexicon compound only", noOv, func(j int) bool { return j == 0 }, Options{})
	again := run("default again (reproducible)", items, all, Options{})
	if def != again {
		t.Errorf("the same cross-validation gave macro-F1 %v then %v", def, again)
	}
}
