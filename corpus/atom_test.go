package corpus

import (
	"os"
	"strings"
	"testing"
)

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseAtomClassic(t *testing.T) {
	posts, flags, err := ParseAtom("classic.xml", readFixture(t, "testdata/atom/classic.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.Title != "Rota chaos & the new owners" || p.Date != "2015-03-14" || p.DateSource != DateFromFeed {
		t.Errorf("post = %q %q %q", p.Title, p.Date, p.DateSource)
	}
	if want := []string{"First paragraph of an invented post.", "Second one, with italics."}; strings.Join(p.Body, "|") != strings.Join(want, "|") {
		t.Errorf("body = %q, want %q", p.Body, want)
	}
	if len(p.Comments) != 3 {
		t.Fatalf("got %d comments, want 3", len(p.Comments))
	}
	// Exports list newest first; the thread is read oldest first.
	first, reply, removed := p.Comments[0], p.Comments[1], p.Comments[2]
	if first.Text != "The rota changed three times this week & nobody told us." {
		t.Errorf("first text = %q (script content must go, entities decode once)", first.Text)
	}
	if first.Author != "Tired PSO" || first.Depth != 0 || first.ParentID != "" {
		t.Errorf("first = %+v", first)
	}
	if reply.ParentID != first.ID || reply.Depth != 1 {
		t.Errorf("reply parent = %q depth %d, want %q depth 1", reply.ParentID, reply.Depth, first.ID)
	}
	if reply.Text != "Agreed, and the new rota\nis worse than the old one." {
		t.Errorf("reply text = %q", reply.Text)
	}
	if removed.Status != StatusDeleted || removed.Text != "" {
		t.Errorf("removed comment = %+v, want deleted with no text", removed)
	}
	if !strings.Contains(strings.Join(texts(flags), "\n"), "1 settings") {
		t.Errorf("flags %q do not report the skipped settings entry", flags)
	}
}

func TestParseAtomTakeout(t *testing.T) {
	posts, flags, err := ParseAtom("takeout.xml", readFixture(t, "testdata/atom/takeout.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].Title != "Reunification day" || posts[0].Date != "2021-06-26" {
		t.Fatalf("posts = %+v", posts)
	}
	if !strings.Contains(strings.Join(texts(flags), "\n"), "status DRAFT") {
		t.Errorf("draft post not flagged: %q", flags)
	}
	cs := posts[0].Comments
	if len(cs) != 4 {
		t.Fatalf("got %d comments, want 4", len(cs))
	}
	want := []struct {
		status Status
		parent string
	}{{StatusPublished, ""}, {StatusPublished, cs[0].ID}, {StatusDeleted, ""}, {StatusSpam, ""}}
	for i, w := range want {
		if cs[i].Status != w.status || cs[i].ParentID != w.parent {
			t.Errorf("comment %d: status %s parent %q, want %s %q", i, cs[i].Status, cs[i].ParentID, w.status, w.parent)
		}
	}
	if cs[3].Text != "" {
		t.Errorf("spam text kept: %q", cs[3].Text)
	}
}

func TestParseAtomErrors(t *testing.T) {
	full := string(readFixture(t, "testdata/atom/classic.xml"))
	cases := []struct {
		name, data, want string
	}{
		{"truncated", full[:len(full)/2], "XML ends early"},
		{"syntax", "<?xml version='1.0'?>\n<feed>\n<entry><id>x</entry>\n</feed>", "line 3: XML syntax error"},
		{"not a feed", "<?xml version='1.0'?>\n<html></html>", "no <feed> element"},
		{"no posts", "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>a</id></entry></feed>", "no post entries"},
		{"external entity", "<?xml version='1.0'?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<feed><entry><title>&x;</title></entry></feed>", "line 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseAtom(c.name, []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	cases := map[string]string{
		"a<br>b<br/>c":                       "a\nb\nc",
		"<p>one</p><p>two  words</p>":        "one\ntwo words",
		"5 &lt; 6 &amp;&amp; &quot;x&quot;":  `5 < 6 && "x"`,
		"<style>p{}</style>kept":             "kept",
		"a < b":                              "a < b",
		"<a href='x'>link</a> text":          "link text",
		"<SCRIPT>bad()</SCRIPT>fine<B>!</B>": "fine!",
	}
	for in, want := range cases {
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}
