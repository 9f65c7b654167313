package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// analysesOf makes fakeAnalysis analyses for every counted comment of doc,
// in the document's comment order, as ReplaceAnalysed takes them; text is
// redacted first, as the store would.
func analysesOf(doc *corpus.Document, redact func(string) string) []analysis.Analysis {
	var out []analysis.Analysis
	for _, p := range doc.Posts {
		for _, c := range p.Comments {
			if !c.Counted() {
				continue
			}
			out = append(out, fakeAnalysis(analysis.CommentText{ID: c.ID, PostID: p.ID, Text: redact(c.Text)}))
		}
	}
	return out
}

// checkAnalysed fails unless every counted comment stored has exactly the
// fakeAnalysis of its stored text under key, filed under its own seq, and no
// other comment has one.
func checkAnalysed(t *testing.T, s *Store, key string) {
	t.Helper()
	for _, r := range allComments(t, s, key) {
		if !r.Counted() {
			if r.Analysed {
				t.Errorf("comment %s does not count but has an analysis", r.ID)
			}
			continue
		}
		if !r.Analysed {
			t.Errorf("comment %s has no analysis under %s", r.ID, key)
			continue
		}
		want := fakeAnalysis(analysis.CommentText{Seq: r.Seq, ID: r.ID, Text: r.Text})
		if !reflect.DeepEqual(r.Analysis, want) {
			t.Errorf("comment %s (seq %d): analysis\n got %+v\nwant %+v", r.ID, r.Seq, r.Analysis, want)
		}
	}
}

func TestReplaceAnalysedSavesWithComments(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	redact := func(s string) string { return s + " [r]" }
	// Three documents whose comment counts are not multiples of the insert
	// chunk, with duplicates and a deleted comment that must get nothing.
	var docs []*corpus.Document
	var as [][]analysis.Analysis
	for i, n := range []int{7, 45, 3} {
		d := makeDoc(string(rune('a'+i))+".txt", 2, n, "v1")
		d.Posts[0].Comments[1].DuplicateOf = d.Posts[0].Comments[0].ID
		d.Posts[1].Comments[2].Status = corpus.StatusDeleted
		docs = append(docs, d)
		as = append(as, analysesOf(d, redact))
	}
	_, saved, err := s.ReplaceAnalysed(ctx, docs, false, redact, "k", as)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*(7+45+3) - 6; saved != want {
		t.Errorf("saved %d analyses, want %d (every counted comment)", saved, want)
	}
	checkAnalysed(t, s, "k")
	if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
		t.Errorf("pending after ReplaceAnalysed: %v", ids)
	}
	mark, top, err := s.analysedUpto(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if mark != top {
		t.Errorf("mark %d, want the top seq %d: every comment is analysed", mark, top)
	}
	if n, err := s.CountPending(ctx, "k"); err != nil || n != 0 {
		t.Errorf("CountPending = %d, %v; want 0", n, err)
	}
	// Under another key everything is pending: the analyses are per key.
	if n := len(pendingIDs(t, s, "other")); n != saved {
		t.Errorf("%d pending under another key, want %d", n, saved)
	}
}

