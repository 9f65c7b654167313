package topics

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// invented sentences touching several topics, some twice, some not at all.
var scoreTexts = []string{
	"My caseload is unmanageable and the WMT says I am at 130%.",
	"Napo balloted members; the union branch backs strike action.",
	"Another pay freeze. Pay, pay, pay: that is all they talk about.",
	"The new laptop system crashed again before court.",
	"Lovely weather today.",
	"",
	"Off sick with stress after the CRC contract was privatised.",
}

// TestScoresAgreeWithTag checks that a topic is tagged exactly when its
// Scores entry reaches its threshold, and with the same score.
func TestScoresAgreeWithTag(t *testing.T) {
	tg := defaultTagger(t)
	th := tg.Taxonomy().Thresholds()
	names := tg.Taxonomy().Topics()
	for _, text := range scoreTexts {
		sc := tg.Scores(text)
		if len(sc) != len(names) {
			t.Fatalf("%d scores for %d topics", len(sc), len(names))
		}
		ms := tg.Tag(text)
		var want []string
		for i, s := range sc {
			if s > 0 && Reaches(s, th[i]) {
				want = append(want, names[i].Name)
			}
		}
		if got := Names(ms); !slices.Equal(got, want) {
			t.Errorf("%q: Tag %v, Scores over threshold %v", text, got, want)
		}
		for _, m := range ms {
			i := slices.IndexFunc(names, func(x Topic) bool { return x.Name == m.Topic })
			if m.Score != round3(sc[i]) {
				t.Errorf("%q: %s Tag score %v, Scores %v", text, m.Topic, m.Score, sc[i])
			}
		}
	}
}

func TestChooseThreshold(t *testing.T) {
	for _, c := range []struct {
		name     string
		scores   []float64
		want     []bool
		taxonomy float64
		got      float64
	}{
		// Positives score 2 and 3, a negative 1: anything in (1, 2]
		// separates them; 1.25 is the grid value nearest the taxonomy's 1.
		{"nearest to taxonomy", []float64{2, 3, 1, 0}, []bool{true, true, false, false}, 1, 1.25},
		{"taxonomy wins ties", []float64{2, 3, 1, 0}, []bool{true, true, false, false}, 1.5, 1.5},
		{"no positives keeps taxonomy", []float64{2, 0.5}, []bool{false, false}, 1, 1},
		{"lower threshold for recall", []float64{0.5, 0.6, 0}, []bool{true, true, false}, 1, 0.5},
		{"positives never scored: no better than taxonomy", []float64{0, 0, 1}, []bool{true, true, false}, 1, 1},
		// Only 0.75 separates a positive at 0.9 from a negative at 0.6.
		{"only one grid value works", []float64{0.9, 0.6}, []bool{true, false}, 1, 0.75},
	} {
		if got := chooseThreshold(c.scores, c.want, c.taxonomy); got != c.got {
			t.Errorf("%s: chose %v, want %v", c.name, got, c.got)
		}
	}
}

// cvGold is an invented gold set of six posts; post "p6" alone holds the
// only "it" comments, so its fold learns nothing of "it" and must keep
// the taxonomy's threshold.
func cvGold() []GoldItem {
	var g []GoldItem
	add := func(post, text string, topics ...string) {
		g = append(g, GoldItem{Text: text, Topics: topics, PostID: post})
	}
	for i := 1; i <= 5; i++ {
		p := fmt.Sprintf("p%d", i)
		add(p, "My caseload is unmanageable.", "workload")
		add(p, "Napo balloted members on strike action.", "unions")
		add(p, "Nice to see the sun.")
		add(p, "The pay offer is poor.", "pay")
	}
	add("p6", "The laptop crashed and the IT system lost my notes.", "it")
	add("p6", "The new IT system is slow.", "it")
	return g
}

