package pipeline

import (
	"context"
	"testing"

	"chorus/internal/analysis"
)

func benchAnalyse(b *testing.B, model string) {
	cfg := DefaultConfig()
	cfg.Model = model
	an, err := newAnalyser(cfg)
	if err != nil {
		b.Fatal(err)
	}
	// The sample archive's counted comments, redacted, as a run stores them.
	texts, err := Texts(context.Background(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var bytes int64
	for _, t := range texts {
		bytes += int64(len(t))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			an.Analyse(analysis.CommentText{ID: "id", Text: t})
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkAnalyseVader times one core analysing every sample comment
// (tokens, sentences, VADER, topics).
func BenchmarkAnalyseVader(b *testing.B) { benchAnalyse(b, "vader") }

// BenchmarkAnalyseDomain is the same with the domain model (the default).
func BenchmarkAnalyseDomain(b *testing.B) { benchAnalyse(b, "domain") }

// BenchmarkAnalyseLexicon is the same with the lexicon model, which the
// domain model reads its evidence from: the difference is what the learned
// layer costs.
func BenchmarkAnalyseLexicon(b *testing.B) { benchAnalyse(b, "lexicon") }