func TestReplaceAnalysedLeavesMissingPending(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	d := makeDoc("a.txt", 1, 40, "v1")
	as := analysesOf(d, func(s string) string { return s })
	skipped := as[33].CommentID
	as = append(as[:33], as[34:]...)
	if _, saved, err := s.ReplaceAnalysed(ctx, []*corpus.Document{d}, false, nil, "k", [][]analysis.Analysis{as}); err != nil || saved != 39 {
		t.Fatalf("ReplaceAnalysed: saved %d, %v; want 39", saved, err)
	}
	// The mark must not pass the comment that lacks its analysis.
	if ids := pendingIDs(t, s, "k"); !reflect.DeepEqual(ids, []string{skipped}) {
		t.Fatalf("pending = %v, want [%s]", ids, skipped)
	}
	analyseAll(t, s, "k")
	checkAnalysed(t, s, "k")

	// A document stored without analyses keeps a later batch from raising
	// the mark over it.
	if _, err := s.ReplaceDocument(ctx, makeDoc("b.txt", 1, 5, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	c := makeDoc("c.txt", 1, 5, "v1")
	if _, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{c}, false, nil, "k", [][]analysis.Analysis{analysesOf(c, func(s string) string { return s })}); err != nil {
		t.Fatal(err)
	}
	if n := len(pendingIDs(t, s, "k")); n != 5 {
		t.Errorf("%d pending, want the 5 comments of b.txt", n)
	}
}

func TestReplaceAnalysedOnChangedDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	id := func(s string) string { return s }
	d := makeDoc("a.txt", 1, 10, "v1")
	if _, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{d}, false, nil, "k", [][]analysis.Analysis{analysesOf(d, id)}); err != nil {
		t.Fatal(err)
	}
	before := map[string]int64{}
	for _, r := range allComments(t, s, "k") {
		before[r.ID] = r.Seq
	}
	// Two texts change and one comment goes; the rest keep their rows and
	// analyses and are not analysed again.
	e := makeDoc("a.txt", 1, 10, "v1")
	e.Posts[0].Comments[2].Text = "edited text"
	e.Posts[0].Comments[7].Text = "also edited"
	e.Posts[0].Comments = e.Posts[0].Comments[:9]
	chs, saved, err := s.ReplaceAnalysed(ctx, []*corpus.Document{e}, false, nil, "k", [][]analysis.Analysis{analysesOf(e, id)})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Changes{Updated: 2, Unchanged: 7, Removed: 1}); chs[0].Changes != want {
		t.Errorf("changes %+v, want %+v", chs[0], want)
	}
	if saved != 2 {
		t.Errorf("saved %d analyses, want 2 (the edited comments)", saved)
	}
	checkAnalysed(t, s, "k")
	for _, r := range allComments(t, s, "k") {
		edited := r.ID == e.Posts[0].Comments[2].ID || r.ID == e.Posts[0].Comments[7].ID
		if (r.Seq != before[r.ID]) != edited {
			t.Errorf("comment %s: seq %d -> %d; a new row only for an edited text", r.ID, before[r.ID], r.Seq)
		}
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
		t.Errorf("pending: %v", ids)
	}
}

func TestReplaceAnalysedNeedsKey(t *testing.T) {
	s, _ := openTemp(t)
	d := makeDoc("a.txt", 1, 2, "v1")
	if _, _, err := s.ReplaceAnalysed(context.Background(), []*corpus.Document{d}, false, nil, "", [][]analysis.Analysis{analysesOf(d, func(s string) string { return s })}); err == nil {
		t.Fatal("analyses without a key were accepted")
	}
}

// BenchmarkColdStoreAnalysed is the store's share of a cold run of 100,000
// comments as a run now writes them: documents in batches of 200 files,
// each with its comments' analyses, in one transaction per batch.
// cpu-µs/comment is the process CPU time per comment.
func BenchmarkColdStoreAnalysed(b *testing.B) {
	ctx := context.Background()
	const files, per = 4000, 25
	docs := make([]*corpus.Document, files)
	as := make([][]analysis.Analysis, files)
	id := func(s string) string { return s }
	for i := range docs {
		docs[i] = makeDoc(fmt.Sprintf("cold/%05d.txt", i), 1, per, "v1")
		for j := range docs[i].Posts[0].Comments {
			// Comments of about the length of real ones.
			docs[i].Posts[0].Comments[j].Text += strings.Repeat(" and the rota is still not right", 6)
		}
		as[i] = analysesOf(docs[i], id)
	}
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), "cold.db"))
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cpuTime()
		b.StartTimer()
		for i := 0; i < files; i += 200 {
			if _, _, err := s.ReplaceAnalysed(ctx, docs[i:i+200], false, nil, "k", as[i:i+200]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-cpu0)/1e3/(files*per), "cpu-µs/comment")
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*files*per)/b.Elapsed().Seconds(), "comments/s")
}

