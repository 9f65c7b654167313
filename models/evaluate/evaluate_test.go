package evaluate

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Worked by hand:
// gold: neg neg neg neu pos pos
// pred: neg neg neu neu neu pos
// negative: tp 2 fp 0 fn 1 -> P 1, R 2/3, F1 0.8
// neutral:  tp 1 fp 2 fn 0 -> P 1/3, R 1, F1 0.5
// positive: tp 1 fp 0 fn 1 -> P 1, R 0.5, F1 2/3
var (
	gold = []string{"negative", "negative", "negative", "neutral", "positive", "positive"}
	pred = []string{"negative", "negative", "neutral", "neutral", "neutral", "positive"}
)

func TestPerClassAndMacro(t *testing.T) {
	pc := PerClass(gold, pred, Classes())
	want := []ClassF1{
		{"negative", 1, 2.0 / 3, 0.8, 3},
		{"neutral", 1.0 / 3, 1, 0.5, 1},
		{"positive", 1, 0.5, 2.0 / 3, 2},
	}
	for i, w := range want {
		g := pc[i]
		if g.Class != w.Class || !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) || g.Support != w.Support {
			t.Errorf("class %d = %+v, want %+v", i, g, w)
		}
	}
	if m := MacroF1(gold, pred, Classes()); !near(m, (0.8+0.5+2.0/3)/3) {
		t.Errorf("MacroF1 = %v", m)
	}
	if a := Accuracy(gold, pred); !near(a, 4.0/6) {
		t.Errorf("Accuracy = %v", a)
	}
	c := NewConfusion(gold, pred, Classes())
	if c.Counts[0][1] != 1 || c.Counts[2][1] != 1 || c.Counts[0][0] != 2 {
		t.Errorf("confusion = %v", c.Counts)
	}
}

func TestNeverPredictedClass(t *testing.T) {
	pc := PerClass([]string{"positive"}, []string{"negative"}, Classes())
	for _, c := range pc {
		if c.F1 != 0 || math.IsNaN(c.Precision) {
			t.Errorf("%+v: want zeros, not NaN", c)
		}
	}
}

func TestCorrelations(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{2, 4, 6, 8, 10}
	if r := Pearson(x, y); !near(r, 1) {
		t.Errorf("Pearson = %v", r)
	}
	// Monotone but not linear: Spearman 1, Pearson below 1.
	z := []float64{1, 8, 27, 64, 125}
	if r := Spearman(x, z); !near(r, 1) {
		t.Errorf("Spearman = %v", r)
	}
	if r := Pearson(x, z); r >= 0.99 {
		t.Errorf("Pearson of cubes = %v", r)
	}
	// Ties share their mean rank.
	if got := Ranks([]float64{10, 20, 20, 30}); got[1] != 2.5 || got[2] != 2.5 || got[3] != 4 {
		t.Errorf("Ranks = %v", got)
	}
	// Hand computation: x = 1,2,3; y = 1,3,2 -> ranks same; rho = 0.5.
	if r := Spearman([]float64{1, 2, 3}, []float64{1, 3, 2}); !near(r, 0.5) {
		t.Errorf("Spearman = %v, want 0.5", r)
	}
	if r := Pearson([]float64{1, 1}, []float64{1, 2}); !math.IsNaN(r) {
		t.Errorf("Pearson with no variance = %v, want NaN", r)
	}
}

func TestBootstrap(t *testing.T) {
	data := make([]float64, 200)
	for i := range data {
		data[i] = float64(i % 10)
	}
	mean := func(idx []int) float64 {
		s := 0.0
		for _, i := range idx {
			s += data[i]
		}
		return s / float64(len(idx))
	}
	iv, err := Bootstrap(context.Background(), len(data), 2000, 1, mean)
	if err != nil {
		t.Fatal(err)
	}
	// Mean 4.5, sd 2.87: the standard error is 0.203, so the 95% interval
	// is about 4.5 +- 0.40.
	if !near(iv.Value, 4.5) || iv.Low > 4.2 || iv.Low < 4.0 || iv.High < 4.8 || iv.High > 5.0 {
		t.Errorf("interval = %v", iv)
	}
	again, _ := Bootstrap(context.Background(), len(data), 2000, 1, mean)
	if again != iv {
		t.Errorf("same seed gave %v then %v", iv, again)
	}
}

func TestSentimentReport(t *testing.T) {
	val := []float64{-2, -1, -1, 0, 1, 2}
	score := []float64{-0.9, -0.5, -0.1, 0, 0.2, 0.8}
	r, err := Sentiment(context.Background(), gold, pred, val, score)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.MacroF1.Value, MacroF1(gold, pred, Classes())) || r.N != 6 {
		t.Errorf("report = %+v", r)
	}
	if !strings.Contains(r.String(), "macro-F1") || !strings.Contains(r.String(), "gold\\pred") {
		t.Errorf("String() = %s", r)
	}
	// The baseline: always the most common gold label.
	wantClass := MajorityClass(gold)
	wantAcc := 0.0
	for _, g := range gold {
		if g == wantClass {
			wantAcc++
		}
	}
	wantAcc /= float64(len(gold))
	if r.MajorityClass != wantClass || !near(r.Majority.Value, wantAcc) || !strings.Contains(r.String(), "majority   ") {
		t.Errorf("majority baseline %q %v, want %q %v; report:\n%s", r.MajorityClass, r.Majority, wantClass, wantAcc, r)
	}
	if _, err := Sentiment(context.Background(), gold, pred[:2], val, score); err == nil {
		t.Error("mismatched lengths accepted")
	}
}

func TestMajorityClass(t *testing.T) {
	for _, c := range []struct {
		gold []string
		want string
	}{
		{[]string{"neutral", "negative", "negative"}, "negative"},
		{[]string{"positive", "neutral"}, "neutral"}, // a tie goes to the first in Classes order
		{[]string{"positive", "sarcastic", "sarcastic"}, "positive"},
		{nil, ""},
	} {
		if got := MajorityClass(c.gold); got != c.want {
			t.Errorf("MajorityClass(%q) = %q, want %q", c.gold, got, c.want)
		}
	}
}

// PostGroups: post_id when every item has one, else every item by its
// source_file; an item with neither is an error naming both items.
func TestPostGroups(t *testing.T) {
	for _, c := range []struct {
		post, file []string
		want       []string
		field, err string
	}{
		{[]string{"p1", "p2"}, []string{"a", ""}, []string{"p1", "p2"}, "post_id", ""},
		{[]string{"p1", ""}, []string{"a", "b"}, []string{"a", "b"}, "source_file", ""},
		{[]string{"p1", ""}, []string{"", "b"}, nil, "", "item 2 has no post_id, and item 1 no source_file"},
	} {
		got, field, err := PostGroups(len(c.post), func(i int) string { return c.post[i] }, func(i int) string { return c.file[i] })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("PostGroups(%q, %q): err %v, want %q", c.post, c.file, err, c.err)
			}
			continue
		}
		if err != nil || field != c.field || !slices.Equal(got, c.want) {
			t.Errorf("PostGroups(%q, %q) = %q, %q, %v; want %q, %q", c.post, c.file, got, field, err, c.want, c.field)
		}
	}
}
