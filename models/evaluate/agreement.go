package evaluate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// This file holds the arithmetic of agreement between human coders: what a
// researcher must report before hand labels can be called a gold standard.
// Percentage agreement alone flatters a skewed set (two coders who call
// everything "negative" on a blog that is 60% negative agree 60% of the
// time by chance), so every figure here is also given chance-corrected:
// Cohen's kappa for a pair of coders, Krippendorff's alpha for any number of
// coders with missing judgements.

// ClassOf maps a valence (-2..+2) to its class index in Classes(): 0
// negative (below zero), 1 neutral (zero), 2 positive (above zero).
func ClassOf(valence float64) int {
	switch {
	case valence < 0:
		return 0
	case valence > 0:
		return 2
	}
	return 1
}

// PercentAgreement is the share of items on which a and b (class indices of
// the same items, in the same order) agree; NaN for no items.
func PercentAgreement(a, b []int) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return math.NaN()
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// CohenKappa is Cohen's (1960) kappa for two coders' classes of the same
// items: (po - pe) / (1 - pe), where po is the observed agreement and pe the
// agreement expected from each coder's own class proportions. Classes are
// indices 0..k-1. It is NaN when pe is 1 (both coders used one and the same
// class for everything: agreement is then total but says nothing) or there
// are no items.
func CohenKappa(a, b []int, k int) float64 {
	n := len(a)
	if n == 0 || len(b) != n {
		return math.NaN()
	}
	ra, rb := make([]float64, k), make([]float64, k)
	same := 0
	for i := range a {
		if a[i] < 0 || a[i] >= k || b[i] < 0 || b[i] >= k {
			return math.NaN()
		}
		ra[a[i]]++
		rb[b[i]]++
		if a[i] == b[i] {
			same++
		}
	}
	po := float64(same) / float64(n)
	var pe float64
	for c := range k {
		pe += (ra[c] / float64(n)) * (rb[c] / float64(n))
	}
	if pe >= 1 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}

// Metric is the difference function of Krippendorff's alpha: the squared
// distance delta^2 between two values.
type Metric func(a, b float64) float64

// NominalDelta is the metric for categories: values differ or they do not.
func NominalDelta(a, b float64) float64 {
	if a == b {
		return 0
	}
	return 1
}

// IntervalDelta is the metric for values on an interval scale: the squared
// difference, so that -2 against +2 weighs sixteen times -1 against 0.
func IntervalDelta(a, b float64) float64 { return (a - b) * (a - b) }

// KrippendorffAlpha is Krippendorff's alpha reliability of units, each the
// values its coders gave it (any number of coders per unit, so missing
// judgements are simply absent). Units with fewer than two values are not
// pairable and are left out, as Krippendorff prescribes.
//
// It follows the coincidence-matrix form of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011): each pairable unit u with m_u
// values adds 1/(m_u-1) to o[c][k] for every ordered pair of its values
// (c, k); n_c are the matrix's margins and n their total; then
//
//	alpha = 1 - (n-1) * sum o[c][k] delta2(c,k) / sum n_c n_k delta2(c,k).
//
// It is NaN when there is no pairable unit or no variation at all (every
// value the same: expected disagreement 0).
func KrippendorffAlpha(units [][]float64, delta Metric) float64 {
	var observed float64 // sum over c,k of o_ck * delta2
	margins := map[float64]float64{}
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		var d float64
		for i := range u {
			for j := range u {
				if i != j {
					d += delta(u[i], u[j])
				}
			}
			margins[u[i]]++
		}
		observed += d / float64(m-1)
	}
	var n float64
	values := make([]float64, 0, len(margins))
	for v, c := range margins {
		n += c
		values = append(values, v)
	}
	if n < 2 {
		return math.NaN()
	}
	sort.Float64s(values) // a fixed summation order: the same data give the same bits
	var expected float64
	for _, c := range values {
		for _, k := range values {
			expected += margins[c] * margins[k] * delta(c, k)
		}
	}
	if expected == 0 {
		return math.NaN()
	}
	return 1 - (n-1)*observed/expected
}

// TopicPair is what two coders ticked for one unit.
type TopicPair struct{ A, B []string }

// TopicAgreementF1 is the agreement on one topic between pairs of codings:
// treating either coder as the reference, 2*both / (2*both + onlyA +
// onlyB), pooled over the pairs. It is symmetric in A and B, and it is the
// F1 one coder would score against the other. NaN when no coder ticked the
// topic (there is nothing to agree on). An empty topic pools every topic:
// the micro-averaged F1.
func TopicAgreementF1(pairs []TopicPair, topic string) float64 {
	var both, only int
	for _, p := range pairs {
		for _, t := range p.A {
			if topic != "" && t != topic {
				continue
			}
			if slices.Contains(p.B, t) {
				both++
			} else {
				only++
			}
		}
		for _, t := range p.B {
			if (topic == "" || t == topic) && !slices.Contains(p.A, t) {
				only++
			}
		}
	}
	if both+only == 0 {
		return math.NaN()
	}
	return 2 * float64(both) / float64(2*both+only)
}

