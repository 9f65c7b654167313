package evaluate

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestCohenKappaTextbook is the three-category example of Fleiss, Levin and
// Paik, "Statistical Methods for Rates and Proportions" (3rd ed., 2003),
// chapter 18: two raters put 100 subjects in three diagnostic classes,
//
//	          B: 0   1   2 | total
//	A: 0        75   1   4 |  80
//	A: 1         5   4   1 |  10
//	A: 2         0   0  10 |  10
//	total       80   5  15 | 100
//
// By hand: po = (75+4+10)/100 = 0.89; pe = 0.80*0.80 + 0.10*0.05 +
// 0.10*0.15 = 0.64 + 0.005 + 0.015 = 0.66; kappa = (0.89-0.66)/(1-0.66) =
// 0.23/0.34 = 0.676470588... (the book prints 0.68).
func TestCohenKappaTextbook(t *testing.T) {
	table := [3][3]int{{75, 1, 4}, {5, 4, 1}, {0, 0, 10}}
	var a, b []int
	for i := range table {
		for j, n := range table[i] {
			for range n {
				a, b = append(a, i), append(b, j)
			}
		}
	}
	if got := PercentAgreement(a, b); !near(got, 0.89) {
		t.Errorf("percent agreement = %v, want 0.89", got)
	}
	if got, want := CohenKappa(a, b, 3), 0.23/0.34; !near(got, want) {
		t.Errorf("kappa = %v, want %v", got, want)
	}
	// kappa is symmetric in the two coders.
	if got, want := CohenKappa(b, a, 3), 0.23/0.34; !near(got, want) {
		t.Errorf("kappa(b, a) = %v, want %v", got, want)
	}
	// One class for everything: pe = 1, kappa undefined.
	if got := CohenKappa([]int{1, 1, 1}, []int{1, 1, 1}, 3); !math.IsNaN(got) {
		t.Errorf("kappa with no variation = %v, want NaN", got)
	}
	// Perfect agreement with variation is 1; systematic swap is below 0.
	if got := CohenKappa([]int{0, 1, 2, 0}, []int{0, 1, 2, 0}, 3); !near(got, 1) {
		t.Errorf("perfect kappa = %v", got)
	}
	if got := CohenKappa([]int{0, 2, 0, 2}, []int{2, 0, 2, 0}, 3); got >= 0 {
		t.Errorf("opposed kappa = %v, want < 0", got)
	}
}

// TestKrippendorffBinary is example A of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011): two observers, ten units, binary
// values, no missing data.
//
//	A: 0 1 0 0 0 0 0 0 1 0
//	B: 1 1 1 0 0 1 0 0 0 0
//
// By hand: n = 20 values, n_0 = 8+6 = 14, n_1 = 2+4 = 6; units 1, 3, 6 and
// 9 disagree, each adding 1/(2-1) to o_01 and to o_10, so o_01 = 4. Alpha
// = 1 - (n-1) * o_01 / (n_0 * n_1) = 1 - 19*4/84 = 8/84 = 0.0952... (the
// paper prints 0.095).
func TestKrippendorffBinary(t *testing.T) {
	a := []float64{0, 1, 0, 0, 0, 0, 0, 0, 1, 0}
	b := []float64{1, 1, 1, 0, 0, 1, 0, 0, 0, 0}
	var units [][]float64
	for i := range a {
		units = append(units, []float64{a[i], b[i]})
	}
	if got, want := KrippendorffAlpha(units, NominalDelta), 1-19.0*4/84; !near(got, want) {
		t.Errorf("alpha = %v, want %v", got, want)
	}
}

