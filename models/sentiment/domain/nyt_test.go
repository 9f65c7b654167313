package domain

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chorus/internal/sharedtest"
	"chorus/models/evaluate"
	"chorus/models/sentiment/vader"
)

// loadICWSM reads an ICWSM ground-truth file: id<TAB>mean<TAB>text.
func loadICWSM(t testing.TB, name string) (texts []string, gold []float64) {
	t.Helper()
	dir := sharedtest.Dir(t, "eval/vader-icwsm2014")
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.SplitN(strings.TrimRight(sc.Text(), "\r\n"), "\t", 3)
		if len(fields) != 3 {
			continue
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		texts = append(texts, fields[2])
		gold = append(gold, v)
	}
	return texts, gold
}

// TestNYTGeneralEnglish checks the overlay and rules do not break general
// English: Pearson r on the NYT editorial snippets stays within 0.03 of
// plain VADER's.
func TestNYTGeneralEnglish(t *testing.T) {
	texts, gold := loadICWSM(t, "nytEditorialSnippets_GroundTruth.txt")
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	lex, err := vader.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	an := vader.New(lex)
	dom := make([]float64, len(texts))
	base := make([]float64, len(texts))
	for i, s := range texts {
		dom[i] = m.Score(s).Compound
		base[i] = an.PolarityScores(s).Compound
	}
	rd, rv := evaluate.Pearson(dom, gold), evaluate.Pearson(base, gold)
	diff, err := evaluate.Bootstrap(context.Background(), len(texts), 1000, 1, func(idx []int) float64 {
		g := evaluate.Pick(gold, idx)
		return evaluate.Pearson(evaluate.Pick(dom, idx), g) - evaluate.Pearson(evaluate.Pick(base, idx), g)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NYT editorial snippets (n=%d): Pearson r domain %.3f, vader %.3f; difference %v", len(texts), rd, rv, diff)
	if rv < 0.49 || rv > 0.52 {
		t.Errorf("vader r = %.3f, want about 0.503 (the reference figure)", rv)
	}
	if rd < rv-0.03 {
		t.Errorf("domain r = %.3f, more than 0.03 below vader's %.3f", rd, rv)
	}
}

// TestOtherICWSMSets logs the domain model on the other three general
// English sets, and checks it stays within 0.05 of VADER's Pearson r there
// (the overlay is not meant for tweets or reviews, but must not wreck them).
func TestOtherICWSMSets(t *testing.T) {
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	an := plainVADER(t)
	for _, name := range []string{"tweets", "movieReviewSnippets", "amazonReviewSnippets"} {
		texts, gold := loadICWSM(t, name+"_GroundTruth.txt")
		dom := make([]float64, len(texts))
		base := make([]float64, len(texts))
		for i, s := range texts {
			dom[i] = m.Score(s).Compound
			base[i] = an.PolarityScores(s).Compound
		}
		rd, rv := evaluate.Pearson(dom, gold), evaluate.Pearson(base, gold)
		t.Logf("%s (n=%d): Pearson r domain %.3f, vader %.3f", name, len(texts), rd, rv)
		if rd < rv-0.05 {
			t.Errorf("%s: domain r %.3f more than 0.05 below vader's %.3f", name, rd, rv)
		}
	}
}