// TestStoredCommentMatchesRead holds StoredComment to what Comments reads
// back, field for field, for every comment of documents stored whole:
// redacted text and author, defaults for an empty section, status and date
// source, duplicates and deleted comments without analyses, topics and
// scores in and out of their stored encodings, kept originals.
func TestStoredCommentMatchesRead(t *testing.T) {
	for _, keepRaw := range []bool{false, true} {
		ctx := context.Background()
		s, _ := openTemp(t)
		redact := func(s string) string { return strings.ReplaceAll(s, "o", "[o]") }
		var docs []*corpus.Document
		var as [][]analysis.Analysis
		for i, n := range []int{5, 40} {
			d := makeDoc(string(rune('a'+i))+".txt", 2, n, "v1")
			p := &d.Posts[0]
			p.DateSource, p.Date = "", ""
			p.Comments[0].Section, p.Comments[0].Status = "", ""
			p.Comments[1].DuplicateOf = p.Comments[0].ID
			p.Comments[2].Status = corpus.StatusSpam
			docs = append(docs, d)
			a := analysesOf(d, redact)
			a[0].Topics, a[0].TopicScores = nil, map[string]float64{}
			a[1].Topics = []string{}
			as = append(as, a)
		}
		// A document stored before and changed is not whole: no Seqs.
		if _, err := s.ReplaceDocument(ctx, makeDoc("c.txt", 1, 3, "v1"), false, redact); err != nil {
			t.Fatal(err)
		}
		changed := makeDoc("c.txt", 1, 3, "v2")
		docs = append(docs, changed)
		as = append(as, analysesOf(changed, redact))

		sts, _, err := s.ReplaceAnalysed(ctx, docs, keepRaw, redact, "k", as)
		if err != nil {
			t.Fatal(err)
		}
		if sts[2].Seqs != nil {
			t.Errorf("a document stored before has Seqs")
		}
		read := map[int64]CommentRow{}
		for _, r := range allComments(t, s, "k") {
			read[r.Seq] = r
		}
		n := 0
		for i, d := range docs[:2] {
			if len(sts[i].Seqs) == 0 {
				t.Fatalf("%s: no Seqs for a new document", d.Path)
			}
			k := 0
			for pi := range d.Posts {
				p := &d.Posts[pi]
				var ai int
				for ci := range p.Comments {
					c := &p.Comments[ci]
					var a *analysis.Analysis
					for ai = range as[i] {
						if as[i][ai].CommentID == c.ID {
							a = &as[i][ai]
						}
					}
					seq := sts[i].Seqs[k]
					k++
					got := StoredComment(p, c, seq, a, keepRaw, redact)
					if want, ok := read[seq]; !ok || !reflect.DeepEqual(got, want) {
						t.Errorf("keepRaw=%v comment %s at seq %d:\nStoredComment %+v\nComments      %+v", keepRaw, c.ID, seq, got, want)
					}
					n++
				}
			}
		}
		if n != 2*(5+40) {
			t.Errorf("compared %d comments", n)
		}
	}
}

