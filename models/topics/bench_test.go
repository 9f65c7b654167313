package topics

import (
	"strings"
	"testing"
)

// benchText is an invented comment of typical length and vocabulary.
const benchText = `Since the split my caseload has gone through the roof and the CRC owners
only care about profit. Napo reps say the ballot on strike action closes Friday. nDelius
crashed again this morning so the PSR for court was late, and the SPO just talks about
targets. Staff morale is on the floor, people are off sick with stress, and it is the
service users who suffer: no time for proper supervision or risk assessment any more.`

func BenchmarkTag(b *testing.B) {
	tax, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(benchText+"\n", 1)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(tg.Tag(text)) == 0 {
			b.Fatal("no topics")
		}
	}
}

func BenchmarkTagParallel(b *testing.B) {
	tax, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tg.Tag(benchText)
		}
	})
}