// TestKrippendorffMissing is example C of the same paper: four observers,
// twelve units, values 1..5, with missing judgements ("." below).
//
//	unit: 1 2 3 4 5 6 7 8 9 10 11 12
//	A:    1 2 3 3 2 1 4 1 2 .  .  .
//	B:    1 2 3 3 2 2 4 1 2 5  .  3
//	C:    . 3 3 3 2 3 4 2 2 5  1  .
//	D:    1 2 3 3 2 4 4 1 2 5  1  .
//
// Unit 12 has one value and is not pairable, leaving n = 40 values with
// margins n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3.
//
// Nominal, by hand: only units 2 (2,2,2,3), 6 (1,2,3,4) and 8 (1,1,1,2)
// disagree; their ordered unequal pairs are 6, 12 and 6, each over
// m_u - 1 = 3, so sum o_ck (c != k) = 2 + 4 + 2 = 8. Sum n_c n_k (c != k) =
// n^2 - sum n_c^2 = 1600 - (81+169+100+25+9) = 1216. Alpha = 1 - 39*8/1216 =
// 0.74342... (the paper: 0.743).
//
// Interval, by hand: unit 2 adds 6*1/3 = 2; unit 6 adds twice the squared
// differences of its six pairs, 2*(1+4+9+1+4+1)/3 = 40/3; unit 8 adds 2: in
// all 52/3. Sum n_c n_k (c-k)^2 = 2n*sum v^2 - 2*(sum v)^2 = 2*40*306 -
// 2*100^2 = 4480. Alpha = 1 - 39*(52/3)/4480 = 1 - 676/4480 = 0.84910...
// (the paper: 0.849).
func TestKrippendorffMissing(t *testing.T) {
	nan := math.NaN()
	obs := [4][12]float64{
		{1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3},
		{nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan},
	}
	units := make([][]float64, 12)
	for _, row := range obs {
		for u, v := range row {
			if !math.IsNaN(v) {
				units[u] = append(units[u], v)
			}
		}
	}
	if got, want := KrippendorffAlpha(units, NominalDelta), 1-39.0*8/1216; !near(got, want) {
		t.Errorf("nominal alpha = %v, want %v", got, want)
	}
	if got, want := KrippendorffAlpha(units, IntervalDelta), 1-676.0/4480; !near(got, want) {
		t.Errorf("interval alpha = %v, want %v", got, want)
	}
	if got := KrippendorffAlpha([][]float64{{1, 1}, {1, 1, 1}}, NominalDelta); !math.IsNaN(got) {
		t.Errorf("alpha with no variation = %v, want NaN", got)
	}
	if got := KrippendorffAlpha([][]float64{{1}, {2}}, NominalDelta); !math.IsNaN(got) {
		t.Errorf("alpha with no pairable unit = %v, want NaN", got)
	}
}

// TestTopicAgreementF1 checks the pooled F1 by hand: topic w is ticked by
// both in pair 1, by A only in pair 2, by B only in pair 3: 2*1/(2*1+2) =
// 0.5; topic p by both in pair 2: 1; micro: both = 2 (w, p), only = 2 (w
// twice) plus 1 (x ticked by A alone): 4/(4+3) = 4/7.
func TestTopicAgreementF1(t *testing.T) {
	pairs := []TopicPair{
		{A: []string{"w"}, B: []string{"w"}},
		{A: []string{"w", "p", "x"}, B: []string{"p"}},
		{A: nil, B: []string{"w"}},
	}
	for _, c := range []struct {
		topic string
		want  float64
	}{{"w", 0.5}, {"p", 1}, {"x", 0}, {"", 4.0 / 7}} {
		if got := TopicAgreementF1(pairs, c.topic); !near(got, c.want) {
			t.Errorf("F1(%q) = %v, want %v", c.topic, got, c.want)
		}
	}
	if got := TopicAgreementF1(pairs, "never"); !math.IsNaN(got) {
		t.Errorf("F1 of an unticked topic = %v, want NaN", got)
	}
}

