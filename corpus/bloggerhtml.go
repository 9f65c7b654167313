package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// This file reads a Blogger post page saved from a browser as "Web page,
// HTML only". Where the post and its comments sit in the page depends on
// the blog's template; bloggerTemplates below holds, for each template in
// common use, the elements that carry each field, so that reading a new
// template is one more entry. The text of a title, body or comment is the
// element's HTML reduced by htmlText, the Atom reader's helper.

// sel matches one element: its tag, one of its classes, its id, and an
// attribute it must carry with a given value; empty parts match anything.
type sel struct {
	tag, class, id string
	has            [2]string // attribute name and value
}

func (s sel) match(n *html.Node) bool {
	if n.Type != html.ElementNode || s.tag != "" && n.Data != s.tag {
		return false
	}
	if s.id != "" && nodeAttr(n, "id") != s.id {
		return false
	}
	if s.has[0] != "" && nodeAttr(n, s.has[0]) != s.has[1] {
		return false
	}
	if s.class != "" {
		// FieldsSeq, not Fields: every element of a page is matched
		// against several selectors, and Fields allocated each time.
		for c := range strings.FieldsSeq(nodeAttr(n, "class")) {
			if c == s.class {
				return true
			}
		}
		return false
	}
	return true
}

// pageField finds a value: the first element matching path (each step
// inside the one before; an empty path is the element searched from), then
// its attribute take, or its text when take is "", less the prefix trim.
type pageField struct {
	path []sel
	take string
	trim string
}

// pageTemplate says where one Blogger template puts each field.
type pageTemplate struct {
	name string
	// post is one post; title, body, published and postID are found in it.
	post      sel
	title     pageField
	body      pageField
	published []pageField // an ISO time or a date written out, tried in order
	postID    []pageField
	// dateHeader, outside the posts, dates the posts after it when they
	// carry no published time of their own ("Saturday, 5 March 2016").
	dateHeader sel
	// comments is the comments section of the post before it; declared
	// (in it) states the count ("50 comments:", or an attribute).
	comments sel
	declared []pageField
	// comment is one comment; the fields below are found in it (and, with
	// siblings, in the elements after it up to the next comment).
	comment    sel
	commentID  pageField
	text       pageField
	author     pageField
	authorTrim []string // suffixes of the author field to drop (" said...")
	date       pageField
	siblings   bool
	// replies: a comment inside another comment is a reply to it.
	replies bool
}

// bloggerTemplates are tried in order; the first whose comment element is
// in the page reads it (for a page without comments, the first whose post
// element is). The classic layouts (Minima and the other pre-2012
// templates) list comments flat in a <dl id="comments-block">: the author
// in a <dt>, the text in the <dd> after it. The threaded layouts (2012 on,
// and the 2017 Contempo, Soho, Emporio and Notable themes) nest replies
// inside their parent's <li class="comment">.
var bloggerTemplates = []pageTemplate{
	{
		name:      "threaded",
		post:      sel{tag: "div", class: "post"},
		title:     pageField{path: []sel{{class: "post-title"}}},
		body:      pageField{path: []sel{{class: "post-body"}}},
		published: []pageField{{path: []sel{{tag: "time", class: "published"}}, take: "datetime"}, {path: []sel{{tag: "abbr", class: "published"}}, take: "title"}},
		postID: []pageField{{path: []sel{{tag: "meta", has: [2]string{"itemprop", "postId"}}}, take: "content"},
			{path: []sel{{class: "post-body"}}, take: "id", trim: "post-body-"}},
		dateHeader: sel{class: "date-header"},
		comments:   sel{class: "comments"},
		declared:   []pageField{{take: "data-num-comments"}, {path: []sel{{tag: "h4"}}}},
		comment:    sel{tag: "li", class: "comment"},
		commentID:  pageField{take: "id", trim: "c"},
		text:       pageField{path: []sel{{class: "comment-content"}}},
		author:     pageField{path: []sel{{tag: "cite", class: "user"}}},
		date:       pageField{path: []sel{{class: "datetime"}, {tag: "a"}}, take: "href"},
		replies:    true,
	},
	{
		name:       "classic",
		post:       sel{tag: "div", class: "post"},
		title:      pageField{path: []sel{{class: "post-title"}}},
		body:       pageField{path: []sel{{class: "post-body"}}},
		published:  []pageField{{path: []sel{{tag: "abbr", class: "published"}}, take: "title"}},
		postID:     []pageField{{path: []sel{{class: "post-body"}}, take: "id", trim: "post-body-"}},
		dateHeader: sel{class: "date-header"},
		comments:   sel{class: "comments"},
		declared:   []pageField{{path: []sel{{tag: "h4"}}}},
		comment:    sel{tag: "dt", class: "comment-author"},
		commentID:  pageField{take: "id", trim: "c"},
		text:       pageField{path: []sel{{tag: "dd", class: "comment-body"}}},
		author:     pageField{},
		authorTrim: []string{" said...", " said…", " said:"},
		date:       pageField{path: []sel{{class: "comment-timestamp"}, {tag: "a"}}, take: "href"},
		siblings:   true,
	},
}

