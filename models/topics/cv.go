package topics

import (
	"context"
	"math"
	"slices"

	"chorus/models/evaluate"
)

// thresholdGrid is the fixed set of thresholds CrossValidate chooses
// from. It is small on purpose: with a few dozen labelled comments per
// topic, a fine grid would fit the noise of one fold. Weights in a
// taxonomy are written in quarters and halves around 1 ("enough on its
// own"), so the grid runs from "half a strong word" to "three strong
// words".
var thresholdGrid = [...]float64{0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3}

// ThresholdGrid returns the thresholds CrossValidate chooses from.
func ThresholdGrid() []float64 { return append([]float64(nil), thresholdGrid[:]...) }

// windowScaleGrid is the set of factors CrossValidate chooses the rules'
// window scale from (window_scale; each rule's window is multiplied by
// it). It is one setting for every rule, not one per rule: a window per
// rule chosen on a few dozen comments of a few posts would fit them, and
// the question worth asking of hand-written rules is only whether they
// look too near or too far in general.
var windowScaleGrid = [...]float64{0.5, 0.75, 1, 1.5, 2}

// WindowScaleGrid returns the window scales CrossValidate chooses from.
func WindowScaleGrid() []float64 { return append([]float64(nil), windowScaleGrid[:]...) }

// CVOptions tunes CrossValidate.
type CVOptions struct {
	// MaxFolds is the most folds; with at most MaxFolds posts each post
	// is a fold (leave-one-post-out). Default 10.
	MaxFolds int
	// Reps and Seed drive the bootstrap intervals (defaults: the
	// evaluate package's BootstrapReps and Seed).
	Reps int
	Seed uint64
}

// CVResult is the outcome of CrossValidate.
type CVResult struct {
	Items, Folds, Groups int
	// Grouping is the gold field the folds are grouped by: "post_id" or
	// "source_file".
	Grouping string
	// Group and Fold are each item's group and fold.
	Group []string
	Fold  []int
	// Topics are the taxonomy's topic names; every threshold slice
	// below is in this order.
	Topics []string
	// Taxonomy holds the thresholds the taxonomy file sets.
	Taxonomy []float64
	// FoldThresholds[f] are the thresholds chosen on every fold but f.
	FoldThresholds [][]float64
	// Held is the pooled held-out evaluation: each item tagged with the
	// thresholds chosen without its post. HeldPred are those predictions.
	Held     Report
	HeldPred [][]string
	// Fixed scores the taxonomy's own thresholds on the same items. It is
	// in-sample whenever the taxonomy was written looking at these labels.
	Fixed     Report
	FixedPred [][]string
	// Thresholds are chosen on every item: the ones to use.
	Thresholds []float64

	// WindowScales are the window scales compared: the grid, and the
	// taxonomy's own (TaxonomyWindowScale) when it is not on it.
	WindowScales        []float64
	TaxonomyWindowScale float64
	// FoldWindowScale[f] is the scale chosen on every fold but f, with
	// that fold's thresholds; WindowScale is chosen on every item.
	FoldWindowScale []float64
	WindowScale     float64
	// WindowHeld[s] is the pooled held-out micro-F1 with the scale fixed
	// at WindowScales[s] (thresholds still chosen per fold): how much the
	// choice matters on these labels.
	WindowHeld []float64
}

// Groups returns each item's cross-validation group and the field it came
// from: post_id when every item has one, else source_file. It is an error
// for an item to have neither: without them, folds could split a post.
func Groups(gold []GoldItem) ([]string, string, error) {
	return evaluate.PostGroups(len(gold),
		func(i int) string { return gold[i].PostID }, func(i int) string { return gold[i].SourceFile })
}

