package corpus

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// These tests pin what the WordPress, Disqus and saved-Blogger-page readers
// make of their fixtures: which posts and comments are kept, which are
// left out and counted, who replies to whom, the dates and the archive's
// own ids. The fixtures (testdata/wxr, disqus, bloggerhtml) are invented.

// wantComment is one kept comment: its archive id, the archive id of its
// parent ("" for top level), its date and status.
type wantComment struct {
	src, parent, date string
	status            Status
}

type wantPost struct {
	src, title, date string
	dateSource       DateSource
	declared         int
	comments         []wantComment
}

// checkDoc compares a parsed document with the posts, comments and
// left-out counts wanted, and checks that no author email or IP address
// reached any field.
func checkDoc(t *testing.T, doc *Document, want []wantPost, skipped map[string]int) {
	t.Helper()
	if !maps.Equal(doc.Skipped, skipped) {
		t.Errorf("skipped = %v, want %v", doc.Skipped, skipped)
	}
	if len(doc.Posts) != len(want) {
		t.Fatalf("got %d posts, want %d", len(doc.Posts), len(want))
	}
	for i, w := range want {
		p := doc.Posts[i]
		if p.SourceID != w.src || p.Title != w.title || p.Date != w.date || p.DateSource != w.dateSource || p.DeclaredComments != w.declared {
			t.Errorf("post %d = id %q title %q date %q (%s) declared %d, want %q %q %q (%s) %d",
				i, p.SourceID, p.Title, p.Date, p.DateSource, p.DeclaredComments, w.src, w.title, w.date, w.dateSource, w.declared)
		}
		if len(p.Comments) != len(w.comments) {
			t.Errorf("post %d: %d comments, want %d", i, len(p.Comments), len(w.comments))
			continue
		}
		srcOf := map[string]string{} // chorus id -> archive id
		for _, c := range p.Comments {
			srcOf[c.ID] = c.SourceID
		}
		for j, wc := range w.comments {
			c := p.Comments[j]
			if c.SourceID != wc.src || srcOf[c.ParentID] != wc.parent || c.Date != wc.date || c.Status != wc.status {
				t.Errorf("post %d comment %d = id %q parent %q date %q %s, want %q %q %q %s",
					i, j, c.SourceID, srcOf[c.ParentID], c.Date, c.Status, wc.src, wc.parent, wc.date, wc.status)
			}
			if (c.ParentID == "") != (wc.parent == "") {
				t.Errorf("post %d comment %d: parent %q", i, j, c.ParentID)
			}
		}
	}
	checkInvariants(t, doc.Posts)
	enc, err := json.Marshal(doc.Posts)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"anon.po@", "tired.pso@", "editor@", "first.reader@", "second.reader@", "192.0.2.", "198.51.100.", "spam@", "second_reader"} {
		if strings.Contains(string(enc), leak) {
			t.Errorf("%q from an author field reached the parsed posts", leak)
		}
	}
}

func parseFixture(t *testing.T, path string, want Format) *Document {
	t.Helper()
	// The name says nothing of the format: detection is by content.
	doc, rej := Parse("input-without-extension", readFixture(t, path), Options{})
	if rej != nil {
		t.Fatalf("%s rejected: %s", path, rej.Reason)
	}
	if doc.Format != want {
		t.Fatalf("%s read as %s, want %s", path, doc.Format, want)
	}
	return doc
}