// Limits of one saved page, checked by a streaming pass before the page is
// parsed into a tree: the tree costs some hundred bytes per element, and
// the HTML parser's scope checks grow with the depth of open elements.
const (
	maxPageDepth    = 256     // a real Blogger page nests about 40 deep
	maxPageElements = 1 << 19 // a page with 200 comments has about 10,000
)

func looksBloggerPage(data []byte) bool {
	return bytes.Contains(data, []byte("post-body")) &&
		(bytes.Contains(data, []byte("blogger")) || bytes.Contains(data, []byte("blogspot")) || bytes.Contains(data, []byte("Blogger")))
}

// ParseBloggerHTML reads a saved Blogger post page.
func ParseBloggerHTML(name string, data []byte) ([]Post, []Warning, error) {
	posts, _, flags, err := parseBloggerHTML(name, data)
	return posts, flags, err
}

// parseBloggerHTML is ParseBloggerHTML, with the line of each post and
// comment element (see pageMarks).
func parseBloggerHTML(name string, data []byte) ([]Post, readNotes, []Warning, error) {
	marks, err := checkPageShape(data)
	if err != nil {
		return nil, readNotes{}, nil, err
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, readNotes{}, nil, fmt.Errorf("parse HTML: %w", err)
	}
	tpl, ok := pickTemplate(root)
	if !ok {
		return nil, readNotes{}, nil, errors.New("no Blogger post element (div class \"post\") in the page")
	}
	r := &pageReader{name: name, tpl: tpl, lines: marks.lines(root, tpl.post, tpl.comment)}
	r.walk(root, "")
	if len(r.posts) == 0 {
		return nil, r.notes, r.flags, errors.New("no Blogger post element (div class \"post\") in the page")
	}
	for i := range r.posts {
		if r.posts[i].Date == "" {
			r.flags = append(r.flags, warnAt(WarnDate, r.notes.post(i), "post %d: no published time or date header; undated", i+1))
		}
	}
	fixDepths(r.posts)
	return r.posts, r.notes, r.flags, nil
}

// html.Parse gives its nodes no positions. The streaming pass that checks
// a page's shape before it is parsed reads every tag and counts lines
// anyway, so it notes where each start tag that a template's post or
// comment selector matches begins (a pageMark): the parser makes those
// elements in the order of their tags, so the k-th element a selector
// matches in the tree is the k-th mark. Where the tree does not pair with
// the marks (a page the parser rearranges, by a count or an id that
// differs, or a tag the parser moves out of its table, markTag), its
// elements get no line rather than a wrong one.

// pageMark is where a start tag a located selector matches begins, and the
// tag's id attribute, which the pairing checks.
type pageMark struct {
	line int
	id   string
}

// pageMarks are the marks of each located selector, in the page's order.
type pageMarks map[sel][]pageMark

