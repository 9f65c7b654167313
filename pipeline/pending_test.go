package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chorus/pipeline/store"
)

// reanalyse runs cfg, which must re-analyse what is stored without reading
// a file, and returns how many comments it analysed and re-tagged only, and
// how many posts' rows the report stage still had to encode from the store.
func reanalyse(t *testing.T, cfg Config) (analysed, retagged, encoded int) {
	t.Helper()
	var logs bytes.Buffer
	sum, err := (&Runner{Log: slog.New(slog.NewTextHandler(&logs, nil))}).Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if sum.FilesRead != 0 {
		t.Errorf("a re-analysis read %d files", sum.FilesRead)
	}
	_, after, _ := strings.Cut(logs.String(), "posts_encoded=")
	if encoded, err = strconv.Atoi(strings.TrimRight(strings.SplitN(after, "\n", 2)[0], " ")); err != nil {
		t.Fatalf("the run logged no report rows line:\n%s", logs.String())
	}
	return sum.Analysed, sum.Retagged, encoded
}

// TestModelChangeBuildsRowsWhileAnalysing: after a model change, and after
// a taxonomy change, a run re-analyses every stored comment from its stored
// text, builds every post's report rows as it saves the post's analyses
// (the report stage encodes none from the store), and publishes what a
// cold run with the new model publishes, every CSV byte for byte (checked
// against a run into a fresh database whose rows all come from the store).
// A post whose comments were stored at two times (one comment edited) is
// built too.
func TestModelChangeBuildsRowsWhileAnalysing(t *testing.T) {
	in := t.TempDir()
	genArchive(t, in, 300, 3)
	writeArchive(t, filepath.Join(in, "fx"))
	cfg := testConfig(t, in)
	cfg.Model = DefaultConfig().Model
	cold := run(t, cfg)

	// One comment of a post edited: the post's comments now lie apart.
	edited := strings.Replace(pageB, "IT is a shambles", "IT is a disgrace", 1)
	if err := os.WriteFile(filepath.Join(in, "fx", "b_2015.txt"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum := run(t, cfg); sum.Updated != 1 {
		t.Fatalf("the edit updated %d comments, want 1", sum.Updated)
	}

	cfg.Model = "lexicon"
	analysed, retagged, encoded := reanalyse(t, cfg)
	if analysed != cold.Comments || retagged != 0 || encoded != 0 {
		t.Errorf("model change: analysed %d (want %d), re-tagged only %d (want 0), %d posts encoded by the report stage (want 0)",
			analysed, cold.Comments, retagged, encoded)
	}
	sameAsFresh(t, cfg, "model changed")

	tax := filepath.Join(t.TempDir(), "tax.toml")
	if err := os.WriteFile(tax, []byte("[[topic]]\nname = \"hardware\"\nlabel = \"Hardware\"\n\n[topic.terms]\nlaptop = 1.0\nsystem = 0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Taxonomy = tax
	analysed, retagged, encoded = reanalyse(t, cfg)
	if analysed != cold.Comments || retagged != cold.Comments || encoded != 0 {
		t.Errorf("taxonomy change: analysed %d, re-tagged only %d (want %d both), %d posts encoded by the report stage (want 0)",
			analysed, retagged, cold.Comments, encoded)
	}
	sameAsFresh(t, cfg, "taxonomy changed")
}

// TestPostGrouper: a wanted post goes to a worker whole once all its
// comments have come by; other pending comments go in batches; a post held
// past the limit, or incomplete when the walk ends, is given up and only
// its pending comments are analysed.
func TestPostGrouper(t *testing.T) {
	row := func(post string, seq int64, pending bool) *store.PendingRow {
		r := &store.PendingRow{Pending: pending}
		r.PostID, r.Seq = post, seq
		return r
	}
	wanted := map[string]*store.PostRow{
		"a": {ID: "a", FoundComments: 2},
		"b": {ID: "b", FoundComments: 3}, // given up past the limit
		"c": {ID: "c", FoundComments: 2}, // incomplete at the end
	}
	var got []string
	g := newPostGrouper(wanted, 3, func(u pendingUnit) error {
		s := "loose"
		if u.post != nil {
			s = u.post.ID
		}
		for _, r := range u.rows {
			s += " " + strconv.FormatInt(r.Seq, 10)
		}
		got = append(got, s)
		return nil
	})
	for _, r := range []*store.PendingRow{
		row("b", 1, true), row("b", 2, false), row("a", 3, true),
		row("c", 4, true), // four held: b, held longest, is given up
		row("x", 5, true), row("x", 6, false), row("a", 7, false), row("b", 8, true),
	} {
		if err := g.add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.finish(); err != nil {
		t.Fatal(err)
	}
	want := []string{"a 3 7", "loose 1 5 8 4"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("units %q, want %q", got, want)
	}
}
