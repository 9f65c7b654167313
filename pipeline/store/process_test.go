package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chorus/internal/analysis"
)

// Exit codes of the lock helper.
const (
	helperLocked   = 3
	helperAcquired = 0
)

// helperLock tries to take the lock once and reports through its exit code.
func helperLock(db string) int {
	unlock, err := Lock(db)
	if errors.Is(err, ErrLocked) {
		fmt.Fprintln(os.Stderr, err)
		return helperLocked
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := unlock(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return helperAcquired
}

// runHelper re-executes the test binary in a helper role.
func runHelper(t *testing.T, role, db string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+role, "CHORUS_STORE_TEST_DB="+db)
	return cmd
}

func exitCode(t *testing.T, cmd *exec.Cmd) (int, string) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func TestLockSecondProcessFails(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	unlock, err := Lock(db)
	if err != nil {
		t.Fatal(err)
	}
	// Within the process, a second open file is refused too.
	if _, err := Lock(db); !errors.Is(err, ErrLocked) {
		t.Errorf("second Lock in the same process: %v, want ErrLocked", err)
	}
	code, out := exitCode(t, runHelper(t, "lock", db))
	if code != helperLocked {
		t.Fatalf("second process exit %d (%s), want %d (ErrLocked)", code, out, helperLocked)
	}
	if !strings.Contains(out, "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("refusal does not name the holder pid %d: %q", os.Getpid(), out)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	if code, out := exitCode(t, runHelper(t, "lock", db)); code != helperAcquired {
		t.Fatalf("after unlock, second process exit %d (%s), want %d", code, out, helperAcquired)
	}
}

func TestLockReleasedWhenHolderIsKilled(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	// The writer helper takes the lock before writing; kill it, then lock.
	cmd := runHelper(t, "writer", db)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatalf("writer printed nothing")
	}
	if _, err := Lock(db); !errors.Is(err, ErrLocked) {
		t.Errorf("lock while the writer runs: %v, want ErrLocked", err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	unlock, err := Lock(db)
	if err != nil {
		t.Fatalf("lock after the holder was killed: %v", err)
	}
	unlock()
}

// Writer helper. Document i holds postsFor(i, v) posts of commentsPer
// comments in version v; every comment's text carries "v<version>", so a
// reader can tell a whole version from a torn mix.
const commentsPer = 150

func postsFor(i, version int) int { return 1 + (i+version)%4 }

func writerDocPath(i int) string { return fmt.Sprintf("docs/%05d.jsonl", i) }

// helperWriter writes documents until killed: each new document is
// followed, every other step, by a rewrite of an earlier one with a new
// version, and by the analyses of the document. It prints the number of each
// document once committed.
func helperWriter(db string) int {
	ctx := context.Background()
	unlock, err := Lock(db)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer unlock()
	s, err := Open(ctx, db)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		doc := makeDoc(writerDocPath(i), postsFor(i, 0), commentsPer, "v0")
		if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i%2 == 1 {
			j := i / 2
			doc := makeDoc(writerDocPath(j), postsFor(j, i), commentsPer, "v"+strconv.Itoa(i))
			if _, err := s.ReplaceDocument(ctx, doc, false, nil); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		var batch []analysis.Analysis
		s.PendingAnalysis(ctx, "k", func(c analysis.CommentText) error {
			batch = append(batch, fakeAnalysis(c))
			return nil
		})
		if err := s.SaveAnalyses(ctx, "k", batch); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintln(w, i)
		w.Flush()
	}
}

// TestSIGKILLLeavesConsistentStore kills a writer at a random point many
// documents in, then checks the file: it opens, passes the integrity check,
// and every document holds exactly one whole version.
func TestSIGKILLLeavesConsistentStore(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process mid-write; skipped in -short")
	}
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "chorus.db")
			cmd := runHelper(t, "writer", db)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			committed := -1
			target := 40 + 20*round
			for committed < target && sc.Scan() {
				committed, _ = strconv.Atoi(sc.Text())
			}
			if committed < target {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("writer stopped after %d documents: %s", committed, stderr.String())
			}
			// Let it get into the next transactions, then kill it without warning.
			time.Sleep(time.Duration(1+round*3) * time.Millisecond)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			for sc.Scan() {
				committed, _ = strconv.Atoi(sc.Text())
			}

			ctx := context.Background()
			s, err := Open(ctx, db)
			if err != nil {
				t.Fatalf("open after SIGKILL: %v", err)
			}
			defer s.Close()
			if err := s.IntegrityCheck(ctx); err != nil {
				t.Fatalf("after SIGKILL: %v", err)
			}
			checkWholeVersions(t, s, committed)
		})
	}
}

// checkWholeVersions asserts that documents 0..committed are stored, and
// that every stored document is one whole version: all its comments carry
// one version tag, with the post and comment count of that version, and
// every comment analysed or none.
func checkWholeVersions(t *testing.T, s *Store, committed int) {
	t.Helper()
	type agg struct {
		posts    map[string]bool
		comments int
		versions map[string]bool
		analysed int
	}
	docs := map[string]*agg{}
	for _, r := range allComments(t, s, "k") {
		a := docs[r.SourceFile]
		if a == nil {
			a = &agg{posts: map[string]bool{}, versions: map[string]bool{}}
			docs[r.SourceFile] = a
		}
		a.posts[r.PostID] = true
		a.comments++
		open := strings.LastIndex(r.Text, "(v")
		a.versions[strings.Fields(r.Text[open+1:])[0]] = true
		if r.Analysed {
			a.analysed++
		}
	}
	for i := 0; i <= committed; i++ {
		if docs[writerDocPath(i)] == nil {
			t.Errorf("document %d was reported committed but is missing", i)
		}
	}
	for path, a := range docs {
		if len(a.versions) != 1 {
			t.Errorf("%s mixes versions %v", path, a.versions)
			continue
		}
		var v string
		for v = range a.versions {
		}
		version, _ := strconv.Atoi(strings.TrimPrefix(v, "v"))
		var i int
		fmt.Sscanf(path, "docs/%05d.jsonl", &i)
		if want := postsFor(i, version); len(a.posts) != want || a.comments != want*commentsPer {
			t.Errorf("%s version %d: %d posts, %d comments; want %d, %d", path, version, len(a.posts), a.comments, want, want*commentsPer)
		}
		if a.analysed != 0 && a.analysed != a.comments {
			// A document and its analyses are separate transactions, so
			// "not yet analysed" is fine, but a batch is all or nothing and
			// each batch here covers whole documents.
			t.Errorf("%s: %d of %d comments analysed", path, a.analysed, a.comments)
		}
	}
	if len(docs) < committed {
		t.Errorf("%d documents stored, %d committed", len(docs), committed+1)
	}
}
