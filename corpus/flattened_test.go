package corpus

import (
	"strings"
	"testing"
)

func TestFlattenedBasic(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseFlattened, "flattened", "basic.txt")
	wantFlags(t, flags,
		// Rule 5: the body's pasted-twice paragraphs go, with their lines.
		"lines 4-5: post 1 body paragraph(s) repeat earlier ones; dropped",
		"line 14: 'ReplyDelete' with no comment text before it",
		"line 15: paragraph(s) repeat earlier ones of the same comment; dropped",
		// Rule 3: text after the last marker.
		"line 16: the last comment has no closing ReplyDelete/Delete marker; taken as top-level",
	)
	p := posts[0]
	if p.Date != "" || p.DateSource != DateNone || p.Title != "" || p.DeclaredComments != -1 {
		t.Errorf("post: date %q (%s) title %q declared %d; the layout has none of them", p.Date, p.DateSource, p.Title, p.DeclaredComments)
	}
	if len(p.Body) != 3 || !strings.HasPrefix(p.Body[2], "The blog's own comment") {
		t.Errorf("body %q, want the three distinct paragraphs", p.Body)
	}
	checkShapes(t, p, []commentShape{
		// Rule 3: the thread starts after the repeated block.
		{SectionThread, -1, "", "", "First comment: the director was saying the same thing two years ago."},
		// Rule 2: text glued to a marker starts the next comment; the
		// "Delete" that ends it makes it a reply to the latest top-level one.
		{SectionThread, 0, "Sam", "", "A reply to the first comment, glued to its marker.\nIt has a second paragraph.\nSam"},
		// Rule 1: "DeleteDeleted ..." is a marker followed by a word.
		{SectionThread, 0, "", "", "Deleted emails are the least of our worries, says a second reply."},
		{SectionThread, -1, "", "", "12:05 a top-level comment that begins with a time."},
		// Rule 1: "ReplyDelete" needs no capital after it.
		{SectionThread, -1, "", "", "don't forget the lower-case start of a new top-level comment."},
		{SectionThread, -1, "", "", "A top-level comment that repeats itself."},
		{SectionThread, -1, "", "", "The last comment, whose marker was cut off."},
	})
}

func TestFlattenedPick(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseFlattened, "flattened", "pick.txt")
	wantFlags(t, flags)
	p := posts[0]
	if len(p.Body) != 0 {
		t.Errorf("body %q, want none", p.Body)
	}
	// Rule 4: the dump starts inside the post, so the text before the first
	// row of stars is a pick too.
	checkShapes(t, p, []commentShape{
		{SectionExcerpt, -1, "", "", "The dump starts inside the post: this first pick has a fence after it only."},
		{SectionExcerpt, -1, "", "", "The second pick, fenced on both sides."},
		{SectionExcerpt, -1, "", "", "The third pick.\nIt runs over two lines."},
		{SectionThread, -1, "", "", "The first thread comment starts right after the last fence."},
		{SectionThread, 3, "", "", "A reply to the first thread comment."},
		{SectionThread, -1, "", "", "A second top-level comment."},
	})
}

// TestFlattenedDated: a dump that kept its date line, title and count uses
// them.
func TestFlattenedDated(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseFlattened, "flattened", "dated.txt")
	wantFlags(t, flags)
	p := posts[0]
	if p.Date != "2017-03-09" || p.DateSource != DateFromDateLine || p.Title != "A Title Kept in a Flattened Dump" || p.DeclaredComments != 3 {
		t.Errorf("post: date %q (%s) title %q declared %d", p.Date, p.DateSource, p.Title, p.DeclaredComments)
	}
	if len(p.Body) != 1 || p.Body[0] != "Body text of the post." {
		t.Errorf("body %q: the count line must not be in it", p.Body)
	}
	checkShapes(t, p, []commentShape{
		{SectionThread, -1, "", "", "Comment one."},
		{SectionThread, 0, "", "", "A reply to comment one.\nIts second line."},
		{SectionThread, 0, "", "", "Another reply to comment one."},
	})
}

// TestFlattenedNoBoundary: with nothing to tell the body from the first
// comment, one line is taken and the guess is flagged.
func TestFlattenedNoBoundary(t *testing.T) {
	posts, flags := parseTextFixture(t, ParseFlattened, "flattened", "noboundary.txt")
	wantFlags(t, flags, "line 2: no boundary between the post body and the first comment")
	if len(posts[0].Body) != 1 {
		t.Errorf("body %q", posts[0].Body)
	}
	checkShapes(t, posts[0], []commentShape{
		{SectionThread, -1, "", "", "Another line of body or comment, nobody can say."},
		{SectionThread, -1, "", "", "A second comment."},
	})
}