// TestWXR12: published posts only; approved comments only, with their
// threads; drafts, pages, attachments, private posts, spam, trash,
// pending comments, pingbacks and trackbacks left out and counted.
func TestWXR12(t *testing.T) {
	doc := parseFixture(t, "testdata/wxr/export-1.2.xml", FormatWXR)
	pub := StatusPublished
	checkDoc(t, doc, []wantPost{
		// post_date_gmt is UTC: 23:30 GMT on 1 June, although the local
		// post_date is 2 June.
		{"101", "Day one of the split", "2014-06-01", DateFromWXR, -1, []wantComment{
			{"11", "", "2014-06-02", pub},
			{"12", "11", "2014-06-02", pub},
			{"13", "12", "2014-06-02", pub}, // 00:20 local on 3 June, 23:20 GMT on 2 June
		}},
		// post_date_gmt 0000-00-00: the date comes from pubDate.
		{"102", "The phones – week two", "2014-06-10", DateFromWXR, -1, []wantComment{
			{"21", "", "2014-06-10", pub},
			{"23", "21", "2014-06-11", pub},
		}},
	}, map[string]int{
		"wxr_draft_posts": 1, "wxr_pages": 1, "wxr_attachments": 1, "wxr_private_posts": 1,
		"wxr_comments_of_left_out_items": 1,
		"wxr_spam_comments":              1, "wxr_pingbacks": 1, "wxr_pending_comments": 1,
		"wxr_trashed_comments": 1, "wxr_trackbacks": 1,
	})
	p := doc.Posts[0]
	if got := strings.Join(p.Body, "|"); got != "[Synthetic sample post written for chorus.]|The new teams start today & nobody has a desk plan.|Second paragraph without tags, as WordPress stores it." {
		t.Errorf("body = %q (content:encoded, not excerpt:encoded, reduced to text)", got)
	}
	if c := p.Comments[0]; c.Author != "Anon PO" || c.Text != "Invented comment one: my caseload went from 40 to 65 overnight.\nNobody told us which side we were on until the morning." {
		t.Errorf("comment = %q %q", c.Author, c.Text)
	}
	if c := p.Comments[1]; c.Text != "Invented reply to comment one: same here, and the phones are down." || c.Depth != 1 {
		t.Errorf("reply = %q depth %d (HTML reduced to text)", c.Text, c.Depth)
	}
	if d := p.Comments[2].Depth; d != 2 {
		t.Errorf("reply to a reply has depth %d, want 2", d)
	}
	if got := texts(problems(doc.Warnings)); len(got) != 0 {
		t.Errorf("warnings = %q, want none but the left-out counts", got)
	}
}

// TestWXROlderVersions: WXR 1.0 and 1.1 read the same way.
func TestWXROlderVersions(t *testing.T) {
	for _, v := range []string{"1.0", "1.1"} {
		t.Run(v, func(t *testing.T) {
			doc := parseFixture(t, "testdata/wxr/export-"+v+".xml", FormatWXR)
			checkDoc(t, doc, []wantPost{
				{"7", "An invented post from 2010", "2010-10-15", DateFromWXR, -1, []wantComment{
					{"3", "", "2010-10-16", StatusPublished},
					{"4", "3", "2010-10-16", StatusPublished},
				}},
			}, nil)
		})
	}
}

// TestDisqus: threads are posts, posts are comments; deleted and spam
// comments and deleted threads are left out and counted; a reply whose
// parent was deleted stays, at top level, and is flagged.
func TestDisqus(t *testing.T) {
	doc := parseFixture(t, "testdata/disqus/export.xml", FormatDisqus)
	pub := StatusPublished
	checkDoc(t, doc, []wantPost{
		{"5001", "Sold & signed", "2015-02-02", DateFromDisqus, -1, []wantComment{
			{"7001", "", "2015-02-02", pub},
			{"7002", "7001", "2015-02-02", pub},
			{"7005", "7002", "2015-02-04", pub},
			{"7006", "", "2015-02-04", pub},
		}},
		// createdAt 23:59 at UTC-2 is 2 March in UTC.
		{"5003", "A quiet week", "2015-03-02", DateFromDisqus, -1, nil},
	}, map[string]int{"disqus_deleted": 1, "disqus_spam": 1, "disqus_deleted_threads": 1, "disqus_comments_of_deleted_threads": 1})
	c := doc.Posts[0].Comments[0]
	if c.Author != "First Reader" || c.Text != "Invented Disqus comment one: the share sale went through before anyone asked us.\nSecond paragraph." {
		t.Errorf("comment = %q %q", c.Author, c.Text)
	}
	if got := texts(problems(doc.Warnings)); len(got) != 1 || !strings.HasPrefix(got[0], "line 115: reply's parent comment is left out") {
		t.Errorf("warnings = %q, want one naming line 115 besides the left-out counts", got)
	}
}