func TestCrossValidateGroupsAndLeakage(t *testing.T) {
	tg := defaultTagger(t)
	gold := cvGold()
	res, err := CrossValidate(context.Background(), tg, gold, CVOptions{MaxFolds: 3, Reps: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Folds != 3 || res.Groups != 6 || res.Grouping != "post_id" {
		t.Fatalf("folds %d groups %d grouping %q, want 3, 6, post_id", res.Folds, res.Groups, res.Grouping)
	}
	foldOf := map[string]int{}
	for i, g := range gold {
		if f, ok := foldOf[g.PostID]; ok && f != res.Fold[i] {
			t.Errorf("post %s split across folds %d and %d", g.PostID, f, res.Fold[i])
		}
		foldOf[g.PostID] = res.Fold[i]
	}
	it := slices.Index(res.Topics, "it")
	if got := res.FoldThresholds[foldOf["p6"]][it]; got != res.Taxonomy[it] {
		t.Errorf("fold of p6 chose it threshold %v with no it comment in training; want the taxonomy's %v", got, res.Taxonomy[it])
	}
	for i := range gold {
		f := res.Fold[i]
		ft, err := NewTagger(tg.tax.withWindowScale(res.FoldWindowScale[f]))
		if err != nil {
			t.Fatal(err)
		}
		want := tagWith(res.Topics, ft.Scores(gold[i].Text), res.FoldThresholds[f])
		if !slices.Equal(res.HeldPred[i], want) {
			t.Errorf("item %d: held-out %v, its fold's thresholds give %v", i, res.HeldPred[i], want)
		}
	}
	if res.Held.Units != len(gold) || res.Fixed.Units != len(gold) {
		t.Errorf("reports over %d and %d units, want %d", res.Held.Units, res.Fixed.Units, len(gold))
	}
	if iv := res.Held.Intervals; iv == nil || iv.Resampled != "units" {
		t.Errorf("6 posts (< MinBootstrapGroups) should resample units, got %+v", iv)
	}

	gold[3].PostID = ""
	if _, err := CrossValidate(context.Background(), tg, gold, CVOptions{}); err == nil || !strings.Contains(err.Error(), "item 4") {
		t.Errorf("item without post_id or source_file: err %v, want one naming item 4", err)
	}
}

// TestGroupedIntervalsResamplePosts checks that with enough posts the
// bootstrap draws whole posts: when every post's comments are all right or
// all wrong, the recall interval moves in steps of whole posts.
func TestGroupedIntervalsResamplePosts(t *testing.T) {
	var gold []GoldItem
	var pred [][]string
	var groups []string
	for p := range 12 {
		for range 5 {
			gold = append(gold, GoldItem{Text: "x", Topics: []string{"pay"}})
			if p%2 == 0 {
				pred = append(pred, []string{"pay"})
			} else {
				pred = append(pred, nil)
			}
			groups = append(groups, fmt.Sprintf("post%d", p))
		}
	}
	next := 0
	rep := Evaluate(gold, func(string) []string { next++; return pred[next-1] })
	if err := rep.AddGroupedIntervals(context.Background(), gold, pred, groups, 500, 7); err != nil {
		t.Fatal(err)
	}
	iv := rep.Intervals
	if iv.Resampled != "posts" || iv.Groups != 12 {
		t.Fatalf("resampled %q over %d groups, want posts over 12", iv.Resampled, iv.Groups)
	}
	lo, hi := iv.Recall["pay"][0], iv.Recall["pay"][1]
	if !(lo < 0.5 && hi > 0.5) || hi-lo < 0.3 {
		t.Errorf("recall interval [%.3f, %.3f]: drawing 12 posts should give a wide interval around 0.5", lo, hi)
	}
	if !strings.Contains(rep.String(), "resamples of the 12 posts") {
		t.Errorf("report does not say it resampled posts:\n%s", rep)
	}
	// The same data drawn comment by comment (60 units) is much narrower.
	unit := Evaluate(gold, func() func(string) []string { n := 0; return func(string) []string { n++; return pred[n-1] } }())
	if err := unit.AddIntervals(context.Background(), gold, pred, 500, 7); err != nil {
		t.Fatal(err)
	}
	u := unit.Intervals.Recall["pay"]
	if u[1]-u[0] >= hi-lo {
		t.Errorf("unit interval [%.3f, %.3f] not narrower than the post interval [%.3f, %.3f]", u[0], u[1], lo, hi)
	}
}

// TestWithThresholds sets thresholds in the default taxonomy and in a file
// that already has threshold lines, and checks the copy parses to the same
// topics with the new thresholds and keeps every comment line.
func TestWithThresholds(t *testing.T) {
	good, err := loadFile(filepath.Join("testdata", "good.toml"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tax := range []*Taxonomy{def, good} {
		th := tax.Thresholds()
		for i := range th {
			th[i] = ThresholdGrid()[i%len(ThresholdGrid())]
		}
		src, err := tax.WithChoices(th, 1)
		if err != nil {
			t.Fatalf("%s: %v", tax.Name(), err)
		}
		back, err := Parse("copy", src)
		if err != nil {
			t.Fatalf("%s: copy does not parse: %v", tax.Name(), err)
		}
		if !reflect.DeepEqual(back.Thresholds(), th) {
			t.Errorf("%s: read back %v, want %v", tax.Name(), back.Thresholds(), th)
		}
		var orig, kept []string
		for _, l := range strings.Split(string(tax.Source()), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "#") {
				orig = append(orig, l)
			}
		}
		for _, l := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "#") {
				kept = append(kept, l)
			}
		}
		if !slices.Equal(orig, kept) {
			t.Errorf("%s: comment lines changed", tax.Name())
		}
		// Setting the thresholds the file already has changes nothing
		// but, where a topic had no threshold line, adds one.
		same, err := tax.WithChoices(tax.Thresholds(), tax.WindowScale())
		if err != nil {
			t.Fatal(err)
		}
		if tax == good && !strings.Contains(string(same), "threshold = 1.0\n") {
			t.Errorf("good.toml: existing threshold lines not kept as written")
		}
	}
	if _, err := def.WithChoices([]float64{1}, 1); err == nil {
		t.Error("one threshold for eleven topics: no error")
	}
	bad := def.Thresholds()
	bad[0] = 0
	if _, err := def.WithChoices(bad, 1); err == nil {
		t.Error("threshold 0: no error")
	}
}

// TestWithThresholdsRefusesAmbiguousText checks that a multi-line string
// holding what looks like a threshold line is not edited into the topic.
func TestWithThresholdsRefusesAmbiguousText(t *testing.T) {
	src := "[[topic]]\nname = \"a\"\ndescription = \"\"\"\nthreshold = 2\n\"\"\"\n[topic.terms]\nword = 1.0\n"
	tax, err := Parse("ml.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tax.WithChoices([]float64{1.5}, 1); err == nil {
		t.Fatal("edited a line inside a multi-line string without noticing")
	}
}

// windowTaxonomy has one rule-governed term: "branch" counts only with a
// union word within two words either side (four at window_scale 2).
const windowTaxonomy = `[[topic]]
name = "unions"
[topic.terms]
branch = 1.0
[[topic.rule]]
match = "branch"
near = ["union"]
window = 2
`

// TestWindowScaleWidensEveryRule checks that window_scale multiplies a
// rule's window: three words away is out of reach at 1 and in reach at 2.
func TestWindowScaleWidensEveryRule(t *testing.T) {
	text := "Our branch met today with union reps."
	for _, c := range []struct {
		line string
		want bool
	}{{"", false}, {"window_scale = 1.0\n", false}, {"window_scale = 2.0\n", true}, {"window_scale = 0.25\n", false}} {
		tax, err := Parse("w.toml", []byte(c.line+windowTaxonomy))
		if err != nil {
			t.Fatal(err)
		}
		tg, err := NewTagger(tax)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(tg.Tag(text)) > 0; got != c.want {
			t.Errorf("%q: tagged %v, want %v", c.line, got, c.want)
		}
	}
	for _, bad := range []string{"window_scale = 0.1\n", "window_scale = 5.0\n", "window_scale = -1.0\n"} {
		_, err := Parse("w.toml", []byte(bad+windowTaxonomy))
		if err == nil || !strings.Contains(err.Error(), "line 1: window_scale") {
			t.Errorf("%q: err %v, want one naming line 1 and window_scale", bad, err)
		}
	}
}

// TestCrossValidateChoosesWindowScale checks that the window scale is
// chosen on the training folds: where the union word stands three words
// from "branch" in every labelled comment, the folds choose 2 and the
// held-out recall is whole; where it stands next to it, every scale ties
// and the taxonomy's own is kept.
func TestCrossValidateChoosesWindowScale(t *testing.T) {
	tax, err := Parse("w.toml", []byte(windowTaxonomy))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		t.Fatal(err)
	}
	gold := func(pos string) []GoldItem {
		var g []GoldItem
		for p := range 6 {
			id := fmt.Sprintf("p%d", p)
			g = append(g,
				GoldItem{Text: pos, Topics: []string{"unions"}, PostID: id},
				GoldItem{Text: "The branch line to the coast is closed again this winter.", PostID: id},
				GoldItem{Text: "Nothing about it here.", PostID: id})
		}
		return g
	}
	far, err := CrossValidate(context.Background(), tg, gold("Our branch met today with union reps."), CVOptions{MaxFolds: 3, Reps: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for f, s := range far.FoldWindowScale {
		if s != 2 {
			t.Errorf("far: fold %d chose window scale %g, want 2", f+1, s)
		}
	}
	if far.WindowScale != 2 {
		t.Errorf("far: chose %g on all, want 2", far.WindowScale)
	}
	if r := far.Held.Topic("unions").Recall; r != 1 {
		t.Errorf("far: held-out recall %.3f, want 1", r)
	}
	if i := slices.Index(far.WindowScales, 1); far.WindowHeld[i] >= far.Held.MicroF1 {
		t.Errorf("far: micro-F1 at scale 1 is %.3f, not below the chosen scale's %.3f", far.WindowHeld[i], far.Held.MicroF1)
	}
	near, err := CrossValidate(context.Background(), tg, gold("The union branch met again last week."), CVOptions{MaxFolds: 3, Reps: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if near.WindowScale != 1 || slices.ContainsFunc(near.FoldWindowScale, func(s float64) bool { return s != 1 }) {
		t.Errorf("near: chose %g (folds %v), want the taxonomy's 1 on a tie", near.WindowScale, near.FoldWindowScale)
	}
}

// TestWithChoicesWindowScale checks that --out writes the chosen window
// scale: a line before the first table when the file has none, the same
// line edited when it has one, and nothing added at the default of 1.
func TestWithChoicesWindowScale(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	th := def.Thresholds()
	same, err := def.WithChoices(th, 1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(same), "window_scale") {
		t.Error("scale 1 (the default) in a file without window_scale: a window_scale line was added")
	}
	wide, err := def.WithChoices(th, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("wide", wide)
	if err != nil {
		t.Fatal(err)
	}
	if back.WindowScale() != 1.5 || strings.Count(string(wide), "window_scale =") != 1 {
		t.Errorf("scale 1.5: read back %g with %d window_scale lines", back.WindowScale(), strings.Count(string(wide), "window_scale ="))
	}
	narrow, err := back.WithChoices(th, 0.75)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("narrow", narrow)
	if err != nil {
		t.Fatal(err)
	}
	if again.WindowScale() != 0.75 || strings.Count(string(narrow), "window_scale =") != 1 {
		t.Errorf("scale 0.75 over 1.5: read back %g with %d window_scale lines", again.WindowScale(), strings.Count(string(narrow), "window_scale ="))
	}
	if d := len(narrow) - len(wide); d != 1 { // "1.5" became "0.75", nothing else
		t.Errorf("editing the scale changed the file by %d bytes, want 1", d)
	}
	if _, err := def.WithChoices(th, 8); err == nil {
		t.Error("window scale 8: no error")
	}
}
