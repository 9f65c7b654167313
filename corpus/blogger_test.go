package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTextFixture reads testdata/DIR/NAME; the fixtures are invented text in
// the layouts of the real dumps.
func readTextFixture(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	p := filepath.Join("testdata", dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return p, string(data)
}

// parseTextFixture parses a fixture with parse and checks the invariants.
func parseTextFixture(t *testing.T, parse func(string, string) ([]Post, []string, error), dir, name string) ([]Post, []string) {
	t.Helper()
	p, data := readTextFixture(t, dir, name)
	posts, flags, err := parse(p, data)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	txtCheckInvariants(t, posts)
	txtCheckFlags(t, flags)
	return posts, flags
}

// commentShape is the part of a comment a fixture test pins.
type commentShape struct {
	section Section
	parent  int // position of the parent, -1 for none
	author  string
	status  Status
	text    string
}

func checkShapes(t *testing.T, p Post, want []commentShape) {
	t.Helper()
	if len(p.Comments) != len(want) {
		for _, c := range p.Comments {
			t.Logf("  got %d %s %q", c.Position, c.Section, c.Text)
		}
		t.Fatalf("post %q: %d comments, want %d", p.Title, len(p.Comments), len(want))
	}
	for i, w := range want {
		c := p.Comments[i]
		parent := -1
		for j := range p.Comments {
			if c.ParentID != "" && p.Comments[j].ID == c.ParentID {
				parent = j
			}
		}
		st := w.status
		if st == "" {
			st = StatusPublished
		}
		if c.Section != w.section || parent != w.parent || c.Author != w.author || c.Status != st || c.Text != w.text {
			t.Errorf("comment %d:\n got %s parent %d author %q %s %q\nwant %s parent %d author %q %s %q",
				i, c.Section, parent, c.Author, c.Status, c.Text, w.section, w.parent, w.author, st, w.text)
		}
	}
}

func wantFlags(t *testing.T, flags []string, want ...string) {
	t.Helper()
	if len(flags) != len(want) {
		t.Errorf("flags:\n %s\nwant %d flags starting:\n %s", strings.Join(flags, "\n "), len(want), strings.Join(want, "\n "))
		return
	}
	for i, w := range want {
		if !strings.HasPrefix(flags[i], w) {
			t.Errorf("flag %d = %q, want it to start %q", i, flags[i], w)
		}
	}
}

func TestBloggerBasic(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseBlogger, "blogger", "basic.txt")
	wantFlags(t, flags)
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.Date != "2016-06-14" || p.DateSource != DateFromDateLine || p.Title != "Caseloads in the Northern Patch" || p.DeclaredComments != 3 {
		t.Errorf("post: date %q (%s) title %q declared %d", p.Date, p.DateSource, p.Title, p.DeclaredComments)
	}
	if len(p.Body) != 2 || !strings.HasPrefix(p.Body[1], "The tool was rolled out") {
		t.Errorf("body %q", p.Body)
	}
	if !strings.HasSuffix(p.SourceFile, "basic.txt") {
		t.Errorf("source file %q", p.SourceFile)
	}
	checkShapes(t, p, []commentShape{
		// Two paragraphs joined by one newline; the list number is gone.
		{SectionThread, -1, "", "", "We had the same tool here and the numbers it gives are nonsense.\nHalf my cases are weighted as if they need no contact at all."},
		// Replies point at the comment they sit under.
		{SectionThread, 0, "", "", "Same in our office. The manager says the weightings are under review."},
		{SectionThread, 0, "", "", "Under review since March, mind you."},
		// A numbered list inside a comment stays text, and a name on its
		// own last line is the signature.
		{SectionThread, -1, "Old Hand", "", "Three things the tool gets wrong:\n1. it ignores travel time\n2. it counts a court report as one hour\n3. it never counts the phone calls\nOld Hand"},
		// Blogger's notice for a removed comment: counted, not analysed.
		{SectionThread, -1, "", StatusDeleted, "This comment has been removed by the author."},
	})
	if d := p.Comments[1].Depth; d != 1 {
		t.Errorf("reply depth %d, want 1", d)
	}
}

