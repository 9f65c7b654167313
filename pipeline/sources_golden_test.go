package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourcesGolden runs the whole job on each new reader's fixtures and
// compares comments.csv with a golden file, so that what a researcher gets
// from a WordPress export, a Disqus export or saved Blogger pages is pinned
// end to end: which comments, their parents, dates, redacted text and
// scores. Rewrite on purpose with
//
//	go test ./pipeline -run TestSourcesGolden -update
//
// It also checks that the left-out counts reach the run log and that no
// author email or IP address of the fixtures reaches any output or the
// database.
func TestSourcesGolden(t *testing.T) {
	for _, tc := range []struct {
		dir     string
		logWant []string
	}{
		{"wxr", []string{`what="1 wxr draft posts; left out"`, `what="1 wxr pingbacks; left out"`, `what="1 wxr trashed comments; left out"`, `what="1 wxr spam comments; left out"`}},
		{"disqus", []string{`what="1 disqus deleted; left out"`, `what="1 disqus spam; left out"`, `what="1 disqus deleted threads; left out"`}},
		{"bloggerhtml", nil},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			// A relative input: files are named from the input folder's name.
			cfg := testConfig(t, filepath.Join("..", "corpus", "testdata", tc.dir))
			var logBuf bytes.Buffer
			r := &Runner{Log: slog.New(slog.NewTextHandler(&logBuf, nil))}
			sum, err := r.Run(context.Background(), cfg)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if sum.FilesRejected != 0 {
				t.Errorf("%d files rejected:\n%s", sum.FilesRejected, logBuf.String())
			}
			got, err := os.ReadFile(filepath.Join(cfg.Output, "comments.csv"))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sources", tc.dir+"-comments.csv")
			if *updateAnalyseGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (go test -run TestSourcesGolden -update writes it): %v", err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := 0; i < max(len(gl), len(wl)); i++ {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s line %d:\n  want %s\n  got  %s", golden, i+1, w, g)
					}
				}
			}
			for _, w := range tc.logWant {
				if !strings.Contains(logBuf.String(), `msg="input items left out"`) || !strings.Contains(logBuf.String(), w) {
					t.Errorf("run log lacks %q:\n%s", w, logBuf.String())
				}
			}
			leaks := []string{"anon.po@", "tired.pso@", "court.po@", "first.reader@", "second.reader@", "fourth.reader@", "192.0.2.", "198.51.100.", "203.0.113.", "07700 900123"}
			for _, path := range []string{cfg.Output, cfg.DatabasePath()} {
				_ = filepath.Walk(path, func(p string, info os.FileInfo, err error) error {
					if err != nil || info.IsDir() {
						return err
					}
					b, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					for _, l := range leaks {
						if bytes.Contains(b, []byte(l)) {
							t.Errorf("%s holds %q", p, l)
						}
					}
					return nil
				})
			}
		})
	}
}
