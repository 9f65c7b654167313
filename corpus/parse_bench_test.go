package corpus_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/corpus/synth"
)

// benchFile is one input of a benchmark archive.
type benchFile struct {
	name string
	data []byte
}

// synthArchive generates an archive of 10,000 comments in format (bad files
// included) and returns its files.
func synthArchive(b *testing.B, format string) []benchFile {
	b.Helper()
	out := filepath.Join(b.TempDir(), "arch")
	opts := synth.DefaultOptions()
	opts.Comments = 10000
	opts.Seed = 1
	opts.Format = format
	opts.Out = out
	if _, err := synth.Generate(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	var files []benchFile
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, benchFile{filepath.Base(p), data})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// benchParse runs corpus.Parse, as `chorus run` does, over every file.
func benchParse(b *testing.B, files []benchFile) {
	total := 0
	for _, f := range files {
		total += len(f.data)
	}
	comments := 0
	for _, f := range files {
		if doc, rej := corpus.Parse(f.name, f.data, corpus.Options{}); rej == nil {
			for _, p := range doc.Posts {
				comments += len(p.Comments)
			}
		}
	}
	if comments < 1000 {
		b.Fatalf("the archive reads as %d comments: the benchmark measures no reader", comments)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			corpus.Parse(f.name, f.data, corpus.Options{})
		}
	}
}

// BenchmarkParseArchive runs corpus.Parse over every file of a generated
// archive of Blogger page text (10,000 comments, one post a file, bad files
// included): sniffing, reading, duplicate marking and hashing together, on
// files of the sizes a real archive has.
func BenchmarkParseArchive(b *testing.B) {
	benchParse(b, synthArchive(b, "blogger"))
}

// BenchmarkParseFormats is BenchmarkParseArchive for the structured
// readers: the generated archive's 10,000 comments as JSON Lines and Atom
// (as synth writes them), and the same posts and comments rewritten as
// WordPress and Disqus exports and as saved Blogger pages (threaded
// template, one post a page), so that a change to a reader's hot path is
// measured on the reader it touches.
func BenchmarkParseFormats(b *testing.B) {
	jsonl := synthArchive(b, "jsonl")
	var posts []corpus.Post
	for _, f := range jsonl {
		if doc, rej := corpus.Parse(f.name, f.data, corpus.Options{}); rej == nil {
			posts = append(posts, doc.Posts...)
		}
	}
	var pages []benchFile
	for i, p := range posts {
		pages = append(pages, benchFile{fmt.Sprintf("page-%04d.html", i), bloggerPage(p)})
	}
	for _, c := range []struct {
		name  string
		files func() []benchFile
	}{
		{"jsonl", func() []benchFile { return jsonl }},
		{"atom", func() []benchFile { return synthArchive(b, "atom") }},
		{"wxr", func() []benchFile { return []benchFile{{"export.xml", wxrExport(posts)}} }},
		{"disqus", func() []benchFile { return []benchFile{{"disqus.xml", disqusExport(posts)}} }},
		{"blogger-html", func() []benchFile { return pages }},
	} {
		b.Run(c.name, func(b *testing.B) { benchParse(b, c.files()) })
	}
}

// commentHTML writes a comment's text as the HTML an export holds: one
// paragraph a line.
func commentHTML(text string) string {
	var sb strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		sb.WriteString("<p>" + html.EscapeString(line) + "</p>")
	}
	return sb.String()
}

// cdata escapes s for a CDATA section.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

