package label

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chorus/corpus"
	"chorus/internal/analysis"
	"chorus/models/redact"
	"chorus/models/topics"
	"chorus/pipeline/store"
)

// The fixture archive, testdata/archive.jsonl, is invented: three posts in
// three months, twelve comments, one reply per post, one duplicate and one
// email address.

// fixtureStore stores the fixture archive in a fresh database.
func fixtureStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chorus.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data, err := os.ReadFile(filepath.Join("testdata", "archive.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	doc, rej := corpus.Parse("archive.jsonl", data, corpus.Options{})
	if rej != nil {
		t.Fatal(rej)
	}
	if _, _, err := st.ReplaceAnalysed(ctx, []*corpus.Document{doc}, false, redact.New().Text, "", nil); err != nil {
		t.Fatal(err)
	}
	return st, path
}

// analyse saves an analysis under key for every counted comment, with the
// class probabilities probs returns for its id.
func analyse(t testing.TB, st *store.Store, key string, probs func(id string) (pos, neu, neg float64)) {
	t.Helper()
	ctx := context.Background()
	if err := st.DescribeKey(ctx, key, "", "test"); err != nil {
		t.Fatal(err)
	}
	var batch []analysis.Analysis
	if err := st.PendingAnalysis(ctx, key, func(c analysis.CommentText) error {
		p, u, n := probs(c.ID)
		batch = append(batch, analysis.Analysis{Seq: c.Seq, CommentID: c.ID, NTokens: 1, NSentences: 1, Pos: p, Neu: u, Neg: n, Label: "neutral"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveAnalyses(ctx, key, batch); err != nil {
		t.Fatal(err)
	}
}

func defaultTaxonomy(t testing.TB) *topics.Taxonomy {
	t.Helper()
	tax, err := topics.Default()
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

func importFixture(t testing.TB, st *store.Store, coder string) ImportSummary {
	t.Helper()
	sum, err := Import(context.Background(), st, coder, filepath.Join("testdata", coder+".jsonl"), defaultTaxonomy(t), redact.New().Text)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}