// Coding is one coder's judgement of one unit.
type Coding struct {
	Coder   string
	Valence float64  // -2..+2
	Topics  []string // topic names, no repeats
}

// AgreementUnit is everything the coders said about one unit.
type AgreementUnit struct {
	ID      string
	Text    string // for the list of disagreements; may be ""
	Codings []Coding
}

// PairAgreement is the agreement of two coders on the units both labelled.
type PairAgreement struct {
	A, B    string
	N       int      // units both coded
	Percent Interval // share of units with the same class
	Kappa   Interval // Cohen's kappa on the three classes
}

// TopicAgreement is the agreement on one topic, pooled over coder pairs.
type TopicAgreement struct {
	Topic  string
	Tagged int      // units on which at least one coder ticked it
	F1     Interval // NaN when nobody ticked it
}

// Disagreement is a unit on which the coders disagree, for adjudication.
type Disagreement struct {
	ID    string
	Text  string
	Range float64 // highest minus lowest valence
	// Classes is how many of the three classes the coders' valences fall in.
	Classes int
	// TopicsDiffer counts topics ticked by some coders but not all.
	TopicsDiffer int
	Codings      []Coding
}

// Agreement is the agreement report of `chorus label agree`, and what the
// HTML report's validation section shows: every figure with its bootstrap
// 95% interval over units.
type Agreement struct {
	Units   int      // units coded by two or more coders
	Codings int      // their codings
	Coders  []string // sorted
	Pairs   []PairAgreement
	// AlphaNominal is Krippendorff's alpha on the three classes;
	// AlphaInterval on the valence, taken as an interval scale.
	AlphaNominal, AlphaInterval Interval
	Topics                      []TopicAgreement // in the order asked for
	TopicMicroF1                Interval         // every topic pooled
	// MostDisagreed lists the units with the widest disagreement first.
	MostDisagreed []Disagreement
	Reps          int
	Seed          uint64
}

// Agree computes the agreement of the coders over units, using only units
// with two or more codings. topics are the topic names to report (the
// taxonomy's, in its order); top is how many disagreements to list. The
// intervals come from reps bootstrap resamples of the units with the given
// seed. A unit coded twice by the same coder is an error: it would agree
// with itself.
func Agree(ctx context.Context, units []AgreementUnit, topics []string, top, reps int, seed uint64) (Agreement, error) {
	var multi []AgreementUnit
	coders := map[string]bool{}
	for _, u := range units {
		seen := map[string]bool{}
		for _, c := range u.Codings {
			if seen[c.Coder] {
				return Agreement{}, fmt.Errorf("agreement: unit %s is coded twice by %s", u.ID, c.Coder)
			}
			seen[c.Coder] = true
		}
		if len(u.Codings) >= 2 {
			multi = append(multi, u)
			for _, c := range u.Codings {
				coders[c.Coder] = true
			}
		}
	}
	ag := Agreement{Units: len(multi), Reps: reps, Seed: seed}
	for c := range coders {
		ag.Coders = append(ag.Coders, c)
	}
	sort.Strings(ag.Coders)
	for _, u := range multi {
		ag.Codings += len(u.Codings)
	}
	if len(multi) == 0 {
		return ag, fmt.Errorf("agreement: no unit is labelled by two or more coders")
	}
	var err error
	boot := func(n int, stat func(idx []int) float64) Interval {
		if err != nil {
			return Interval{}
		}
		var iv Interval
		iv, err = Bootstrap(ctx, n, reps, seed, stat)
		return iv
	}

	for i, a := range ag.Coders {
		for _, b := range ag.Coders[i+1:] {
			var ca, cb []int
			for _, u := range multi {
				va, oka := codingOf(u, a)
				vb, okb := codingOf(u, b)
				if oka && okb {
					ca = append(ca, ClassOf(va.Valence))
					cb = append(cb, ClassOf(vb.Valence))
				}
			}
			if len(ca) == 0 {
				continue
			}
			p := PairAgreement{A: a, B: b, N: len(ca)}
			p.Percent = boot(len(ca), func(idx []int) float64 { return PercentAgreement(Pick(ca, idx), Pick(cb, idx)) })
			p.Kappa = boot(len(ca), func(idx []int) float64 { return CohenKappa(Pick(ca, idx), Pick(cb, idx), 3) })
			ag.Pairs = append(ag.Pairs, p)
		}
	}

	classes := make([][]float64, len(multi))
	valences := make([][]float64, len(multi))
	pairs := make([][]TopicPair, len(multi))
	for i, u := range multi {
		for j, c := range u.Codings {
			classes[i] = append(classes[i], float64(ClassOf(c.Valence)))
			valences[i] = append(valences[i], c.Valence)
			for _, d := range u.Codings[j+1:] {
				pairs[i] = append(pairs[i], TopicPair{A: c.Topics, B: d.Topics})
			}
		}
	}
	ag.AlphaNominal = boot(len(multi), func(idx []int) float64 { return KrippendorffAlpha(Pick(classes, idx), NominalDelta) })
	ag.AlphaInterval = boot(len(multi), func(idx []int) float64 { return KrippendorffAlpha(Pick(valences, idx), IntervalDelta) })
	pooled := func(idx []int, topic string) float64 {
		var ps []TopicPair
		for _, i := range idx {
			ps = append(ps, pairs[i]...)
		}
		return TopicAgreementF1(ps, topic)
	}
	for _, t := range topics {
		ta := TopicAgreement{Topic: t}
		for _, u := range multi {
			for _, c := range u.Codings {
				if slices.Contains(c.Topics, t) {
					ta.Tagged++
					break
				}
			}
		}
		ta.F1 = boot(len(multi), func(idx []int) float64 { return pooled(idx, t) })
		ag.Topics = append(ag.Topics, ta)
	}
	ag.TopicMicroF1 = boot(len(multi), func(idx []int) float64 { return pooled(idx, "") })
	ag.MostDisagreed = MostDisagreed(multi, top)
	return ag, err
}