// TestBloggerCRLF: Windows line ends read exactly like Unix ones.
func TestBloggerCRLF(t *testing.T) {
	p, data := readTextFixture(t, "blogger", "basic.txt")
	a, fa, err := ParseBlogger(p, data)
	if err != nil {
		t.Fatal(err)
	}
	b, fb, err := ParseBlogger(p, strings.ReplaceAll(data, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a[0].Comments) != len(b[0].Comments) || len(fa) != len(fb) {
		t.Fatalf("CRLF: %d posts %d flags, LF: %d posts %d flags", len(b), len(fb), len(a), len(fa))
	}
	for i := range a[0].Comments {
		if a[0].Comments[i] != b[0].Comments[i] {
			t.Errorf("comment %d differs: %+v vs %+v", i, a[0].Comments[i], b[0].Comments[i])
		}
	}
}

func TestBloggerPickOfTheWeek(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseBlogger, "blogger", "pick.txt")
	wantFlags(t, flags)
	p := posts[0]
	// The whole body is picks: nothing is left for the author.
	if len(p.Body) != 0 {
		t.Errorf("body %q, want none", p.Body)
	}
	checkShapes(t, p, []commentShape{
		{SectionExcerpt, -1, "", "", "The first pick has a fence on one side only: it stands before the first row of stars."},
		{SectionExcerpt, -1, "", "", "The second pick says the new rota leaves nobody in reception on a Friday afternoon."},
		{SectionExcerpt, -1, "", "", "The third pick runs over two paragraphs.\nIt ends here, with a question: who signed this off?"},
		{SectionExcerpt, -1, "", "", "The last pick has a fence on one side only as well."},
		{SectionThread, -1, "", "", "Good selection this week, thanks for putting it together."},
		// The reply's parent is the thread comment, never an excerpt.
		{SectionThread, 4, "", "", "Glad you liked it."},
		{SectionThread, -1, "", "", "The second pick is exactly what happens in our building too."},
	})
}

// TestBloggerFencedExcerpts: in an ordinary post only text fenced on both
// sides is a quoted comment; the introduction and close stay in the body.
func TestBloggerFencedExcerpts(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseBlogger, "blogger", "fenced.txt")
	wantFlags(t, flags)
	p := posts[0]
	if len(p.Body) != 2 || !strings.HasPrefix(p.Body[0], "The author's own introduction") || !strings.HasPrefix(p.Body[1], "And the author's closing") {
		t.Errorf("body %q", p.Body)
	}
	checkShapes(t, p, []commentShape{
		{SectionExcerpt, -1, "", "", "A quoted comment between two rows of stars."},
		{SectionExcerpt, -1, "", "", "Another quoted comment."},
		{SectionThread, -1, "", "", "Nice round-up."},
	})
}

func TestBloggerMultiplePosts(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseBlogger, "blogger", "multipost.txt")
	wantFlags(t, flags)
	type want struct {
		date, title string
		declared    int
		comments    int
	}
	wants := []want{
		{"2016-11-11", "First Post of the Day", 2, 2},
		// Blogger shows a day's posts under one date line.
		{"2016-11-11", "Second Post Same Day", 1, 1},
		// The US form of the date line; "No comments:" declares 0.
		{"2016-11-12", "A Post With a US Date Line", 0, 0},
		// No comment list at all: no declared count.
		{"2016-11-19", "Comments Closed Here", -1, 0},
	}
	if len(posts) != len(wants) {
		t.Fatalf("%d posts, want %d", len(posts), len(wants))
	}
	for i, w := range wants {
		p := posts[i]
		if p.Date != w.date || p.Title != w.title || p.DeclaredComments != w.declared || len(p.Comments) != w.comments {
			t.Errorf("post %d: %s %q declared %d comments %d, want %+v", i, p.Date, p.Title, p.DeclaredComments, len(p.Comments), w)
		}
	}
	if posts[1].Comments[0].Text != "The only comment on the second post." {
		t.Errorf("second post's comment %q", posts[1].Comments[0].Text)
	}
}

