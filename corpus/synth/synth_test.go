package synth

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"chorus/corpus"
)

func generate(t testing.TB, opts Options) (string, Stats) {
	t.Helper()
	if opts.Out == "" {
		opts.Out = filepath.Join(t.TempDir(), "out")
	}
	st, err := Generate(context.Background(), opts)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	return opts.Out, st
}

// readTree returns every file under dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRoundTrip generates about 2,000 comments in each format, parses every
// file back with the corpus readers and checks that each good file holds
// exactly the posts and comments it was generated with (text, order,
// threading, dates, duplicates) and that each bad file is quarantined.
func TestRoundTrip(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			opts := DefaultOptions()
			opts.Comments, opts.Seed, opts.Format = 2003, 7, format
			dir, st := generate(t, opts)
			files := readTree(t, dir)
			if st.Files != len(files) || st.BadFiles != 5 || st.Comments != opts.Comments {
				t.Fatalf("stats %+v for %d files on disk, want %d comments and 5 bad files", st, len(files), opts.Comments)
			}
			bytesOnDisk := 0
			for _, d := range files {
				bytesOnDisk += len(d)
			}
			if st.Bytes != bytesOnDisk {
				t.Errorf("Stats.Bytes = %d, files hold %d", st.Bytes, bytesOnDisk)
			}

			g, err := newGenerator(opts)
			if err != nil {
				t.Fatal(err)
			}
			g.opts.Format = format
			var (
				comments, posts, dups, replies int
				checkedTexts                   int
				buf                            bytes.Buffer
			)
			g.plan(context.Background(), func(j job) {
				buf.Reset()
				name, want := g.render(&buf, j)
				data, ok := files[name]
				if !ok {
					t.Fatalf("file %s planned but not written", name)
				}
				delete(files, name)
				if !bytes.Equal(data, buf.Bytes()) {
					t.Fatalf("file %s differs from a second rendering", name)
				}
				doc, rej := corpus.Parse(name, data, corpus.Options{})
				if rej != nil {
					t.Fatalf("good file %s rejected: %v", name, rej)
				}
				if wantFmt := map[string]corpus.Format{"blogger": corpus.FormatBlogger, "atom": corpus.FormatAtom, "jsonl": corpus.FormatJSONL}[format]; doc.Format != wantFmt {
					t.Errorf("%s sniffed as %s, want %s", name, doc.Format, wantFmt)
				}
				if len(doc.Posts) != len(want.posts) {
					t.Fatalf("%s: %d posts parsed, %d generated", name, len(doc.Posts), len(want.posts))
				}
				for pi, wp := range want.posts {
					gp := doc.Posts[pi]
					posts++
					if gp.Date != wp.at.Format("2006-01-02") {
						t.Errorf("%s post %d: date %q, want %s", name, pi, gp.Date, wp.at.Format("2006-01-02"))
					}
					if gp.Title != wp.title {
						t.Errorf("%s post %d: title %q, want %q", name, pi, gp.Title, wp.title)
					}
					if len(gp.Comments) != len(wp.comments) {
						t.Fatalf("%s post %d: %d comments parsed, %d generated (flags %q)", name, pi, len(gp.Comments), len(wp.comments), doc.Warnings)
					}
					for ci, wc := range wp.comments {
						gc := gp.Comments[ci]
						comments++
						if gc.Text != wc.text {
							t.Fatalf("%s post %d comment %d:\n got %q\nwant %q", name, pi, ci, gc.Text, wc.text)
						}
						checkedTexts++
						if gc.Status != corpus.StatusPublished {
							t.Errorf("%s post %d comment %d: status %s", name, pi, ci, gc.Status)
						}
						wantParent := ""
						if wc.parent >= 0 {
							wantParent = gp.Comments[wc.parent].ID
							replies++
						}
						if gc.ParentID != wantParent {
							t.Errorf("%s post %d comment %d: parent %q, want %q", name, pi, ci, gc.ParentID, wantParent)
						}
						if gc.DuplicateOf != "" {
							dups++
						}
					}
				}
			})
			for name, data := range files {
				if !strings.HasPrefix(name, "bad-") {
					t.Errorf("file %s written but not planned", name)
					continue
				}
				if doc, rej := corpus.Parse(name, data, corpus.Options{}); rej == nil {
					t.Errorf("bad file %s was not rejected: %d posts", name, len(doc.Posts))
				} else {
					t.Logf("%s rejected: %s", name, rej.Reason)
				}
			}
			if comments != opts.Comments || posts != st.Posts {
				t.Errorf("parsed %d comments in %d posts, want %d in %d", comments, posts, opts.Comments, st.Posts)
			}
			if replies < comments/10 || dups == 0 {
				t.Errorf("%d replies and %d duplicates among %d comments: want threads and a few duplicates", replies, dups, comments)
			}
			t.Logf("%s: %d comments (%d replies, %d duplicates) in %d posts, %d files, %d bytes", format, comments, replies, dups, posts, st.Files, st.Bytes)
		})
	}
}

// TestDeterministic checks that the same seed and options give the same
// bytes whatever the number of workers, and that another seed does not.
func TestDeterministic(t *testing.T) {
	for _, c := range []struct{ format, shape string }{{"blogger", "real"}, {"atom", "real"}, {"jsonl", "real"}, {"blogger", "short"}} {
		format := c.format + "/" + c.shape
		opts := DefaultOptions()
		opts.Comments, opts.Seed, opts.Format, opts.Shape = 1500, 11, c.format, c.shape
		dirA, _ := generate(t, opts)
		prev := runtime.GOMAXPROCS(1)
		dirB, _ := generate(t, opts)
		runtime.GOMAXPROCS(prev)
		a, b := readTree(t, dirA), readTree(t, dirB)
		if len(a) != len(b) {
			t.Fatalf("%s: %d files, then %d", format, len(a), len(b))
		}
		for name, da := range a {
			if !bytes.Equal(da, b[name]) {
				t.Errorf("%s: %s differs between two runs with the same seed", format, name)
			}
		}
		opts.Seed = 12
		dirC, _ := generate(t, opts)
		c := readTree(t, dirC)
		same := 0
		for name, da := range a {
			if bytes.Equal(da, c[name]) {
				same++
			}
		}
		if same > 5 { // only the fixed bad files may coincide
			t.Errorf("%s: %d files identical under another seed", format, same)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []Options{
		{Comments: 10, Out: dir},                                    // not empty
		{Comments: 10, Out: filepath.Join(dir, "a"), Format: "csv"}, // unknown format
		{Comments: 10, Out: filepath.Join(dir, "d"), Shape: "long"}, // unknown shape
		{Comments: -1, Out: filepath.Join(dir, "b")},                // negative
		{Comments: 10}, // no folder
	}
	for _, o := range cases {
		if _, err := Generate(context.Background(), o); err == nil {
			t.Errorf("Generate(%+v) succeeded, want an error", o)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, Options{Comments: 100000, Out: filepath.Join(dir, "c")}); err == nil {
		t.Error("Generate with a cancelled context succeeded")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, c := range []struct{ format, shape string }{{"blogger", "real"}, {"atom", "real"}, {"jsonl", "real"}, {"blogger", "short"}} {
		b.Run(c.format+"-"+c.shape, func(b *testing.B) {
			opts := DefaultOptions()
			opts.Comments, opts.Format, opts.Shape = 20000, c.format, c.shape
			var st Stats
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				opts.Out = filepath.Join(b.TempDir(), "out")
				var err error
				if st, err = Generate(context.Background(), opts); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(st.Bytes))
			b.ReportMetric(float64(opts.Comments)*float64(b.N)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}
