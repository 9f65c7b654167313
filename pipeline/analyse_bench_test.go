package pipeline

import (
	"testing"

	"chorus/corpus"
	"chorus/pipeline/store"
)

// sampleTexts returns the counted comments of the bundled sample archive.
func sampleTexts(tb testing.TB) []string {
	tb.Helper()
	srcs, err := sampleSources(corpus.DefaultMaxFileSize)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, s := range srcs {
		data, rej := s.read()
		if rej != nil {
			tb.Fatal(rej)
		}
		doc, rej := corpus.Parse(s.name, data, corpus.Options{Dates: s.dates})
		if rej != nil {
			tb.Fatalf("sample file rejected: %v", rej)
		}
		for _, p := range doc.Posts {
			for _, c := range p.Comments {
				if c.Counted() {
					out = append(out, c.Text)
				}
			}
		}
	}
	return out
}

func benchAnalyse(b *testing.B, model string) {
	cfg := DefaultConfig()
	cfg.Model = model
	an, err := newAnalyser(cfg)
	if err != nil {
		b.Fatal(err)
	}
	texts := sampleTexts(b)
	var bytes int64
	for _, t := range texts {
		bytes += int64(len(t))
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			an.Analyse(store.CommentText{ID: "id", Text: t})
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkAnalyseVader times one core analysing every sample comment
// (tokens, sentences, VADER, topics).
func BenchmarkAnalyseVader(b *testing.B) { benchAnalyse(b, "vader") }

// BenchmarkAnalyseDomain is the same with the domain model (the default).
func BenchmarkAnalyseDomain(b *testing.B) { benchAnalyse(b, "domain") }
