package corpus

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"
)

// Blogger's Atom exports come in two forms:
//
//   - classic (Settings > Back up content, before 2018): every entry carries
//     <category scheme="http://schemas.google.com/g/2005#kind"
//     term="http://schemas.google.com/blogger/2008/kind#post"> (or #comment,
//     #settings, #template, #page); a comment names its post with
//     <thr:in-reply-to ref="POST-ENTRY-ID">, and a threaded reply names its
//     parent comment with <link rel="related" href=".../comments/default/ID">.
//     Deleted comments stay in the export with Blogger's "This comment has
//     been removed by ..." text.
//   - Takeout (2018 on): <blogger:type>POST|COMMENT|PAGE</blogger:type>,
//     <blogger:parent> naming the post (or, for a reply, the parent comment),
//     <blogger:inReplyTo> for a reply, and <blogger:status> (LIVE, DELETED,
//     SPAM_COMMENT, SOFT_TRASHED, DRAFT ...).
//
// Only posts and comments are read; settings, templates and pages are
// skipped. Draft and deleted posts are left out with a flag. A comment that
// is not LIVE is kept with status deleted or spam: counted, never analysed.
//
// The decoder is encoding/xml within the limits of newXMLDecoder: it
// neither reads DTDs nor resolves external entities, so an export cannot
// make chorus read local files or the network, and a hostile file is
// stopped by its nesting depth or token count.

type atomFeed struct {
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        string `xml:"id"`
	Published string `xml:"published"`
	Created   string `xml:"created"`
	Title     string `xml:"title"`
	Content   struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	} `xml:"content"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Categories []struct {
		Scheme string `xml:"scheme,attr"`
		Term   string `xml:"term,attr"`
	} `xml:"category"`
	InReplyTo []struct {
		Ref string `xml:"ref,attr"`
	} `xml:"in-reply-to"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	// Takeout elements (namespace http://schemas.google.com/blogger/2018).
	Type    string `xml:"type"`
	Parent  string `xml:"parent"`
	ReplyTo string `xml:"inReplyTo"`
	Status  string `xml:"status"`
	line    int
}

const kindScheme = "http://schemas.google.com/g/2005#kind"

// kind returns "post", "comment", or something else to skip.
func (e *atomEntry) kind() string {
	if t := strings.ToLower(strings.TrimSpace(e.Type)); t != "" {
		return t
	}
	for _, c := range e.Categories {
		if c.Scheme == kindScheme {
			if i := strings.LastIndexByte(c.Term, '#'); i >= 0 {
				return c.Term[i+1:]
			}
		}
	}
	return ""
}

// ParseAtom reads a Blogger Atom export, classic or Takeout.
func ParseAtom(name string, data []byte) ([]Post, []Warning, error) {
	posts, _, flags, err := parseAtom(name, data)
	return posts, flags, err
}

