package domain

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/internal/sharedtest"
	"chorus/models/evaluate"
	"chorus/models/sentiment/vader"
)

type devItem struct {
	Text        string  `json:"text"`
	Valence     int     `json:"valence"`
	MeanValence float64 `json:"mean_valence"`
	Label       string  `json:"label"`
	SourceFile  string  `json:"source_file"`
}

func loadDev(t testing.TB) []devItem {
	t.Helper()
	dir := sharedtest.Dir(t, "eval/probation")
	f, err := os.Open(filepath.Join(dir, "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []devItem
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var d devItem
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func devFigures(m *Model, items []devItem) (f1, rho, acc float64, pred []string, comp []float64) {
	gold := make([]string, len(items))
	mv := make([]float64, len(items))
	for i, d := range items {
		r := m.Score(d.Text)
		pred = append(pred, r.Label)
		comp = append(comp, r.Compound)
		gold[i] = d.Label
		mv[i] = d.MeanValence
	}
	cl := evaluate.Classes()
	return evaluate.MacroF1(gold, pred, cl), evaluate.Spearman(comp, mv), evaluate.Accuracy(gold, pred), pred, comp
}

// TestDevSet checks the figures issue 3 asks of the domain model on the 93
// hand-labelled comments (VADER: macro-F1 0.365, rho 0.38), and logs them
// with bootstrap 95% intervals.
func TestDevSet(t *testing.T) {
	items := loadDev(t)
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	f1, rho, acc, pred, comp := devFigures(m, items)
	gold := make([]string, len(items))
	mv := make([]float64, len(items))
	for i, d := range items {
		gold[i], mv[i] = d.Label, d.MeanValence
	}
	cl := evaluate.Classes()
	ctx := context.Background()
	f1iv, err := evaluate.Bootstrap(ctx, len(items), 2000, 1, func(idx []int) float64 {
		return evaluate.MacroF1(evaluate.Pick(gold, idx), evaluate.Pick(pred, idx), cl)
	})
	if err != nil {
		t.Fatal(err)
	}
	rhoiv, err := evaluate.Bootstrap(ctx, len(items), 2000, 1, func(idx []int) float64 {
		return evaluate.Spearman(evaluate.Pick(comp, idx), evaluate.Pick(mv, idx))
	})
	if err != nil {
		t.Fatal(err)
	}
	acciv, err := evaluate.Bootstrap(ctx, len(items), 2000, 1, func(idx []int) float64 {
		return evaluate.Accuracy(evaluate.Pick(gold, idx), evaluate.Pick(pred, idx))
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dev (n=%d): macro-F1 %v, Spearman rho %v, accuracy %v", len(items), f1iv, rhoiv, acciv)
	for _, c := range evaluate.PerClass(gold, pred, cl) {
		t.Logf("  %-8s P %.3f R %.3f F1 %.3f (n=%d)", c.Class, c.Precision, c.Recall, c.F1, c.Support)
	}
	t.Logf("confusion (rows gold, columns predicted):\n%s", evaluate.NewConfusion(gold, pred, cl))
	if f1 < 0.55 {
		t.Errorf("macro-F1 = %.3f, want >= 0.55", f1)
	}
	if rho < 0.50 {
		t.Errorf("Spearman rho = %.3f, want >= 0.50", rho)
	}
	_ = acc
}

// TestDevCrossValidated reports how much of the dev figure comes from
// choosing thresholds on the same comments: Calibrate's figures with folds
// grouped by post (two posts: leave-one-post-out, two folds). The overlay
// was written after reading these comments, so even these figures are
// partly in-sample. It asserts they stay above the bar set for unseen
// comments.
func TestDevCrossValidated(t *testing.T) {
	items := loadDev(t)
	texts := make([]string, len(items))
	gold := make([]string, len(items))
	groups := make([]string, len(items))
	for i, d := range items {
		texts[i], gold[i], groups[i] = d.Text, d.Label, d.SourceFile
	}
	for _, k := range []int{10} {
		th, rep, err := Calibrate(context.Background(), texts, gold, groups, Options{}, k)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d folds grouped by post (at most %d): thresholds chosen on all %+v; cross-validated macro-F1 %.3f accuracy %.3f", len(rep.Folds), k, th, rep.MacroF1, rep.Accuracy)
		if k <= 10 {
			for _, f := range rep.Folds {
				t.Logf("  fold %d (n=%d): %+v macro-F1 %.3f accuracy %.3f", f.Fold, f.N, f.Thresholds, f.MacroF1, f.Accuracy)
			}
		}
		if rep.MacroF1 < 0.50 {
			t.Errorf("max %d folds: grouped cross-validated macro-F1 = %.3f, want >= 0.50", k, rep.MacroF1)
		}
	}
}

// TestDevAblation logs what each part of the model adds on the dev set
// (the table in docs/sentiment.md) and checks the full model beats each
// ablation on rank correlation.
func TestDevAblation(t *testing.T) {
	items := loadDev(t)
	gold := make([]string, len(items))
	mv := make([]float64, len(items))
	for i, d := range items {
		gold[i], mv[i] = d.Label, d.MeanValence
	}
	an := plainVADER(t)
	vc := make([]float64, len(items))
	vp := make([]string, len(items))
	for i, d := range items {
		vc[i] = an.PolarityScores(d.Text).Compound
		vp[i] = vader.Label(vc[i])
	}
	cl := evaluate.Classes()
	t.Logf("%-44s macro-F1 %.3f rho %.3f", "VADER, whole comment, ±0.05", evaluate.MacroF1(gold, vp, cl), evaluate.Spearman(vc, mv))
	header := []byte("# header only\n")
	variants := []struct {
		name    string
		overlay []byte
		p       params
	}{
		{"per-sentence combination only", header, params{lengthExponent, alpha, true}},
		{"+ rules, no overlay", header, params{lengthExponent, alpha, false}},
		{"+ overlay, no rules", overlayTSV, params{lengthExponent, alpha, true}},
		{"full model, length exponent 0.5", overlayTSV, params{0.5, alpha, false}},
		{"full model, length exponent 1 (mean)", overlayTSV, params{1, alpha, false}},
		{"full model", overlayTSV, defaultParams},
	}
	var rhos []float64
	for _, v := range variants {
		m, err := build(Options{}, v.overlay, v.p)
		if err != nil {
			t.Fatal(err)
		}
		f1, rho, _, _, _ := devFigures(m, items)
		rhos = append(rhos, rho)
		t.Logf("%-44s macro-F1 %.3f rho %.3f", v.name, f1, rho)
	}
	full := rhos[len(rhos)-1]
	for i := 0; i < 3; i++ {
		if rhos[i] >= full {
			t.Errorf("%s: rho %.3f >= full model's %.3f", variants[i].name, rhos[i], full)
		}
	}
}

// normForMatch lowercases s and turns punctuation other than apostrophes,
// hyphens and "+" into spaces, padded, for rough whole-word matching.
func normForMatch(s string) string {
	b := []byte(" " + strings.ToLower(s) + " ")
	for i, c := range b {
		if c < 128 && !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'' || c == '-' || c == '+') {
			b[i] = ' '
		}
	}
	return " " + strings.Join(strings.Fields(string(b)), " ") + " "
}

// TestDevSingleCommentEntries measures how much the dev figures depend on
// overlay entries that occur in only one or two dev comments: the entries
// that would be fitted to the file if any were. It rebuilds the model
// without them. Most such entries are ordinary vocabulary that 93 comments
// happen to use once, so the figures drop; the test checks that even then
// the model clears the bar set for the held-back set (macro-F1 0.50,
// rho 0.45), i.e. the dev result does not rest on single-comment entries.
func TestDevSingleCommentEntries(t *testing.T) {
	items := loadDev(t)
	entries, err := parseOverlay(overlayTSV, true)
	if err != nil {
		t.Fatal(err)
	}
	norm := make([]string, len(items))
	for i, d := range items {
		norm[i] = normForMatch(d.Text)
	}
	count := map[string]int{}
	for term := range entries {
		key := " " + strings.Join(strings.Fields(term), " ") + " "
		for _, n := range norm {
			if strings.Contains(n, key) {
				count[term]++
			}
		}
	}
	fired := 0
	for _, c := range count {
		if c > 0 {
			fired++
		}
	}
	t.Logf("overlay: %d entries, %d occur in at least one dev comment", len(entries), fired)
	for _, maxUses := range []int{1, 2} {
		var kept []string
		dropped := 0
		for _, line := range strings.Split(string(overlayTSV), "\n") {
			term, _, ok := strings.Cut(line, "\t")
			if ok && !strings.HasPrefix(line, "#") {
				if c := count[normaliseTerm(term)]; c >= 1 && c <= maxUses {
					dropped++
					continue
				}
			}
			kept = append(kept, line)
		}
		m, err := build(Options{}, []byte(strings.Join(kept, "\n")), defaultParams)
		if err != nil {
			t.Fatal(err)
		}
		f1, rho, _, _, _ := devFigures(m, items)
		t.Logf("without the %d entries found in 1..%d dev comments: macro-F1 %.3f rho %.3f", dropped, maxUses, f1, rho)
		if maxUses == 1 && (f1 < 0.50 || rho < 0.45) {
			t.Errorf("without single-comment entries: macro-F1 %.3f rho %.3f, want >= 0.50 and 0.45", f1, rho)
		}
	}
}
