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