func TestFlattenedNoStructure(t *testing.T) {
	p, data := readTextFixture(t, "flattened", "prose.txt")
	posts, _, err := ParseFlattened(p, data)
	if err == nil || posts != nil {
		t.Fatalf("prose: posts %v err %v, want an error", posts, err)
	}
	// "Deleted files" and "Delete the old ones" are text, not markers, so
	// reading gives up at the last line.
	if !strings.HasPrefix(err.Error(), "line 4: ") {
		t.Errorf("error %q does not name line 4", err)
	}
	for _, in := range []string{"", "\n", "one line"} {
		if _, _, err := ParseFlattened("x.txt", in); err == nil || !strings.HasPrefix(err.Error(), "line ") {
			t.Errorf("%q: error %v, want one naming a line", in, err)
		}
	}
}

// TestFlattenedExcerptsOnly: rows of stars but no marker give the quoted
// comments and a flag, not an error.
func TestFlattenedExcerptsOnly(t *testing.T) {
	posts, flags, err := ParseFlattened("x.txt", "one\n***\ntwo\n***\nthree\n")
	if err != nil {
		t.Fatal(err)
	}
	txtCheckInvariants(t, posts)
	wantFlags(t, flags, "line 6: no ReplyDelete/Delete marker")
	if n := len(posts[0].Comments); n != 3 {
		t.Errorf("%d excerpts, want 3", n)
	}
}

// TestFlattenedMarkerFirst: a dump that starts with a marker has no body
// and no empty comment.
func TestFlattenedMarkerFirst(t *testing.T) {
	posts, flags, err := ParseFlattened("x.txt", "ReplyDeleteFirst.\nDeleteSecond.\n")
	if err != nil {
		t.Fatal(err)
	}
	txtCheckInvariants(t, posts)
	wantFlags(t, flags, "line 1: 'ReplyDelete' with no comment text before it", "line 1: reply with no comment before it", "line 2: the last comment has no closing")
	checkShapes(t, posts[0], []commentShape{
		{SectionThread, -1, "", "", "First."},
		{SectionThread, -1, "", "", "Second."},
	})
}

func TestSplitMarker(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind markerKind
		rest string
	}{
		{"ReplyDelete", markerTop, ""},
		{"ReplyDeleteBut that model", markerTop, "But that model"},
		{"ReplyDeletehttp://example.org/x", markerTop, "http://example.org/x"},
		{"ReplyDeleteReplies", markerTop, ""},
		{"Delete", markerReply, ""},
		{"DeleteDeb", markerReply, "Deb"},
		{"Delete12:46 You need", markerReply, "12:46 You need"},
		{"Delete£18.50 is more", markerReply, "£18.50 is more"},
		{"Deletesometimes lower case", markerReply, "sometimes lower case"},
		{"Deleted files", noMarker, ""},
		{"Deletes them", noMarker, ""},
		{"Deleterious effects", noMarker, ""},
		{"Delete the old ones", noMarker, ""},
		{"Replies", noMarker, ""},
		{"Reply Delete", noMarker, ""},
	} {
		k, r := splitMarker(c.in)
		if k != c.kind || r != c.rest {
			t.Errorf("splitMarker(%q) = %d %q, want %d %q", c.in, k, r, c.kind, c.rest)
		}
	}
}

func TestLooksFlattened(t *testing.T) {
	for _, name := range []string{"basic.txt", "pick.txt", "dated.txt", "noboundary.txt"} {
		if _, data := readTextFixture(t, "flattened", name); !LooksFlattened(data) {
			t.Errorf("LooksFlattened(%s) = false", name)
		}
	}
	// Page text keeps its markers alone on indented lines.
	for _, name := range []string{"basic.txt", "pick.txt", "malformed.txt"} {
		if _, data := readTextFixture(t, "blogger", name); LooksFlattened(data) {
			t.Errorf("LooksFlattened(blogger/%s) = true", name)
		}
	}
	for in, want := range map[string]bool{
		"":                              false,
		"Deleted scenes\nDeleted again": false,
		"Delete\nDelete\n":              true,
		"text\nReplyDelete\n":           false,
		"text\nDeleteNext comment\n":    true,
	} {
		if got := LooksFlattened(in); got != want {
			t.Errorf("LooksFlattened(%q) = %v, want %v", in, got, want)
		}
	}
}

// BenchmarkParseFlattened reads two picks and a thread of 5,001 glued
// comments.
func BenchmarkParseFlattened(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("A body line.\n***\nA pick.\n***\nFirst comment.\n")
	for i := 0; i < 2500; i++ {
		sb.WriteString("ReplyDeleteA reply with a little text in it.\nAnd a second paragraph.\nDeleteA top-level comment.\n")
	}
	sb.WriteString("ReplyDelete")
	in := sb.String()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		posts, _, err := ParseFlattened("bench.txt", in)
		if err != nil || len(posts[0].Comments) != 5003 {
			b.Fatalf("%v", err)
		}
	}
}
