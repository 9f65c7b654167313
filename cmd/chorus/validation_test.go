package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// manifestValidation is the validation key of manifest.json, as far as the
// test reads it.
type manifestValidation struct {
	Labels    int      `json:"labels"`
	Units     int      `json:"units"`
	Free      int      `json:"free_units"`
	Coders    []string `json:"coders"`
	Agreement *struct {
		Units   int `json:"units"`
		Codings int `json:"codings"`
		Pairs   []struct {
			A, B    string
			N       int      `json:"units"`
			Percent *mfigure `json:"percent"`
			Kappa   *mfigure `json:"kappa"`
		} `json:"pairs"`
		Nominal  *mfigure `json:"alpha_nominal"`
		Interval *mfigure `json:"alpha_interval"`
		Topics   []struct {
			Topic string   `json:"topic"`
			F1    *mfigure `json:"f1"`
		} `json:"topics"`
	} `json:"agreement"`
	CV *struct {
		N        int      `json:"units"`
		Posts    int      `json:"posts"`
		Folds    int      `json:"folds"`
		MacroF1  *mfigure `json:"macro_f1"`
		Spearman *mfigure `json:"spearman"`
		Accuracy *mfigure `json:"accuracy"`
		Majority *mfigure `json:"majority_baseline_accuracy"`
	} `json:"cross_validation"`
	Error string `json:"error"`
}

type mfigure struct{ Value, Low, High *float64 }

