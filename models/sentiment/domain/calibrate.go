package domain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/BurntSushi/toml"

	"chorus/models/evaluate"
)

// FoldResult is one cross-validation fold: the thresholds chosen on the
// other folds and how they score on this one.
type FoldResult struct {
	Fold       int
	N          int // comments held out in this fold
	Thresholds Thresholds
	MacroF1    float64
	Accuracy   float64
}

// CVReport holds cross-validated figures: each fold's, and the overall
// figures of all held-out predictions pooled (every comment predicted with
// thresholds that never saw its label).
type CVReport struct {
	Folds    []FoldResult
	N        int
	MacroF1  float64
	Accuracy float64
}

// Threshold grid searched by Calibrate: steps of 0.05 over the range where
// label boundaries are plausible. A coarse grid is deliberate: with a few
// hundred labels, finer steps only fit noise.
const (
	gridStep   = 0.05
	gridNegMin = -0.60
	gridNegMax = 0.20
	gridPosMin = -0.20
	gridPosMax = 0.80
)

// Calibrate chooses label thresholds for the model built from base by
// grouped cross-validation on researchers' labels (gold: negative, neutral
// or positive, one per text; groups: the post of each text). It returns the
// thresholds chosen on all the data and a report of the cross-validated
// figures, which are the honest estimate of how well those thresholds label
// comments of posts they were not chosen on.
//
// Folds never split a post (evaluate.GroupFolds: leave-one-post-out with at
// most maxFolds posts), and are assigned deterministically, so the same
// data give the same report. Folds that split a post's comments flatter
// the thresholds: a thread's comments resemble each other. Within
// each training set the choice maximises macro-F1 smoothed over neighbouring
// grid points (a threshold pair that wins only by a lucky edge case is not
// preferred over a broad plateau), ties going to the pair nearest base's
// thresholds.
func Calibrate(ctx context.Context, texts, gold, groups []string, base Options, maxFolds int) (Thresholds, CVReport, error) {
	var rep CVReport
	if len(texts) != len(gold) || len(texts) != len(groups) {
		return Thresholds{}, rep, fmt.Errorf("calibrate: %d texts but %d labels and %d groups", len(texts), len(gold), len(groups))
	}
	if len(texts) < 2 {
		return Thresholds{}, rep, errors.New("calibrate: need at least two labelled texts")
	}
	fold, folds, err := evaluate.GroupFolds(groups, maxFolds)
	if err != nil {
		return Thresholds{}, rep, fmt.Errorf("calibrate: %w", err)
	}
	classes := evaluate.Classes()
	for i, g := range gold {
		if !isClass(g, classes) {
			return Thresholds{}, rep, fmt.Errorf("calibrate: label %d is %q, want negative, neutral or positive", i+1, g)
		}
	}
	m, err := New(base)
	if err != nil {
		return Thresholds{}, rep, fmt.Errorf("calibrate: %w", err)
	}
	comp := make([]float64, len(texts))
	for i, s := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return Thresholds{}, rep, err
			}
		}
		comp[i] = m.Score(s).Compound
	}
	prior := m.Thresholds()

	pooled := make([]string, len(texts))
	for k := 0; k < folds; k++ {
		if err := ctx.Err(); err != nil {
			return Thresholds{}, rep, err
		}
		var trC, teC []float64
		var trG, teG []string
		var teIdx []int
		for i := range texts {
			if fold[i] == k {
				teC, teG, teIdx = append(teC, comp[i]), append(teG, gold[i]), append(teIdx, i)
			} else {
				trC, trG = append(trC, comp[i]), append(trG, gold[i])
			}
		}
		th := chooseThresholds(trC, trG, classes, prior)
		pred := make([]string, len(teC))
		for j, c := range teC {
			pred[j] = th.Label(c)
			pooled[teIdx[j]] = pred[j]
		}
		rep.Folds = append(rep.Folds, FoldResult{
			Fold: k + 1, N: len(teC), Thresholds: th,
			MacroF1:  evaluate.MacroF1(teG, pred, classes),
			Accuracy: evaluate.Accuracy(teG, pred),
		})
	}
	rep.N = len(texts)
	rep.MacroF1 = evaluate.MacroF1(gold, pooled, classes)
	rep.Accuracy = evaluate.Accuracy(gold, pooled)
	return chooseThresholds(comp, gold, classes, prior), rep, nil
}

