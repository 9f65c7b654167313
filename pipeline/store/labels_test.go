package store

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"chorus/corpus"
)

func TestTextHashNormalises(t *testing.T) {
	a := TextHash("The caseload  went UP\nagain")
	if b := TextHash("  the caseload went up again "); a != b {
		t.Errorf("hashes differ for texts that differ only in case and space")
	}
	if b := TextHash("the caseload went up again!"); a == b {
		t.Errorf("punctuation should make texts differ")
	}
	if len(a) != 64 {
		t.Errorf("hash %q is not hex SHA-256", a)
	}
}

// TestLabelsReplaceAndPersist: a coder's second label of a unit replaces
// the first; other coders' labels and free units are apart; labels survive
// reopening and the comments they name being deleted from the store.
func TestLabelsReplaceAndPersist(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	d := makeDoc("a.txt", 1, 4, "v1")
	if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
		t.Fatal(err)
	}
	c0, c1 := d.Posts[0].Comments[0], d.Posts[0].Comments[1]
	lab := func(coder string, c string, text string, v int, topics ...string) Label {
		return Label{Coder: coder, CommentID: c, TextHash: TextHash(text), Text: text, Valence: v, Topics: topics, Source: "test"}
	}
	added, replaced, err := s.SaveLabels(ctx, []Label{
		lab("ann", c0.ID, c0.Text, -1, "workload", "pay", "workload"),
		lab("bo", c0.ID, c0.Text, 0),
		lab("ann", "", "a free unit of text", 2),
	})
	if err != nil || added != 3 || replaced != 0 {
		t.Fatalf("first save: added %d replaced %d err %v", added, replaced, err)
	}
	added, replaced, err = s.SaveLabels(ctx, []Label{
		lab("ann", c0.ID, c0.Text, -2, "it"),
		lab("ann", "", "A free unit   of text", 1),
		lab("ann", c1.ID, c1.Text, 0),
	})
	if err != nil || added != 1 || replaced != 2 {
		t.Fatalf("second save: added %d replaced %d err %v", added, replaced, err)
	}
	if _, _, err := s.SaveLabels(ctx, []Label{lab("ann", c1.ID, c1.Text, 3)}); err == nil {
		t.Error("valence 3 was stored")
	}
	if _, _, err := s.SaveLabels(ctx, []Label{lab("ann", c1.ID, c1.Text, 1, "a;b")}); err == nil {
		t.Error("a topic with ';' was stored")
	}
	// The file loses its last three comments: the labels stay.
	d.Posts[0].Comments = d.Posts[0].Comments[:1]
	d.SHA256 = "changed"
	if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	all, err := s2.Labels(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range all {
		got = append(got, l.Coder+":"+l.CommentID+":"+strings.Join(l.Topics, ",")+":"+string(rune('2'+l.Valence)))
		if l.LabelledAt == "" {
			t.Errorf("label %+v has no time", l)
		}
	}
	// Valences as runes from '2': -2 -> '0', 0 -> '2', 1 -> '3'.
	want := []string{"ann::" + ":3", "ann:" + c0.ID + ":it:0", "ann:" + c1.ID + "::2", "bo:" + c0.ID + "::2"}
	sort.Strings(want)
	if !sort.StringsAreSorted(got) || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("labels after reopen:\n got %v\nwant %v", got, want)
	}
	ann, err := s2.Labels(ctx, "ann")
	if err != nil || len(ann) != 3 {
		t.Errorf("ann's labels: %d, %v", len(ann), err)
	}
}

