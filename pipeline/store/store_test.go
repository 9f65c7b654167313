package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"chorus/corpus"
	"chorus/internal/analysis"
)

func TestSchemaVersionIsMigrationCount(t *testing.T) {
	if SchemaVersion != len(migrations) {
		t.Fatalf("SchemaVersion = %d but there are %d migrations", SchemaVersion, len(migrations))
	}
}

func TestOpenEmptyAppliesEverything(t *testing.T) {
	s, _ := openTemp(t)
	if got := count(t, s, "PRAGMA user_version"); got != SchemaVersion {
		t.Errorf("user_version = %d, want %d", got, SchemaVersion)
	}
	if got := count(t, s, "PRAGMA foreign_keys"); got != 1 {
		t.Errorf("foreign_keys = %d, want 1", got)
	}
	if got := count(t, s, "PRAGMA busy_timeout"); got < 1000 {
		t.Errorf("busy_timeout = %d, want at least a second", got)
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	for _, table := range []string{"documents", "posts", "comments", "analyses", "runs"} {
		if count(t, s, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table) != 1 {
			t.Errorf("table %s missing", table)
		}
	}
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestOpenMigratesOldVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// Write a version-1 file the way a chorus of that version would have.
	db := writeAtVersion(t, path, 1,
		`INSERT INTO documents (path, sha256, status, first_seen, last_seen) VALUES ('a.txt', 'abc', 'ok', 't', 't')`,
		`INSERT INTO posts (id, document, ord, source_file) VALUES ('p1', 'a.txt', 0, 'a.txt')`,
		`INSERT INTO comments (id, post_id, position, text) VALUES ('c1', 'p1', 0, 'kept across the migration')`)
	var v int
	db.QueryRow("PRAGMA user_version").Scan(&v)
	db.Close()
	if v != 1 {
		t.Fatalf("setup: user_version = %d, want 1", v)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := count(t, s, "PRAGMA user_version"); got != SchemaVersion {
		t.Errorf("after Open user_version = %d, want %d", got, SchemaVersion)
	}
	if count(t, s, "SELECT count(*) FROM sqlite_schema WHERE name = 'runs'") != 1 {
		t.Error("migration 2 (runs) not applied")
	}
	if count(t, s, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'comments_counted'") != 1 {
		t.Error("migration 3 (indexes) not applied")
	}
	rows := allComments(t, s, "k")
	if len(rows) != 1 || rows[0].Text != "kept across the migration" {
		t.Errorf("data written at version 1 not readable after migration: %+v", rows)
	}
	if _, err := s.BeginRun(ctx); err != nil {
		t.Errorf("runs unusable after migration: %v", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a version-99 file: err = %v, want a 'newer' error", err)
	}
}

func TestOpenMissingFolderFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-folder", "chorus.db")
	if _, err := Open(context.Background(), path); err == nil {
		t.Fatal("Open in a missing folder succeeded")
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("Open created the folder: %v", err)
	}
}

func TestOpenPathWithURISyntax(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a?b#c%20d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "x.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
}

func TestReplaceDocumentNewSameEdited(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := makeDoc("a.jsonl", 3, 10, "v1")

	ch, err := s.ReplaceDocument(ctx, doc, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Changes{Added: 30}); ch != want {
		t.Errorf("new document: %+v, want %+v", ch, want)
	}
	sha, status, ok, err := s.DocumentSHA(ctx, "a.jsonl")
	if err != nil || !ok || sha != doc.SHA256 || status != StatusOK {
		t.Errorf("DocumentSHA = %q %q %v %v", sha, status, ok, err)
	}
	if _, _, ok, _ := s.DocumentSHA(ctx, "never.jsonl"); ok {
		t.Error("DocumentSHA found a document never stored")
	}
	if n := analyseAll(t, s, "k1"); n != 30 {
		t.Fatalf("analysed %d, want 30", n)
	}

	// The same document again: nothing changes, analyses stay.
	ch, err = s.ReplaceDocument(ctx, doc, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Changes{Unchanged: 30}); ch != want {
		t.Errorf("same document: %+v, want %+v", ch, want)
	}
	if ids := pendingIDs(t, s, "k1"); len(ids) != 0 {
		t.Errorf("same document: %d comments pending again", len(ids))
	}

	// An edited version: post 2 gone, post 0 has one comment rewritten and
	// one more comment, post 1 marks a duplicate, and a new post 3.
	ed := makeDoc("a.jsonl", 4, 10, "v1")
	ed.SHA256 = "edited"
	ed.Posts = append(ed.Posts[:2], ed.Posts[3])
	p0 := &ed.Posts[0]
	p0.Comments[5].Text = "rewritten by its author"
	p0.Comments = append(p0.Comments, corpus.Comment{
		ID: corpus.CommentID(p0.ID, 10), PostID: p0.ID, Position: 10, Text: "a late reply", Status: corpus.StatusPublished,
	})
	ed.Posts[1].Comments[3].DuplicateOf = ed.Posts[1].Comments[2].ID
	ed.Posts[1].Comments[3].Text = ed.Posts[1].Comments[2].Text

	ch, err = s.ReplaceDocument(ctx, ed, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Post 1 comment 3's text changed too (to its duplicate's), so it counts
	// as updated.
	if want := (Changes{Added: 11, Updated: 2, Unchanged: 18, Removed: 10}); ch != want {
		t.Errorf("edited document: %+v, want %+v", ch, want)
	}
	posts, err := s.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	want := []string{ed.Posts[0].ID, ed.Posts[1].ID, ed.Posts[2].ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("posts after edit = %v, want %v", ids, want)
	}
	if n := count(t, s, "SELECT count(*) FROM comments"); n != 31 {
		t.Errorf("%d comments stored after edit, want 31", n)
	}
	if sha, _, _, _ := s.DocumentSHA(ctx, "a.jsonl"); sha != "edited" {
		t.Errorf("sha after edit = %q", sha)
	}
	// Pending: the rewritten comment, the late reply and the new post's ten;
	// the new duplicate is not counted, and unchanged comments keep theirs.
	pend := pendingIDs(t, s, "k1")
	wantPend := []string{p0.Comments[5].ID, p0.Comments[10].ID}
	for _, c := range ed.Posts[2].Comments {
		wantPend = append(wantPend, c.ID)
	}
	slices.Sort(pend)
	slices.Sort(wantPend)
	if !slices.Equal(pend, wantPend) {
		t.Errorf("pending after edit: %d ids, want %d\n got %v\nwant %v", len(pend), len(wantPend), pend, wantPend)
	}
	// Removed comments took their analyses with them.
	if n := count(t, s, "SELECT count(*) FROM analyses WHERE comment_seq NOT IN (SELECT seq FROM comments)"); n != 0 {
		t.Errorf("%d orphan analyses", n)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestReplaceDocumentRedactsAndKeepsRawOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	redact := func(x string) string { return strings.ReplaceAll(x, "someone@example.org", "[email]") }
	doc := makeDoc("r.txt", 1, 2, "v1")
	doc.Posts[0].Comments[0].Text = "write to someone@example.org please"
	doc.Posts[0].Comments[1].Author = "someone@example.org"
	doc.Posts[0].Body = []string{"contact someone@example.org"}

	if _, err := s.ReplaceDocument(ctx, doc, false, redact); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM comments WHERE text LIKE '%@%' OR author LIKE '%@%' OR raw_text IS NOT NULL`); n != 0 {
		t.Errorf("without keepRaw, %d comment rows hold the address", n)
	}
	if n := count(t, s, `SELECT count(*) FROM posts WHERE body LIKE '%@%' OR title LIKE '%@%'`); n != 0 {
		t.Errorf("post body holds the address")
	}
	rows := allComments(t, s, "k")
	if rows[0].Text != "write to [email] please" || rows[0].HasRaw {
		t.Errorf("stored comment = %q (raw kept %v)", rows[0].Text, rows[0].HasRaw)
	}

	if _, err := s.ReplaceDocument(ctx, doc, true, redact); err != nil {
		t.Fatal(err)
	}
	rows = allComments(t, s, "k")
	if !rows[0].HasRaw || rows[0].RawText != "write to someone@example.org please" || rows[0].Text != "write to [email] please" {
		t.Errorf("with keepRaw: text %q raw %q (%v)", rows[0].Text, rows[0].RawText, rows[0].HasRaw)
	}
	n, err := s.ClearRawText(ctx)
	if err != nil || n != 2 {
		t.Errorf("ClearRawText = %d, %v; want 2", n, err)
	}
	if n := count(t, s, `SELECT count(*) FROM comments WHERE raw_text IS NOT NULL`); n != 0 {
		t.Errorf("%d raw texts left after ClearRawText", n)
	}
}

func TestReplaceDocumentCollidingIDFailsWholeDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.ReplaceDocument(ctx, makeDoc("a.txt", 1, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	b := makeDoc("b.txt", 2, 3, "v1")
	b.Posts[1] = makeDoc("a.txt", 1, 3, "v1").Posts[0] // claims a.txt's post id
	if _, err := s.ReplaceDocument(ctx, b, false, nil); err == nil {
		t.Fatal("a post id of another document was accepted")
	}
	if _, _, ok, _ := s.DocumentSHA(ctx, "b.txt"); ok {
		t.Error("the failed document left its row behind")
	}
	if n := count(t, s, "SELECT count(*) FROM comments"); n != 3 {
		t.Errorf("%d comments after a failed replace, want a.txt's 3", n)
	}
}

func TestRejectDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.ReplaceDocument(ctx, makeDoc("good.txt", 1, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceDocument(ctx, makeDoc("turned-bad.txt", 2, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	analyseAll(t, s, "k")
	for _, r := range []corpus.Reject{
		{Path: "turned-bad.txt", SHA256: "bad1", Reason: "invalid XML at byte 120"},
		{Path: "never-good.txt", Reason: "permission denied"},
	} {
		if err := s.RejectDocument(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rej, err := s.Rejects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []corpus.Reject{
		{Path: "never-good.txt", Reason: "permission denied"},
		{Path: "turned-bad.txt", SHA256: "bad1", Reason: "invalid XML at byte 120"},
	}
	if !reflect.DeepEqual(rej, want) {
		t.Errorf("Rejects = %+v, want %+v", rej, want)
	}
	if sha, status, ok, _ := s.DocumentSHA(ctx, "turned-bad.txt"); !ok || status != StatusRejected || sha != "bad1" {
		t.Errorf("DocumentSHA of the reject = %q %q %v", sha, status, ok)
	}
	posts, _ := s.Posts(ctx)
	if len(posts) != 1 || posts[0].SourceFile != "good.txt" {
		t.Errorf("posts after reject = %+v, want only good.txt's", posts)
	}
	if n := count(t, s, "SELECT count(*) FROM analyses"); n != 3 {
		t.Errorf("%d analyses left, want good.txt's 3", n)
	}
	// A rejected file that is fixed comes back as ok.
	if _, err := s.ReplaceDocument(ctx, makeDoc("turned-bad.txt", 1, 2, "v2"), false, nil); err != nil {
		t.Fatal(err)
	}
	if rej, _ := s.Rejects(ctx); len(rej) != 1 {
		t.Errorf("after the fix, Rejects = %+v", rej)
	}
}

func TestMarkVanished(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	clock := time.Date(2024, 1, 1, 2, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	for _, p := range []string{"a.txt", "b.txt", "c.txt"} {
		if _, err := s.ReplaceDocument(ctx, makeDoc(p, 1, 4, "v1"), false, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RejectDocument(ctx, corpus.Reject{Path: "bad.txt", Reason: "empty file"}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)
	gone, err := s.MarkVanished(ctx, []string{"c.txt", "a.txt", "new.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b.txt", "bad.txt"}; !slices.Equal(gone, want) {
		t.Errorf("vanished = %v, want %v", gone, want)
	}
	if _, status, _, _ := s.DocumentSHA(ctx, "b.txt"); status != StatusVanished {
		t.Errorf("b.txt status %q", status)
	}
	// Kept, but out of every read.
	if n := count(t, s, "SELECT count(*) FROM comments"); n != 12 {
		t.Errorf("%d comments stored, want 12: vanished data must be kept", n)
	}
	if rows := allComments(t, s, "k"); len(rows) != 8 {
		t.Errorf("Comments returned %d rows, want 8", len(rows))
	}
	if posts, _ := s.Posts(ctx); len(posts) != 2 {
		t.Errorf("Posts returned %d, want 2", len(posts))
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 8 {
		t.Errorf("%d pending, want 8", len(ids))
	}
	if rej, _ := s.Rejects(ctx); len(rej) != 0 {
		t.Errorf("a vanished reject is still listed: %+v", rej)
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		wantSeen := "2024-01-02T02:00:00Z"
		if d.Path == "b.txt" || d.Path == "bad.txt" {
			wantSeen = "2024-01-01T02:00:00Z"
		}
		if d.LastSeen != wantSeen || d.FirstSeen != "2024-01-01T02:00:00Z" {
			t.Errorf("%s: first %s last %s, want last %s", d.Path, d.FirstSeen, d.LastSeen, wantSeen)
		}
	}

	// Both come back with the status they had.
	gone, err = s.MarkVanished(ctx, []string{"a.txt", "b.txt", "c.txt", "bad.txt"})
	if err != nil || len(gone) != 0 {
		t.Fatalf("second MarkVanished = %v, %v", gone, err)
	}
	if _, status, _, _ := s.DocumentSHA(ctx, "b.txt"); status != StatusOK {
		t.Errorf("restored b.txt status %q, want ok", status)
	}
	if _, status, _, _ := s.DocumentSHA(ctx, "bad.txt"); status != StatusRejected {
		t.Errorf("restored bad.txt status %q, want rejected", status)
	}
	if rows := allComments(t, s, "k"); len(rows) != 12 {
		t.Errorf("after restore Comments returned %d rows, want 12", len(rows))
	}
	// No inputs at all: everything vanishes.
	if gone, err := s.MarkVanished(ctx, nil); err != nil || len(gone) != 4 {
		t.Errorf("MarkVanished(nil) = %v, %v", gone, err)
	}
}

func TestPendingAnalysisAfterKeyChange(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	// More than two pages, to exercise the keyset paging.
	doc := makeDoc("big.jsonl", 50, 100, "v1")
	p := &doc.Posts[7]
	p.Comments[1].Status = corpus.StatusDeleted
	p.Comments[2].Status = corpus.StatusSpam
	p.Comments[4].DuplicateOf = p.Comments[3].ID
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	const counted = 5000 - 3
	posts, err := s.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range posts {
		want := 100
		if row.ID == p.ID {
			want = 97
		}
		if row.FoundComments != 100 || row.CountedComments != want {
			t.Errorf("post %s: found %d counted %d, want 100 and %d", row.ID, row.FoundComments, row.CountedComments, want)
		}
	}
	if n, err := s.CountPending(ctx, "model-a"); err != nil || n != counted {
		t.Errorf("CountPending = %d, %v; want %d", n, err, counted)
	}
	// Saving from inside the callback is allowed and nothing is offered twice.
	seen := map[string]bool{}
	var batch []analysis.Analysis
	err = s.PendingAnalysis(ctx, "model-a", func(c analysis.CommentText) error {
		if seen[c.ID] {
			t.Fatalf("comment %s offered twice", c.ID)
		}
		seen[c.ID] = true
		batch = append(batch, fakeAnalysis(c))
		if len(batch) == 333 {
			if err := s.SaveAnalyses(ctx, "model-a", batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnalyses(ctx, "model-a", batch); err != nil {
		t.Fatal(err)
	}
	if len(seen) != counted {
		t.Errorf("offered %d comments, want %d", len(seen), counted)
	}
	for _, id := range []string{p.Comments[1].ID, p.Comments[2].ID, p.Comments[4].ID} {
		if seen[id] {
			t.Errorf("uncounted comment %s offered", id)
		}
	}
	if ids := pendingIDs(t, s, "model-a"); len(ids) != 0 {
		t.Errorf("%d pending under the same key after analysis", len(ids))
	}
	// A new taxonomy version: everything again, from the database alone.
	if ids := pendingIDs(t, s, "model-a+taxonomy-2"); len(ids) != counted {
		t.Errorf("%d pending under a new key, want %d", len(ids), counted)
	}
	// The old key's analyses stay for comparison.
	if n := count(t, s, "SELECT count(*) FROM analyses WHERE analysis_key = 'model-a'"); n != counted {
		t.Errorf("%d analyses under the old key, want %d", n, counted)
	}
	// An error from the callback stops the walk.
	stop := errors.New("stop")
	calls := 0
	if err := s.PendingAnalysis(ctx, "other", func(analysis.CommentText) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("callback error: err %v after %d calls", err, calls)
	}
}

func TestSaveAnalysesUnknownCommentFailsBatch(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := makeDoc("a.txt", 1, 2, "v1")
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	var pend []analysis.CommentText
	s.PendingAnalysis(ctx, "k", func(c analysis.CommentText) error { pend = append(pend, c); return nil })
	for _, bad := range []analysis.CommentText{
		{Seq: 999, ID: "c-nobody"},         // no such row
		{Seq: pend[1].Seq, ID: pend[0].ID}, // a row, but another comment's
		{Seq: 0, ID: pend[0].ID},           // Seq not copied
	} {
		batch := []analysis.Analysis{fakeAnalysis(pend[0]), fakeAnalysis(bad)}
		if err := s.SaveAnalyses(ctx, "k", batch); err == nil {
			t.Errorf("analysis of %+v accepted", bad)
		}
		if n := count(t, s, "SELECT count(*) FROM analyses"); n != 0 {
			t.Errorf("failed batch left %d analyses", n)
		}
	}
	if err := s.SaveAnalyses(ctx, "k", []analysis.Analysis{fakeAnalysis(pend[0]), fakeAnalysis(pend[1])}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM analyses a JOIN comments c ON c.seq = a.comment_seq AND c.id = a.comment_id"); n != 2 {
		t.Errorf("%d analyses saved with their comment id, want 2", n)
	}
}

func TestCommentsOrderAndJoin(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	// Three files whose posts interleave in date; one undated post.
	mk := func(path string, dates ...string) *corpus.Document {
		d := makeDoc(path, len(dates), 3, "v1")
		for i := range d.Posts {
			d.Posts[i].Date = dates[i]
			if dates[i] == "" {
				d.Posts[i].DateSource = corpus.DateNone
			}
			// Store comments out of position order to prove the read sorts.
			slices.Reverse(d.Posts[i].Comments)
		}
		return d
	}
	docs := []*corpus.Document{
		mk("b.txt", "2016-03-01", "2014-06-01"),
		mk("a.txt", "2016-03-01", ""),
		mk("c.txt", "2015-01-01"),
	}
	for _, d := range docs {
		if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Analyse all but one comment.
	skip := docs[2].Posts[0].Comments[0].ID
	var batch []analysis.Analysis
	s.PendingAnalysis(ctx, "k", func(c analysis.CommentText) error {
		if c.ID != skip {
			batch = append(batch, fakeAnalysis(c))
		}
		return nil
	})
	if err := s.SaveAnalyses(ctx, "k", batch); err != nil {
		t.Fatal(err)
	}

	rows := allComments(t, s, "k")
	type key struct {
		date, file string
		pos        int
	}
	var got []key
	for _, r := range rows {
		got = append(got, key{r.PostDate, r.SourceFile, r.Position})
	}
	want := []key{
		{"", "a.txt", 0}, {"", "a.txt", 1}, {"", "a.txt", 2},
		{"2014-06-01", "b.txt", 0}, {"2014-06-01", "b.txt", 1}, {"2014-06-01", "b.txt", 2},
		{"2015-01-01", "c.txt", 0}, {"2015-01-01", "c.txt", 1}, {"2015-01-01", "c.txt", 2},
		{"2016-03-01", "a.txt", 0}, {"2016-03-01", "a.txt", 1}, {"2016-03-01", "a.txt", 2},
		{"2016-03-01", "b.txt", 0}, {"2016-03-01", "b.txt", 1}, {"2016-03-01", "b.txt", 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
	for _, r := range rows {
		if r.ID == skip {
			if r.Analysed || r.Analysis.Label != "" {
				t.Errorf("unanalysed comment came back analysed: %+v", r.Analysis)
			}
			continue
		}
		if !r.Analysed {
			t.Errorf("comment %s lacks its analysis", r.ID)
			continue
		}
		want := fakeAnalysis(analysis.CommentText{Seq: r.Seq, ID: r.ID, Text: r.Text})
		if !reflect.DeepEqual(r.Analysis, want) {
			t.Errorf("analysis round trip:\n got %+v\nwant %+v", r.Analysis, want)
		}
	}
	// Every Comment field round-trips.
	var src corpus.Comment
	for _, c := range docs[0].Posts[1].Comments {
		if c.Position == 2 {
			src = c
		}
	}
	for _, r := range rows {
		if r.ID == src.ID && !reflect.DeepEqual(r.Comment, src) {
			t.Errorf("comment round trip:\n got %+v\nwant %+v", r.Comment, src)
		}
	}
	// Under a key never used, every row comes back unanalysed.
	for _, r := range allComments(t, s, "unused") {
		if r.Analysed {
			t.Fatalf("analysis leaked across keys for %s", r.ID)
		}
	}
	posts, err := s.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 5 || posts[0].Date != "" || posts[1].Date != "2014-06-01" || posts[4].SourceFile != "b.txt" {
		t.Errorf("posts order: %+v", posts)
	}
	if posts[0].FoundComments != 3 || posts[0].CountedComments != 3 || posts[0].DeclaredComments != 3 {
		t.Errorf("post counts: %+v", posts[0])
	}
}

func TestQueryPlans(t *testing.T) {
	// The ordered read must come from the indexes (a sort of a million rows
	// would cost memory and the nightly budget), and the pending walk must
	// seek through the partial index rather than scan the comment texts.
	s, _ := openTemp(t)
	plan := func(q string, args ...any) string {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		return strings.Join(lines, "\n")
	}
	for _, c := range []struct {
		q    string
		args []any
	}{
		{commentsQuery + commentsOrder, []any{"k", "", "", ""}},
		{commentPostsQuery + postsOrder, []any{"k", "", "", ""}},
		{commentsQuery + upTo + commentsOrder, []any{"k", "2015-01-01", "a.jsonl", "p1", "2016-01-01", "b.jsonl", "p9"}},
		{commentPostsQuery + upTo + postsOrder, []any{"k", "2015-01-01", "a.jsonl", "p1", "2016-01-01", "b.jsonl", "p9"}},
	} {
		p := plan(c.q, c.args...)
		if strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "SEARCH p USING INDEX posts_order ((date,source_file,id)>") {
			t.Errorf("the Comments query sorts or does not read a range of posts_order:\n%s", p)
		}
		if bounded := len(c.args) > 4; bounded && !strings.Contains(p, "AND (date,source_file,id)<(?,?,?)") {
			t.Errorf("a bounded range of posts is not bounded in the index:\n%s", p)
		}
	}
	if p := plan(postsQuery); strings.Contains(p, "TEMP B-TREE") {
		t.Errorf("the Posts query sorts:\n%s", p)
	}
	if p := plan(pendingCommentsQuery, 0, 10); !strings.Contains(p, "SEARCH comments USING INTEGER PRIMARY KEY (rowid>?)") || strings.Contains(p, "TEMP B-TREE") {
		t.Errorf("the pending comments query does not seek:\n%s", p)
	}
	if p := plan(pendingAnalysesQuery, "k", 0, 10); !strings.Contains(p, "SEARCH analyses USING PRIMARY KEY (analysis_key=? AND comment_seq>? AND comment_seq<?)") || strings.Contains(p, "TEMP B-TREE") {
		t.Errorf("the pending analyses query does not seek:\n%s", p)
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	first, err := s.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The first run dies; the next one marks it.
	second, err := s.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{"posts": 3, "new": 7}
	if err := s.FinishRun(ctx, second, "ok", counts, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, 999, "ok", nil, ""); err == nil {
		t.Error("FinishRun of an unknown run succeeded")
	}
	runs, err := s.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != first || runs[0].Status != RunInterrupted || runs[0].Finished != "" {
		t.Errorf("first run: %+v", runs)
	}
	if runs[1].Status != "ok" || runs[1].Finished == "" || runs[1].Counts != `{"new":7,"posts":3}` {
		t.Errorf("second run: %+v", runs[1])
	}
	if n := count(t, s, `SELECT json_extract(counts, '$.new') FROM runs WHERE id = ?`, second); n != 7 {
		t.Errorf("counts not queryable as JSON: %d", n)
	}
}

func TestIntegrityCheckDetectsCorruption(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	for i := range 20 {
		if _, err := s.ReplaceDocument(ctx, makeDoc(filepath.Join("d", string(rune('a'+i))), 5, 40, "v1"), false, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatalf("fresh store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Scribble over the middle of the file, as a disk fault would.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	junk := []byte(strings.Repeat("\xff\x00junk", 800))
	if _, err := f.WriteAt(junk, fi.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		return // refusing to open a corrupt file is also a detection
	}
	defer s2.Close()
	if err := s2.IntegrityCheck(ctx); err == nil {
		t.Fatal("IntegrityCheck passed a scribbled-over file")
	}
}

func TestTopicScoresCodec(t *testing.T) {
	for _, m := range []map[string]float64{
		nil,
		{"workload": 0.25},
		{"b": -1e-9, "a": 3, "c": 1.0 / 3},
		{`quo"te`: 1, `back\slash`: 2, "tab\there": 3, "naïve": 0.5},
	} {
		b, err := appendScores(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		var std map[string]float64
		if err := json.Unmarshal(b, &std); err != nil {
			t.Fatalf("%s is not JSON: %v", b, err)
		}
		got, err := parseScores(string(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(m) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, m) || !reflect.DeepEqual(std, m) {
			t.Errorf("%v -> %s -> %v (encoding/json reads %v)", m, b, got, std)
		}
	}
	if b, _ := appendScores(nil, map[string]float64{"z": 1, "a": 2}); string(b) != `{"a":2,"z":1}` {
		t.Errorf("keys not sorted: %s", b)
	}
	if _, err := appendScores(nil, map[string]float64{"x": math.NaN()}); err == nil {
		t.Error("NaN encoded")
	}
	// Hand-edited JSON with spaces still reads.
	if m, err := parseScores(`{ "a" : 1 }`); err != nil || m["a"] != 1 {
		t.Errorf("spaced JSON: %v %v", m, err)
	}
	if _, err := parseScores(`{"a":}`); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestDescribeKeyAndCurrentCommentsView(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	clock := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	if err := s.DescribeKey(ctx, "k1", "", "vader 1 / taxonomy 1"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if err := s.DescribeKey(ctx, "k1", "", "vader 1 / taxonomy 1 (renamed)"); err != nil {
		t.Fatal(err)
	}
	var desc, first, last string
	if err := s.db.QueryRow(`SELECT description, first_used, last_used FROM analysis_keys WHERE analysis_key = 'k1'`).Scan(&desc, &first, &last); err != nil {
		t.Fatal(err)
	}
	if desc != "vader 1 / taxonomy 1 (renamed)" || first != "2024-03-01T00:00:00Z" || last != "2024-03-01T01:00:00Z" {
		t.Errorf("analysis_keys row: %q %s %s", desc, first, last)
	}

	doc := makeDoc("a.txt", 1, 3, "v1")
	doc.Posts[0].Comments[2].Status = corpus.StatusSpam
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceDocument(ctx, makeDoc("b.txt", 1, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.txt"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM current_comments`); n != 3 {
		t.Errorf("current_comments has %d rows, want a.txt's 3", n)
	}
	if n := count(t, s, `SELECT sum(counted) FROM current_comments`); n != 2 {
		t.Errorf("current_comments counts %d, want 2", n)
	}
}

func TestPendingAnalysisMark(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := makeDoc("a.txt", 2, 10, "v1")
	doc.Posts[0].Comments[3].DuplicateOf = doc.Posts[0].Comments[2].ID
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	if n := analyseAll(t, s, "k"); n != 19 {
		t.Fatalf("analysed %d, want 19", n)
	}
	// The walk that analysed them cannot know the saves finished; the next
	// walk finds nothing lacking and raises the mark to the top.
	if got := count(t, s, `SELECT analysed_upto FROM analysis_keys WHERE analysis_key = 'k'`); got != 0 {
		t.Errorf("analysed_upto = %d after the first walk, want 0", got)
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
		t.Fatalf("%d pending after a full analysis", len(ids))
	}
	if got, top := count(t, s, `SELECT analysed_upto FROM analysis_keys WHERE analysis_key = 'k'`),
		count(t, s, `SELECT max(seq) FROM comments`); got != top {
		t.Errorf("analysed_upto = %d, want the top seq %d", got, top)
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
		t.Fatalf("%d pending after a full analysis", len(ids))
	}
	// The duplicate turns out not to be one: same text, but it now counts,
	// so it must be offered although its old row was below the mark.
	doc.Posts[0].Comments[3].DuplicateOf = ""
	ch, err := s.ReplaceDocument(ctx, doc, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch != (Changes{Unchanged: 20}) {
		t.Errorf("changes %+v, want 20 unchanged", ch)
	}
	if ids := pendingIDs(t, s, "k"); !slices.Equal(ids, []string{doc.Posts[0].Comments[3].ID}) {
		t.Errorf("pending = %v, want the former duplicate", ids)
	}
	// An edit below the mark is offered too.
	analyseAll(t, s, "k")
	doc.Posts[0].Comments[0].Text = "edited after the mark was raised"
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	if ids := pendingIDs(t, s, "k"); !slices.Equal(ids, []string{doc.Posts[0].Comments[0].ID}) {
		t.Errorf("pending = %v, want the edited comment", ids)
	}
	// A comment left pending holds the mark below it.
	if n, err := s.CountPending(ctx, "k"); err != nil || n != 1 {
		t.Errorf("CountPending = %d, %v; want 1", n, err)
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 1 {
		t.Errorf("a comment offered but not saved was not offered again: %v", ids)
	}
	// Another key has its own mark.
	if ids := pendingIDs(t, s, "other"); len(ids) != 20 {
		t.Errorf("%d pending under a new key, want 20", len(ids))
	}
}

func TestReplaceDocumentsIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	docs := []*corpus.Document{makeDoc("a.txt", 1, 3, "v1"), makeDoc("b.txt", 2, 2, "v1")}
	ch, err := s.ReplaceDocuments(ctx, docs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 2 || ch[0].Added != 3 || ch[1].Added != 4 {
		t.Errorf("changes = %+v", ch)
	}
	// A batch with a bad document stores none of it.
	c := makeDoc("c.txt", 1, 2, "v1")
	bad := makeDoc("d.txt", 2, 3, "v1")
	bad.Posts[1] = makeDoc("a.txt", 1, 3, "v1").Posts[0] // claims a.txt's post id
	if _, err := s.ReplaceDocuments(ctx, []*corpus.Document{c, bad}, false, nil); err == nil {
		t.Fatal("a batch with a colliding post id was accepted")
	}
	if _, _, ok, _ := s.DocumentSHA(ctx, "c.txt"); ok {
		t.Error("a failed batch stored its first document")
	}
	if n := count(t, s, "SELECT count(*) FROM comments"); n != 7 {
		t.Errorf("%d comments after a failed batch, want 7", n)
	}
}

// Migration 10 gives the labels saved before it the post of their comment,
// so that they are found through the post; a free unit's label, and one
// whose comment is not stored, keep no post.
func TestMigrationGivesLabelsTheirPost(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v9.db")
	db := writeAtVersion(t, path, 9,
		`INSERT INTO documents (path, sha256, status, first_seen, last_seen) VALUES ('a.txt', 'abc', 'ok', 't', 't')`,
		`INSERT INTO posts (id, document, ord, source_file) VALUES ('p1', 'a.txt', 0, 'a.txt')`,
		`INSERT INTO comments (id, post_id, position, text) VALUES ('c1', 'p1', 0, 'labelled')`,
		`INSERT INTO labels (coder, comment_id, text_hash, text, valence, labelled_at) VALUES ('ann', 'c1', 'h1', 'labelled', 1, 't')`,
		`INSERT INTO labels (coder, comment_id, text_hash, text, valence, labelled_at) VALUES ('ann', 'c-gone', 'h2', 'gone', 0, 't')`,
		`INSERT INTO labels (coder, comment_id, text_hash, text, valence, labelled_at) VALUES ('ann', '', 'h3', 'free', -1, 't')`)
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	labels, err := s.Labels(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range labels {
		got[l.TextHash] = l.PostID
	}
	want := map[string]string{"h1": "p1", "h2": "", "h3": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("posts of the labels after migration = %v, want %v", got, want)
	}
}

// writeAtVersion writes a store file at schema version v, the way a chorus
// of that version would have, with the rows of inserts, and returns it open.
func writeAtVersion(t *testing.T, path string, v int, inserts ...string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, migrations[:v]); err != nil {
		t.Fatal(err)
	}
	for _, q := range inserts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}
