package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"chorus/pipeline/store"
)

// chorusBin is the binary under test, built once by TestMain.
var chorusBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chorus-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	chorusBin = filepath.Join(dir, "chorus")
	out, err := exec.Command("go", "build", "-o", chorusBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build chorus: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// chorus runs the binary and returns its exit code, stdout and stderr.
func chorus(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return chorusIn(t, "", args...)
}

// chorusIn is chorus run in the folder dir ("" for the test's own).
// A run or report draws its charts at the lowest resolution unless the
// test asks for one: at the default, drawing them was most of this
// package's test time, and the tests that look at charts say so.
func chorusIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	if len(args) > 0 && (args[0] == "run" || args[0] == "report") && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--chart-dpi") }) {
		args = append(slices.Clone(args), "--chart-dpi", "25")
	}
	cmd := exec.Command(chorusBin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	default:
		t.Fatalf("run chorus %v: %v", args, err)
		return -1, "", ""
	}
}

// writeJSONL writes an invented archive of files*perFile comments.
func writeJSONL(t *testing.T, dir string, files, perFile int) {
	t.Helper()
	words := []string{"caseload", "rota", "laptop", "union", "ballot", "court", "report", "manager", "owner", "contract", "sick", "tired", "hopeful", "shambles", "thanks"}
	for f := range files {
		var b strings.Builder
		for i := range perFile {
			post := fmt.Sprintf("p%d-%d", f, i/10)
			date := fmt.Sprintf("%d-%02d-%02d", 2014+(f+i/10)%8, 1+(i/10)%12, 1+i%28)
			text := fmt.Sprintf("Comment %d of file %d: the %s and the %s again, %s.", i, f, words[i%len(words)], words[(i*7+f)%len(words)], words[(i*3)%len(words)])
			fmt.Fprintf(&b, `{"post_id":%q,"post_date":%q,"comment_id":"%d","text":%q}`+"\n", post, date, i, text)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("part%02d.jsonl", f)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExitCodes(t *testing.T) {
	if code, _, stderr := chorus(t, "run", "--no-such-flag"); code != exitUsage || !strings.Contains(stderr, "unknown flag") {
		t.Errorf("bad flag: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := chorus(t, "run", "--period", "fortnight", "--out", t.TempDir()+"/o"); code != exitUsage || !strings.Contains(stderr, "fortnight") {
		t.Errorf("bad period: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := chorus(t, "run", "--input", "/no/such/archive", "--out", t.TempDir()+"/o"); code != exitFailed || !strings.Contains(stderr, "/no/such/archive") {
		t.Errorf("missing input: exit %d, stderr %q", code, stderr)
	}

	// A second run while one holds the database exits 3 at once.
	out := filepath.Join(t.TempDir(), "out")
	unlock, err := store.Lock(out + ".db")
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := chorus(t, "run", "--out", out)
	if code != exitLocked || !strings.Contains(stderr, "locked by another chorus run") {
		t.Errorf("locked: exit %d, stderr %q", code, stderr)
	}
	unlock()
	code, stdout, _ := chorus(t, "run", "--out", out, "--model", "vader", "-q")
	if code != 0 || !strings.Contains(stdout, "reports in "+out) {
		t.Errorf("after unlock: exit %d, stdout %q", code, stdout)
	}
}

// TestKillMidRun kills chorus with SIGKILL while it reads and while it
// analyses a few thousand comments, runs it again, and checks that the
// outputs equal a clean run's and that the database is intact.
func TestKillMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary several times")
	}
	in := t.TempDir()
	writeJSONL(t, in, 8, 500)

	clean := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := chorus(t, "run", "--input", in, "--out", clean, "-q"); code != 0 {
		t.Fatalf("clean run: exit %d: %s", code, stderr)
	}

	for _, stage := range []string{"stage=discover", "stage=read"} {
		t.Run(stage, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			killAfter(t, stage, "run", "--input", in, "--out", out, "--workers", "1")
			if code, _, stderr := chorus(t, "run", "--input", in, "--out", out, "-q"); code != 0 {
				t.Fatalf("run after kill: exit %d: %s", code, stderr)
			}
			for _, f := range []string{"comments.csv", "posts.csv", "daily.csv", "topics.csv", "trends.csv", "rejects.csv"} {
				want, err1 := os.ReadFile(filepath.Join(clean, f))
				got, err2 := os.ReadFile(filepath.Join(out, f))
				if err1 != nil || err2 != nil {
					t.Fatalf("read %s: %v %v", f, err1, err2)
				}
				// Source paths are the same; only the output folder differs.
				if !bytes.Equal(got, want) {
					t.Errorf("%s after a kill differs from a clean run's", f)
				}
			}
			if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.staging-*")); len(stale) != 0 {
				t.Errorf("the killed run's staging folder was not cleared: %v", stale)
			}
			if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.db.spool-*")); len(stale) != 0 {
				t.Errorf("the killed run's spool was not removed: %v", stale)
			}
			st, err := store.Open(context.Background(), out+".db")
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.IntegrityCheck(context.Background()); err != nil {
				t.Errorf("integrity check: %v", err)
			}
		})
	}
}

