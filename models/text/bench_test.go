package text

import (
	"testing"
)

// benchTexts is the bundled sample's comments: real-sized comments in the
// blog's register, the unit the pipeline tokenises.
func benchTexts(b *testing.B) ([]string, int64) {
	b.Helper()
	texts := sampleComments(b)
	var n int64
	for _, s := range texts {
		n += int64(len(s))
	}
	return texts, n
}

func BenchmarkTokens(b *testing.B) {
	texts, n := benchTexts(b)
	sg := newTestSegmenter(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = sg.Tokens(s)
		}
	}
}

func BenchmarkTokensProse(b *testing.B) {
	texts, n := benchTexts(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = proseTokens(s)
		}
	}
}

func BenchmarkSentences(b *testing.B) {
	texts, n := benchTexts(b)
	sg := newTestSegmenter(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = sg.Sentences(s)
		}
	}
}

// BenchmarkSentencesPunkt is the library's English tokenizer run as
// Sentences ran it before punktWords, for comparison.
func BenchmarkSentencesPunkt(b *testing.B) {
	texts, n := benchTexts(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = punktSentences(b, s)
		}
	}
}