// TestRedactDocumentStoresTheSame holds RedactDocument to the fields the
// store redacts: a document redacted first and stored with no redact
// function gives the rows of the same document stored with it.
func TestRedactDocumentStoresTheSame(t *testing.T) {
	ctx := context.Background()
	redact := func(s string) string { return strings.ReplaceAll(s, "e", "[e]") }
	rows := func(pre bool) ([]CommentRow, []PostRow) {
		s, _ := openTemp(t)
		d := makeDoc("a.txt", 2, 6, "v1")
		fn := redact
		if pre {
			RedactDocument(d, redact)
			fn = nil
		}
		if _, err := s.ReplaceDocument(ctx, d, false, fn); err != nil {
			t.Fatal(err)
		}
		posts, err := s.Posts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range posts {
			posts[i].Gen = 0 // random per store
		}
		var bodies []string
		r, err := s.db.Query(`SELECT title, body FROM posts ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var a, b string
			if err := r.Scan(&a, &b); err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, a, b)
		}
		r.Close()
		if len(bodies) != 4 {
			t.Fatalf("read %d titles and bodies, want 4", len(bodies))
		}
		for _, b := range bodies {
			if strings.Contains(b, "e") && !strings.Contains(b, "[e]") {
				t.Errorf("title or body %q not redacted", b)
			}
		}
		return allComments(t, s, "k"), posts
	}
	c1, p1 := rows(false)
	c2, p2 := rows(true)
	if !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(p1, p2) {
		t.Errorf("a document redacted beforehand is stored differently:\n%+v\n%+v", c1[0], c2[0])
	}
}

// TestCountedRuleMatchesSQL: the store's SQL form of the rule of which
// comments count picks exactly the comments analysis.Counted picks, for
// every status (an empty one included) with and without a duplicate.
func TestCountedRuleMatchesSQL(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := &corpus.Document{Path: "rule.jsonl", SHA256: "x", Format: corpus.FormatJSONL}
	p := corpus.Post{ID: corpus.PostID("rule.jsonl", 0), SourceFile: "rule.jsonl", DateSource: corpus.DateNone, DeclaredComments: -1}
	want := 0
	for i, st := range []corpus.Status{"", corpus.StatusPublished, corpus.StatusDeleted, corpus.StatusSpam, corpus.StatusOversize} {
		for _, dup := range []string{"", "c-original"} {
			c := corpus.Comment{ID: corpus.CommentID(p.ID, len(p.Comments)), PostID: p.ID, Position: len(p.Comments),
				Text: fmt.Sprintf("comment %d %q", i, dup), Status: st, DuplicateOf: dup}
			if analysis.Counted(c.Status, c.DuplicateOf) {
				want++
			}
			p.Comments = append(p.Comments, c)
		}
	}
	doc.Posts = []corpus.Post{p}
	if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
		t.Fatal(err)
	}
	n, err := s.CountPending(ctx, "fresh-key")
	if err != nil {
		t.Fatal(err)
	}
	if n != want || want != 2 {
		t.Errorf("the SQL rule counts %d comments, analysis.Counted %d (want 2: published or empty status, no duplicate)", n, want)
	}
	posts, err := s.Posts(ctx)
	if err != nil || len(posts) != 1 || posts[0].CountedComments != want {
		t.Errorf("posts.counted_comments = %+v, %v; want %d", posts, err, want)
	}
	// The manifest's status counts: the published come from
	// posts.counted_comments, the rest from the partial index; a vanished
	// document's comments count in neither.
	gone := &corpus.Document{Path: "gone.jsonl", SHA256: "y", Format: corpus.FormatJSONL}
	gp := corpus.Post{ID: corpus.PostID("gone.jsonl", 0), SourceFile: "gone.jsonl", DateSource: corpus.DateNone, DeclaredComments: -1}
	gp.Comments = []corpus.Comment{
		{ID: corpus.CommentID(gp.ID, 0), PostID: gp.ID, Text: "kept", Status: corpus.StatusPublished},
		{ID: corpus.CommentID(gp.ID, 1), PostID: gp.ID, Position: 1, Text: "spam", Status: corpus.StatusSpam},
	}
	gone.Posts = []corpus.Post{gp}
	if _, err := s.ReplaceDocument(ctx, gone, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVanished(ctx, []string{"rule.jsonl"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.StatusCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[string]int{"published": 2, "duplicate": 5, "deleted": 1, "spam": 1, "oversize": 1}
	if !reflect.DeepEqual(got, wantCounts) {
		t.Errorf("StatusCounts = %v, want %v", got, wantCounts)
	}
}

// TestReuseUnderSameSentiment: a key that shares its sentiment half with an
// earlier one gets each pending comment's earlier analysis as its Prior,
// and only those comments that have one; keys of another sentiment model,
// or recorded with no sentiment half, are never reused.
func TestReuseUnderSameSentiment(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.ReplaceDocument(ctx, makeDoc("a.jsonl", 2, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct{ key, sent string }{{"old", "S1"}, {"other-model", "S2"}, {"unknown", ""}} {
		if err := s.DescribeKey(ctx, k.key, k.sent, "test"); err != nil {
			t.Fatal(err)
		}
		analyseAll(t, s, k.key)
	}
	// A comment stored after the old key's analyses has no Prior.
	if _, err := s.ReplaceDocument(ctx, makeDoc("b.jsonl", 1, 2, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DescribeKey(ctx, "new", "S1", "test"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, sent, want string }{{"new", "S1", "old"}, {"new", "S3", ""}, {"new", "", ""}, {"old", "S1", "new"}} {
		if got, err := s.ReusableKey(ctx, c.key, c.sent); err != nil || got != c.want {
			t.Errorf("ReusableKey(%q, %q) = %q, %v; want %q", c.key, c.sent, got, err, c.want)
		}
	}
	var with, without int
	err := s.PendingRows(ctx, "new", "old", func(r *PendingRow) error {
		if !r.Pending {
			if r.Prior != nil {
				t.Errorf("%s: not pending, but has a Prior", r.ID)
			}
			return nil
		}
		c := r.CommentText()
		if c.Prior == nil {
			without++
			return nil
		}
		with++
		want := fakeAnalysis(c)
		p := *c.Prior
		if p.Seq != c.Seq || p.CommentID != c.ID || p.NTokens != want.NTokens || p.NSentences != want.NSentences ||
			p.Compound != want.Compound || p.Pos != want.Pos || p.Neu != want.Neu || p.Neg != want.Neg ||
			p.Label != want.Label || p.Evidence != want.Evidence || p.Topics != nil {
			t.Errorf("%s: Prior %+v, want the sentiment fields of %+v and no topics", c.ID, p, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if with != 6 || without != 2 {
		t.Errorf("%d pending comments with a Prior and %d without, want 6 and 2", with, without)
	}
}

// TestCountPendingRaisesMark: a count that finds nothing pending moves the
// key's mark to the top, so the next count looks at nothing, even past the
// unanalysed comments of a vanished file (which once held every later
// key's mark at 0, and made each nightly count scan the whole store); and
// those comments are pending again when the file comes back.
func TestCountPendingRaisesMark(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.ReplaceDocument(ctx, makeDoc("a.jsonl", 1, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	analyseAll(t, s, "k")
	if _, err := s.ReplaceDocument(ctx, makeDoc("b.jsonl", 1, 2, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl"}); err != nil {
		t.Fatal(err)
	}
	mark := func() int64 {
		t.Helper()
		m, top, err := s.analysedUpto(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if top != 5 {
			t.Fatalf("top seq %d, want 5", top)
		}
		return m
	}
	if n, err := s.CountPending(ctx, "k"); err != nil || n != 0 {
		t.Fatalf("pending with b vanished: %d, %v; want 0", n, err)
	}
	if m := mark(); m != 5 {
		t.Errorf("mark %d with only vanished comments lacking, want the top, 5", m)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "b.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if m := mark(); m != 3 {
		t.Errorf("mark %d once b is back, want 3, just below b's first comment", m)
	}
	if n, err := s.CountPending(ctx, "k"); err != nil || n != 2 {
		t.Fatalf("pending with b back: %d, %v; want 2", n, err)
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 2 {
		t.Fatalf("PendingAnalysis offers %v with b back, want b's 2 comments", ids)
	}
	analyseAll(t, s, "k")
	if n, err := s.CountPending(ctx, "k"); err != nil || n != 0 {
		t.Fatalf("pending after analysis: %d, %v; want 0", n, err)
	}
	if m := mark(); m != 5 {
		t.Errorf("mark %d after a count that found nothing, want 5", m)
	}
	// Vanished and restored once analysed: nothing to lower the mark for.
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "b.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if m := mark(); m != 5 {
		t.Errorf("mark %d after an analysed file came back, want 5", m)
	}
}

// TestPendingRowsPassVanished: a walk under a new key made while a file
// is vanished raises the mark past that file's comments, and a walk after
// the file comes back offers them.
func TestPendingRowsPassVanished(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, d := range []string{"a.jsonl", "b.jsonl", "c.jsonl"} {
		if _, err := s.ReplaceDocument(ctx, makeDoc(d, 1, 2, "v1"), false, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "c.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if n := analyseAll(t, s, "k"); n != 4 {
		t.Fatalf("analysed %d with b vanished, want 4", n)
	}
	if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
		t.Fatalf("pending %v after the analysis", ids)
	}
	if got := count(t, s, `SELECT analysed_upto FROM analysis_keys WHERE analysis_key = 'k'`); got != 6 {
		t.Errorf("mark %d, want the top, 6, past vanished b's comments", got)
	}
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl", "b.jsonl", "c.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if n := analyseAll(t, s, "k"); n != 2 {
		t.Errorf("analysed %d once b is back, want its 2", n)
	}
}

// TestPendingRowsMatchComments holds PendingRows to what Comments reads:
// every comment of a current document, field for field but for the
// post's own fields, with its analysis where it has one; pending exactly
// when it counts and has none; and, once analysed, the row SetAnalysis
// makes of it is the row Comments then reads.
func TestPendingRowsMatchComments(t *testing.T) {
	for _, keepRaw := range []bool{false, true} {
		ctx := context.Background()
		s, _ := openTemp(t)
		redact := func(s string) string { return strings.ReplaceAll(s, "a", "[a]") }
		a := makeDoc("a.txt", 2, 6, "v1")
		p := &a.Posts[0]
		p.Comments[1].DuplicateOf = p.Comments[0].ID
		p.Comments[2].Status = corpus.StatusDeleted
		p.Comments[3].Section, p.Comments[3].Status = "", ""
		b := makeDoc("b.txt", 1, 5, "v1")
		b.Posts[0].Comments[4].Status = corpus.StatusSpam
		if _, err := s.ReplaceDocument(ctx, b, keepRaw, redact); err != nil {
			t.Fatal(err)
		}
		gone := makeDoc("gone.txt", 1, 3, "v1")
		if _, err := s.ReplaceDocument(ctx, gone, keepRaw, redact); err != nil {
			t.Fatal(err)
		}
		// Stored analysed after comments without analyses: above the mark.
		if _, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{a}, keepRaw, redact, "k", [][]analysis.Analysis{analysesOf(a, redact)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MarkVanished(ctx, []string{"a.txt", "b.txt"}); err != nil {
			t.Fatal(err)
		}
		read := map[int64]CommentRow{}
		for _, r := range allComments(t, s, "k") {
			read[r.Seq] = r
		}
		var saved []analysis.Analysis
		seen := 0
		err := s.PendingRows(ctx, "k", "", func(r *PendingRow) error {
			want, ok := read[r.Seq]
			if !ok {
				t.Errorf("keepRaw=%v: PendingRows offers comment %s, which Comments does not read", keepRaw, r.ID)
				return nil
			}
			seen++
			if r.Pending != (want.Counted() && !want.Analysed) || r.Prior != nil {
				t.Errorf("keepRaw=%v %s: pending %v, prior %v", keepRaw, r.ID, r.Pending, r.Prior)
			}
			want.PostDate, want.DateSource, want.SourceFile, want.PostSourceID = "", "", "", ""
			if !reflect.DeepEqual(r.CommentRow, want) {
				t.Errorf("keepRaw=%v %s:\nPendingRows %+v\nComments    %+v", keepRaw, r.ID, r.CommentRow, want)
			}
			if r.Pending {
				an := fakeAnalysis(r.CommentText())
				an.Topics = nil // stored as '', read back as nil
				saved = append(saved, an)
				r.SetAnalysis(an)
				read[r.Seq] = r.CommentRow
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if seen != len(read) || len(saved) != 4 {
			t.Fatalf("keepRaw=%v: PendingRows offered %d of %d comments, %d pending (want 4)", keepRaw, seen, len(read), len(saved))
		}
		if err := s.SaveAnalyses(ctx, "k", saved); err != nil {
			t.Fatal(err)
		}
		for _, r := range allComments(t, s, "k") {
			want := read[r.Seq]
			r.PostDate, r.DateSource, r.SourceFile, r.PostSourceID = "", "", "", ""
			want.PostDate, want.DateSource, want.SourceFile, want.PostSourceID = "", "", "", ""
			if !reflect.DeepEqual(r, want) {
				t.Errorf("keepRaw=%v %s read back:\n got %+v\nwant %+v", keepRaw, r.ID, r, want)
			}
		}
		if ids := pendingIDs(t, s, "k"); len(ids) != 0 {
			t.Errorf("keepRaw=%v: still pending after saving: %v", keepRaw, ids)
		}
	}
}
