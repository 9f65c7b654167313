package corpus

import (
	"strings"
	"testing"
)

func TestParseJSONL(t *testing.T) {
	posts, flags, err := ParseJSONL("c.jsonl", readFixture(t, "testdata/jsonl/comments.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 {
		t.Fatalf("got %d posts, want 2", len(posts))
	}
	a, b := posts[0], posts[1]
	if a.Title != "Contracts to end early" || a.Date != "2018-07-27" || a.DateSource != DateFromJSONL {
		t.Errorf("post a = %q %q %q", a.Title, a.Date, a.DateSource)
	}
	if b.Date != "2019-05-16" || len(b.Comments) != 1 {
		t.Errorf("post b = %+v", b)
	}
	if len(a.Comments) != 4 {
		t.Fatalf("post a has %d comments, want 4", len(a.Comments))
	}
	if a.Comments[1].ParentID != a.Comments[0].ID || a.Comments[1].Depth != 1 {
		t.Errorf("reply not linked: %+v", a.Comments[1])
	}
	if a.Comments[2].ParentID != "" {
		t.Errorf("comment with a missing parent should stay top level: %+v", a.Comments[2])
	}
	all := strings.Join(texts(flags), "\n")
	for _, want := range []string{
		"line 4: not a JSON object",
		"line 5: parent_id \"99\"",
		"line 6: text is missing",
		"line 7: post_id is missing",
		"line 8: post a dated 2018-07-28 here but 2018-07-27 earlier",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("flags lack %q:\n%s", want, all)
		}
	}
	if a.ID == b.ID || a.Comments[0].ID == b.Comments[0].ID {
		t.Error("ids collide across posts")
	}
}

func TestParseJSONLAllBad(t *testing.T) {
	_, _, err := ParseJSONL("bad.jsonl", []byte("{\"text\": \"x\"}\n[1,2]\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1: post_id is missing") {
		t.Errorf("err = %v", err)
	}
}

func TestParseJSONLDeepReplies(t *testing.T) {
	data := `{"post_id":"p","comment_id":"3","parent_id":"2","text":"c"}
{"post_id":"p","comment_id":"1","text":"a"}
{"post_id":"p","comment_id":"2","parent_id":"1","text":"b"}
`
	posts, _, err := ParseJSONL("d.jsonl", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	depths := []int{}
	for _, c := range posts[0].Comments {
		depths = append(depths, c.Depth)
	}
	if got := depths; got[0] != 2 || got[1] != 0 || got[2] != 1 {
		t.Errorf("depths = %v, want [2 0 1]", got)
	}
}

// TestParseJSONLNumericIDs: database and data-frame exports write ids as
// JSON numbers. An integer id is its digits as written, the same id as the
// string of those digits; any other number is a bad line, named.
func TestParseJSONLNumericIDs(t *testing.T) {
	data := `{"post_id": 101, "comment_id": 5, "text": "hi"}
{"post_id": "101", "comment_id": 6, "parent_id": "5", "text": "reply to a number, by string"}
{"post_id": 101, "comment_id": "7", "parent_id": 6, "text": "reply by number"}
{"post_id": 12345678901234567890, "comment_id": -3, "text": "big"}
{"post_id": 1.5, "text": "fraction"}
{"post_id": 101, "comment_id": 1e3, "text": "exponent"}
{"post_id": 101, "parent_id": 5.0, "text": "fraction parent"}
{"post_id": true, "text": "bool"}
{"post_id": 101, "comment_id": [1], "text": "array"}
{"post_id": null, "text": "null"}
`
	posts, flags, err := ParseJSONL("n.jsonl", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 {
		t.Fatalf("got %d posts, want 2", len(posts))
	}
	a, b := posts[0], posts[1]
	if a.SourceID != "101" || len(a.Comments) != 3 {
		t.Fatalf("post a = %q with %d comments, want \"101\" with 3", a.SourceID, len(a.Comments))
	}
	for i, want := range []struct {
		id    string
		depth int
	}{{"5", 0}, {"6", 1}, {"7", 2}} {
		if c := a.Comments[i]; c.SourceID != want.id || c.Depth != want.depth {
			t.Errorf("comment %d = id %q depth %d, want %q %d", i, c.SourceID, c.Depth, want.id, want.depth)
		}
	}
	if b.SourceID != "12345678901234567890" || b.Comments[0].SourceID != "-3" {
		t.Errorf("post b = %q, comment %q: digits must be kept as written", b.SourceID, b.Comments[0].SourceID)
	}
	want := []string{
		"line 5: post_id is the JSON number 1.5, not a string or an integer; line left out",
		"line 6: comment_id is the JSON number 1e3, not a string or an integer; line left out",
		"line 7: parent_id is the JSON number 5.0, not a string or an integer; line left out",
		"line 8: post_id is a JSON bool, not a string or an integer; line left out",
		"line 9: comment_id is a JSON array, not a string or an integer; line left out",
		"line 10: post_id is missing; line left out",
	}
	if got := texts(flags); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range flags {
		if f.Kind != WarnDroppedLine || f.Line == 0 {
			t.Errorf("flag %q: kind %s line %d, want %s with its line", f.Text, f.Kind, f.Line, WarnDroppedLine)
		}
	}
}

// TestParseJSONLOnlyNumericIDs: a file whose every id is a number is read,
// not rejected.
func TestParseJSONLOnlyNumericIDs(t *testing.T) {
	posts, flags, err := ParseJSONL("n.jsonl", []byte(`{"post_id": 101, "comment_id": 5, "text": "hi"}`+"\n"))
	if err != nil || len(flags) != 0 {
		t.Fatalf("err %v, flags %q", err, texts(flags))
	}
	if len(posts) != 1 || posts[0].SourceID != "101" || posts[0].Comments[0].SourceID != "5" || posts[0].Comments[0].Text != "hi" {
		t.Errorf("posts = %+v", posts)
	}
}