// TestAgree runs the whole report on a small fixture whose figures are
// worked out by hand:
//
//	unit  ann  bo   cy
//	u1    -2   -1   -2     all negative
//	u2     0    0    1     neutral, neutral, positive
//	u3     1    2    .     both positive (cy missing)
//	u4    -1    0    .     negative against neutral
//	u5     2    .    .     one coder: left out
//
// ann/bo on u1..u4, classes (0,0) (1,1) (2,2) (0,1): po = 3/4; ann's
// margins 2,1,1 and bo's 1,2,1 (of 4): pe = (2*1+1*2+1*1)/16 = 5/16;
// kappa = (12/16-5/16)/(11/16) = 7/11. ann/cy on u1, u2: classes (0,0),
// (1,2): po = 1/2, pe = (1*1 + 1*0 + 0*1)/4 = 1/4, kappa = (1/4)/(3/4) =
// 1/3. bo/cy the same as ann/cy: 1/3.
//
// Nominal alpha on classes u1 {0,0,0}, u2 {1,1,2}, u3 {2,2}, u4 {0,1}: n =
// 10, margins n_0 = 4, n_1 = 3, n_2 = 3; disagreement: u2 has 4 unequal
// ordered pairs over 2 = 2, u4 has 2 over 1 = 2: 4 in all; expected sum =
// 100 - (16+9+9) = 66; alpha = 1 - 9*4/66 = 1 - 36/66 = 5/11.
//
// Interval alpha on valences u1 {-2,-1,-2}, u2 {0,0,1}, u3 {1,2}, u4
// {-1,0}: observed: u1 four ordered pairs at distance 1 over 2 = 2; u2 the
// same, 2; u3 2*1/1 = 2; u4 2: 8. Values: sum v = -5+1+3-1 = -2, sum v^2 =
// 9+1+5+1 = 16; expected sum = 2*10*16 - 2*4 = 312; alpha = 1 - 9*8/312 =
// 1 - 72/312 = 10/13.
func TestAgree(t *testing.T) {
	c := func(coder string, v float64, topics ...string) Coding {
		return Coding{Coder: coder, Valence: v, Topics: topics}
	}
	units := []AgreementUnit{
		{ID: "u1", Codings: []Coding{c("ann", -2, "pay"), c("bo", -1, "pay"), c("cy", -2, "pay")}},
		{ID: "u2", Codings: []Coding{c("ann", 0), c("bo", 0), c("cy", 1, "it")}},
		{ID: "u3", Codings: []Coding{c("ann", 1), c("bo", 2)}},
		{ID: "u4", Codings: []Coding{c("ann", -1, "it"), c("bo", 0, "it")}},
		{ID: "u5", Codings: []Coding{c("ann", 2)}},
	}
	ag, err := Agree(context.Background(), units, []string{"pay", "it", "courts"}, 10, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ag.Units != 4 || ag.Codings != 10 || strings.Join(ag.Coders, ",") != "ann,bo,cy" {
		t.Errorf("units %d, codings %d, coders %v", ag.Units, ag.Codings, ag.Coders)
	}
	want := map[string][3]float64{ // n, percent, kappa
		"ann/bo": {4, 0.75, 7.0 / 11},
		"ann/cy": {2, 0.5, 1.0 / 3},
		"bo/cy":  {2, 0.5, 1.0 / 3},
	}
	if len(ag.Pairs) != 3 {
		t.Fatalf("pairs: %+v", ag.Pairs)
	}
	for _, p := range ag.Pairs {
		w := want[p.A+"/"+p.B]
		if float64(p.N) != w[0] || !near(p.Percent.Value, w[1]) || !near(p.Kappa.Value, w[2]) {
			t.Errorf("pair %s/%s: n %d, percent %v, kappa %v; want %v", p.A, p.B, p.N, p.Percent.Value, p.Kappa.Value, w)
		}
		if p.Kappa.Low > p.Kappa.Value || p.Kappa.High < p.Kappa.Value {
			t.Errorf("pair %s/%s: interval %v does not hold the figure", p.A, p.B, p.Kappa)
		}
	}
	if !near(ag.AlphaNominal.Value, 5.0/11) {
		t.Errorf("nominal alpha = %v, want 5/11", ag.AlphaNominal.Value)
	}
	if !near(ag.AlphaInterval.Value, 10.0/13) {
		t.Errorf("interval alpha = %v, want 10/13", ag.AlphaInterval.Value)
	}
	// Topics, pooled over the pairs of each unit: pay ticked by all three
	// on u1 (3 pairs, all both) -> 1; it: u2 pairs (ann,cy) and (bo,cy)
	// cy only (2 only), u4 (ann,bo) both -> 2/(2+2) = 0.5; courts NaN.
	if ag.Topics[0].Topic != "pay" || !near(ag.Topics[0].F1.Value, 1) || ag.Topics[0].Tagged != 1 {
		t.Errorf("pay: %+v", ag.Topics[0])
	}
	if !near(ag.Topics[1].F1.Value, 0.5) || ag.Topics[1].Tagged != 2 {
		t.Errorf("it: %+v", ag.Topics[1])
	}
	if !math.IsNaN(ag.Topics[2].F1.Value) {
		t.Errorf("courts: %+v", ag.Topics[2])
	}
	// Disagreements: every unit has a valence range of 1; u2 and u4 span
	// two classes, u1 and u3 one; of u2 and u4 only u2 has a topic some
	// coders ticked and others did not (it); u1 and u3 tie, so by id.
	var ids []string
	for _, d := range ag.MostDisagreed {
		ids = append(ids, d.ID)
	}
	if got := strings.Join(ids, ","); got != "u2,u4,u1,u3" {
		t.Errorf("most disagreed = %s, want u2,u4,u1,u3", got)
	}
	if s := ag.String(); !strings.Contains(s, "ann / bo") || !strings.Contains(s, "interval on valence") {
		t.Errorf("report text:\n%s", s)
	}

	// A coder twice on one unit is an error, not a perfect agreement.
	bad := []AgreementUnit{{ID: "x", Codings: []Coding{c("ann", 1), c("ann", 1)}}}
	if _, err := Agree(context.Background(), bad, nil, 1, 10, 1); err == nil {
		t.Error("a unit coded twice by one coder was accepted")
	}
	if _, err := Agree(context.Background(), units[4:], nil, 1, 10, 1); err == nil {
		t.Error("no unit with two coders was accepted")
	}
}
