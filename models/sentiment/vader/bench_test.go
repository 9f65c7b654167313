package vader

import (
	"path/filepath"
	"strings"
	"testing"

	"chorus/internal/sharedtest"
)

// benchSentences are invented comments exercising the common paths: plain
// words, negation, boosters, caps, "but", punctuation, an emoji.
var benchSentences = []string{
	"The new rota is a complete shambles and nobody in the office is happy about it.",
	"Thanks for writing this, it is really helpful and I agree with every word.",
	"I am not convinced the reforms will work, but the staff are doing their best.",
	"Caseloads are HUGE and morale is at rock bottom!!",
	"Is anyone surprised?? The contracts were never going to deliver.",
	"Great post, well said, hear hear 👍",
	"The training was somewhat useful, though the IT system is still terrible.",
	"We were told it would be better. It isn't. It is worse, much worse.",
}

func benchmarkTexts(b *testing.B, a *Analyzer, texts []string) {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			a.PolarityScores(t)
		}
	}
}

func newDefault(tb testing.TB) *Analyzer {
	tb.Helper()
	lex, err := DefaultLexicon()
	if err != nil {
		tb.Fatal(err)
	}
	return New(lex)
}

// BenchmarkPolarityScores runs over the NYT editorial snippets (5,190 texts).
func BenchmarkPolarityScores(b *testing.B) {
	dir := sharedtest.Dir(b, "eval/vader-icwsm2014")
	var texts []string
	readLines(b, filepath.Join(dir, "nytEditorialSnippets_GroundTruth.txt"), func(line string) {
		if f := strings.SplitN(line, "\t", 3); len(f) == 3 {
			texts = append(texts, f[2])
		}
	})
	benchmarkTexts(b, newDefault(b), texts)
}

// BenchmarkPolaritySentences needs no shared data.
func BenchmarkPolaritySentences(b *testing.B) {
	benchmarkTexts(b, newDefault(b), benchSentences)
}

// BenchmarkPolarityPhrases measures the cost of a lexicon with phrases.
func BenchmarkPolarityPhrases(b *testing.B) {
	lex, err := DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	lex["well said"] = 2
	lex["hear hear"] = 2
	lex["rock bottom"] = -2.5
	lex["not fit for purpose"] = -2.5
	benchmarkTexts(b, New(lex), benchSentences)
}
