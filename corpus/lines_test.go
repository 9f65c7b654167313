package corpus

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// lineCase is an invented input whose problems sit on known lines, and the
// warnings Parse must give for them: each want names the warning's kind,
// its line and a piece of its text, and mark a piece of the input that
// line holds, so that an edit moving the fixture's lines fails here by name
// rather than as a wrong line.
type lineCase struct {
	name   string
	format Format
	data   string
	limit  int // Options.MaxCommentBytes
	want   []lineWant
}

type lineWant struct {
	kind, text string
	line       int
	mark       string
}

// The comment every case makes too long for a 40-byte limit.
const longComment = "This comment runs well past the forty byte limit set for the test."

func lineCases() []lineCase {
	return []lineCase{
		{
			name: "jsonl", format: FormatJSONL, limit: 40,
			data: `{"post_id": "a", "post_date": "2016-02-01", "comment_id": "1", "text": "Short one."}
{"post_id": "b", "text": "No date yet."}
{"post_id": "b", "post_date": "1901-05-06", "comment_id": "1", "text": "Dated here, before 1970."}
{"post_id": "a", "comment_id": "2", "text": "` + longComment + `"}
`,
			want: []lineWant{
				{WarnDate, "post 2: date 1901-05-06 is outside", 3, `"1901-05-06"`},
				{WarnLimit, `post "" comment 2: text is 66 bytes, over the limit of 40`, 4, `"comment_id": "2"`},
			},
		},
		{
			// The second comment's start tag takes two lines: the warning
			// names the first, where the element starts.
			name: "wxr", format: FormatWXR, limit: 40,
			data: `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<wp:wxr_version>9.9</wp:wxr_version>
<item>
<title>Invented post</title>
<wp:post_id>1</wp:post_id>
<wp:post_date_gmt>2016-02-01 08:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_approved>1</wp:comment_approved><wp:comment_content>First.</wp:comment_content></wp:comment>
<wp:comment
><wp:comment_id>7</wp:comment_id><wp:comment_approved>1</wp:comment_approved><wp:comment_content>The first one's id again.</wp:comment_content></wp:comment>
<wp:comment><wp:comment_id>8</wp:comment_id><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>7</wp:comment_parent><wp:comment_content>A reply.</wp:comment_content></wp:comment>
<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_approved>1</wp:comment_approved><wp:comment_content>` + longComment + `</wp:comment_content></wp:comment>
</item>
</channel>
</rss>
`,
			want: []lineWant{
				{WarnReference, "comment 2: its id repeats an earlier comment's", 12, "<wp:comment"},
				{WarnVersion, "WXR version other than 1.0-1.2", 4, "wxr_version"},
				{WarnEncoding, "declares a non-UTF-8 encoding", 1, "ISO-8859-1"},
				{WarnLimit, `post "Invented post" comment 4: text is 66 bytes`, 15, "<wp:comment_id>9<"},
			},
		},
		{
			name: "disqus", format: FormatDisqus,
			data: `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="t1">
<title>Invented thread</title>
<createdAt>1960-03-01T08:00:00Z</createdAt>
</thread>
<post dsq:id="p1">
<message>First.</message>
<thread dsq:id="t1"/>
</post>
<post
  dsq:id="p1">
<message>The same id again.</message>
<thread dsq:id="t1"/>
</post>
<post dsq:id="p2">
<message>A reply.</message>
<thread dsq:id="t1"/>
<parent dsq:id="p1"/>
</post>
</disqus>
`,
			want: []lineWant{
				{WarnReference, "comment 2: its id repeats an earlier comment's", 11, "<post"},
				{WarnDate, "post 1: date 1960-03-01 is outside", 3, `<thread dsq:id="t1">`},
			},
		},
		{
			name: "atom", format: FormatAtom, limit: 40,
			data: `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<entry>
<id>tag:example.org,1999:blog-1.post-10</id>
<published>1960-01-01T08:00:00Z</published>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post"/>
<title>Invented post</title>
<content type="html">Body.</content>
</entry>
<entry
>
<id>tag:example.org,1999:blog-1.post-11</id>
<published>2016-02-01T09:00:00Z</published>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#comment"/>
<thr:in-reply-to ref="tag:example.org,1999:blog-1.post-10"/>
<content type="html">` + longComment + `</content>
</entry>
</feed>
`,
			want: []lineWant{
				{WarnDate, "post 1: date 1960-01-01 is outside", 3, "<entry>"},
				{WarnLimit, `post "Invented post" comment 1: text is 66 bytes`, 10, "<entry"},
			},
		},
		{
			name: "blogger-html", format: FormatBloggerHTML, limit: 40,
			data: `<!DOCTYPE html>
<html><head><meta content="blogger" name="generator"><title>Invented</title></head>
<body>
<div class="post">
<h3 class="post-title">Invented post</h3>
<div class="post-body" id="post-body-1"><p>Body.</p></div>
</div>
<div class="comments">
<ol>
<li class="comment" id="c100">
<div class="comment-content">First.</div>
</li>
<li
 class="comment" id="c100">
<div class="comment-content">` + longComment + `</div>
</li>
</ol>
</div>
</body></html>
`,
			want: []lineWant{
				{WarnReference, "post 1 comment 2: its id repeats an earlier comment's", 13, "<li"},
				{WarnDate, "post 1: no published time or date header", 4, `<div class="post">`},
				{WarnLimit, `post "Invented post" comment 2: text is 66 bytes`, 13, "<li"},
			},
		},
		{
			name: "blogger", format: FormatBlogger, limit: 40,
			data: "Monday 1 February 2016\n\nInvented post\n\nBody paragraph.\n\n2 comments:\n\n" +
				"  1. Short one.\n\n    ReplyDelete\n  2. " + longComment + "\n\n    ReplyDelete",
			want: []lineWant{
				{WarnLimit, `post "Invented post" comment 2: text is 66 bytes`, 12, "2. This comment"},
			},
		},
	}
}