// TestBloggerHTMLTemplates reads one page saved from each template.
func TestBloggerHTMLTemplates(t *testing.T) {
	pub, del := StatusPublished, StatusDeleted
	t.Run("classic", func(t *testing.T) {
		doc := parseFixture(t, "testdata/bloggerhtml/classic.html", FormatBloggerHTML)
		checkDoc(t, doc, []wantPost{
			{"4411223344", "Laptops that don't", "2016-01-18", DateFromPage, 4, []wantComment{
				{"9000000001", "", "2016-01-18", pub},
				{"9000000002", "", "2016-01-19", pub},
				{"9000000003", "", "2016-01-19", del},
				{"9000000004", "", "2016-01-21", pub}, // from the link text: no showComment
			}},
		}, nil)
		p := doc.Posts[0]
		if got := strings.Join(p.Body, "|"); got != "[Synthetic sample post written for chorus.]|The new laptops arrived on Friday. On Monday none of them would log in." {
			t.Errorf("body = %q", got)
		}
		authors := []string{}
		for _, c := range p.Comments {
			authors = append(authors, c.Author)
		}
		if got := strings.Join(authors, "|"); got != "Anonymous|Court PO|Anonymous|Anonymous" {
			t.Errorf("authors = %q", got)
		}
		if c := p.Comments[0]; c.Text != "Invented classic comment one: mine shows a spinning wheel and then the old login page.\nIT say it is a known issue." {
			t.Errorf("text = %q", c.Text)
		}
	})
	t.Run("threaded", func(t *testing.T) {
		doc := parseFixture(t, "testdata/bloggerhtml/threaded.html", FormatBloggerHTML)
		checkDoc(t, doc, []wantPost{
			// The published time is written with its offset; the date is
			// the day as written, as the Atom reader takes it.
			{"7700880011", "Citrix again", "2016-10-10", DateFromPage, 4, []wantComment{
				{"8100000001", "", "2016-10-10", pub},
				{"8100000002", "8100000001", "2016-10-10", pub},
				{"8100000003", "8100000001", "2016-10-11", del},
				{"8100000004", "", "2016-10-11", pub},
			}},
		}, nil)
		p := doc.Posts[0]
		if got := strings.Join(p.Body, "|"); got != "[Synthetic sample post written for chorus.]|The remote desktop went down again at nine.|Court reports were written on paper." {
			t.Errorf("body = %q", got)
		}
		if c := p.Comments[1]; c.Author != "Tired PSO" || c.Text != "Invented threaded reply: ours came back at four, then went again." {
			t.Errorf("reply = %q %q", c.Author, c.Text)
		}
	})
}

// TestNewFormatsHostile: each reader refuses what issue 13 lists (DTDs,
// deep nesting, token floods, truncation) with the line and the rule, and
// never quotes the content.
func TestNewFormatsHostile(t *testing.T) {
	wxrHead := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>`
	deep := strings.Repeat("<x>", 300) + strings.Repeat("</x>", 300)
	for _, tc := range []struct {
		name, in, want string
		format         Format
	}{
		{"wxr doctype", `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "secret-words">]>` + "\n" + `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&a;</title></item></channel></rss>`,
			"line 1: a DOCTYPE or ENTITY declaration is refused", FormatWXR},
		{"wxr deep", wxrHead + "<item>" + deep + "</item></channel></rss>", "elements nested more than 256 deep", FormatWXR},
		{"wxr truncated", wxrHead + "\n<item><title>secret-words", "line 2: XML ends early", FormatWXR},
		{"wxr undefined entity", wxrHead + "\n<item><title>&secret;</title></item></channel></rss>", "line 2: XML syntax error", FormatWXR},
		{"wxr only drafts", wxrHead + "<item><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>",
			"wxr: no published posts (left out: wxr_draft_posts 1)", FormatWXR},
		{"disqus doctype", `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE disqus SYSTEM "file:///etc/passwd"><disqus></disqus>`, "line 2: a DOCTYPE or ENTITY declaration is refused", FormatDisqus},
		{"disqus deep", `<disqus><thread>` + deep + `</thread></disqus>`, "elements nested more than 256 deep", FormatDisqus},
		{"disqus truncated", "<disqus>\n<thread dsq:id=\"1\"><title>secret-words", "line 2: XML ends early", FormatDisqus},
		{"disqus empty", `<disqus></disqus>`, "disqus: no threads (left out: nothing)", FormatDisqus},
		{"page deep", `<!DOCTYPE html><html><body class="blogger"><div class="post-body">` + "\n" + strings.Repeat("<div>", 300) + "secret-words", "line 2: elements nested deeper than 256", FormatBloggerHTML},
		{"page without post", `<!DOCTYPE html><html><head><meta name="generator" content="Blogger"></head><body><p class="post-body-less">secret-words</p></body></html>`,
			"no Blogger post element", FormatBloggerHTML},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, rej := Parse("hostile", []byte(tc.in), Options{})
			if rej == nil {
				t.Fatalf("accepted as %s with %d posts", doc.Format, len(doc.Posts))
			}
			if !strings.Contains(rej.Reason, tc.want) || !strings.HasPrefix(rej.Reason, string(tc.format)+": ") {
				t.Errorf("reason %q, want %s: ...%s...", rej.Reason, tc.format, tc.want)
			}
			if strings.Contains(rej.Reason, "secret") {
				t.Errorf("reason %q quotes the content", rej.Reason)
			}
		})
	}
}

// TestXMLTokenBudget: a file within the size limit but made of more tokens
// than the budget is refused, naming the line.
func TestXMLTokenBudget(t *testing.T) {
	in := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>` + "\n" +
		strings.Repeat("<wp:x/>", 600) + "</channel></rss>"
	lim := Options{}.xmlLimits()
	lim.maxTokens = 1000
	if _, _, _, _, err := parseWXR("f", []byte(in), lim); err == nil || !strings.Contains(err.Error(), "line 2: more than 1000 XML tokens") {
		t.Errorf("err = %v", err)
	}
	in = "<disqus>\n" + strings.Repeat("<category/>", 600) + "</disqus>"
	if _, _, _, _, err := parseDisqus("f", []byte(in), lim); err == nil || !strings.Contains(err.Error(), "line 2: more than 1000 XML tokens") {
		t.Errorf("err = %v", err)
	}
}