// locatedSels are the selectors whose elements' lines are noted: every
// template's post and comment.
func locatedSels() []sel {
	var out []sel
	for _, t := range bloggerTemplates {
		for _, s := range []sel{t.post, t.comment} {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// tagAttr is an attribute of the tag the tokenizer is on, valid until it
// moves on.
type tagAttr struct{ key, val []byte }

// matchTag is match for a tag the tokenizer reads: its name and attributes.
func (s sel) matchTag(tag []byte, attrs []tagAttr) bool {
	get := func(key string) []byte {
		for _, a := range attrs {
			if string(a.key) == key {
				return a.val
			}
		}
		return nil
	}
	if s.tag != "" && string(tag) != s.tag {
		return false
	}
	if s.id != "" && string(get("id")) != s.id {
		return false
	}
	if s.has[0] != "" && string(get(s.has[0])) != s.has[1] {
		return false
	}
	if s.class == "" {
		return true
	}
	for c := range bytes.FieldsSeq(get("class")) {
		if string(c) == s.class {
			return true
		}
	}
	return false
}

// lines pairs the elements of the tree under root that each of sels
// matches with that selector's marks, in one walk, giving each element's
// line; the elements of a selector whose marks do not pair get none.
func (m pageMarks) lines(root *html.Node, sels ...sel) map[*html.Node]int {
	nodes := make([][]*html.Node, len(sels))
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for i, s := range sels {
				if s.match(n) {
					nodes[i] = append(nodes[i], n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	out := map[*html.Node]int{}
	for i, s := range sels {
		marks := m[s]
		if len(nodes[i]) != len(marks) {
			continue
		}
		paired := true
		for k, n := range nodes[i] {
			// A mark at line 0 is a tag whose element the parser moved.
			if marks[k].line == 0 || nodeAttr(n, "id") != marks[k].id {
				paired = false
				break
			}
		}
		for k, n := range nodes[i] {
			if paired {
				out[n] = marks[k].line
			}
		}
	}
	return out
}

// checkPageShape streams the page's tags and refuses one nested or sized
// past the limits, naming the line. It returns the marks of the located
// selectors.
func checkPageShape(data []byte) (pageMarks, error) {
	z := html.NewTokenizer(bytes.NewReader(data))
	var (
		open []string
		// moved[i] says open[i] is an element the parser moves out of
		// its table (fosterParented); movedOpen counts them.
		moved     []bool
		movedOpen int
	)
	line, elements := 1, 0
	located := locatedSels()
	marks := pageMarks{}
	var attrs []tagAttr
	for {
		tt := z.Next()
		start := line
		line += bytes.Count(z.Raw(), []byte{'\n'})
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return marks, nil
			}
			return nil, fmt.Errorf("line %d: read HTML: %v", line, z.Err())
		case html.SelfClosingTagToken:
			// The parser makes an element of it as of a start tag.
			name, hasAttr := z.TagName()
			fostered := movedOpen > 0 || fosterParented(open, string(name))
			attrs = markTag(z, name, hasAttr, start, fostered, located, marks, attrs[:0])
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			fostered := fosterParented(open, tag)
			attrs = markTag(z, name, hasAttr, start, fostered || movedOpen > 0, located, marks, attrs[:0])
			elements++
			if elements > maxPageElements {
				return nil, fmt.Errorf("line %d: more than %d elements; refused", line, maxPageElements)
			}
			if voidElement(tag) {
				continue
			}
			// Elements whose end tag is optional close the one before.
			if n := len(open); n > 0 && open[n-1] == tag && impliedEnd(tag) {
				continue
			}
			open, moved = append(open, tag), append(moved, fostered)
			if fostered {
				movedOpen++
			}
			if len(open) > maxPageDepth {
				return nil, fmt.Errorf("line %d: elements nested deeper than %d; refused", line, maxPageDepth)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == string(name) {
					for _, m := range moved[i:] {
						if m {
							movedOpen--
						}
					}
					open, moved = open[:i], moved[:i]
					break
				}
			}
		}
	}
}

// markTag adds a mark at line for each located selector the tag the
// tokenizer is on (name, with attributes when hasAttr) matches, reading
// its attributes into attrs (returned, for reuse) only for a tag some
// selector names.
//
// The tokenizer copies every attribute it is asked for, so a tag is read
// only when its raw text holds the tag name, class and id of some
// selector as written. A value written with character references
// ("&#112;ost") is then missed: its element does not pair, and gets no
// line, rather than costing every tag of every page a copy.
//
// A tag the parser moves (moved: written in a table outside any cell, or
// inside such an element) is marked at line 0: the parser puts its element
// before the table, out of the order of the tags, so its selector's
// elements are not paired (pageMarks.lines).
func markTag(z *html.Tokenizer, name []byte, hasAttr bool, line int, moved bool, located []sel, marks pageMarks, attrs []tagAttr) []tagAttr {
	named := false
	raw := z.Raw()
	for _, s := range located {
		if (s.tag == "" || string(name) == s.tag) && bytes.Contains(raw, []byte(s.class)) && bytes.Contains(raw, []byte(s.id)) {
			named = true
			break
		}
	}
	if !named {
		return attrs
	}
	for more := hasAttr; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		attrs = append(attrs, tagAttr{k, v})
	}
	for _, s := range located {
		if s.matchTag(name, attrs) {
			var id string
			for _, a := range attrs {
				if string(a.key) == "id" {
					id = string(a.val)
					break
				}
			}
			if moved {
				line = 0
			}
			marks[s] = append(marks[s], pageMark{line, id})
		}
	}
	return attrs
}

// fosterParented reports whether the parser moves an element tag opened
// inside open (the shape pass's open elements, innermost last) out of its
// table: one written in a table, a row group or a row outside any cell,
// other than the table's own parts (and the few elements the parser keeps
// there), goes before the table, "foster parented".
func fosterParented(open []string, tag string) bool {
	if len(open) == 0 {
		return false
	}
	switch open[len(open)-1] {
	case "table", "tbody", "thead", "tfoot", "tr":
	default:
		return false
	}
	switch tag {
	case "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th", "table",
		"style", "script", "template", "input", "form":
		return false
	}
	return true
}

func voidElement(tag string) bool {
	switch tag {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr":
		return true
	}
	return false
}

func impliedEnd(tag string) bool {
	switch tag {
	case "p", "li", "dt", "dd", "tr", "td", "th", "option":
		return true
	}
	return false
}

// pickTemplate chooses the template whose comment element is in the page,
// or else the first whose post element is.
func pickTemplate(root *html.Node) (*pageTemplate, bool) {
	for i := range bloggerTemplates {
		if find(root, []sel{bloggerTemplates[i].comment}, sel{}) != nil {
			return &bloggerTemplates[i], true
		}
	}
	for i := range bloggerTemplates {
		if find(root, []sel{bloggerTemplates[i].post}, sel{}) != nil {
			return &bloggerTemplates[i], true
		}
	}
	return nil, false
}

type pageReader struct {
	name  string
	tpl   *pageTemplate
	posts []Post
	notes readNotes // the lines of posts and comments
	// lines gives the line of each post and comment element
	// (pageMarks.lines); an element it lacks has none known.
	lines    map[*html.Node]int
	flags    []Warning
	lastDate string // from the latest date header
	bySource map[string]string
}

// walk visits n and its descendants in document order. parent is the
// chorus id of the comment n is inside ("" outside any).
func (r *pageReader) walk(n *html.Node, parent string) {
	t := r.tpl
	switch {
	case t.dateHeader.match(n):
		if d, ok := pageDate(nodeText(n)); ok {
			r.lastDate = d
		}
	case t.post.match(n):
		r.startPost(n)
	case t.comments.match(n) && len(r.posts) > 0:
		p := &r.posts[len(r.posts)-1]
		for _, f := range t.declared {
			if v, ok := f.value(n, sel{}); ok {
				if k, ok := declaredCount(v); ok {
					p.DeclaredComments = k
					break
				}
			}
		}
	case t.comment.match(n):
		id, ok := r.addComment(n, parent)
		if !ok {
			return
		}
		if t.replies {
			parent = id
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c, parent)
	}
}

func (r *pageReader) startPost(n *html.Node) {
	t := r.tpl
	p := Post{
		ID:               PostID(r.name, len(r.posts)),
		SourceFile:       r.name,
		DeclaredComments: -1,
		DateSource:       DateNone,
	}
	if v, ok := t.title.value(n, t.comment); ok {
		p.Title = v
	}
	if b := find(n, t.body.path, t.comment); b != nil {
		p.Body = paragraphs(htmlText(innerHTML(b)))
	}
	for _, f := range t.published {
		if v, ok := f.value(n, t.comment); ok {
			if d, ok := pageDate(v); ok {
				p.Date, p.DateSource = d, DateFromPage
				break
			}
		}
	}
	if p.Date == "" && r.lastDate != "" {
		p.Date, p.DateSource = r.lastDate, DateFromPage
	}
	for _, f := range t.postID {
		if v, ok := f.value(n, t.comment); ok && v != "" {
			p.SourceID = v
			break
		}
	}
	r.posts = append(r.posts, p)
	r.notes.addPost(r.lines[n])
	r.bySource = map[string]string{}
}

// addComment reads the comment element n into the current post and
// returns its chorus id.
func (r *pageReader) addComment(n *html.Node, parent string) (string, bool) {
	t := r.tpl
	line := r.lines[n]
	if len(r.posts) == 0 {
		r.flags = append(r.flags, warnAt(WarnStructure, line, "a comment comes before any post; left out"))
		return "", false
	}
	p := &r.posts[len(r.posts)-1]
	pos := len(p.Comments)
	c := Comment{
		ID:       CommentID(p.ID, pos),
		PostID:   p.ID,
		ParentID: parent,
		Position: pos,
		Section:  SectionThread,
		Status:   StatusPublished,
	}
	c.SourceID, _ = t.commentID.value(n, sel{})
	if el := r.fieldNode(n, t.text); el != nil {
		c.Text = htmlText(innerHTML(el))
	}
	if el := r.fieldNode(n, t.author); el != nil {
		a := nodeText(el)
		for _, suf := range t.authorTrim {
			a = strings.TrimSpace(strings.TrimSuffix(a, suf))
		}
		c.Author = a
	}
	if el := r.fieldNode(n, t.date); el != nil {
		c.Date = commentDay(nodeAttr(el, t.date.take), nodeText(el))
	}
	if c.Text == "" {
		c.Status = StatusDeleted
	} else {
		c.Status = textStatus(c.Text, NormalizeText(c.Text))
	}
	if c.SourceID != "" {
		if _, dup := r.bySource[c.SourceID]; dup {
			r.flags = append(r.flags, warnAt(WarnReference, line, "post %d comment %d: its id repeats an earlier comment's; replies go to the first", len(r.posts), pos+1))
		} else {
			r.bySource[c.SourceID] = c.ID
		}
	}
	p.Comments = append(p.Comments, c)
	r.notes.addComment(len(r.posts)-1, line)
	return c.ID, true
}

// fieldNode finds f's element for the comment n: inside n (not inside a
// nested comment) and, for templates that spread a comment over siblings,
// in the elements after n up to the next comment.
func (r *pageReader) fieldNode(n *html.Node, f pageField) *html.Node {
	if len(f.path) == 0 {
		return n
	}
	if el := find(n, f.path, r.tpl.comment); el != nil {
		return el
	}
	if !r.tpl.siblings {
		return nil
	}
	for s := n.NextSibling; s != nil && !r.tpl.comment.match(s); s = s.NextSibling {
		if el := find(s, f.path, r.tpl.comment); el != nil {
			return el
		}
	}
	return nil
}

// value is f's value in the subtree of n.
func (f pageField) value(n *html.Node, stop sel) (string, bool) {
	el := n
	if len(f.path) > 0 {
		if el = find(n, f.path, stop); el == nil {
			return "", false
		}
	}
	var v string
	if f.take != "" {
		var ok bool
		if v, ok = nodeAttrOK(el, f.take); !ok {
			return "", false
		}
		v = strings.TrimSpace(v)
	} else {
		v = nodeText(el)
	}
	return strings.TrimPrefix(v, f.trim), true
}

// find returns the first element in n's subtree (n included) that matches
// path[0], then path[1] inside it, and so on; it does not look inside an
// element matching stop other than n itself (a nested comment).
func find(n *html.Node, path []sel, stop sel) *html.Node {
	if len(path) == 0 {
		return n
	}
	var hit *html.Node
	var visit func(x *html.Node) bool
	visit = func(x *html.Node) bool {
		if x != n && stop != (sel{}) && stop.match(x) {
			return false
		}
		if path[0].match(x) {
			if el := find(x, path[1:], stop); el != nil {
				hit = el
				return true
			}
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if visit(c) {
				return true
			}
		}
		return false
	}
	visit(n)
	return hit
}

func nodeAttr(n *html.Node, key string) string {
	v, _ := nodeAttrOK(n, key)
	return v
}

func nodeAttrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// innerHTML renders n's children back to HTML for htmlText.
func innerHTML(n *html.Node) string {
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c) // a bytes.Buffer does not fail
	}
	return b.String()
}

// nodeText is n's text on one line.
func nodeText(n *html.Node) string {
	return strings.Join(strings.Fields(htmlText(innerHTML(n))), " ")
}

// pageDate reads an ISO time ("2016-03-05T10:41:00+01:00": the date as
// written, as the Atom reader takes it) or a Blogger date header
// ("Saturday, 5 March 2016", "Saturday, March 5, 2016").
func pageDate(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) >= 10 && ValidDate(v[:10]) {
		return v[:10], true
	}
	return parseDateLine(v)
}

// declaredCount reads "50 comments:", "No comments:" or a bare number.
func declaredCount(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n, true
	}
	return parseDeclared(v)
}

// commentDay is the UTC date of a comment from its permalink, whose
// showComment parameter is the time in milliseconds since 1970, or else
// from the link's text ("5 March 2016 at 10:41", "March 5, 2016 at 10:41 AM").
func commentDay(href, text string) string {
	if u, err := url.Parse(href); err == nil {
		if ms, err := strconv.ParseInt(u.Query().Get("showComment"), 10, 64); err == nil && ms > 0 && ms < 1<<50 {
			return time.UnixMilli(ms).UTC().Format("2006-01-02")
		}
	}
	day, _, _ := strings.Cut(text, " at ")
	day = strings.TrimSpace(day)
	for _, layout := range []string{"2 January 2006", "January 2, 2006", "2 Jan 2006", "Jan 2, 2006"} {
		if t, err := time.Parse(layout, day); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return ""
}
