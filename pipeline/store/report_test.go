package store

import (
	"context"
	"reflect"
	"testing"
)

// TestPostCommentsAndCommentBySeqMatchComments checks that the per-post and
// per-seq reads give the very rows of the full walk, and that a document's
// gen changes exactly when it is stored again.
func TestPostCommentsAndCommentBySeqMatchComments(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, d := range []*struct {
		path  string
		posts int
	}{{"a.jsonl", 3}, {"b.jsonl", 2}} {
		if _, err := s.ReplaceDocument(ctx, makeDoc(d.path, d.posts, 5, "v1"), false, nil); err != nil {
			t.Fatal(err)
		}
	}
	analyseAll(t, s, "k")
	all := allComments(t, s, "k")
	if len(all) != 25 {
		t.Fatalf("%d comments, want 25", len(all))
	}
	byPost := map[string][]CommentRow{}
	for _, r := range all {
		byPost[r.PostID] = append(byPost[r.PostID], r)
	}
	for post, want := range byPost {
		var got []CommentRow
		if err := s.PostComments(ctx, "k", post, func(r CommentRow) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("PostComments(%s) = %d rows, not the %d rows of Comments", post, len(got), len(want))
		}
	}
	for _, want := range []CommentRow{all[0], all[7], all[24]} {
		got, ok, err := s.CommentBySeq(ctx, "k", want.Seq)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("CommentBySeq(%d) = %+v, %v, %v; want the row of Comments", want.Seq, got, ok, err)
		}
	}
	if _, ok, err := s.CommentBySeq(ctx, "k", 1<<40); ok || err != nil {
		t.Errorf("CommentBySeq of a missing seq: %v, %v", ok, err)
	}

	gens := func() map[string]int64 {
		posts, err := s.Posts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int64{}
		for _, p := range posts {
			m[p.Document] = p.Gen
		}
		return m
	}
	before := gens()
	if before["a.jsonl"] == 0 || before["a.jsonl"] == before["b.jsonl"] {
		t.Fatalf("gens %v: want distinct, non-zero", before)
	}
	if _, err := s.ReplaceDocument(ctx, makeDoc("b.jsonl", 2, 5, "v2"), false, nil); err != nil {
		t.Fatal(err)
	}
	after := gens()
	if after["a.jsonl"] != before["a.jsonl"] || after["b.jsonl"] == before["b.jsonl"] {
		t.Errorf("gens %v after storing b.jsonl again, were %v", after, before)
	}
}
