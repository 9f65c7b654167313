//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chorus/pipeline/store"
)

// mkfifo makes a named pipe at path and returns path, or skips the test
// where it cannot.
func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// startLogged starts chorus and calls fn once a stderr line holds marker.
func startLogged(t *testing.T, marker string, fn func(*exec.Cmd), args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(chorusBin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		done := false
		for sc.Scan() {
			if !done && strings.Contains(sc.Text(), marker) {
				done = true
				fn(cmd)
			}
		}
	}()
	return cmd
}

// waitExit waits at most d for cmd and returns its exit code (-1 for a
// signal death).
func waitExit(t *testing.T, cmd *exec.Cmd, d time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.ExitCode()
		}
		t.Fatalf("wait: %v", err)
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("chorus did not end within %v", d)
	}
	return -1
}

// SIGTERM ends a long run promptly with exit 130, publishes nothing and
// leaves both locks free.
func TestSIGTERMEndsRunPromptly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary over 40,000 comments")
	}
	in := t.TempDir()
	writeJSONL(t, in, 8, 5000)
	out := filepath.Join(t.TempDir(), "out")
	var sent time.Time
	cmd := startLogged(t, "stage=discover", func(c *exec.Cmd) {
		sent = time.Now()
		c.Process.Signal(syscall.SIGTERM)
	}, "run", "--input", in, "--out", out, "--workers", "1")
	if code := waitExit(t, cmd, time.Minute); code != exitInterrupted {
		t.Fatalf("exit %d after SIGTERM, want %d", code, exitInterrupted)
	}
	if d := time.Since(sent); d > 5*time.Second {
		t.Errorf("the run took %v to end after SIGTERM", d)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an interrupted run published %s", out)
	}
	for _, l := range []string{out + ".db", filepath.Join(filepath.Dir(out), ".out")} {
		unlock, err := store.Lock(l)
		if err != nil {
			t.Fatalf("lock %s after SIGTERM: %v", l, err)
		}
		unlock()
	}
}

// A named pipe given as an input no longer blocks the run: it is refused
// and the run ends on its own, SIGTERM or not.
func TestPipeInputDoesNotHang(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, filepath.Join(dir, "pipe.jsonl"))
	good := filepath.Join(dir, "good.jsonl")
	if err := os.WriteFile(good, []byte(`{"post_id": "p", "text": "Caseloads."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := startLogged(t, "stage=discover", func(*exec.Cmd) {}, "run", "--input", fifo, "--input", good, "--out", out, "--model", "vader")
	if code := waitExit(t, cmd, 20*time.Second); code != 0 {
		t.Fatalf("exit %d", code)
	}
	rejects, err := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if err != nil || !strings.Contains(string(rejects), "named pipe") {
		t.Errorf("rejects.csv: %q %v", rejects, err)
	}
}

// A run that would publish far less than the last one exits 4 and says why;
// a config file that names no inputs is refused before any work.
func TestRefusals(t *testing.T) {
	in := t.TempDir()
	writeJSONL(t, in, 2, 20)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := chorus(t, "run", "-q", "--input", in, "--out", out, "--model", "vader"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	os.Remove(filepath.Join(in, "part01.jsonl"))
	os.Remove(filepath.Join(in, "part00.jsonl"))
	code, _, stderr := chorus(t, "run", "-q", "--input", in, "--out", out, "--model", "vader")
	if code != exitRefused || !strings.Contains(stderr, "refused to publish: no input file was found") {
		t.Errorf("emptied input: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := chorus(t, "run", "-q", "--input", in, "--out", out, "--model", "vader", "--allow-shrink"); code != 0 {
		t.Errorf("--allow-shrink: exit %d: %s", code, stderr)
	}

	cfg := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(cfg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = chorus(t, "run", "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "names no inputs") {
		t.Errorf("empty config: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "out")); !errors.Is(err, os.ErrNotExist) {
		t.Error("an empty config ran on the sample")
	}
}