func isClass(s string, classes []string) bool {
	for _, c := range classes {
		if s == c {
			return true
		}
	}
	return false
}

// gridValues returns the grid from lo to hi inclusive, rounded to the step.
func gridValues(lo, hi float64) []float64 {
	var out []float64
	for k := int(math.Round(lo / gridStep)); float64(k)*gridStep <= hi+1e-9; k++ {
		out = append(out, math.Round(float64(k)*gridStep*100)/100)
	}
	return out
}

// chooseThresholds is the grid search behind Calibrate.
func chooseThresholds(comp []float64, gold, classes []string, prior Thresholds) Thresholds {
	negs, poss := gridValues(gridNegMin, gridNegMax), gridValues(gridPosMin, gridPosMax)
	score := make([][]float64, len(negs))
	pred := make([]string, len(comp))
	for a, n := range negs {
		score[a] = make([]float64, len(poss))
		for b, p := range poss {
			if n >= p {
				score[a][b] = math.NaN()
				continue
			}
			th := Thresholds{Negative: n, Positive: p}
			for i, c := range comp {
				pred[i] = th.Label(c)
			}
			score[a][b] = evaluate.MacroF1(gold, pred, classes)
		}
	}
	best := Thresholds{Negative: negs[0], Positive: poss[len(poss)-1]}
	bestS, bestD := math.Inf(-1), math.Inf(1)
	for a := range negs {
		for b := range poss {
			if math.IsNaN(score[a][b]) {
				continue
			}
			sum, cnt := 0.0, 0
			for da := -1; da <= 1; da++ {
				for db := -1; db <= 1; db++ {
					aa, bb := a+da, b+db
					if aa < 0 || bb < 0 || aa >= len(negs) || bb >= len(poss) || math.IsNaN(score[aa][bb]) {
						continue
					}
					sum += score[aa][bb]
					cnt++
				}
			}
			s := sum / float64(cnt)
			d := math.Hypot(negs[a]-prior.Negative, poss[b]-prior.Positive)
			if s > bestS+1e-12 || (math.Abs(s-bestS) <= 1e-12 && d < bestD) {
				best, bestS, bestD = Thresholds{Negative: negs[a], Positive: poss[b]}, s, d
			}
		}
	}
	return best
}

// FormatThresholds gives t as the small TOML file that `chorus calibrate`
// writes and `chorus run` reads back with ParseThresholds. Inverted or
// out-of-range thresholds are an error, not a file.
func FormatThresholds(t Thresholds) ([]byte, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Label thresholds for the chorus domain sentiment model (chorus calibrate).\n")
	b.WriteString("# A comment is negative if compound <= negative, positive if compound >= positive.\n")
	fmt.Fprintf(&b, "negative = %s\n", strconv.FormatFloat(t.Negative, 'f', -1, 64))
	fmt.Fprintf(&b, "positive = %s\n", strconv.FormatFloat(t.Positive, 'f', -1, 64))
	return b.Bytes(), nil
}

// ParseThresholds parses a thresholds file read from path (named in
// errors), as FormatThresholds writes it or by hand. Both keys are required
// and unknown keys are errors, so a typo cannot silently leave a default in
// place. The caller reads the file (pipeline, through internal/fsread).
func ParseThresholds(path string, data []byte) (Thresholds, error) {
	var raw struct {
		Negative *float64 `toml:"negative"`
		Positive *float64 `toml:"positive"`
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		return Thresholds{}, fmt.Errorf("thresholds %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return Thresholds{}, fmt.Errorf("thresholds %s: unknown key %q", path, und[0].String())
	}
	if raw.Negative == nil || raw.Positive == nil {
		return Thresholds{}, fmt.Errorf("thresholds %s: want both negative and positive", path)
	}
	t := Thresholds{Negative: *raw.Negative, Positive: *raw.Positive}
	if err := t.validate(); err != nil {
		return Thresholds{}, fmt.Errorf("thresholds %s: %w", path, err)
	}
	return t, nil
}
