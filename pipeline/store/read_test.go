package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"chorus/corpus"
)

// columnCommentsQuery is the read Comments made before it took the post
// columns from a second cursor: every column of every row through
// commentColumns and scanComment, as PostComments still reads.
const columnCommentsQuery = commentColumns + `
		FROM posts p INDEXED BY posts_order
		JOIN documents d ON d.path = p.document
		JOIN comments c INDEXED BY comments_post ON c.post_id = p.id
		LEFT JOIN analyses a ON a.comment_seq = c.seq AND a.analysis_key = ?
		WHERE d.status = 'ok'
		ORDER BY p.date, p.source_file, p.id, c.position`

// columnComments is Comments as it was: the reference the lean read is
// held to.
func columnComments(ctx context.Context, s *Store, key string, fn func(CommentRow) error) error {
	rows, err := s.db.QueryContext(ctx, columnCommentsQuery, key)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sc valueScanner
	for rows.Next() {
		r, err := scanComment(&sc, rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// mixedStore fills a store with what Comments must get right: undated and
// dated posts from several date sources, posts without comments, deleted,
// spam and duplicate comments (never analysed), kept originals (one of
// them empty), a vanished and a rejected document, and analyses under "k"
// only.
func mixedStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, _ := openTemp(t)
	redact := func(x string) string { return strings.ReplaceAll(x, "caseload", "[redacted]") }
	for i, path := range []string{"a.jsonl", "b.jsonl", "c.jsonl", "gone.jsonl", "bad.jsonl"} {
		doc := makeDoc(path, 4, 6, "v1")
		for pi := range doc.Posts {
			p := &doc.Posts[pi]
			switch (i + pi) % 4 {
			case 0:
				p.Date, p.DateSource = "", corpus.DateNone
			case 1:
				p.DateSource = corpus.DateFromFeed
			case 2:
				p.Comments = nil // a post without comments
			}
			for ci := range p.Comments {
				c := &p.Comments[ci]
				switch (i + pi + ci) % 7 {
				case 1:
					c.Status = corpus.StatusDeleted
				case 2:
					c.Status = corpus.StatusSpam
				case 3:
					if ci > 0 {
						c.DuplicateOf = p.Comments[0].ID
					}
				case 4:
					c.Text = "my caseload, again"
				case 5:
					c.Text = ""
				}
			}
		}
		if _, err := s.ReplaceDocument(ctx, doc, i%2 == 0, redact); err != nil {
			t.Fatal(err)
		}
	}
	analyseAll(t, s, "k")
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "b.jsonl", "c.jsonl", "bad.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RejectDocument(ctx, corpus.Reject{Path: "bad.jsonl", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCommentsMatchColumnRead holds the lean Comments to the rows of the
// read that took every column from one query, under an analysed key and a
// fresh one.
func TestCommentsMatchColumnRead(t *testing.T) {
	ctx := context.Background()
	s := mixedStore(t)
	for _, key := range []string{"k", "fresh"} {
		var want []CommentRow
		if err := columnComments(ctx, s, key, func(r CommentRow) error { want = append(want, r); return nil }); err != nil {
			t.Fatal(err)
		}
		got := allComments(t, s, key)
		if len(got) != len(want) {
			t.Fatalf("key %s: %d rows, want %d", key, len(got), len(want))
		}
		seen := map[string]bool{}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("key %s, row %d:\n got %+v\nwant %+v", key, i, got[i], want[i])
			}
			w := want[i]
			seen[fmt.Sprint("analysed ", w.Analysed)] = true
			seen[fmt.Sprint("raw ", w.HasRaw, " ", w.RawText == "")] = true
			seen[fmt.Sprint("status ", w.Status)] = true
			seen[fmt.Sprint("dated ", w.PostDate != "", " ", w.DateSource)] = true
			seen[fmt.Sprint("duplicate ", w.DuplicateOf != "")] = true
			seen[fmt.Sprint("file ", w.SourceFile)] = true
		}
		for _, must := range []string{"raw true true", "raw true false", "raw false true", "status deleted", "status spam",
			"duplicate true", "dated false none", "dated true feed", "dated true jsonl", "file a.jsonl", "file c.jsonl"} {
			if !seen[must] {
				t.Errorf("key %s: no row with %s; the store does not test what it should", key, must)
			}
		}
		for _, never := range []string{"file gone.jsonl", "file bad.jsonl"} {
			if seen[never] {
				t.Errorf("key %s: a row with %s", key, never)
			}
		}
		if key == "k" && (!seen["analysed true"] || !seen["analysed false"]) {
			t.Errorf("key k: analysed rows %v, unanalysed %v; want both", seen["analysed true"], seen["analysed false"])
		}
		if key == "fresh" && seen["analysed true"] {
			t.Errorf("key fresh: analysed rows")
		}
	}
}

// TestCommentsStopsOnError checks that an error from fn ends the walk and
// comes back, and that the connection goes back to the pool usable.
func TestCommentsStopsOnError(t *testing.T) {
	ctx := context.Background()
	s := mixedStore(t)
	stop := fmt.Errorf("stop")
	n := 0
	if err := s.Comments(ctx, "k", func(CommentRow) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("Comments = %v after %d rows, want the error of fn after one", err, n)
	}
	for range maxConns + 1 {
		if len(allComments(t, s, "k")) == 0 {
			t.Fatal("no rows")
		}
	}
}
