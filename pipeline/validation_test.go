package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/pipeline/store"
)

// validationOf reads the validation key of manifest.json and the page's
// validation section.
func validationOf(t *testing.T, out string) (json.RawMessage, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	i, j := strings.Index(s, `<h2 id="validation">`), strings.Index(s, `<h2 id="rejected">`)
	if i < 0 || j < i {
		t.Fatal("index.html has no validation section")
	}
	return m["validation"], s[i:j]
}

// saveLabels stores labels in the run's database.
func saveLabels(t *testing.T, cfg Config, labels []store.Label) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := st.SaveLabels(ctx, labels); err != nil {
		t.Fatal(err)
	}
}

// twoCoderLabels labels four stored comments by two coders, who disagree
// on the first; it returns the comments and the labels, not yet saved.
func twoCoderLabels(t *testing.T, cfg Config) ([]store.CommentRow, []store.Label) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	var comments []store.CommentRow
	err = st.Comments(ctx, "", func(r store.CommentRow) error {
		if r.Counted() && r.Text != "" && len(comments) < 4 {
			comments = append(comments, r)
		}
		return nil
	})
	st.Close()
	if err != nil || len(comments) < 4 {
		t.Fatalf("stored comments: %d, %v", len(comments), err)
	}
	var labels []store.Label
	for i, c := range comments {
		for _, coder := range []string{"ann", "bob"} {
			val := i%3 - 1
			if coder == "bob" && i == 0 {
				val = 2
			}
			labels = append(labels, store.Label{Coder: coder, CommentID: c.ID, TextHash: store.TextHash(c.Text), Text: c.Text, Valence: val, Topics: []string{"workload"}[:i%2]})
		}
	}
	return comments, labels
}

// TestValidationFewLabelsAndFailure: with labels too few for
// cross-validation the section gives the agreement and says why there is
// no cross-validation, the same on every run (seeded bootstrap); labels
// that cannot be reconciled leave the run green and the section saying the
// figures could not be computed.
func TestValidationFewLabelsAndFailure(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	if v, sec := validationOf(t, cfg.Output); !strings.Contains(sec, "No hand labels yet:") || !strings.Contains(string(v), `"labels": 0`) {
		t.Fatalf("no labels: manifest %s, section:\n%s", v, sec)
	}

	comments, labels := twoCoderLabels(t, cfg)
	saveLabels(t, cfg, labels)
	run(t, cfg)
	v1, sec := validationOf(t, cfg.Output)
	for _, want := range []string{"8 hand labels by 2 coders", "Agreement between coders", "8 labels by 2 coders on the 4 units",
		"Too few hand labels for cross-validation: 4 units in", "at least 30 units in at least 2 posts", "topic workload: agreement F1"} {
		if !strings.Contains(sec, want) {
			t.Errorf("validation section lacks %q:\n%s", want, sec)
		}
	}
	var got struct {
		Agreement *struct{ Units int } `json:"agreement"`
		CV        *json.RawMessage     `json:"cross_validation"`
	}
	if err := json.Unmarshal(v1, &got); err != nil || got.Agreement == nil || got.Agreement.Units != 4 || got.CV != nil {
		t.Errorf("manifest validation %s (%v): want agreement on 4 units and no cross-validation", v1, err)
	}
	run(t, cfg)
	if v2, sec2 := validationOf(t, cfg.Output); string(v2) != string(v1) || sec2 != sec {
		t.Errorf("the validation figures changed between two runs on the same labels:\n%s\n%s", v1, v2)
	}

	// ann labels the first comment twice: once by id, once as a free
	// unit of the same text. Gold refuses that; the run does not fail.
	c := comments[0]
	saveLabels(t, cfg, []store.Label{{Coder: "ann", TextHash: store.TextHash(c.Text), Text: c.Text, Valence: 1}})
	run(t, cfg)
	v3, sec3 := validationOf(t, cfg.Output)
	if !strings.Contains(sec3, "could not be computed") || !strings.Contains(sec3, "twice") {
		t.Errorf("failed validation: section does not say so:\n%s", sec3)
	}
	var failed struct {
		Labels int    `json:"labels"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal(v3, &failed); err != nil || failed.Error == "" || failed.Labels != 9 {
		t.Errorf("failed validation: manifest %s (%v): want 9 labels and an error", v3, err)
	}
}

// TestValidationCache: the figures of unchanged labels come from
// DB.validation (a cache whose figures were doctored, under the right
// digest, is what the next run publishes); a changed label, and a damaged
// cache, are computed again, to the figures of a run without a cache.
func TestValidationCache(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	_, labels := twoCoderLabels(t, cfg)
	saveLabels(t, cfg, labels)
	run(t, cfg)
	db := cfg.DatabasePath()
	fresh, _ := validationOf(t, cfg.Output)
	c, ok := readValidationCache(t, db)
	if !ok {
		t.Fatal("no validation cache after a run with labels")
	}
	c.Figures.Labels = 999
	if err := saveValidation(db, c.Digest, c.Figures); err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
	if v, _ := validationOf(t, cfg.Output); !strings.Contains(string(v), `"labels": 999`) {
		t.Fatalf("a run over unchanged labels did not take the cached figures: %s", v)
	}

	// A damaged cache: computed again, and the cache rewritten.
	b, err := os.ReadFile(validationCachePath(db))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0x40
	if err := os.WriteFile(validationCachePath(db), b, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
	if v, _ := validationOf(t, cfg.Output); string(v) != string(fresh) {
		t.Errorf("figures over a damaged cache:\n%s\nwant those computed:\n%s", v, fresh)
	}
	if _, ok := readValidationCache(t, db); !ok {
		t.Error("a damaged cache was not replaced")
	}

	// A changed label: new figures, the same as with no cache.
	labels[0].Valence = -2
	saveLabels(t, cfg, labels[:1])
	run(t, cfg)
	changed, _ := validationOf(t, cfg.Output)
	if string(changed) == string(fresh) {
		t.Fatal("a changed label left the figures as they were")
	}
	if err := os.Remove(validationCachePath(db)); err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
	if v, _ := validationOf(t, cfg.Output); string(v) != string(changed) {
		t.Errorf("figures without a cache:\n%s\nwant those of the cached run:\n%s", v, changed)
	}
}

// readValidationCache decodes DB.validation, if it is sound.
func readValidationCache(t *testing.T, db string) (validationCache, bool) {
	t.Helper()
	b, err := os.ReadFile(validationCachePath(db))
	if err != nil || len(b) < sha256.Size {
		return validationCache{}, false
	}
	if sum := sha256.Sum256(b[sha256.Size:]); !bytes.Equal(sum[:], b[:sha256.Size]) {
		return validationCache{}, false
	}
	var c validationCache
	if err := gob.NewDecoder(bytes.NewReader(b[sha256.Size:])).Decode(&c); err != nil {
		return validationCache{}, false
	}
	return c, true
}