// parseAtom is ParseAtom, with the line each post and comment entry
// starts on.
func parseAtom(name string, data []byte) ([]Post, readNotes, []Warning, error) {
	var notes readNotes
	skipped := map[string]int{}
	entries, err := decodeEntries(data, skipped)
	if err != nil {
		return nil, notes, nil, err
	}
	var (
		flags    []Warning
		posts    []Post
		postIdx  = map[string]int{} // entry id -> index in posts
		comments []*atomEntry
	)
	for i := range entries {
		e := &entries[i]
		switch e.kind() {
		case "post":
			st := strings.ToUpper(strings.TrimSpace(e.Status))
			if st != "" && st != "LIVE" {
				flags = append(flags, warnf(WarnLeftOut, "line %d: post %q has status %s; left out", e.line, strings.TrimSpace(e.Title), st))
				continue
			}
			p := Post{
				ID:               PostID(name, len(posts)),
				Title:            strings.TrimSpace(html.UnescapeString(e.Title)),
				Body:             paragraphs(htmlText(e.Content.Body)),
				SourceFile:       name,
				SourceID:         strings.TrimSpace(e.ID),
				DeclaredComments: -1,
				DateSource:       DateNone,
			}
			if d := feedDate(e); d != "" {
				p.Date, p.DateSource = d, DateFromFeed
			} else {
				flags = append(flags, warnf(WarnDate, "line %d: post %q has no usable published date; undated", e.line, p.Title))
			}
			postIdx[strings.TrimSpace(e.ID)] = len(posts)
			posts = append(posts, p)
			notes.addPost(e.line)
		case "comment":
			comments = append(comments, e)
		}
	}
	if len(skipped) > 0 {
		var kinds []string
		for k, n := range skipped {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
		sort.Strings(kinds)
		flags = append(flags, warnf(WarnLeftOut, "entries that are not posts or comments: %s; left out", strings.Join(kinds, ", ")))
	}
	if len(posts) == 0 {
		return nil, notes, flags, errors.New("no post entries (category kind#post or blogger:type POST)")
	}

	// Exports list comments newest first; threads read oldest first.
	sort.SliceStable(comments, func(i, j int) bool {
		return commentTime(comments[i]) < commentTime(comments[j])
	})
	refs := make([]commentRefs, len(comments))
	for i, e := range comments {
		refs[i] = resolveRefs(e, postIdx)
	}
	replyPosts(comments, refs)
	byEntry := map[string]*Comment{} // comment entry key -> comment
	perPost := make([][]int, len(posts))
	for i, e := range comments {
		if refs[i].post < 0 {
			flags = append(flags, warnf(WarnReference, "line %d: comment names no post of this file; left out", e.line))
			continue
		}
		perPost[refs[i].post] = append(perPost[refs[i].post], i)
	}
	for pi := range posts {
		p := &posts[pi]
		p.Comments = make([]Comment, 0, len(perPost[pi]))
		for _, ci := range perPost[pi] {
			e := comments[ci]
			pos := len(p.Comments)
			c := Comment{
				ID:       CommentID(p.ID, pos),
				PostID:   p.ID,
				Position: pos,
				Section:  SectionThread,
				Text:     htmlText(e.Content.Body),
				Status:   commentStatus(e),
				SourceID: strings.TrimSpace(e.ID),
				Date:     feedDate(e),
			}
			if len(e.Authors) > 0 {
				c.Author = strings.TrimSpace(e.Authors[0].Name)
			}
			if c.Status != StatusPublished {
				c.Text = ""
			}
			p.Comments = append(p.Comments, c)
			notes.addComment(pi, e.line)
		}
		for j, ci := range perPost[pi] {
			for _, k := range entryKeys(comments[ci].ID) {
				byEntry[k] = &p.Comments[j]
			}
		}
	}
	for pi := range posts {
		for j, ci := range perPost[pi] {
			c, ref := &posts[pi].Comments[j], refs[ci].parent
			if ref == "" {
				continue
			}
			parent, ok := byEntry[ref]
			if !ok || parent.PostID != c.PostID || parent.Position >= c.Position {
				flags = append(flags, warnf(WarnReference, "line %d: reply's parent comment %q not found before it in its post; kept at top level", comments[ci].line, ref))
				continue
			}
			c.ParentID = parent.ID
		}
	}
	fixDepths(posts)
	return posts, notes, flags, nil
}

// replyPosts gives each comment that names only its parent comment
// (refs.post < 0) the post of that parent, following chains of replies up
// to a comment that names its post. A chain that ends at an unknown id or
// runs into a cycle leaves its comments without a post. A parent key is
// looked up first among comments that name their post (the last such
// comment wins when two share a key), then among those that do not (the
// first wins).
//
// Each comment is visited once, whatever the order of the feed: exports
// list comments newest first, so without times a reply comes before its
// parent, and settling one link per pass over the feed took time growing
// with the square of the chain's length.
func replyPosts(comments []*atomEntry, refs []commentRefs) {
	postOf := map[string]int{} // comment entry key -> post index, as named
	for i, e := range comments {
		if refs[i].post >= 0 {
			for _, k := range entryKeys(e.ID) {
				postOf[k] = refs[i].post
			}
		}
	}
	unplaced := map[string]int{} // comment entry key -> index in comments
	for i, e := range comments {
		if refs[i].post < 0 {
			for _, k := range entryKeys(e.ID) {
				if _, ok := unplaced[k]; !ok {
					unplaced[k] = i
				}
			}
		}
	}
	const (
		unseen = iota
		onPath
		settled
	)
	state := make([]uint8, len(comments))
	var path []int
	for i := range comments {
		if refs[i].post >= 0 {
			continue
		}
		path = path[:0]
		post, x := -1, i
		for state[x] == unseen {
			state[x] = onPath
			path = append(path, x)
			ref := refs[x].parent
			if ref == "" {
				break
			}
			if pi, ok := postOf[ref]; ok {
				post = pi
				break
			}
			j, ok := unplaced[ref]
			if !ok {
				break
			}
			if state[j] == settled {
				post = refs[j].post
				break
			}
			x = j // onPath: a cycle, ended by the loop's test
		}
		for _, y := range path {
			refs[y].post, state[y] = post, settled
		}
	}
}

// decodeEntries decodes the feed's post and comment entries, recording each
// entry's line for messages; other entries (settings, templates, pages) are
// only counted, in skipped, so that they cost no memory.
func decodeEntries(data []byte, skipped map[string]int) ([]atomEntry, error) {
	dec, src := newXMLDecoder(data)
	base := src.base
	var entries []atomEntry
	sawFeed := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(base, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "feed":
			sawFeed = true
		case "entry":
			line := src.tokenLine()
			var e atomEntry
			if err := dec.DecodeElement(&e, &se); err != nil {
				return nil, xmlError(base, err)
			}
			e.line = line
			switch k := e.kind(); k {
			case "post", "comment":
				entries = append(entries, e)
			case "":
				skipped["unmarked"]++
			default:
				skipped[k]++
			}
		}
	}
	if !sawFeed {
		return nil, errors.New("line 1: no <feed> element: not an Atom feed")
	}
	return entries, nil
}

