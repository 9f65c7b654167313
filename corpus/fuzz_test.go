package corpus

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes through format sniffing and every reader
// it can reach (Atom, WXR, Disqus, saved Blogger pages, JSON Lines, the
// Blogger text layouts). Run by hand:
//
//	go test -run XXX -fuzz FuzzParse -fuzztime 60s ./corpus/
func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/atom/classic.xml", "testdata/atom/takeout.xml", "testdata/jsonl/comments.jsonl",
		"testdata/wxr/export-1.2.xml", "testdata/disqus/export.xml", "testdata/bloggerhtml/threaded.html"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("{\"post_id\":\"a\",\"comment_id\":\"1\",\"parent_id\":\"1\",\"text\":\"self\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, rej := Parse("fuzz", data, Options{})
		if (doc == nil) == (rej == nil) {
			t.Fatalf("want exactly one of doc, reject; got %v, %v", doc, rej)
		}
		if doc != nil {
			checkInvariants(t, doc.Posts)
		}
	})
}

// FuzzParseAtom exercises the Atom reader alone, past sniffing.
func FuzzParseAtom(f *testing.F) {
	for _, p := range []string{"testdata/atom/classic.xml", "testdata/atom/takeout.xml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		posts, _, err := ParseAtom("fuzz", data)
		if err == nil {
			checkInvariants(t, posts)
		}
	})
}

// FuzzParseJSONL exercises the JSON Lines reader alone.
func FuzzParseJSONL(f *testing.F) {
	b, err := os.ReadFile("testdata/jsonl/comments.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		posts, _, err := ParseJSONL("fuzz", data)
		if err == nil {
			checkInvariants(t, posts)
		}
	})
}

// checkInvariants holds for every reader's output: unique ids, parents that
// exist in the same post, depths that follow the parent chain.
func checkInvariants(t *testing.T, posts []Post) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range posts {
		if seen[p.ID] {
			t.Fatalf("post id %s repeated", p.ID)
		}
		seen[p.ID] = true
		byID := map[string]Comment{}
		for _, c := range p.Comments {
			if seen[c.ID] {
				t.Fatalf("comment id %s repeated", c.ID)
			}
			seen[c.ID] = true
			byID[c.ID] = c
			if c.PostID != p.ID {
				t.Fatalf("comment %s names post %s, is in %s", c.ID, c.PostID, p.ID)
			}
		}
		for _, c := range p.Comments {
			if c.ParentID == "" {
				if c.Depth != 0 {
					t.Fatalf("top-level comment %s has depth %d", c.ID, c.Depth)
				}
				continue
			}
			parent, ok := byID[c.ParentID]
			if !ok {
				t.Fatalf("comment %s: parent %s not in post", c.ID, c.ParentID)
			}
			if c.Depth != parent.Depth+1 {
				t.Fatalf("comment %s depth %d, parent depth %d", c.ID, c.Depth, parent.Depth)
			}
		}
	}
}

// fuzzSeeds adds the files at paths to f's corpus.
func fuzzSeeds(f *testing.F, paths ...string) {
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseWXR exercises the WordPress reader alone, past sniffing, with a
// small comment limit so that the oversize path runs too.
func FuzzParseWXR(f *testing.F) {
	fuzzSeeds(f, "testdata/wxr/export-1.2.xml", "testdata/wxr/export-1.0.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Options{MaxCommentBytes: 200}.xmlLimits()
		posts, _, _, skipped, err := parseWXR("fuzz", data, lim)
		if err == nil {
			checkInvariants(t, posts)
			checkSkipped(t, skipped)
		}
	})
}

// FuzzParseDisqus exercises the Disqus reader alone.
func FuzzParseDisqus(f *testing.F) {
	fuzzSeeds(f, "testdata/disqus/export.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Options{MaxCommentBytes: 200}.xmlLimits()
		posts, _, _, skipped, err := parseDisqus("fuzz", data, lim)
		if err == nil {
			checkInvariants(t, posts)
			checkSkipped(t, skipped)
		}
	})
}

// FuzzParseBloggerHTML exercises the saved-page reader alone.
func FuzzParseBloggerHTML(f *testing.F) {
	fuzzSeeds(f, "testdata/bloggerhtml/classic.html", "testdata/bloggerhtml/threaded.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		posts, _, err := ParseBloggerHTML("fuzz", data)
		if err == nil {
			checkInvariants(t, posts)
		}
	})
}

// checkSkipped: counts of left-out items are positive.
func checkSkipped(t *testing.T, skipped map[string]int) {
	t.Helper()
	for k, n := range skipped {
		if n <= 0 || k == "" {
			t.Fatalf("skipped[%q] = %d", k, n)
		}
	}
}