// CrossValidate chooses the topics' thresholds and the rules' window scale
// by cross-validation with folds grouped by post (evaluate.GroupFolds).
// For each fold it chooses, on the other folds, each topic's threshold
// from ThresholdGrid by the topic's F1 (chooseThreshold) under every
// window scale of WindowScaleGrid, keeps the scale whose thresholds give
// the best micro-F1 on those folds (chooseScale), and tags the held-out
// fold with that scale and its thresholds. The pooled held-out
// predictions are scored with Evaluate and given bootstrap intervals that
// resample posts when there are enough of them (AddGroupedIntervals).
// Weights, terms and the rules themselves stay as the taxonomy writes
// them.
func CrossValidate(ctx context.Context, tg *Tagger, gold []GoldItem, o CVOptions) (CVResult, error) {
	if o.MaxFolds == 0 {
		o.MaxFolds = 10
	}
	if o.Reps == 0 {
		o.Reps, o.Seed = evaluate.BootstrapReps, evaluate.Seed
	}
	groups, field, err := Groups(gold)
	if err != nil {
		return CVResult{}, err
	}
	fold, k, err := evaluate.GroupFolds(groups, o.MaxFolds)
	if err != nil {
		return CVResult{}, err
	}
	res := CVResult{Items: len(gold), Folds: k, Groups: evaluate.CountGroups(groups), Grouping: field,
		Group: groups, Fold: fold, Taxonomy: tg.tax.Thresholds(), TaxonomyWindowScale: tg.tax.windowScale}
	for _, t := range tg.topics {
		res.Topics = append(res.Topics, t.name)
	}
	res.WindowScales = WindowScaleGrid()
	if !slices.Contains(res.WindowScales, res.TaxonomyWindowScale) {
		res.WindowScales = append(res.WindowScales, res.TaxonomyWindowScale)
		slices.Sort(res.WindowScales)
	}
	want := make([][]bool, len(gold))
	for i, g := range gold {
		want[i] = make([]bool, len(res.Topics))
		for t, name := range res.Topics {
			want[i][t] = slices.Contains(g.Topics, name)
		}
	}
	// scores[s][i]: item i's topic scores with the windows scaled by
	// WindowScales[s].
	scores := make([][][]float64, len(res.WindowScales))
	for s, f := range res.WindowScales {
		st := tg
		if f != res.TaxonomyWindowScale {
			if st, err = NewTagger(tg.tax.withWindowScale(f)); err != nil {
				return CVResult{}, err
			}
		}
		scores[s] = make([][]float64, len(gold))
		for i, g := range gold {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return CVResult{}, err
				}
			}
			scores[s][i] = st.Scores(g.Text)
		}
	}
	res.HeldPred = make([][]string, len(gold))
	fixedHeld := make([][][]string, len(res.WindowScales)) // [s][i]
	for s := range fixedHeld {
		fixedHeld[s] = make([][]string, len(gold))
	}
	for f := range k {
		var train []int
		for i := range gold {
			if fold[i] != f {
				train = append(train, i)
			}
		}
		ths, best := chooseScale(scores, want, train, res.Taxonomy, res.WindowScales, res.TaxonomyWindowScale)
		res.FoldThresholds = append(res.FoldThresholds, ths[best])
		res.FoldWindowScale = append(res.FoldWindowScale, res.WindowScales[best])
		for i := range gold {
			if fold[i] != f {
				continue
			}
			res.HeldPred[i] = tagWith(res.Topics, scores[best][i], ths[best])
			for s := range res.WindowScales {
				fixedHeld[s][i] = tagWith(res.Topics, scores[s][i], ths[s])
			}
		}
	}
	for s := range res.WindowScales {
		res.WindowHeld = append(res.WindowHeld, evaluatePredsOnly(gold, fixedHeld[s]).MicroF1)
	}
	all := make([]int, len(gold))
	for i := range all {
		all[i] = i
	}
	ths, best := chooseScale(scores, want, all, res.Taxonomy, res.WindowScales, res.TaxonomyWindowScale)
	res.Thresholds, res.WindowScale = ths[best], res.WindowScales[best]
	own := slices.Index(res.WindowScales, res.TaxonomyWindowScale)
	res.FixedPred = make([][]string, len(gold))
	for i := range gold {
		res.FixedPred[i] = tagWith(res.Topics, scores[own][i], res.Taxonomy)
	}
	res.Held, err = evaluatePreds(ctx, gold, res.HeldPred, groups, o)
	if err != nil {
		return CVResult{}, err
	}
	res.Fixed, err = evaluatePreds(ctx, gold, res.FixedPred, groups, o)
	if err != nil {
		return CVResult{}, err
	}
	return res, nil
}

