package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// BenchmarkReplaceDocument stores new documents of 20 posts x 50 comments
// (about 60 bytes of text each) into a growing store, one transaction per
// document: the cold-run write path.
func BenchmarkReplaceDocument(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	const posts, per = 20, 50
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		doc := makeDoc(fmt.Sprintf("bench/%07d.jsonl", i), posts, per, "v1")
		b.StartTimer()
		if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*posts*per)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkSaveAnalyses saves analyses in batches of 1000.
func BenchmarkSaveAnalyses(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	fillStore(b, s, 100, 20, 50, "")
	var all []analysis.Analysis
	s.PendingAnalysis(ctx, "k", func(c analysis.CommentText) error {
		all = append(all, fakeAnalysis(c))
		return nil
	})
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprint("k", i)
		for j := 0; j < len(all); j += 1000 {
			if err := s.SaveAnalyses(ctx, key, all[j:min(j+1000, len(all))]); err != nil {
				b.Fatal(err)
			}
		}
		n += len(all)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "analyses/s")
}

// BenchmarkComments streams a 100,000-comment store, every comment joined
// with its analysis: the report rebuild's read path. cpu-µs/row is the
// process CPU time per row, which a loaded machine distorts less than wall
// time.
func BenchmarkComments(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	fillStore(b, s, 100, 20, 50, "k")
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if err := s.Comments(ctx, "k", func(r CommentRow) error {
			rows++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e3/float64(rows), "cpu-µs/row")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPendingNone is the nightly check on a fully analysed
// 100,000-comment store: find that nothing is pending. Thanks to the
// analysed_upto mark it does not grow with the store (ns/op is the figure).
func BenchmarkPendingNone(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	fillStore(b, s, 100, 20, 50, "k")
	b.ResetTimer()
	for b.Loop() {
		if err := s.PendingAnalysis(ctx, "k", func(analysis.CommentText) error { return fmt.Errorf("unexpected") }); err != nil {
			b.Fatal(err)
		}
	}
}

// fillStore writes docs documents of posts x per comments and, when key is
// not "", analyses them all under key.
func fillStore(tb testing.TB, s *Store, docs, posts, per int, key string) {
	tb.Helper()
	ctx := context.Background()
	for i := range docs {
		if _, err := s.ReplaceDocument(ctx, makeDoc(fmt.Sprintf("fill/%05d.jsonl", i), posts, per, "v1"), false, nil); err != nil {
			tb.Fatal(err)
		}
	}
	if key != "" {
		analyseAll(tb, s, key)
	}
}

// BenchmarkColdStore is the store's share of a cold run of 100,000
// comments: write every document, walk the pending comments and save their
// analyses in batches of 1000 under one key. cpu-µs/comment is the process
// CPU time per comment, which a loaded machine distorts less than wall time.
func BenchmarkColdStore(b *testing.B) {
	ctx := context.Background()
	docs := make([]*corpus.Document, 100)
	for i := range docs {
		docs[i] = makeDoc(fmt.Sprintf("cold/%05d.jsonl", i), 20, 50, "v1")
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "cold.db")
		s, err := Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cpuTime()
		b.StartTimer()
		for _, d := range docs {
			if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
				b.Fatal(err)
			}
		}
		analyseAll(b, s, "k")
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-cpu0)/1e3/100000, "cpu-µs/comment")
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*100000)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkNightly is the store's share of a nightly run with one new post
// on a store of CHORUS_STORE_BENCH_COMMENTS comments (default 100,000; the
// performance issue asks about 1,000,000), all analysed: record the inputs,
// read every document's digest, store the new post, analyse what is
// pending, then list every post for the reports (whose rows come from the
// block cache, not from here). The store is built before the timer starts.
func BenchmarkNightly(b *testing.B) {
	total := 100000
	if v := os.Getenv("CHORUS_STORE_BENCH_COMMENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("CHORUS_STORE_BENCH_COMMENTS=%q: %v", v, err)
		}
		total = n
	}
	ctx := context.Background()
	s, _ := openTemp(b)
	docs := max(total/1000, 1)
	fillStore(b, s, docs, 20, 50, "k")
	var paths []string
	for i := range docs {
		paths = append(paths, fmt.Sprintf("fill/%05d.jsonl", i))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		paths = append(paths, fmt.Sprintf("nightly/%05d.jsonl", i))
		if _, err := s.MarkVanished(ctx, paths); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Documents(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ReplaceDocument(ctx, makeDoc(paths[len(paths)-1], 1, 50, "new"), false, nil); err != nil {
			b.Fatal(err)
		}
		if n := analyseAll(b, s, "k"); n != 50 {
			b.Fatalf("%d pending, want the new post's 50", n)
		}
		if _, err := s.Posts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/nightly")
}

// BenchmarkColdWriter is the single writer's work in a cold run, as the
// pipeline drives it: documents of 34 comments averaging about 470 bytes
// (the seeds' shape), stored with their analyses by ReplaceAnalysed in
// batches of 200 files or 5,000 comments. cpu-µs/comment is the process
// CPU time per comment.
func BenchmarkColdWriter(b *testing.B) {
	ctx := context.Background()
	const files, perPost = 600, 34
	docs := make([]*corpus.Document, files)
	analyses := make([][]analysis.Analysis, files)
	for i := range docs {
		d := makeDoc(fmt.Sprintf("cold/%05d.xml", i), 1, perPost, "v1")
		for j := range d.Posts[0].Comments {
			c := &d.Posts[0].Comments[j]
			c.Text = strings.Repeat(c.Text+" ", 1+(i+j)%12)
			a := fakeAnalysis(analysis.CommentText{ID: c.ID, Text: c.Text})
			a.Evidence = "dreadful(-0.61); shambles(-0.42); thanks(+0.30)"
			analyses[i] = append(analyses[i], a)
		}
		docs[i] = d
	}
	n := files * perPost
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), "cold.db"))
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cpuTime()
		b.StartTimer()
		for lo := 0; lo < files; lo += 147 { // 147 files ~ 5,000 comments
			hi := min(lo+147, files)
			if _, _, err := s.ReplaceAnalysed(ctx, docs[lo:hi], false, nil, "k", analyses[lo:hi]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-cpu0)/1e3/float64(n), "cpu-µs/comment")
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "comments/s")
}
