package topics

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"chorus/models/evaluate"
)

// GoldItem is one hand-labelled unit: its text and the topics annotators
// agreed on.
type GoldItem struct {
	Text   string   `json:"text"`
	Topics []string `json:"topics"`
	// PostID and SourceFile, when present, group items for
	// cross-validation and the bootstrap (see Groups).
	PostID     string `json:"post_id"`
	SourceFile string `json:"source_file"`
}

// ParseGold parses hand labels read from path (named in errors): JSON
// Lines with "text" and "topics" fields (post_id and source_file are kept
// for grouping; other fields are ignored). Blank lines are skipped; errors
// name the line. The caller reads the file (cmd/chorus, through
// internal/fsread).
func ParseGold(path string, data []byte) ([]GoldItem, error) {
	var out []GoldItem
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var raw struct {
			Text       *string   `json:"text"`
			Topics     *[]string `json:"topics"`
			PostID     string    `json:"post_id"`
			SourceFile string    `json:"source_file"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			return nil, fmt.Errorf("read gold %s: line %d: %w", path, ln, err)
		}
		if raw.Text == nil || raw.Topics == nil {
			return nil, fmt.Errorf("read gold %s: line %d: need both \"text\" and \"topics\"", path, ln)
		}
		out = append(out, GoldItem{Text: *raw.Text, Topics: *raw.Topics, PostID: raw.PostID, SourceFile: raw.SourceFile})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gold %s: %w", path, err)
	}
	return out, nil
}

// TopicScore holds the counts and scores of one topic.
type TopicScore struct {
	Topic                 string
	TP, FP, FN            int
	Support               int // gold units carrying the topic (TP+FN)
	Precision, Recall, F1 float64
}

// Report is the outcome of Evaluate.
type Report struct {
	Units   int
	Topics  []TopicScore // sorted by topic name
	MicroP  float64
	MicroR  float64
	MicroF1 float64
	// MacroF1 averages F1 over the topics that occur in the gold labels
	// (support > 0). A topic no annotator used has no recall to measure,
	// and its F1 of 0 (when it is predicted) would say more about the
	// sample than the tagger; its false positives still count in the
	// micro figures.
	MacroF1 float64
	// Intervals, when set by AddIntervals: bootstrap 95% intervals per
	// topic and for the micro and macro figures.
	Intervals *Intervals
}

// Intervals are bootstrap 95% percentile intervals of a Report's figures.
type Intervals struct {
	Reps int
	Seed uint64
	// Resampled names what was drawn with replacement: "posts" (every
	// comment of a drawn post comes along, so the intervals carry the
	// likeness of thread-mates) or "units" (comments one by one).
	Resampled      string
	Groups         int // posts, when Resampled is "posts"
	Precision      map[string][2]float64
	Recall         map[string][2]float64
	MicroF1, Macro [2]float64
	MicroP, MicroR [2]float64
}

// Topic returns the score of one topic (zero value when never seen).
func (r Report) Topic(name string) TopicScore {
	for _, t := range r.Topics {
		if t.Topic == name {
			return t
		}
	}
	return TopicScore{Topic: name}
}

// Evaluate scores predict against gold, unit by unit, treating each
// (unit, topic) pair as one binary decision.
func Evaluate(gold []GoldItem, predict func(string) []string) Report {
	counts := map[string]*TopicScore{}
	get := func(t string) *TopicScore {
		s, ok := counts[t]
		if !ok {
			s = &TopicScore{Topic: t}
			counts[t] = s
		}
		return s
	}
	for _, g := range gold {
		want := map[string]bool{}
		for _, t := range g.Topics {
			want[t] = true
		}
		got := map[string]bool{}
		for _, t := range predict(g.Text) {
			got[t] = true
		}
		for t := range want {
			if got[t] {
				get(t).TP++
			} else {
				get(t).FN++
			}
		}
		for t := range got {
			if !want[t] {
				get(t).FP++
			}
		}
	}
	r := Report{Units: len(gold)}
	var tp, fp, fn int
	for _, s := range counts {
		s.Support = s.TP + s.FN
		s.Precision, s.Recall, s.F1 = prf(s.TP, s.FP, s.FN)
		tp += s.TP
		fp += s.FP
		fn += s.FN
		r.Topics = append(r.Topics, *s)
	}
	sort.Slice(r.Topics, func(a, b int) bool { return r.Topics[a].Topic < r.Topics[b].Topic })
	r.MacroF1 = macro(r.Topics)
	r.MicroP, r.MicroR, r.MicroF1 = prf(tp, fp, fn)
	return r
}

// macro is the mean F1 of the topics with support.
func macro(ts []TopicScore) float64 {
	var sum float64
	n := 0
	for _, t := range ts {
		if t.Support > 0 {
			sum += t.F1
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// AddIntervals sets r.Intervals from reps bootstrap resamples of the units
// (seeded: the same data give the same intervals). gold and pred are the
// units Evaluate scored and its predictions for them, in order.
func (r *Report) AddIntervals(ctx context.Context, gold []GoldItem, pred [][]string, reps int, seed uint64) error {
	return r.AddGroupedIntervals(ctx, gold, pred, nil, reps, seed)
}

// MinBootstrapGroups is the fewest posts AddGroupedIntervals resamples.
// Below it a draw of posts with replacement has too few distinct outcomes
// to give an interval (with two posts, half the draws hold one post twice),
// so it resamples comments instead and says so in Intervals.Resampled;
// those intervals ignore that thread-mates are alike and are too narrow.
const MinBootstrapGroups = 10

// AddGroupedIntervals is AddIntervals drawing whole posts: groups[i] is
// unit i's post (nil: every unit on its own). Comments of one thread echo
// each other, so resampling them one by one would understate the error;
// with fewer than MinBootstrapGroups posts it falls back to units.
func (r *Report) AddGroupedIntervals(ctx context.Context, gold []GoldItem, pred [][]string, groups []string, reps int, seed uint64) error {
	if len(gold) != len(pred) {
		return fmt.Errorf("evaluate topics: %d units but %d predictions", len(gold), len(pred))
	}
	if groups != nil && len(groups) != len(gold) {
		return fmt.Errorf("evaluate topics: %d units but %d groups", len(gold), len(groups))
	}
	iv := &Intervals{Reps: reps, Seed: seed, Resampled: "units", Precision: map[string][2]float64{}, Recall: map[string][2]float64{}}
	// members[k] are the units of resampling unit k: a post, or one unit.
	var members [][]int
	if groups != nil && evaluate.CountGroups(groups) >= MinBootstrapGroups {
		at := map[string]int{}
		for i, g := range groups {
			k, ok := at[g]
			if !ok {
				k = len(members)
				at[g] = k
				members = append(members, nil)
			}
			members[k] = append(members[k], i)
		}
		iv.Resampled, iv.Groups = "posts", len(members)
	} else {
		members = make([][]int, len(gold))
		for i := range members {
			members[i] = []int{i}
		}
	}
	sub := func(idx []int) Report {
		var g []GoldItem
		var p [][]string
		for _, k := range idx {
			for _, i := range members[k] {
				g, p = append(g, gold[i]), append(p, pred[i])
			}
		}
		next := 0
		return Evaluate(g, func(string) []string { next++; return p[next-1] })
	}
	type stat struct {
		set func(lo, hi float64)
		get func(Report) float64
	}
	var stats []stat
	for _, t := range r.Topics {
		name := t.Topic
		stats = append(stats,
			stat{func(lo, hi float64) { iv.Precision[name] = [2]float64{lo, hi} }, func(x Report) float64 {
				ts := x.Topic(name)
				if ts.TP+ts.FP == 0 {
					return math.NaN()
				}
				return ts.Precision
			}},
			stat{func(lo, hi float64) { iv.Recall[name] = [2]float64{lo, hi} }, func(x Report) float64 {
				ts := x.Topic(name)
				if ts.Support == 0 {
					return math.NaN()
				}
				return ts.Recall
			}})
	}
	stats = append(stats,
		stat{func(lo, hi float64) { iv.MicroP = [2]float64{lo, hi} }, func(x Report) float64 { return x.MicroP }},
		stat{func(lo, hi float64) { iv.MicroR = [2]float64{lo, hi} }, func(x Report) float64 { return x.MicroR }},
		stat{func(lo, hi float64) { iv.MicroF1 = [2]float64{lo, hi} }, func(x Report) float64 { return x.MicroF1 }},
		stat{func(lo, hi float64) { iv.Macro = [2]float64{lo, hi} }, func(x Report) float64 { return x.MacroF1 }})
	// One resample, every statistic: each bootstrap draw evaluates once.
	samples := make([][]float64, len(stats))
	_, err := evaluate.Bootstrap(ctx, len(members), reps, seed, func(idx []int) float64 {
		if len(idx) == len(members) && isIdentity(idx) {
			return 0 // the full-sample call
		}
		x := sub(idx)
		for k, st := range stats {
			samples[k] = append(samples[k], st.get(x))
		}
		return 0
	})
	if err != nil {
		return err
	}
	for k, st := range stats {
		lo, hi := evaluate.Percentiles(samples[k])
		st.set(lo, hi)
	}
	r.Intervals = iv
	return nil
}

func isIdentity(idx []int) bool {
	for i, v := range idx {
		if v != i {
			return false
		}
	}
	return true
}

// prf returns precision, recall and F1; an empty denominator gives 0.
func prf(tp, fp, fn int) (p, r, f float64) {
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// String prints the report as a fixed-width table, with the intervals
// when AddIntervals has set them.
func (r Report) String() string {
	var b strings.Builder
	ci := func(m map[string][2]float64, k string) string {
		if r.Intervals == nil {
			return ""
		}
		v, ok := m[k]
		if !ok || math.IsNaN(v[0]) {
			return fmt.Sprintf(" %-15s", "")
		}
		return fmt.Sprintf(" [%.3f, %.3f]", v[0], v[1])
	}
	pair := func(v [2]float64) string {
		if r.Intervals == nil {
			return ""
		}
		return fmt.Sprintf(" [%.3f, %.3f]", v[0], v[1])
	}
	w := 9
	if r.Intervals != nil {
		w = 25
	}
	fmt.Fprintf(&b, "%-14s %*s %*s %6s %7s %4s %4s %4s\n", "topic", w, "precision", w, "recall", "f1", "support", "tp", "fp", "fn")
	for _, t := range r.Topics {
		var iv Intervals
		if r.Intervals != nil {
			iv = *r.Intervals
		}
		fmt.Fprintf(&b, "%-14s %*s %*s %6.3f %7d %4d %4d %4d\n", t.Topic,
			w, fmt.Sprintf("%.3f%s", t.Precision, ci(iv.Precision, t.Topic)),
			w, fmt.Sprintf("%.3f%s", t.Recall, ci(iv.Recall, t.Topic)), t.F1, t.Support, t.TP, t.FP, t.FN)
	}
	var iv Intervals
	if r.Intervals != nil {
		iv = *r.Intervals
	}
	fmt.Fprintf(&b, "micro          precision %.3f%s recall %.3f%s F1 %.3f%s\n", r.MicroP, pair(iv.MicroP), r.MicroR, pair(iv.MicroR), r.MicroF1, pair(iv.MicroF1))
	fmt.Fprintf(&b, "macro F1       %.3f%s over the %d topics with support (topics no annotator used are left out)\n", r.MacroF1, pair(iv.Macro), supported(r.Topics))
	fmt.Fprintf(&b, "units: %d", r.Units)
	if r.Intervals != nil {
		what := "units"
		if r.Intervals.Resampled == "posts" {
			what = fmt.Sprintf("the %d posts", r.Intervals.Groups)
		}
		fmt.Fprintf(&b, "; 95%% intervals from %d bootstrap resamples of %s (seed %d)", r.Intervals.Reps, what, r.Intervals.Seed)
	}
	b.WriteString("\n")
	return b.String()
}

func supported(ts []TopicScore) int {
	n := 0
	for _, t := range ts {
		if t.Support > 0 {
			n++
		}
	}
	return n
}

// Names returns the topic names of matches, for Evaluate's predict.
func Names(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Topic
	}
	return out
}
