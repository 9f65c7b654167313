package store

import (
	"context"
	"testing"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// TestRestoredChangedFileOffersKeptComments: a file that vanishes while a
// new analysis key is first used, and comes back edited, is read again
// before MarkVanished runs (a run stores the files it reads, then marks the
// rest). The comments the edit left alone keep their rows, and so lack an
// analysis under the new key; they must still be offered for analysis, not
// left below a mark the walk raised past them while the file was away.
func TestRestoredChangedFileOffersKeptComments(t *testing.T) {
	ctx := context.Background()
	same := func(s string) string { return s }
	s, _ := openTemp(t)
	a, b := makeDoc("a.jsonl", 1, 2, "v1"), makeDoc("b.jsonl", 1, 3, "v1")
	if _, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{a, b}, false, nil, "old",
		[][]analysis.Analysis{analysesOf(a, same), analysesOf(b, same)}); err != nil {
		t.Fatal(err)
	}
	// b goes away; a run under a new key analyses what is left.
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if n := analyseAll(t, s, "new"); n != 2 {
		t.Fatalf("analysed %d under the new key with b vanished, want a's 2", n)
	}
	// The next night's count finds nothing and raises the mark to the top.
	if n, err := s.CountPending(ctx, "new"); err != nil || n != 0 {
		t.Fatalf("CountPending with b vanished: %d, %v; want 0", n, err)
	}
	// b comes back with its first comment edited: the run reads and
	// stores it (with the new key's analyses of every comment, as the
	// read workers compute them), then marks what is present.
	b2 := makeDoc("b.jsonl", 1, 3, "v1")
	b2.SHA256 = "edited"
	b2.Posts[0].Comments[0].Text = "an edited comment"
	if _, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{b2}, false, nil, "new",
		[][]analysis.Analysis{analysesOf(b2, same)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "b.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountPending(ctx, "new"); err != nil || n != 2 {
		t.Errorf("CountPending after b came back edited: %d, %v; want b's 2 unedited comments", n, err)
	}
	analyseAll(t, s, "new")
	checkAnalysed(t, s, "new")
}