// TestBloggerMalformed: broken structure is read as far as it goes, and
// every problem is flagged with its line.
func TestBloggerMalformed(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseBlogger, "blogger", "malformed.txt")
	wantFlags(t, flags,
		"line 9: 'Replies' with no comment before it",
		"line 11: comment starting at line 10 not closed by 'ReplyDelete'",
		"line 16: comment starting at line 15 not closed by 'Delete'",
		"line 19: 'Delete' with no comment before it",
		"line 20: comment numbered 5, expected 3",
		"line 23: text outside any comment",
		"line 26: paragraph(s) repeat earlier ones of the same comment; dropped",
	)
	checkShapes(t, posts[0], []commentShape{
		{SectionThread, -1, "", "", "A comment whose closing marker is missing."},
		{SectionThread, -1, "", "", "A comment numbered 2 that follows straight on."},
		{SectionThread, 1, "", "", "A reply without its Delete."},
		{SectionThread, 1, "", "", "The next reply, which starts anyway."},
		{SectionThread, -1, "", "", "A comment numbered 5 where 3 was expected."},
		{SectionThread, -1, "", "", "The same paragraph said twice in one comment, word for word."},
	})
}

func TestBloggerNoStructure(t *testing.T) {
	p, data := readTextFixture(t, "blogger", "prose.txt")
	posts, _, err := ParseBlogger(p, data)
	if err == nil || posts != nil {
		t.Fatalf("prose: posts %v err %v, want an error", posts, err)
	}
	if !strings.HasPrefix(err.Error(), "line 3: ") {
		t.Errorf("error %q does not name line 3, where reading gave up", err)
	}
	for _, in := range []string{"", "\n\n", "just one line"} {
		if _, _, err := ParseBlogger("x.txt", in); err == nil || !strings.HasPrefix(err.Error(), "line ") {
			t.Errorf("%q: error %v, want one naming a line", in, err)
		}
	}
}

// TestBloggerShallowerLater: the first numbered line of a list is taken as
// top-level; a later, shallower one lowers the top level, so that the
// replies after it are still told apart.
func TestBloggerShallowerLater(t *testing.T) {
	in := "Monday 1 May 2017\n\nT\n\n3 comments:\n\n    1. too deep\n\n      Delete\n  1. a comment\n\n    ReplyDelete\n    Replies\n    1. its reply\n\n      Delete\n"
	posts, flags, err := ParseBlogger("x.txt", in)
	if err != nil {
		t.Fatal(err)
	}
	txtCheckInvariants(t, posts)
	wantFlags(t, flags, "line 10: comment numbered 1, expected 2")
	checkShapes(t, posts[0], []commentShape{
		{SectionThread, -1, "", "", "too deep"},
		{SectionThread, -1, "", "", "a comment"},
		{SectionThread, 1, "", "", "its reply"},
	})
}