// codingOf returns coder's coding of u.
func codingOf(u AgreementUnit, coder string) (Coding, bool) {
	for _, c := range u.Codings {
		if c.Coder == coder {
			return c, true
		}
	}
	return Coding{}, false
}

// MostDisagreed returns up to top units on which the coders disagree,
// widest first: by the range of their valences, then by how many classes
// those fall in, then by how many topics some but not all ticked (ties by
// id). Units on which every coder agrees on valence and topics are not
// listed.
func MostDisagreed(units []AgreementUnit, top int) []Disagreement {
	var out []Disagreement
	for _, u := range units {
		if len(u.Codings) < 2 {
			continue
		}
		d := Disagreement{ID: u.ID, Text: u.Text, Codings: u.Codings}
		lo, hi := math.Inf(1), math.Inf(-1)
		var cls [3]bool
		ticks := map[string]int{}
		for _, c := range u.Codings {
			lo, hi = min(lo, c.Valence), max(hi, c.Valence)
			cls[ClassOf(c.Valence)] = true
			for _, t := range c.Topics {
				ticks[t]++
			}
		}
		d.Range = hi - lo
		for _, b := range cls {
			if b {
				d.Classes++
			}
		}
		for _, n := range ticks {
			if n < len(u.Codings) {
				d.TopicsDiffer++
			}
		}
		if d.Range == 0 && d.TopicsDiffer == 0 {
			continue
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Range != b.Range {
			return a.Range > b.Range
		}
		if a.Classes != b.Classes {
			return a.Classes > b.Classes
		}
		if a.TopicsDiffer != b.TopicsDiffer {
			return a.TopicsDiffer > b.TopicsDiffer
		}
		return a.ID < b.ID
	})
	if top >= 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

// String prints the agreement report as a researcher would paste it.
func (ag Agreement) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d units labelled by two or more coders (%d labels; coders %s)\n", ag.Units, ag.Codings, strings.Join(ag.Coders, ", "))
	fmt.Fprintf(&b, "95%% intervals from %d bootstrap resamples of the units (seed %d)\n\n", ag.Reps, ag.Seed)
	fmt.Fprintf(&b, "%-24s %5s %24s %24s\n", "pair", "n", "agreement (3 classes)", "Cohen's kappa")
	for _, p := range ag.Pairs {
		fmt.Fprintf(&b, "%-24s %5d %24s %24s\n", p.A+" / "+p.B, p.N, p.Percent, p.Kappa)
	}
	fmt.Fprintf(&b, "\nKrippendorff's alpha, nominal on the three classes: %s\n", ag.AlphaNominal)
	fmt.Fprintf(&b, "Krippendorff's alpha, interval on valence:         %s\n", ag.AlphaInterval)
	fmt.Fprintf(&b, "\n%-16s %7s %24s\n", "topic", "tagged", "agreement F1")
	for _, t := range ag.Topics {
		fmt.Fprintf(&b, "%-16s %7d %24s\n", t.Topic, t.Tagged, t.F1)
	}
	fmt.Fprintf(&b, "%-16s %7s %24s\n", "all (micro)", "", ag.TopicMicroF1)
	if len(ag.MostDisagreed) > 0 {
		b.WriteString("\nmost disagreed (for adjudication):\n")
		for _, d := range ag.MostDisagreed {
			var cs []string
			for _, c := range d.Codings {
				cs = append(cs, fmt.Sprintf("%s %+d [%s]", c.Coder, int(c.Valence), strings.Join(c.Topics, " ")))
			}
			fmt.Fprintf(&b, "  %s  range %g, %d classes, %d topics differ: %s\n", d.ID, d.Range, d.Classes, d.TopicsDiffer, strings.Join(cs, "; "))
			if d.Text != "" {
				fmt.Fprintf(&b, "    %s\n", clipText(d.Text, 100))
			}
		}
	}
	return b.String()
}

// clipText shortens s to at most n runes on one line.
func clipText(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-3]) + "..."
}