// killAfter starts chorus, waits for a log line containing marker on its
// stderr, and kills it with SIGKILL.
func killAfter(t *testing.T, marker string, args ...string) {
	t.Helper()
	cmd := exec.Command(chorusBin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		found := false
		for sc.Scan() {
			if !found && strings.Contains(sc.Text(), marker) {
				found = true
				_ = cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		seen <- found
	}()
	select {
	case found := <-seen:
		if !found {
			t.Fatalf("chorus ended without logging %q", marker)
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("chorus did not finish")
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("chorus was not killed mid-run (it finished first?): %v", err)
	}
}

func TestScoreOutputFormat(t *testing.T) {
	cmd := exec.Command(chorusBin, "score", "--model", "vader")
	cmd.Stdin = strings.NewReader("a\tThis is a GREAT day!\r\nb\tThe rota is a total shambles and I am furious.\nthe form has four pages\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines: %q", len(lines), out)
	}
	for i, want := range []struct{ id, label string }{{"a", "positive"}, {"b", "negative"}, {"", "neutral"}} {
		f := strings.Split(lines[i], "\t")
		if len(f) != 6 || f[0] != want.id || f[5] != want.label {
			t.Errorf("line %d = %q, want id %q label %q", i, lines[i], want.id, want.label)
			continue
		}
		// compound to 4 decimals, the proportions to 3, as the reference.
		if dot := strings.IndexByte(f[1], '.'); dot < 0 || len(f[1])-dot-1 != 4 {
			t.Errorf("compound %q not to 4 decimals", f[1])
		}
		for _, p := range f[2:5] {
			if dot := strings.IndexByte(p, '.'); dot < 0 || len(p)-dot-1 != 3 {
				t.Errorf("proportion %q not to 3 decimals", p)
			}
		}
	}
}

func TestEvalAndCalibrateOnInventedGold(t *testing.T) {
	dir := t.TempDir()
	gold := filepath.Join(dir, "gold.jsonl")
	var b strings.Builder
	texts := []struct {
		text, label string
		v           float64
	}{
		{"What an utter shambles, I am furious.", "negative", -2}, {"Thanks, well said.", "positive", 1.3},
		{"The meeting is on Tuesday.", "neutral", 0}, {"Morale has never been lower, it is awful.", "negative", -1.7},
		{"Lovely to see you all, great work.", "positive", 1.7}, {"The form has four pages.", "neutral", 0},
		{"This is a disgrace and a farce.", "negative", -1.7}, {"Brilliant news, so pleased.", "positive", 2},
		{"Court is at ten.", "neutral", 0}, {"I hate this job now.", "negative", -1.3},
	}
	for i, x := range texts {
		fmt.Fprintf(&b, "{\"post_id\": \"p%d\", \"text\": %q, \"label\": %q, \"mean_valence\": %g}\n", i%2, x.text, x.label, x.v)
	}
	if err := os.WriteFile(gold, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := chorus(t, "eval", "sentiment", "--gold", gold)
	if code != 0 || !strings.Contains(out, "macro-F1") || !strings.Contains(out, "n = 10") || !strings.Contains(out, "gold\\pred") {
		t.Errorf("eval sentiment: exit %d\n%s%s", code, out, stderr)
	}
	th := filepath.Join(dir, "th.toml")
	code, out, stderr = chorus(t, "calibrate", "--gold", gold, "--folds", "2", "--thresholds", th)
	if code != 0 || !strings.Contains(out, "cross-validated") {
		t.Fatalf("calibrate: exit %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(th); err != nil {
		t.Fatalf("calibrate wrote no thresholds file: %v", err)
	}
	code, out, stderr = chorus(t, "eval", "sentiment", "--gold", gold, "--thresholds", th)
	if code != 0 || !strings.Contains(out, "macro-F1") {
		t.Errorf("eval with calibrated thresholds: exit %d\n%s%s", code, out, stderr)
	}
	// train: grouped CV figures with intervals, and a weights file that
	// score and eval then use.
	model := filepath.Join(dir, "model.json")
	code, out, stderr = chorus(t, "train", "sentiment", "--gold", gold, "--out", model)
	for _, want := range []string{"leave-one-post-out", "macro-F1", "Spearman", "accuracy", "majority baseline", "recall negative", "recall neutral", "recall positive", "gold\\pred"} {
		if !strings.Contains(out, want) {
			t.Errorf("train output lacks %q: exit %d\n%s%s", want, code, out, stderr)
		}
	}
	if code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = chorus(t, "eval", "sentiment", "--gold", gold, "--sentiment-model", model)
	if code != 0 || !strings.Contains(out, "IN-SAMPLE") {
		t.Errorf("eval on the training file: exit %d, want an in-sample warning\n%s%s", code, out, stderr)
	}
	code, _, stderr = chorus(t, "eval", "sentiment", "--gold", gold, "--sentiment-model", filepath.Join(dir, "nope.json"))
	if code != 0 || !strings.Contains(stderr, "lexicon model was used") {
		t.Errorf("missing weights: exit %d, want the lexicon model and a warning; stderr %s", code, stderr)
	}
	ungrouped := filepath.Join(dir, "ungrouped.jsonl")
	if err := os.WriteFile(ungrouped, []byte(`{"text": "x", "label": "neutral", "mean_valence": 0}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := chorus(t, "train", "sentiment", "--gold", ungrouped, "--out", model); code != exitUsage || !strings.Contains(stderr, "post_id") {
		t.Errorf("ungrouped gold: exit %d %s", code, stderr)
	}
	if code, _, stderr := chorus(t, "eval", "sentiment", "--gold", filepath.Join(dir, "missing.jsonl")); code != exitFailed || !strings.Contains(stderr, "missing.jsonl") {
		t.Errorf("missing gold: exit %d %s", code, stderr)
	}
}

// TestScoreMatchesRun: chorus score, with its default model, gives every
// counted comment of the sample archive the label chorus run published for
// it in comments.csv. The texts come from the store (what the run analysed,
// redacted and with its paragraphs) and go to score as JSON Lines, so line
// breaks survive.
func TestScoreMatchesRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := chorus(t, "run", "--input", "../../corpus/sample", "--out", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	f, err := os.Open(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) < 2 {
		t.Fatalf("comments.csv: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	published := map[string]string{}
	for _, r := range rows[1:] {
		published[r[col["comment_id"]]] = r[col["label"]]
	}

	st, err := store.Open(context.Background(), out+".db")
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	n := 0
	err = st.Comments(context.Background(), "", func(c store.CommentRow) error {
		if !c.Counted() {
			return nil
		}
		n++
		return enc.Encode(map[string]string{"id": c.ID, "text": c.Text})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n != len(published) {
		t.Fatalf("the store has %d counted comments, comments.csv %d", n, len(published))
	}
	cmd := exec.Command(chorusBin, "score", "--jsonl")
	cmd.Stdin = &in
	scored, err := cmd.Output()
	if err != nil {
		t.Fatalf("score: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(scored), "\n"), "\n")
	differ := 0
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 6 {
			t.Fatalf("score line %q", l)
		}
		if want, ok := published[f[0]]; !ok || want != f[5] {
			differ++
			t.Errorf("comment %s: chorus score says %s, chorus run published %q", f[0], f[5], want)
		}
	}
	if len(lines) != n || differ > 0 {
		t.Errorf("%d comments scored of %d, %d labels differ", len(lines), n, differ)
	}
}