// TestNewFormatsOversizeComment: a comment over the per-comment limit is
// kept as a count with status oversize and its text dropped, in each reader.
func TestNewFormatsOversizeComment(t *testing.T) {
	big := strings.Repeat("word ", 400) // 2000 bytes
	wxr := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title>` +
		`<wp:post_id>1</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>` +
		`<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>` + big + `</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>` +
		`<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>short</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>` +
		`</item></channel></rss>`
	dsq := `<disqus xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="t"><title>T</title></thread>` +
		`<post dsq:id="1"><message>` + big + `</message><thread dsq:id="t"/></post>` +
		`<post dsq:id="2"><message>short</message><thread dsq:id="t"/></post></disqus>`
	page := `<!DOCTYPE html><html><head><meta name="generator" content="Blogger"></head><body><div class="post"><h3 class="post-title">T</h3><div class="post-body">b</div></div>` +
		`<div class="comments"><ol><li class="comment" id="c1"><p class="comment-content">` + big + `</p></li><li class="comment" id="c2"><p class="comment-content">short</p></li></ol></div></body></html>`
	for _, in := range []string{wxr, dsq, page} {
		doc, rej := Parse("f", []byte(in), Options{MaxCommentBytes: 1000})
		if rej != nil {
			t.Fatalf("rejected: %s", rej.Reason)
		}
		cs := doc.Posts[0].Comments
		if len(cs) != 2 || cs[0].Status != StatusOversize || cs[0].Text != "" || cs[1].Status != StatusPublished {
			t.Errorf("%s: comments = %+v", doc.Format, cs)
		}
		// Raw markup far over the limit is not even held.
		doc, rej = Parse("f", []byte(strings.Replace(in, big, strings.Repeat(big, 20), 1)), Options{MaxCommentBytes: 1000})
		if rej != nil || doc.Posts[0].Comments[0].Status != StatusOversize {
			t.Errorf("%s: huge comment not oversize (%v)", doc.Format, rej)
		}
	}
}

// TestSniffNewFormats: each format is told from content alone, and near
// misses are not taken for one.
func TestSniffNewFormats(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
	}{
		{"\ufeff<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0' xmlns:wp='http://wordpress.org/export/1.1/'>", FormatWXR},
		{`<rss version="2.0"><channel><title>plain RSS</title></channel></rss>`, ""},
		{`<?xml version="1.0"?><disqus xmlns="http://disqus.com">`, FormatDisqus},
		{`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">`, FormatAtom},
		{`<!-- saved from url=(0040)https://x.blogspot.com/ --><!DOCTYPE html><html><div class="post-body">`, FormatBloggerHTML},
		{`<html><body><div class="post-body">no b-word here</div></body></html>`, ""},
		{`<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html><p>just a page</p></html>`, ""},
		{`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "]">]><unknown/>`, FormatAtom}, // the Atom reader says what is wrong
	} {
		got, why := Sniff([]byte(tc.in))
		if got != tc.want {
			t.Errorf("Sniff(%.50q) = %q (%s), want %q", tc.in, got, why, tc.want)
		}
	}
}

// TestForceNewFormats: --format forces a reader, which then says why a
// file is not what it was told.
func TestForceNewFormats(t *testing.T) {
	for _, f := range []Format{FormatWXR, FormatDisqus, FormatBloggerHTML} {
		parsed, err := ParseFormat(string(f))
		if err != nil || parsed != f {
			t.Fatalf("ParseFormat(%s) = %q, %v", f, parsed, err)
		}
		_, rej := Parse("atom.xml", readFixture(t, "testdata/atom/classic.xml"), Options{Format: f})
		if rej == nil {
			t.Errorf("an Atom file forced through %s was accepted", f)
		} else if !strings.HasPrefix(rej.Reason, fmt.Sprintf("%s: ", f)) {
			t.Errorf("reason %q does not name the reader", rej.Reason)
		}
	}
}
