package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// helperEnv selects a helper role when the test binary re-executes itself:
// flock belongs to an open file description and SIGKILL ends a process, so
// the lock and crash tests need a second process.
const helperEnv = "CHORUS_STORE_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "lock":
		os.Exit(helperLock(os.Getenv("CHORUS_STORE_TEST_DB")))
	case "writer":
		os.Exit(helperWriter(os.Getenv("CHORUS_STORE_TEST_DB")))
	default:
		fmt.Fprintln(os.Stderr, "unknown helper", os.Getenv(helperEnv))
		os.Exit(2)
	}
}

// openTemp opens a fresh store in a test folder and closes it at cleanup.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chorus.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// phrases make invented comment text; nothing here comes from real data.
var phrases = []string{
	"the caseload went up again this month",
	"nobody in the office knows who runs the contract now",
	"a good supervisor makes all the difference",
	"the new system logs us out every hour",
	"we were promised training that never came",
	"thanks for writing this, it helps to read",
	"morale is lower than I have ever seen it",
	"the split has made handovers a nightmare",
}

// makeDoc invents a document at path with nPosts posts of nComments comments
// each; tag goes into every text, so two versions of a file differ in every
// comment.
func makeDoc(path string, nPosts, nComments int, tag string) *corpus.Document {
	doc := &corpus.Document{
		Path: path, SHA256: fmt.Sprintf("%x-%s", len(path), tag), Format: corpus.FormatJSONL,
		Size: int64(nPosts * nComments * 60),
	}
	for i := range nPosts {
		pid := corpus.PostID(path, i)
		p := corpus.Post{
			ID: pid, Date: fmt.Sprintf("2015-%02d-%02d", 1+i%12, 1+i%28), DateSource: corpus.DateFromJSONL,
			Title: fmt.Sprintf("post %d of %s", i, path), Body: []string{"first paragraph", "second paragraph"},
			SourceFile: path, DeclaredComments: nComments,
		}
		for j := range nComments {
			c := corpus.Comment{
				ID: corpus.CommentID(pid, j), PostID: pid, Position: j, Section: corpus.SectionThread,
				Author: fmt.Sprintf("reader%d", j%5), Status: corpus.StatusPublished,
				Text: fmt.Sprintf("%s (%s #%d)", phrases[(i+j)%len(phrases)], tag, j),
			}
			if j > 0 && j%4 == 0 {
				c.ParentID = corpus.CommentID(pid, j-1)
				c.Depth = 1
			}
			p.Comments = append(p.Comments, c)
		}
		doc.Posts = append(doc.Posts, p)
	}
	return doc
}

// fakeAnalysis is a deterministic analysis of a comment's text, so that a
// test can check the joined values.
func fakeAnalysis(c analysis.CommentText) analysis.Analysis {
	n := len(strings.Fields(c.Text))
	return analysis.Analysis{
		Seq: c.Seq, CommentID: c.ID, NTokens: n, NSentences: 1 + n%3,
		Compound: float64(n%7)/7 - 0.5, Pos: 0.25, Neu: 0.5, Neg: 0.25, Label: "neutral",
		Evidence: "fake", Topics: []string{"workload", "morale"},
		TopicScores: map[string]float64{"workload": float64(n) / 10, "morale": 0.5}, TopicEvidence: "caseload",
	}
}

// analyseAll saves a fakeAnalysis under key for every pending comment and
// returns how many there were.
func analyseAll(t testing.TB, s *Store, key string) int {
	t.Helper()
	ctx := context.Background()
	var batch []analysis.Analysis
	n := 0
	err := s.PendingAnalysis(ctx, key, func(c analysis.CommentText) error {
		n++
		batch = append(batch, fakeAnalysis(c))
		if len(batch) == 1000 {
			if err := s.SaveAnalyses(ctx, key, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnalyses(ctx, key, batch); err != nil {
		t.Fatal(err)
	}
	return n
}

// pendingIDs lists the ids PendingAnalysis offers under key.
func pendingIDs(t testing.TB, s *Store, key string) []string {
	t.Helper()
	var ids []string
	if err := s.PendingAnalysis(context.Background(), key, func(c analysis.CommentText) error {
		ids = append(ids, c.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// allComments collects Comments under key.
func allComments(t testing.TB, s *Store, key string) []CommentRow {
	t.Helper()
	var out []CommentRow
	if err := s.Comments(context.Background(), key, func(r CommentRow) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// count runs a count(*) query.
func count(t testing.TB, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