func TestQueue(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	d := makeDoc("a.txt", 2, 5, "v1")
	if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
		t.Fatal(err)
	}
	p := d.Posts[1]
	reply := p.Comments[4] // makeDoc makes comment 4 a reply to 3
	top := p.Comments[2]
	b1, err := s.AddSample(ctx, []SampleEntry{
		{CommentID: reply.ID, PostID: p.ID, TextHash: TextHash(reply.Text)},
		{CommentID: "c-gone", PostID: p.ID, TextHash: "x"},
	}, "random", 7)
	if err != nil || b1 != 1 {
		t.Fatalf("batch %d, %v", b1, err)
	}
	b2, err := s.AddSample(ctx, []SampleEntry{{CommentID: top.ID, PostID: p.ID, TextHash: TextHash(top.Text)}}, "uncertain", 1<<63)
	if err != nil || b2 != 2 {
		t.Fatalf("batch %d, %v", b2, err)
	}
	if _, err := s.AddSample(ctx, []SampleEntry{{CommentID: top.ID, PostID: p.ID}}, "random", 1); err == nil {
		t.Error("a comment was queued twice")
	}
	q, err := s.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 {
		t.Fatalf("queue has %d units, want 3", len(q))
	}
	if !q[0].Found || q[0].Text != reply.Text || q[0].ParentText != p.Comments[3].Text || q[0].PostTitle != p.Title || q[0].PostDate != p.Date {
		t.Errorf("reply unit: %+v", q[0])
	}
	if q[1].Found || q[1].CommentID != "c-gone" {
		t.Errorf("missing unit: %+v", q[1])
	}
	if q[2].Batch != 2 || q[2].ParentText != "" || q[2].Text != top.Text {
		t.Errorf("top-level unit: %+v", q[2])
	}
}

func TestCurrentKey(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if k, err := s.CurrentKey(ctx); err != nil || k != "" {
		t.Fatalf("empty store: %q, %v", k, err)
	}
	if err := s.DescribeKey(ctx, "old", "", ""); err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Now().Add(time.Hour) }
	if err := s.DescribeKey(ctx, "new", "", ""); err != nil {
		t.Fatal(err)
	}
	if k, err := s.CurrentKey(ctx); err != nil || k != "new" {
		t.Errorf("current key %q, %v; want new", k, err)
	}
}

// CommentsByID reads exactly the comments asked for, of current documents
// only, in report order, with their post's date and source file: the rows
// Comments gives for the same ids, whether a ref names its post (read
// through the post) or not (a pass over every comment), and with both
// kinds in one call.
func TestCommentsByID(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, d := range []*corpus.Document{makeDoc("a.jsonl", 2, 3, "v1"), makeDoc("b.jsonl", 1, 2, "v1")} {
		if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
			t.Fatal(err)
		}
	}
	var all []CommentRow
	if err := s.Comments(ctx, "", func(r CommentRow) error { all = append(all, r); return nil }); err != nil {
		t.Fatal(err)
	}
	// Every other comment, asked for in reverse order, half of them with
	// their post, plus unknown ids with and without a post.
	var ids []CommentRef
	var want []string
	for i := len(all) - 1; i >= 0; i -= 2 {
		ref := CommentRef{ID: all[i].ID}
		if len(ids)%2 == 0 {
			ref.PostID = all[i].PostID
		}
		ids = append(ids, ref)
	}
	for i := range all {
		if (len(all)-1-i)%2 == 0 {
			want = append(want, all[i].ID+"|"+all[i].PostID+"|"+all[i].SourceFile+"|"+all[i].PostDate+"|"+all[i].Text)
		}
	}
	ids = append(ids, CommentRef{ID: "c-not-stored"}, CommentRef{ID: "c-not-stored-either", PostID: all[0].PostID})
	read := func() []string {
		var got []string
		err := s.CommentsByID(ctx, ids, func(r CommentRow) error {
			got = append(got, r.ID+"|"+r.PostID+"|"+r.SourceFile+"|"+r.PostDate+"|"+r.Text)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Errorf("CommentsByID =\n%q\nwant (report order)\n%q", got, want)
	}
	// A vanished document's comments are not current.
	if _, err := s.MarkVanished(ctx, []string{"a.jsonl"}); err != nil {
		t.Fatal(err)
	}
	left := read()
	if len(left) == 0 || len(left) >= len(want) {
		t.Errorf("after b.jsonl vanished, %d of the %d comments asked for were read", len(left), len(want))
	}
	for _, g := range left {
		if strings.Contains(g, "b.jsonl") {
			t.Errorf("a comment of the vanished b.jsonl was read: %s", g)
		}
	}
}