// String is the figure as the commands print it (evaluate.Interval).
func (f *mfigure) String() string {
	if f == nil || f.Value == nil || f.Low == nil || f.High == nil {
		return "undefined"
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", *f.Value, *f.Low, *f.High)
}

func readValidation(t *testing.T, out string) (manifestValidation, string, map[string]json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	var v manifestValidation
	if err := json.Unmarshal(raw["validation"], &v); err != nil {
		t.Fatalf("manifest.json validation %s: %v", raw["validation"], err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return v, string(page), raw
}

// validationSection cuts the page's validation section out, returning it
// and the page without it.
func validationSection(t *testing.T, page string) (section, rest string) {
	t.Helper()
	start := strings.Index(page, `<h2 id="validation">`)
	end := strings.Index(page, `<h2 id="rejected">`)
	if start < 0 || end < start {
		t.Fatalf("index.html has no validation section before the rejected input")
	}
	return page[start:end], page[:start] + page[end:]
}

// TestRunValidationSection: without labels the page's validation section
// says so in one sentence and the manifest records none; with two coders'
// labels the page and manifest carry the agreement and cross-validated
// figures, equal to what chorus label agree and chorus train sentiment
// --db print for the same store, and nothing outside the section changes.
func TestRunValidationSection(t *testing.T) {
	in := t.TempDir()
	writeJSONL(t, in, 1, 40) // four posts of ten comments
	out := filepath.Join(t.TempDir(), "out")
	db := out + ".db"
	run := func() {
		t.Helper()
		if code, _, stderr := chorus(t, "run", "--input", in, "--out", out, "-q"); code != 0 {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
	}
	run()
	v, page, before := readValidation(t, out)
	sec, restBefore := validationSection(t, page)
	if !strings.Contains(sec, "No hand labels yet:") || !strings.Contains(sec, "docs/labelling.md") {
		t.Errorf("no labels: the validation section does not say so:\n%s", sec)
	}
	if strings.Count(sec, "<p>") != 1 || strings.Contains(sec, "<table>") {
		t.Errorf("no labels: the validation section is more than one sentence:\n%s", sec)
	}
	if v.Labels != 0 || v.Agreement != nil || v.CV != nil || v.Error != "" {
		t.Errorf("no labels: manifest validation %+v", v)
	}

	dir := t.TempDir()
	ids := commentIDs(t, out)
	var ann, bob strings.Builder
	for k, id := range ids {
		val, topics := k%5-2, `[]`
		if k%3 == 0 {
			topics = `["workload"]`
		}
		fmt.Fprintf(&ann, `{"comment_id": %q, "valence": %d, "topics": %s}`+"\n", id, val, topics)
		if k < 24 {
			if k%4 == 0 {
				val = -val // bob disagrees on a quarter of them
			}
			if k%6 == 0 || k%7 == 0 {
				topics = `["workload"]`
			}
			fmt.Fprintf(&bob, `{"comment_id": %q, "valence": %d, "topics": %s}`+"\n", id, val, topics)
		}
	}
	for coder, lines := range map[string]string{"ann": ann.String(), "bob": bob.String()} {
		f := filepath.Join(dir, coder+".jsonl")
		if err := os.WriteFile(f, []byte(lines), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, stdout, stderr := chorus(t, "label", "import", "--db", db, "--coder", coder, f); code != 0 {
			t.Fatalf("import %s: exit %d: %s %s", coder, code, stdout, stderr)
		}
	}
	run()
	v, page, after := readValidation(t, out)
	sec, restAfter := validationSection(t, page)
	if v.Labels != 64 || v.Units != 40 || v.Free != 0 || strings.Join(v.Coders, ",") != "ann,bob" || v.Error != "" {
		t.Fatalf("labels: manifest validation %+v", v)
	}
	if v.Agreement == nil || v.CV == nil {
		t.Fatalf("labels: manifest validation lacks figures: %+v", v)
	}

	code, agree, stderr := chorus(t, "label", "agree", "--db", db)
	if code != 0 {
		t.Fatalf("label agree: exit %d: %s", code, stderr)
	}
	ag := v.Agreement
	if ag.Units != 24 || ag.Codings != 48 || len(ag.Pairs) != 1 || ag.Pairs[0].N != 24 {
		t.Errorf("agreement: %d units, %d codings, pairs %+v; want 24, 48 and one pair of 24", ag.Units, ag.Codings, ag.Pairs)
	}
	if !strings.Contains(agree, fmt.Sprintf("%d units labelled by two or more coders (%d labels", ag.Units, ag.Codings)) {
		t.Errorf("label agree counts differ from the manifest's %d units, %d labels:\n%s", ag.Units, ag.Codings, agree)
	}
	agreeFigs := map[string]*mfigure{"Krippendorff's alpha, nominal": ag.Nominal, "Krippendorff's alpha, interval": ag.Interval}
	if len(ag.Pairs) == 1 {
		agreeFigs["ann / bob"] = ag.Pairs[0].Kappa
		agreeFigs["ann / bob "] = ag.Pairs[0].Percent
	}
	for _, tp := range ag.Topics {
		if tp.Topic == "workload" {
			agreeFigs["workload"] = tp.F1
		}
	}
	if agreeFigs["workload"] == nil {
		t.Error("manifest validation has no workload topic")
	}
	for label, f := range agreeFigs {
		want := f.String()
		if want == "undefined" {
			t.Errorf("%s is undefined in the manifest", label)
			continue
		}
		if !lineHas(agree, strings.TrimSpace(label), want) {
			t.Errorf("label agree's %s line lacks the manifest's %s:\n%s", label, want, agree)
		}
		if !strings.Contains(sec, want) {
			t.Errorf("the page's validation section lacks %s (%s):\n%s", want, label, sec)
		}
	}

	weights := filepath.Join(dir, "model.json")
	code, train, stderr := chorus(t, "train", "sentiment", "--db", db, "--out", weights)
	if code != 0 {
		t.Fatalf("train sentiment --db: exit %d: %s", code, stderr)
	}
	cv := v.CV
	if !strings.Contains(train, fmt.Sprintf("%d labelled comments in %d posts", cv.N, cv.Posts)) || !strings.Contains(train, fmt.Sprintf("%d folds", cv.Folds)) {
		t.Errorf("train's counts differ from the manifest's %d units, %d posts, %d folds:\n%s", cv.N, cv.Posts, cv.Folds, train)
	}
	for label, f := range map[string]*mfigure{"macro-F1": cv.MacroF1, "Spearman rho": cv.Spearman, "accuracy ": cv.Accuracy, "majority baseline": cv.Majority} {
		want := f.String()
		if want == "undefined" {
			t.Errorf("%s is undefined in the manifest", label)
			continue
		}
		if !lineHas(train, label, want) {
			t.Errorf("train's %s line lacks the manifest's %s:\n%s", label, want, train)
		}
		if !strings.Contains(sec, want) {
			t.Errorf("the page's validation section lacks %s (%s):\n%s", want, label, sec)
		}
	}
	for _, want := range []string{"grouped cross-validation on this archive's 40 hand-labelled comments (folds by post)", "2 coders on the 24 units"} {
		if !strings.Contains(strings.ToLower(sec), strings.ToLower(want)) {
			t.Errorf("the validation section lacks %q:\n%s", want, sec)
		}
	}

	// Nothing outside the section changed: the page but for its run time,
	// and the manifest but for its validation key, times and stages.
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
	if stamp.ReplaceAllString(restBefore, "T") != stamp.ReplaceAllString(restAfter, "T") {
		t.Error("labels changed index.html outside its validation section")
	}
	for k, b := range before {
		switch k {
		case "validation", "started_at", "finished_at", "stages", "outputs":
			continue
		}
		if string(after[k]) != string(b) {
			t.Errorf("labels changed manifest.json's %s: %s, then %s", k, b, after[k])
		}
	}
}

// lineHas says whether a line of out starting with prefix (after spaces)
// contains want.
func lineHas(out, prefix, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) && strings.Contains(l, want) {
			return true
		}
	}
	return false
}

// commentIDs returns comments.csv's comment ids, in its order.
func commentIDs(t *testing.T, out string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("comments.csv: %d rows, %v", len(rows), err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "comment_id" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("comments.csv has no comment_id column")
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[col])
	}
	return ids
}
