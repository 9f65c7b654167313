package domain

import (
	"strings"
	"testing"
)

// benchComments are invented comments of typical shapes and lengths.
var benchComments = []string{
	"Well said Jim.",
	"Hear, hear! Thanks for posting this.",
	"The rota is a shambles and morale is at rock bottom. How can anyone work like this?",
	"Management call it an 'exciting opportunity'. The rest of us call it another round of cuts dressed up in corporate speak, and we are knackered.",
	"I have been in the service for twenty years. Since the split my caseload has doubled, the IT system crashes daily and nobody in senior management seems to care. " +
		"We are told to be 'innovative' while the tick box culture grows. Colleagues are off sick with stress, the good ones are leaving, and the agency staff are not " +
		"given the training they need. It is not fit for purpose and everyone knows it. Why isn't anyone in the MoJ listening? I used to love this job.",
	"Does anyone know when the new pay offer will be published? I heard it might be next month.",
}

func benchmarkScore(b *testing.B, texts []string) {
	m, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			m.Score(t)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/comment")
}

// BenchmarkScore measures the whole model on invented comments.
func BenchmarkScore(b *testing.B) { benchmarkScore(b, benchComments) }

// BenchmarkScoreTypographic measures it on the same comments written with
// typographic apostrophes and single quotes, ellipses and em dashes, which
// are folded to ASCII (foldScan) before they are read: what such comments
// cost over ASCII ones.
func BenchmarkScoreTypographic(b *testing.B) {
	typo := strings.NewReplacer("'", "\u2019", ". ", "\u2026 ", ", and", " \u2014 and")
	texts := make([]string, len(benchComments))
	for i, t := range benchComments {
		texts[i] = typo.Replace(t)
	}
	benchmarkScore(b, texts)
}

// BenchmarkScoreDev measures it on the real dev comments (skips without
// ../shared).
func BenchmarkScoreDev(b *testing.B) {
	items := loadDev(b)
	texts := make([]string, len(items))
	for i, d := range items {
		texts[i] = d.Text
	}
	benchmarkScore(b, texts)
}

// BenchmarkScoreParallel is the pipeline's use: many goroutines, one Model.
func BenchmarkScoreParallel(b *testing.B) {
	m, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Join(benchComments, " ")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Score(text)
		}
	})
}