// wxrExport writes posts as one WordPress export, replies by
// wp:comment_parent.
func wxrExport(posts []corpus.Post) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n")
	for i, p := range posts {
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<content:encoded>%s</content:encoded>\n<wp:post_id>%d</wp:post_id>\n<wp:post_date_gmt>%s 08:00:00</wp:post_date_gmt>\n<wp:status>publish</wp:status>\n<wp:post_type>post</wp:post_type>\n",
			html.EscapeString(p.Title), cdata("<p>"+html.EscapeString(strings.Join(p.Body, " "))+"</p>"), i+1, p.Date)
		for j, c := range p.Comments {
			parent := 0
			if c.ParentID != "" {
				for k := range p.Comments[:j] {
					if p.Comments[k].ID == c.ParentID {
						parent = k + 1
					}
				}
			}
			fmt.Fprintf(&b, "<wp:comment>\n<wp:comment_id>%d</wp:comment_id>\n<wp:comment_author>%s</wp:comment_author>\n<wp:comment_author_email>reader@example.org</wp:comment_author_email>\n<wp:comment_date_gmt>%s 09:00:00</wp:comment_date_gmt>\n<wp:comment_content>%s</wp:comment_content>\n<wp:comment_approved>1</wp:comment_approved>\n<wp:comment_type></wp:comment_type>\n<wp:comment_parent>%d</wp:comment_parent>\n</wp:comment>\n",
				j+1, html.EscapeString(c.Author), p.Date, cdata(commentHTML(c.Text)), parent)
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// disqusExport writes posts as one Disqus export: a thread a post, a post
// a comment, replies by <parent>.
func disqusExport(posts []corpus.Post) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\n")
	for i, p := range posts {
		fmt.Fprintf(&b, "<thread dsq:id=\"t%d\">\n<title>%s</title>\n<message>%s</message>\n<createdAt>%sT08:00:00Z</createdAt>\n<isDeleted>false</isDeleted>\n</thread>\n",
			i, html.EscapeString(p.Title), cdata("<p>"+html.EscapeString(strings.Join(p.Body, " "))+"</p>"), p.Date)
	}
	for i, p := range posts {
		ids := map[string]int{}
		for j, c := range p.Comments {
			ids[c.ID] = j
			parent := ""
			if k, ok := ids[c.ParentID]; ok && c.ParentID != "" {
				parent = fmt.Sprintf("<parent dsq:id=\"c%d-%d\"/>\n", i, k)
			}
			fmt.Fprintf(&b, "<post dsq:id=\"c%d-%d\">\n<message>%s</message>\n<createdAt>%sT09:00:00Z</createdAt>\n<isDeleted>false</isDeleted>\n<isSpam>false</isSpam>\n<author><email>reader@example.org</email><name>%s</name></author>\n<ipAddress>192.0.2.1</ipAddress>\n<thread dsq:id=\"t%d\"/>\n%s</post>\n",
				i, j, cdata(commentHTML(c.Text)), p.Date, html.EscapeString(c.Author), i, parent)
		}
	}
	b.WriteString("</disqus>\n")
	return b.Bytes()
}

// bloggerPage writes p as a saved Blogger page in the threaded template,
// replies nested in their parent's li.
func bloggerPage(p corpus.Post) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n<head>\n<meta content=\"blogger\" name=\"generator\">\n<title>%s</title>\n</head>\n<body>\n<div class=\"post\">\n<h3 class=\"post-title\">%s</h3>\n<time class=\"published\" datetime=\"%sT08:00:00Z\">%s</time>\n<div class=\"post-body\" id=\"post-body-1\"><p>%s</p></div>\n</div>\n<div class=\"comments\" data-num-comments=\"%d\">\n<ol>\n",
		html.EscapeString(p.Title), html.EscapeString(p.Title), p.Date, p.Date, html.EscapeString(strings.Join(p.Body, " ")), len(p.Comments))
	children := map[string][]int{}
	for j, c := range p.Comments {
		children[c.ParentID] = append(children[c.ParentID], j)
	}
	var write func(j int)
	write = func(j int) {
		c := p.Comments[j]
		fmt.Fprintf(&b, "<li class=\"comment\" id=\"c%d\">\n<cite class=\"user\">%s</cite>\n<span class=\"datetime\"><a href=\"?showComment=1455000000000#c%d\">date</a></span>\n<div class=\"comment-content\">%s</div>\n", j, html.EscapeString(c.Author), j, commentHTML(c.Text))
		if kids := children[c.ID]; len(kids) > 0 {
			b.WriteString("<ol>\n")
			for _, k := range kids {
				write(k)
			}
			b.WriteString("</ol>\n")
		}
		b.WriteString("</li>\n")
	}
	for _, j := range children[""] {
		write(j)
	}
	b.WriteString("</ol>\n</div>\n<p>Powered by Blogger</p>\n</body>\n</html>\n")
	return b.Bytes()
}