// TestWarningLines: the warnings of every structured reader (and of Parse
// itself, for a date out of range or a comment over the limit) name the
// line of the record or element they are about, in the text and in
// Warning.Line, which warnings.csv's line column shows.
func TestWarningLines(t *testing.T) {
	for _, c := range lineCases() {
		t.Run(c.name, func(t *testing.T) {
			lines := strings.Split(c.data, "\n")
			doc, rej := Parse(c.name, []byte(c.data), Options{MaxCommentBytes: c.limit})
			if rej != nil {
				t.Fatalf("rejected: %s", rej.Reason)
			}
			if doc.Format != c.format {
				t.Fatalf("read as %s, want %s", doc.Format, c.format)
			}
			for _, w := range c.want {
				if w.line > len(lines) || !strings.Contains(lines[w.line-1], w.mark) {
					t.Fatalf("fixture: line %d does not hold %q: the fixture moved", w.line, w.mark)
				}
				found := false
				for _, got := range doc.Warnings {
					if got.Kind == w.kind && strings.Contains(got.Text, w.text) {
						found = true
						if got.Line != w.line || !strings.HasPrefix(got.Text, "line "+strconv.Itoa(w.line)+": ") {
							t.Errorf("%s warning %q: line %d, want %d (led by \"line %d: \")", w.kind, got.Text, got.Line, w.line, w.line)
						}
					}
				}
				if !found {
					t.Errorf("no %s warning with %q among %v", w.kind, w.text, doc.Warnings)
				}
			}
		})
	}
}

// TestPageMarksUnpaired: where the parsed page does not pair with the
// tags the shape pass marked (another count, another id), its elements
// get no line, never another element's.
func TestPageMarksUnpaired(t *testing.T) {
	page := `<html><body><div class="post"><ol><li class="comment" id="c1">a</li><li class="comment" id="c2">b</li></ol></div></body></html>`
	root, err := html.Parse(bytes.NewReader([]byte(page)))
	if err != nil {
		t.Fatal(err)
	}
	s := sel{tag: "li", class: "comment"}
	for _, c := range []struct {
		name  string
		marks []pageMark
		want  bool
	}{
		{"paired", []pageMark{{3, "c1"}, {4, "c2"}}, true},
		{"fewer marks", []pageMark{{3, "c1"}}, false},
		{"other id", []pageMark{{3, "c1"}, {4, "c3"}}, false},
	} {
		got := pageMarks{s: c.marks}.lines(root, s)
		if paired := len(got) == 2; paired != c.want {
			t.Errorf("%s: lines %v, want paired %v", c.name, got, c.want)
		}
	}
}

// TestPageLinesFosterParented: a post element written directly in a table
// after a row (outside any cell) is moved by the HTML parser before the
// table, so the parsed page holds the posts in another order than their
// tags. Posts carry no id to tell them apart: the warnings must then name
// no line rather than each post the other's.
func TestPageLinesFosterParented(t *testing.T) {
	page := `<!DOCTYPE html>
<html><head><meta content="blogger" name="generator"><title>Invented</title></head>
<body>
<table><tr><td>
<div class="post">
<h3 class="post-title">Written first</h3>
<div class="post-body" id="post-body-1"><p>Body.</p></div>
</div>
</td></tr>
<div class="post">
<h3 class="post-title">Written second</h3>
<div class="post-body" id="post-body-2"><p>Body.</p></div>
</div>
</table>
</body></html>
`
	lines := strings.Split(page, "\n")
	doc, rej := Parse("page.html", []byte(page), Options{})
	if rej != nil {
		t.Fatalf("rejected: %s", rej.Reason)
	}
	for i, p := range doc.Posts {
		prefix := "post " + strconv.Itoa(i+1) + ": no published time"
		for _, w := range doc.Warnings {
			if !strings.Contains(w.Text, prefix) || w.Line == 0 {
				continue
			}
			// The line named must be where this post's element starts:
			// its title follows on the next line.
			if w.Line >= len(lines) || !strings.Contains(lines[w.Line], p.Title) {
				t.Errorf("post %d (%q): warning %q names line %d, which starts another post", i+1, p.Title, w.Text, w.Line)
			}
		}
	}
}
