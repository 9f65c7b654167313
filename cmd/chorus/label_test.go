package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabelCommands runs the labelling path through the binary: run, sample,
// import two coders (one by comment id, one by text, one free unit), agree,
// export; and the usage errors.
func TestLabelCommands(t *testing.T) {
	in := t.TempDir()
	writeJSONL(t, in, 1, 30)
	out := filepath.Join(t.TempDir(), "out")
	db := out + ".db"
	if code, _, stderr := chorus(t, "run", "--input", in, "--out", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := chorus(t, "label", "sample", "--db", db, "--n", "6", "--strategy", "stratified", "--seed", "4")
	if code != 0 || !strings.Contains(stdout, "sampled 6 of 30 candidate comments") {
		t.Fatalf("sample: exit %d: %s %s", code, stdout, stderr)
	}
	if code, stdout, _ := chorus(t, "label", "sample", "--db", db, "--n", "6", "--strategy", "random", "--seed", "4"); code != 0 || !strings.Contains(stdout, "6 left out") {
		t.Errorf("second sample: exit %d: %s", code, stdout)
	}

	f, err := os.Open(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) < 4 {
		t.Fatalf("comments.csv: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var ann, bo strings.Builder
	for k, r := range rows[1:4] {
		fmt.Fprintf(&ann, `{"comment_id": %q, "valence": %d, "topics": []}`+"\n", r[col["comment_id"]], k-1)
		fmt.Fprintf(&bo, `{"text": %q, "valence": %d, "topics": []}`+"\n", strings.ToUpper(r[col["text"]]), k-1)
	}
	bo.WriteString(`{"text": "An invented unit no archive holds.", "valence": 1, "topics": ["workload"]}` + "\n")
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	annFile, boFile := write("ann.jsonl", ann.String()), write("bo.jsonl", bo.String())
	if code, stdout, stderr := chorus(t, "label", "import", "--db", db, "--coder", "ann", annFile); code != 0 || !strings.Contains(stdout, "3 matched by comment id") {
		t.Fatalf("import ann: exit %d: %s %s", code, stdout, stderr)
	}
	if code, stdout, stderr := chorus(t, "label", "import", "--db", db, "--coder", "bo", boFile); code != 0 || !strings.Contains(stdout, "3 by text") || !strings.Contains(stdout, "1 free units") {
		t.Fatalf("import bo: exit %d: %s %s", code, stdout, stderr)
	}
	badFile := write("bad.jsonl", `{"text": "x", "valence": 9, "topics": []}`+"\n")
	if code, _, stderr := chorus(t, "label", "import", "--db", db, "--coder", "cy", badFile); code != exitFailed || !strings.Contains(stderr, "bad.jsonl:1:") {
		t.Errorf("bad import: exit %d: %s", code, stderr)
	}
	code, stdout, stderr = chorus(t, "label", "agree", "--db", db)
	if code != 0 || !strings.Contains(stdout, "3 units labelled by two or more coders") || !strings.Contains(stdout, "ann / bo") {
		t.Errorf("agree: exit %d: %s %s", code, stdout, stderr)
	}
	gold := filepath.Join(dir, "gold.jsonl")
	if code, stdout, stderr := chorus(t, "label", "export", "--db", db, "--out", gold); code != 0 || !strings.Contains(stdout, "4 units from 7 labels (1 free units") {
		t.Errorf("export: exit %d: %s %s", code, stdout, stderr)
	}
	if code, stdout, stderr := chorus(t, "eval", "sentiment", "--gold", gold); code != 0 || !strings.Contains(stdout, "n = 4") {
		t.Errorf("eval on the export: exit %d: %s %s", code, stdout, stderr)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"label", "serve", "--db", db}, "--coder is required"},
		{[]string{"label", "serve", "--db", db, "--coder", "a b"}, "coder"},
		{[]string{"label", "import", "--db", db, annFile}, "--coder is required"},
		{[]string{"label", "export", "--db", db}, "--out is required"},
		{[]string{"label", "sample", "--db", db, "--strategy", "clever"}, "clever"},
		{[]string{"label", "sample", "--db", db, "--n", "0"}, "n must be"},
	} {
		if code, _, stderr := chorus(t, c.args...); code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
		}
	}
	// A database that does not exist is not created.
	missing := filepath.Join(dir, "typo.db")
	if code, _, stderr := chorus(t, "label", "sample", "--db", missing); code != exitFailed || !strings.Contains(stderr, "typo.db") {
		t.Errorf("missing db: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("label sample created a database")
	}
}

// TestTrainFromDatabase trains the sentiment model on labels stored by
// chorus label: the comments' posts group the folds, a free unit is a
// group of its own, and the weights record the hash of the gold set that
// chorus label export writes from the same labels.
func TestTrainFromDatabase(t *testing.T) {
	in := t.TempDir()
	writeJSONL(t, in, 1, 40) // four posts of ten comments
	out := filepath.Join(t.TempDir(), "out")
	db := out + ".db"
	if code, _, stderr := chorus(t, "run", "--input", in, "--out", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	dir := t.TempDir()
	weights := filepath.Join(dir, "model.json")
	if code, _, stderr := chorus(t, "train", "sentiment", "--db", db, "--out", weights); code != exitFailed || !strings.Contains(stderr, "no labels stored") {
		t.Errorf("train on no labels: exit %d, want %d and a message: %s", code, exitFailed, stderr)
	}
	f, err := os.Open(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 41 {
		t.Fatalf("comments.csv: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var ann strings.Builder
	for k, r := range rows[1:] {
		fmt.Fprintf(&ann, `{"comment_id": %q, "valence": %d, "topics": []}`+"\n", r[col["comment_id"]], k%3-1)
	}
	ann.WriteString(`{"text": "A free unit: thanks to everyone, what a great team.", "valence": 2, "topics": []}` + "\n")
	labels := filepath.Join(dir, "ann.jsonl")
	if err := os.WriteFile(labels, []byte(ann.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := chorus(t, "label", "import", "--db", db, "--coder", "ann", labels); code != 0 {
		t.Fatalf("import: exit %d: %s %s", code, stdout, stderr)
	}
	code, stdout, stderr := chorus(t, "train", "sentiment", "--db", db, "--coder", "ann", "--out", weights)
	if code != 0 {
		t.Fatalf("train --db: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"41 labelled comments in 5 posts (grouped by post_id)", "5 folds, leave-one-post-out", "macro-F1", "majority baseline", "wrote " + weights} {
		if !strings.Contains(stdout, want) {
			t.Errorf("train --db output lacks %q:\n%s", want, stdout)
		}
	}
	gold := filepath.Join(dir, "gold.jsonl")
	if code, _, stderr := chorus(t, "label", "export", "--db", db, "--out", gold); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	exported, err := os.ReadFile(gold)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(weights)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Training struct {
			SHA256 string `json:"sha256"`
			Items  int    `json:"items"`
		} `json:"training"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatalf("weights: %v", err)
	}
	sum := sha256.Sum256(exported)
	if w.Training.SHA256 != hex.EncodeToString(sum[:]) || w.Training.Items != 41 {
		t.Errorf("weights record training %+v, want the export's SHA-256 %x and 41 items", w.Training, sum)
	}
	if code, _, stderr := chorus(t, "run", "--input", in, "--out", out, "-q", "--sentiment-model", weights); code != 0 {
		t.Errorf("run with the trained weights: exit %d: %s", code, stderr)
	}
	for _, args := range [][]string{
		{"train", "sentiment", "--db", db, "--gold", gold, "--out", weights},
		{"train", "sentiment", "--gold", gold, "--coder", "ann", "--out", weights},
		{"train", "sentiment", "--db", db, "--coder", "no good", "--out", weights},
	} {
		if code, _, _ := chorus(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
