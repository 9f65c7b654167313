package evaluate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Classes returns the sentiment labels, in the order tables print them.
func Classes() []string { return []string{"negative", "neutral", "positive"} }

// ClassF1 is precision, recall and F1 for one class.
type ClassF1 struct {
	Class                 string
	Precision, Recall, F1 float64
	Support               int // gold items of the class
}

// Confusion counts gold (rows) against predicted (columns) labels.
type Confusion struct {
	Classes []string
	Counts  [][]int // Counts[gold][pred]
}

// PerClass returns precision, recall and F1 for each class. A class never
// predicted has precision 0; a class with no gold items has recall 0 (and
// the F1 of such a class is 0): the scikit-learn convention with
// zero_division=0, so figures compare with what researchers compute there.
func PerClass(gold, pred []string, classes []string) []ClassF1 {
	out := make([]ClassF1, len(classes))
	for i, c := range classes {
		var tp, fp, fn int
		for j := range gold {
			switch {
			case gold[j] == c && pred[j] == c:
				tp++
			case gold[j] != c && pred[j] == c:
				fp++
			case gold[j] == c && pred[j] != c:
				fn++
			}
		}
		out[i] = ClassF1{Class: c, Support: tp + fn}
		out[i].Precision = ratio(tp, tp+fp)
		out[i].Recall = ratio(tp, tp+fn)
		out[i].F1 = f1(out[i].Precision, out[i].Recall)
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// MacroF1 is the unweighted mean of the classes' F1.
func MacroF1(gold, pred []string, classes []string) float64 {
	var sum float64
	for _, c := range PerClass(gold, pred, classes) {
		sum += c.F1
	}
	return sum / float64(len(classes))
}

// Accuracy is the share of items whose predicted label equals the gold one.
func Accuracy(gold, pred []string) float64 {
	if len(gold) == 0 {
		return 0
	}
	n := 0
	for i := range gold {
		if gold[i] == pred[i] {
			n++
		}
	}
	return float64(n) / float64(len(gold))
}

// MajorityClass is the most common label of gold, the first in Classes
// order on a tie (labels outside Classes never win); "" for no labels.
func MajorityClass(gold []string) string {
	counts := map[string]int{}
	for _, g := range gold {
		counts[g]++
	}
	best, n := "", 0
	for _, c := range Classes() {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return best
}

// NewConfusion counts gold against predicted labels.
func NewConfusion(gold, pred []string, classes []string) Confusion {
	idx := map[string]int{}
	for i, c := range classes {
		idx[c] = i
	}
	m := Confusion{Classes: classes, Counts: make([][]int, len(classes))}
	for i := range m.Counts {
		m.Counts[i] = make([]int, len(classes))
	}
	for i := range gold {
		g, ok1 := idx[gold[i]]
		p, ok2 := idx[pred[i]]
		if ok1 && ok2 {
			m.Counts[g][p]++
		}
	}
	return m
}

// String prints the matrix with gold labels down and predictions across.
func (m Confusion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s", "gold\\pred")
	for _, c := range m.Classes {
		fmt.Fprintf(&b, "%10s", c)
	}
	b.WriteByte('\n')
	for i, c := range m.Classes {
		fmt.Fprintf(&b, "%-12s", c)
		for _, n := range m.Counts[i] {
			fmt.Fprintf(&b, "%10d", n)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Pearson is the product-moment correlation of x and y; NaN when either
// has no variance or there are fewer than two pairs.
func Pearson(x, y []float64) float64 {
	n := len(x)
	if n < 2 || len(y) != n {
		return math.NaN()
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman is Pearson's correlation of the ranks, ties given their mean rank.
func Spearman(x, y []float64) float64 {
	return Pearson(Ranks(x), Ranks(y))
}

// Ranks returns 1-based ranks of x, tied values sharing their mean rank.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = mean
		}
		i = j + 1
	}
	return r
}

// Interval is a figure with its bootstrap percentile 95% interval.
type Interval struct {
	Value, Low, High float64
}

func (iv Interval) String() string {
	return fmt.Sprintf("%.3f [%.3f, %.3f]", iv.Value, iv.Low, iv.High)
}

// Bootstrap resamples the n items with replacement reps times, computes
// stat on each resample (given the resampled indices), and returns stat on
// the full set with the 2.5th and 97.5th percentiles of the resamples. The
// seed makes the interval reproducible: the same data give the same interval.
// Resamples whose statistic is NaN (e.g. no variance) are left out.
func Bootstrap(ctx context.Context, n, reps int, seed uint64, stat func(idx []int) float64) (Interval, error) {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	iv := Interval{Value: stat(all)}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	vals := make([]float64, 0, reps)
	idx := make([]int, n)
	for r := 0; r < reps; r++ {
		if r%256 == 0 {
			if err := ctx.Err(); err != nil {
				return iv, err
			}
		}
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		if v := stat(idx); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		iv.Low, iv.High = math.NaN(), math.NaN()
		return iv, nil
	}
	sort.Float64s(vals)
	iv.Low = quantile(vals, 0.025)
	iv.High = quantile(vals, 0.975)
	return iv, nil
}

// Percentiles returns the 2.5th and 97.5th percentiles of vals, NaN values
// left out (NaN, NaN when none is left). vals is sorted in place.
func Percentiles(vals []float64) (lo, hi float64) {
	k := 0
	for _, v := range vals {
		if !math.IsNaN(v) {
			vals[k] = v
			k++
		}
	}
	vals = vals[:k]
	if k == 0 {
		return math.NaN(), math.NaN()
	}
	sort.Float64s(vals)
	return quantile(vals, 0.025), quantile(vals, 0.975)
}

// quantile of sorted values by linear interpolation (type 7, R's default).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	hi := int(math.Ceil(h))
	return sorted[lo] + (h-float64(lo))*(sorted[hi]-sorted[lo])
}

// Pick returns the elements of xs at idx, for bootstrap statistics.
func Pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}