// chooseScale chooses, on the items idx, each topic's threshold under
// every window scale (ths[s]), and returns them with the index of the
// scale whose thresholds give the best micro-F1 on those items. Ties go
// to the taxonomy's own scale, then to the scale nearest it, then to the
// lower (scales is sorted), as chooseThreshold breaks its ties.
func chooseScale(scores [][][]float64, want [][]bool, idx []int, taxonomy, scales []float64, own float64) (ths [][]float64, best int) {
	ths = make([][]float64, len(scales))
	bestF := math.Inf(-1)
	for s := range scales {
		ths[s] = chooseThresholds(scores[s], want, idx, taxonomy)
		f := microF1(scores[s], want, idx, ths[s])
		d, bd := math.Abs(scales[s]-own), math.Abs(scales[best]-own)
		switch {
		case s == 0, f > bestF+1e-12:
		case f < bestF-1e-12 || scales[best] == own:
			continue
		case d < bd:
		default:
			continue
		}
		best, bestF = s, f
	}
	return ths, best
}

// microF1 is the micro-averaged F1 over every topic of tagging the items
// idx with thresholds th.
func microF1(scores [][]float64, want [][]bool, idx []int, th []float64) float64 {
	var tp, fp, fn int
	for _, i := range idx {
		for t, s := range scores[i] {
			got := s > 0 && Reaches(s, th[t])
			switch {
			case got && want[i][t]:
				tp++
			case got:
				fp++
			case want[i][t]:
				fn++
			}
		}
	}
	_, _, f := prf(tp, fp, fn)
	return f
}

// evaluatePredsOnly scores fixed predictions with Evaluate, without
// intervals.
func evaluatePredsOnly(gold []GoldItem, pred [][]string) Report {
	next := 0
	return Evaluate(gold, func(string) []string { next++; return pred[next-1] })
}

// evaluatePreds scores fixed predictions with Evaluate and adds intervals.
func evaluatePreds(ctx context.Context, gold []GoldItem, pred [][]string, groups []string, o CVOptions) (Report, error) {
	rep := evaluatePredsOnly(gold, pred)
	err := rep.AddGroupedIntervals(ctx, gold, pred, groups, o.Reps, o.Seed)
	return rep, err
}

// tagWith names the topics whose score reaches its threshold, as Tag does.
func tagWith(names []string, scores, th []float64) []string {
	var out []string
	for t, s := range scores {
		if s > 0 && Reaches(s, th[t]) {
			out = append(out, names[t])
		}
	}
	return out
}

// chooseThresholds chooses every topic's threshold on the items idx.
func chooseThresholds(scores [][]float64, want [][]bool, idx []int, taxonomy []float64) []float64 {
	out := make([]float64, len(taxonomy))
	s := make([]float64, len(idx))
	y := make([]bool, len(idx))
	for t := range taxonomy {
		for k, i := range idx {
			s[k], y[k] = scores[i][t], want[i][t]
		}
		out[t] = chooseThreshold(s, y, taxonomy[t])
	}
	return out
}

// chooseThreshold returns the threshold, from the grid and the taxonomy's
// own, that maximises F1 of "score reaches it" against want. Ties go to
// the taxonomy's threshold, then to the grid value nearest it, then to the
// lower. A topic with no positive item keeps the taxonomy's threshold:
// there is nothing to learn its recall from, and F1 would reward
// never tagging it.
func chooseThreshold(scores []float64, want []bool, taxonomy float64) float64 {
	pos := 0
	for _, w := range want {
		if w {
			pos++
		}
	}
	if pos == 0 {
		return taxonomy
	}
	f1 := func(th float64) float64 {
		var tp, fp, fn int
		for i, s := range scores {
			got := s > 0 && Reaches(s, th)
			switch {
			case got && want[i]:
				tp++
			case got:
				fp++
			case want[i]:
				fn++
			}
		}
		_, _, f := prf(tp, fp, fn)
		return f
	}
	best, bestF := taxonomy, f1(taxonomy)
	for _, th := range thresholdGrid {
		f := f1(th)
		d, bd := math.Abs(th-taxonomy), math.Abs(best-taxonomy)
		switch {
		case f > bestF+1e-12:
		case f < bestF-1e-12 || best == taxonomy:
			continue
		case d < bd, d == bd && th < best:
		default:
			continue
		}
		best, bestF = th, f
	}
	return best
}
