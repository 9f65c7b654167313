package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// txtCheckInvariants asserts what every text reader result must satisfy,
// whatever the input: each comment has text, ids are unique and derived as
// documented, positions run 0.. in order, and a reply's parent exists in the
// same post and comes before it.
func txtCheckInvariants(t testing.TB, posts []Post) {
	t.Helper()
	ids := map[string]bool{}
	for pi, p := range posts {
		if ids[p.ID] {
			t.Fatalf("post %d: duplicate id %s", pi, p.ID)
		}
		ids[p.ID] = true
		if p.ID != PostID(p.SourceFile, pi) {
			t.Fatalf("post %d: id %s is not PostID(%q, %d)", pi, p.ID, p.SourceFile, pi)
		}
		if (p.Date == "") != (p.DateSource == DateNone) {
			t.Fatalf("post %d: date %q with source %q", pi, p.Date, p.DateSource)
		}
		for _, b := range p.Body {
			if strings.TrimSpace(b) == "" {
				t.Fatalf("post %d: empty body paragraph", pi)
			}
		}
		pos := map[string]int{}
		for ci, c := range p.Comments {
			if strings.TrimSpace(c.Text) == "" {
				t.Fatalf("post %d comment %d: empty text", pi, ci)
			}
			if ids[c.ID] {
				t.Fatalf("post %d comment %d: duplicate id %s", pi, ci, c.ID)
			}
			ids[c.ID] = true
			if c.Position != ci || c.ID != CommentID(p.ID, ci) || c.PostID != p.ID {
				t.Fatalf("post %d comment %d: position %d id %s post %s", pi, ci, c.Position, c.ID, c.PostID)
			}
			if c.ParentID == "" {
				if c.Depth != 0 {
					t.Fatalf("post %d comment %d: depth %d without a parent", pi, ci, c.Depth)
				}
			} else {
				ppos, ok := pos[c.ParentID]
				if !ok || ppos >= ci {
					t.Fatalf("post %d comment %d: parent %s absent or not before it", pi, ci, c.ParentID)
				}
				if c.Depth != p.Comments[ppos].Depth+1 || c.Section != SectionThread {
					t.Fatalf("post %d comment %d: depth %d section %s under a depth %d parent", pi, ci, c.Depth, c.Section, p.Comments[ppos].Depth)
				}
			}
			if c.Section != SectionThread && c.Section != SectionExcerpt {
				t.Fatalf("post %d comment %d: section %q", pi, ci, c.Section)
			}
			if c.DuplicateOf != "" {
				t.Fatalf("post %d comment %d: reader set DuplicateOf", pi, ci)
			}
			pos[c.ID] = ci
		}
	}
}

// txtCheckFlags asserts that every flag names the line it is about.
func txtCheckFlags(t testing.TB, flags []string) {
	t.Helper()
	for _, f := range flags {
		if !strings.HasPrefix(f, "line ") && !strings.HasPrefix(f, "lines ") {
			t.Fatalf("flag %q does not name a line", f)
		}
	}
}

// txtAddFixtures seeds a fuzz corpus with every fixture of one layout.
func txtAddFixtures(f *testing.F, dir string) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatalf("read %s: %v", p, err)
		}
		f.Add(string(data))
	}
}

func txtFuzz(t *testing.T, parse func(string, string) ([]Post, []string, error), data string) {
	posts, flags, err := parse("fuzz.txt", data)
	if err != nil {
		if posts != nil || !strings.HasPrefix(err.Error(), "line ") {
			t.Fatalf("error %q (posts %v): an error must name a line and return no posts", err, posts != nil)
		}
		return
	}
	txtCheckFlags(t, flags)
	txtCheckInvariants(t, posts)
	// \r\n line ends must read the same as \n. The copy is made from the
	// text with its line ends normalised first: a bare \r is a line end of
	// its own, so doubling the \n of a "\r\n" already there would add a
	// blank line (the input "000\r\nDelete" in testdata/fuzz is such a case).
	lf := strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
	posts2, _, err2 := parse("fuzz.txt", strings.ReplaceAll(lf, "\n", "\r\n"))
	if err2 != nil || len(posts2) != len(posts) {
		t.Fatalf("CRLF copy: %d posts, err %v; LF: %d posts", len(posts2), err2, len(posts))
	}
	for i := range posts {
		if len(posts[i].Comments) != len(posts2[i].Comments) {
			t.Fatalf("CRLF copy: post %d has %d comments, LF %d", i, len(posts2[i].Comments), len(posts[i].Comments))
		}
	}
}

// FuzzParseBlogger: run by hand with
//
//	go test -run XXX -fuzz FuzzParseBlogger -fuzztime 60s ./corpus/
func FuzzParseBlogger(f *testing.F) {
	txtAddFixtures(f, "blogger")
	f.Fuzz(func(t *testing.T, data string) {
		txtFuzz(t, ParseBlogger, data)
		LooksBlogger(data)
	})
}

// FuzzParseFlattened: run by hand with
//
//	go test -run XXX -fuzz FuzzParseFlattened -fuzztime 60s ./corpus/
func FuzzParseFlattened(f *testing.F) {
	txtAddFixtures(f, "flattened")
	txtAddFixtures(f, "blogger")
	f.Fuzz(func(t *testing.T, data string) {
		txtFuzz(t, ParseFlattened, data)
		LooksFlattened(data)
	})
}