// xmlError words a decoding error (xmlFault) with the line of dec, the
// decoder reading the bytes: a decoder built on a token source knows no
// lines of its own.
func xmlError(dec *xml.Decoder, err error) error {
	line, _ := dec.InputPos()
	return xmlFault(line, err)
}

// entryKeys returns the keys a reference to entry id may use: the id itself
// and the numeric tail after "post-" that comment feed links end with.
func entryKeys(id string) []string {
	id = strings.TrimSpace(id)
	keys := []string{id}
	if i := strings.LastIndex(id, "post-"); i >= 0 {
		keys = append(keys, id[i+len("post-"):])
	}
	return keys
}

// commentRefs is what a comment entry says about where it belongs.
type commentRefs struct {
	post   int    // index of the post it names, or -1
	parent string // key of the parent comment it names, or ""
}

// resolveRefs reads a comment's references: thr:in-reply-to and
// blogger:parent name the post (or, in some exports, the parent comment);
// blogger:inReplyTo and a rel="related" link name the parent comment.
func resolveRefs(e *atomEntry, posts map[string]int) commentRefs {
	r := commentRefs{post: -1}
	var named []string
	for _, x := range e.InReplyTo {
		named = append(named, strings.TrimSpace(x.Ref))
	}
	named = append(named, strings.TrimSpace(e.Parent))
	for _, n := range named {
		if i, ok := posts[n]; ok && r.post < 0 {
			r.post = i
		} else if !ok && n != "" && r.parent == "" {
			r.parent = n
		}
	}
	if t := strings.TrimSpace(e.ReplyTo); t != "" {
		r.parent = t
	}
	for _, l := range e.Links {
		if l.Rel == "related" && r.parent == "" {
			if i := strings.LastIndexByte(l.Href, '/'); i >= 0 && i+1 < len(l.Href) {
				r.parent = l.Href[i+1:]
			}
		}
	}
	return r
}

func commentTime(e *atomEntry) string {
	if t := strings.TrimSpace(e.Published); t != "" {
		return t
	}
	return strings.TrimSpace(e.Created)
}

func feedDate(e *atomEntry) string {
	t := commentTime(e)
	if len(t) >= 10 && calendarDate(t[:10]) {
		return t[:10]
	}
	return ""
}

// commentStatus maps Blogger's statuses: LIVE is published; SPAM* is spam;
// anything else (DELETED, SOFT_TRASHED, PENDING ...) is deleted. Classic
// exports keep deleted comments with a stock text instead of a status.
func commentStatus(e *atomEntry) Status {
	st := strings.ToUpper(strings.TrimSpace(e.Status))
	switch {
	case st == "" || st == "LIVE":
		body := strings.ToLower(htmlText(e.Content.Body))
		if strings.HasPrefix(body, "this comment has been removed by") {
			return StatusDeleted
		}
		if strings.TrimSpace(body) == "" {
			return StatusDeleted
		}
		return StatusPublished
	case strings.HasPrefix(st, "SPAM"):
		return StatusSpam
	default:
		return StatusDeleted
	}
}

// htmlText turns comment or post HTML into plain text: tags dropped, line
// and paragraph breaks kept as newlines, entities decoded, script and style
// content dropped, spaces collapsed, blank lines removed.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	skip := ""
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			if skip == "" {
				b.WriteString(s[i : i+j])
			}
			i += j
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 { // a lone '<' is text
			if skip == "" {
				b.WriteString(s[i:])
			}
			break
		}
		tag := strings.ToLower(strings.TrimLeft(s[i+1:i+end], "/ "))
		if k := strings.IndexAny(tag, " \t\n/"); k >= 0 {
			tag = tag[:k]
		}
		closing := strings.HasPrefix(s[i+1:], "/")
		switch {
		case skip != "":
			if closing && tag == skip {
				skip = ""
			}
		case (tag == "script" || tag == "style") && !closing:
			skip = tag
		case tag == "br" || tag == "p" || tag == "div" || tag == "li" || tag == "blockquote" || tag == "tr" ||
			(len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'):
			b.WriteByte('\n')
		}
		i += end + 1
	}
	text := html.UnescapeString(b.String())
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	return strings.Join(lines, "\n")
}

func paragraphs(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
