package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chorus/corpus/synth"
	"chorus/internal/sharedtest"
)

func TestGenPrintsShapeBesideSeeds(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := chorus(t, "gen", "-n", "500", "--seed", "3", "--out", filepath.Join(dir, "real"))
	if code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	seeds := fmt.Sprintf("  %-26s %6.0f %7d %6d %6d", "real seeds", synth.SeedShape.Length.Mean,
		synth.SeedShape.Length.Median, synth.SeedShape.Length.P90, synth.SeedShape.Length.P99)
	for _, want := range []string{"wrote ", "comment bytes (real shape)", "  generated ", seeds, "replies "} {
		if !strings.Contains(out, want) {
			t.Errorf("gen output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = chorus(t, "gen", "-n", "500", "--shape", "short", "--out", filepath.Join(dir, "short"))
	if code != 0 || !strings.Contains(out, "comment bytes (short shape)") {
		t.Errorf("gen --shape short: exit %d:\n%s", code, out)
	}
	if code, _, errOut := chorus(t, "gen", "-n", "5", "--shape", "long", "--out", filepath.Join(dir, "x")); code != exitUsage || !strings.Contains(errOut, "--shape") {
		t.Errorf("gen --shape long: exit %d, want %d and a message naming --shape: %s", code, exitUsage, errOut)
	}
}

// vocabulary is what the default models make of an archive's comments:
// label shares, topic shares and tokens per comment.
type vocabulary struct {
	negative, neutral, positive float64
	anyTopic                    float64
	topics                      map[string]float64
	tokens                      float64
}

// seedVocabulary is what `chorus run` (default models and taxonomy) makes
// of the 167 counted comments of the five seed dumps in shared/corpus/seeds,
// to three decimals; TestVocabularyLooksLikeSeeds re-measures it when
// ../shared is present.
var seedVocabulary = vocabulary{
	negative: 0.635, neutral: 0.210, positive: 0.156,
	anyTopic: 0.802,
	topics: map[string]float64{
		"courts": 0.126, "it": 0.054, "management": 0.204, "pay": 0.114, "politics": 0.246,
		"privatisation": 0.395, "risk": 0.084, "service_users": 0.132, "unions": 0.204,
		"wellbeing": 0.066, "workload": 0.072,
	},
	tokens: 91.6,
}

// measureVocabulary runs chorus on the inputs and reads comments.csv.
func measureVocabulary(t *testing.T, input string) vocabulary {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if code, _, errOut := chorus(t, "run", "-q", "--input", input, "--out", out); code != 0 {
		t.Fatalf("run on %s: exit %d: %s", input, code, errOut)
	}
	f, err := os.Open(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read comments.csv: %v", err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	v := vocabulary{topics: map[string]float64{}}
	n := 0.0
	for _, r := range rows[1:] {
		if r[col["duplicate_of"]] != "" {
			continue
		}
		n++
		switch r[col["label"]] {
		case "negative":
			v.negative++
		case "neutral":
			v.neutral++
		case "positive":
			v.positive++
		}
		if topics := r[col["topics"]]; topics != "" {
			v.anyTopic++
			for _, name := range strings.Split(topics, ";") {
				v.topics[name]++
			}
		}
		k, err := strconv.Atoi(r[col["n_tokens"]])
		if err != nil {
			t.Fatalf("n_tokens %q: %v", r[col["n_tokens"]], err)
		}
		v.tokens += float64(k)
	}
	if n == 0 {
		t.Fatalf("no counted comments in %s", input)
	}
	v.negative, v.neutral, v.positive, v.anyTopic, v.tokens = v.negative/n, v.neutral/n, v.positive/n, v.anyTopic/n, v.tokens/n
	for name := range v.topics {
		v.topics[name] /= n
	}
	return v
}

// TestVocabularyLooksLikeSeeds checks that the real shape's invented
// vocabulary gives the default sentiment model and topic tagger about the
// work the seeds' comments give them: the same label shares, topic shares
// and tokens per comment, within the tolerances below.
func TestVocabularyLooksLikeSeeds(t *testing.T) {
	t.Run("seed figures", func(t *testing.T) {
		fresh := measureVocabulary(t, sharedtest.Dir(t, "corpus/seeds"))
		r3 := func(x float64) float64 { return math.Round(x*1000) / 1000 }
		same := r3(fresh.negative) == seedVocabulary.negative && r3(fresh.neutral) == seedVocabulary.neutral &&
			r3(fresh.positive) == seedVocabulary.positive && r3(fresh.anyTopic) == seedVocabulary.anyTopic &&
			math.Round(fresh.tokens*10)/10 == seedVocabulary.tokens && len(fresh.topics) == len(seedVocabulary.topics)
		for name, x := range fresh.topics {
			same = same && r3(x) == seedVocabulary.topics[name]
		}
		if !same {
			t.Errorf("seedVocabulary is stale: the seeds now give %+v", fresh)
		}
	})
	dir := filepath.Join(t.TempDir(), "archive")
	n := "4000"
	if testing.Short() {
		n = "1500"
	}
	if code, _, errOut := chorus(t, "gen", "-n", n, "--seed", "2", "--bad-files=false", "--out", dir); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	got, want := measureVocabulary(t, dir), seedVocabulary
	t.Logf("generated %+v", got)
	near := func(name string, g, w, tol float64) {
		t.Helper()
		if math.Abs(g-w) > tol {
			t.Errorf("%s: generated %.3f, seeds %.3f (tolerance %.2f)", name, g, w, tol)
		}
	}
	near("negative share", got.negative, want.negative, 0.05)
	near("neutral share", got.neutral, want.neutral, 0.05)
	near("positive share", got.positive, want.positive, 0.05)
	near("share with a topic", got.anyTopic, want.anyTopic, 0.06)
	for name, w := range want.topics {
		near("topic "+name, got.topics[name], w, 0.05)
	}
	near("tokens per comment", got.tokens, want.tokens, 0.1*want.tokens)
}