func TestParseDateLine(t *testing.T) {
	for in, want := range map[string]string{
		"Saturday 5 March 2016":     "2016-03-05",
		"Sunday 26 February 2017":   "2017-02-26",
		"saturday 10 december 2016": "2016-12-10",
		"Saturday, March 5, 2016":   "2016-03-05",
		"Saturday 5 Marchy 2016":    "",
		"Saturday 31 February 2016": "",
		"5 March 2016":              "",
		"Saturday 5 March 2016 was": "",
	} {
		got, ok := parseDateLine(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseDateLine(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSignature(t *testing.T) {
	for _, c := range []struct {
		paras []string
		want  string
	}{
		{[]string{"text", "NPS PO"}, "NPS PO"},
		{[]string{"text", "' Getafix"}, "Getafix"},
		{[]string{"text", "- Jim Brown"}, "Jim Brown"},
		{[]string{"NPS PO"}, ""}, // a one-paragraph comment is all text
		{[]string{"text", "Pull the plug!"}, ""},
		{[]string{"text", "Thanks"}, ""},
		{[]string{"text", "or"}, ""},
		{[]string{"text", "Is that it?"}, ""},
		{[]string{"text", "Chill out everyone"}, ""},
		{[]string{"text", "Team Leader Since Before Time"}, ""},
		{[]string{"text", "http://Example.com"}, ""},
		{[]string{"text", "PO 2016"}, ""},
	} {
		if got := signature(c.paras); got != c.want {
			t.Errorf("signature(%q) = %q, want %q", c.paras, got, c.want)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"  Hello,\n\n  World  ":     "hello, world",
		"Tab\tand\u00a0no-break":    "tab and no-break",
		"Same Words":                "same words",
		"":                          "",
		"ÉCOLE  Ünïcode\r\nlines\n": "école ünïcode lines",
	} {
		if got := NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
	if NormalizeText("one word") == NormalizeText("one words") {
		t.Error("NormalizeText must keep a changed word a difference")
	}
}

func TestLooksBlogger(t *testing.T) {
	for _, name := range []string{"basic.txt", "pick.txt", "fenced.txt", "multipost.txt", "malformed.txt"} {
		if _, data := readTextFixture(t, "blogger", name); !LooksBlogger(data) {
			t.Errorf("LooksBlogger(%s) = false", name)
		}
	}
	for _, name := range []string{"basic.txt", "pick.txt", "dated.txt", "noboundary.txt"} {
		if _, data := readTextFixture(t, "flattened", name); LooksBlogger(data) {
			t.Errorf("LooksBlogger(flattened/%s) = true", name)
		}
	}
	for _, in := range []string{"", "plain text\n", `{"post_id":"1","text":"x"}`, "<feed></feed>",
		"Text that mentions Saturday 5 March 2016 mid-line.\n"} {
		if LooksBlogger(in) {
			t.Errorf("LooksBlogger(%q) = true", in)
		}
	}
	// Undated page text is still recognised by its comment list.
	if !LooksBlogger("A Title\n\nBody.\n\n2 comments:\n\n  1. first\n\n    ReplyDelete\n") {
		t.Error("LooksBlogger(undated page text) = false")
	}
}

// BenchmarkParseBlogger reads the basic fixture repeated as 500 posts.
func BenchmarkParseBlogger(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "blogger", "basic.txt"))
	if err != nil {
		b.Fatal(err)
	}
	in := strings.Repeat(string(data)+"\n", 500)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		posts, _, err := ParseBlogger("bench.txt", in)
		if err != nil || len(posts) != 500 {
			b.Fatalf("%d posts, %v", len(posts), err)
		}
	}
}

// TestBloggerPageFurniture: text around the posts is skipped with a flag
// naming its lines, and a page whose date line was cut off is read undated.
func TestBloggerPageFurniture(t *testing.T) {
	in := "Home | About\n\nMonday 1 May 2017\n\nT\n\nBody.\n\n1 comment:\n\n  1. only one\n\n    ReplyDelete\nPost a Comment\n\nNewer Post Older Post\n"
	posts, flags, err := ParseBlogger("x.txt", in)
	if err != nil {
		t.Fatal(err)
	}
	txtCheckInvariants(t, posts)
	wantFlags(t, flags, "line 1: text before the first date line; ignored", "lines 14-16: text after the comment list ignored")
	if len(posts) != 1 || len(posts[0].Comments) != 1 || posts[0].Comments[0].Text != "only one" {
		t.Fatalf("posts %+v", posts)
	}

	posts, flags, err = ParseBlogger("x.txt", "A Title\n\nBody.\n\n1 comment:\n\n  1. hello\n\n    ReplyDelete\n")
	if err != nil {
		t.Fatal(err)
	}
	wantFlags(t, flags, "line 1: no date line; the post is undated")
	p := posts[0]
	if p.Date != "" || p.DateSource != DateNone || p.Title != "A Title" || len(p.Comments) != 1 {
		t.Errorf("undated page: %+v", p)
	}
}
