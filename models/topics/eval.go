package topics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// GoldItem is one hand-labelled unit: its text and the topics annotators
// agreed on.
type GoldItem struct {
	Text   string   `json:"text"`
	Topics []string `json:"topics"`
}

// ReadGold reads JSON Lines with "text" and "topics" fields (other fields
// are ignored). Blank lines are skipped; errors name the line.
func ReadGold(path string) ([]GoldItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read gold %s: %w", path, err)
	}
	defer f.Close()
	var out []GoldItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var raw struct {
			Text   *string   `json:"text"`
			Topics *[]string `json:"topics"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			return nil, fmt.Errorf("read gold %s: line %d: %w", path, ln, err)
		}
		if raw.Text == nil || raw.Topics == nil {
			return nil, fmt.Errorf("read gold %s: line %d: need both \"text\" and \"topics\"", path, ln)
		}
		out = append(out, GoldItem{Text: *raw.Text, Topics: *raw.Topics})
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
	// MacroF1 averages F1 over topics that occur in the gold labels or in
	// the predictions; a topic absent from both says nothing either way.
	MacroF1 float64
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
		r.MacroF1 += s.F1
	}
	sort.Slice(r.Topics, func(a, b int) bool { return r.Topics[a].Topic < r.Topics[b].Topic })
	if len(r.Topics) > 0 {
		r.MacroF1 /= float64(len(r.Topics))
	}
	r.MicroP, r.MicroR, r.MicroF1 = prf(tp, fp, fn)
	return r
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

// String prints the report as a fixed-width table.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %9s %6s %6s %7s %4s %4s %4s\n", "topic", "precision", "recall", "f1", "support", "tp", "fp", "fn")
	for _, t := range r.Topics {
		fmt.Fprintf(&b, "%-14s %9.3f %6.3f %6.3f %7d %4d %4d %4d\n", t.Topic, t.Precision, t.Recall, t.F1, t.Support, t.TP, t.FP, t.FN)
	}
	fmt.Fprintf(&b, "%-14s %9.3f %6.3f %6.3f\n", "micro", r.MicroP, r.MicroR, r.MicroF1)
	fmt.Fprintf(&b, "%-14s %9s %6s %6.3f\n", "macro", "", "", r.MacroF1)
	fmt.Fprintf(&b, "units: %d\n", r.Units)
	return b.String()
}

// Names returns the topic names of matches, for Evaluate's predict.
func Names(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Topic
	}
	return out
}
