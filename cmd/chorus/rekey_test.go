package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chorus/pipeline/store"
)

// copyTree copies the files of src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStableIDsAndRekey: testdata/rekey/old.db was written by the chorus of
// commit 235adf0 (before stable ids), run in testdata/rekey as
//
//	chorus run --input archive --db old.db --out out --model vader --taxonomy taxonomy.toml
//
// The same command with this chorus re-keys the store in place: nothing is
// analysed again, and the ids are then those of a run from another folder,
// with the input given by an absolute path, and of a fresh store; the
// archive's own ids are in comments.csv.
func TestStableIDsAndRekey(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "testdata/rekey", dir)
	models := []string{"--model", "vader", "--taxonomy"}
	runIn := func(wd string, args ...string) string {
		t.Helper()
		full := append([]string{"run", "--log-format", "text"}, args...)
		code, stdout, stderr := chorusIn(t, wd, full...)
		if code != 0 {
			t.Fatalf("chorus %v in %s: exit %d\n%s", full, wd, code, stderr)
		}
		return stdout + stderr
	}
	tax := filepath.Join(dir, "taxonomy.toml")
	// Labels made on the migrated store before it is re-keyed (a coder who
	// labelled with the old ids) must follow their comments to the new ids.
	labelled := labelOldIDs(t, filepath.Join(dir, "old.db"))
	out := runIn(dir, append([]string{"--input", "archive", "--db", "old.db", "--out", "out"}, append(models, tax)...)...)
	if !strings.Contains(out, "re-keyed files stored by an older chorus") || !regexp.MustCompile(`; 0 analysed;`).MatchString(out) {
		t.Fatalf("the first run did not re-key without analysing:\n%s", out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := st.Documents(context.Background())
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.IDScheme != store.IDScheme || d.Status != store.StatusOK {
			t.Errorf("document %s: scheme %d, status %s after re-keying", d.Path, d.IDScheme, d.Status)
		}
	}
	checkLabelsFollowed(t, filepath.Join(dir, "old.db"), labelled)
	rekeyed := readFile(t, filepath.Join(dir, "out", "comments.csv"))

	// Another folder, the input by its absolute path, the same store.
	sub := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	out = runIn(sub, append([]string{"--input", filepath.Join(dir, "archive"), "--db", "../old.db", "--out", "../out2"}, append(models, tax)...)...)
	if !strings.Contains(out, "0 vanished") || !strings.Contains(out, "; 0 analysed;") {
		t.Errorf("a run from another folder changed the store:\n%s", out)
	}
	if got := readFile(t, filepath.Join(dir, "out2", "comments.csv")); !bytes.Equal(got, rekeyed) {
		t.Errorf("comments.csv from another folder differs from the re-keyed one")
	}
	// A fresh store from yet another folder gives the same rows.
	runIn(sub, append([]string{"--input", "../archive", "--db", "fresh.db", "--out", "out3"}, append(models, tax)...)...)
	if got := readFile(t, filepath.Join(sub, "out3", "comments.csv")); !bytes.Equal(got, rekeyed) {
		t.Errorf("comments.csv of a fresh store differs from the re-keyed one:\n%s\n%s", got, rekeyed)
	}
	// The archive's own ids are exported.
	for _, want := range []string{",p1,c1,", ",p1,c2,", ",p2,c9,"} {
		if !bytes.Contains(rekeyed, []byte(want)) {
			t.Errorf("comments.csv lacks the JSON Lines ids %q", want)
		}
	}
}

// labelOldIDs opens the old store (which migrates its schema but re-keys
// nothing: that is the run's work), labels its counted comments under
// their old ids, every one, and returns the labelled texts by old id.
func labelOldIDs(t *testing.T, db string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	texts := map[string]string{}
	var labels []store.Label
	err := st.Comments(ctx, "", func(c store.CommentRow) error {
		if c.Counted() {
			texts[c.ID] = c.Text
			labels = append(labels, store.Label{Coder: "ann", CommentID: c.ID, PostID: c.PostID, TextHash: store.TextHash(c.Text), Text: c.Text, Valence: -1, Source: "serve"})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) < 2 {
		t.Fatalf("the old store has %d counted comments to label", len(labels))
	}
	if _, _, err := st.SaveLabels(ctx, labels); err != nil {
		t.Fatal(err)
	}
	return texts
}

// checkLabelsFollowed fails unless the coder's labels are all still there,
// each on a stored comment of the new id scheme with the text it labelled.
func checkLabelsFollowed(t *testing.T, db string, old map[string]string) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	labels, err := st.Labels(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	stored, posts := map[string]string{}, map[string]string{}
	if err := st.Comments(ctx, "", func(c store.CommentRow) error { stored[c.ID], posts[c.ID] = c.Text, c.PostID; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(old) {
		t.Fatalf("%d labels after re-keying, want %d", len(labels), len(old))
	}
	moved := 0
	for _, l := range labels {
		text, ok := stored[l.CommentID]
		if !ok || text != l.Text {
			t.Errorf("label on %q after re-keying: no stored comment of that id with the labelled text (stored %v, %q)", l.CommentID, ok, text)
		}
		if l.PostID != posts[l.CommentID] {
			t.Errorf("label on %q after re-keying names post %q, but the comment is stored under %q", l.CommentID, l.PostID, posts[l.CommentID])
		}
		if _, same := old[l.CommentID]; !same {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no label changed its comment id: the re-keying was not exercised")
	}
}

// openStore opens the store at db or fails the test.
func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
