package corpus

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"
)

// A Disqus export (Admin > Moderation > Export) is one XML file:
//
//	<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
//	  <category dsq:id="..."> ... </category>
//	  <thread dsq:id="T1">
//	    <link> <title> <message> <createdAt> <author>...</author> <isDeleted>
//	  </thread>
//	  <post dsq:id="P1">
//	    <message> (HTML) <createdAt> <isDeleted> <isSpam>
//	    <author><name> <email> ...</author> <ipAddress>
//	    <thread dsq:id="T1"/> <parent dsq:id="P0"/> (a reply)
//	  </post>
//	</disqus>
//
// A thread (one page of the site with a comment box) is a post, a post is a
// comment. Deleted and spam comments and deleted threads are left out and
// counted in Document.Skipped. Only the author's name is read; the email,
// IP address and account fields are skipped unread. Threads are kept in
// file order, comments in file order within their thread (Disqus writes
// them by id, that is in the order they were made).

type dsqThread struct {
	line                        int
	id, title, message, created string
	deleted                     bool
}

type dsqPost struct {
	line                         int
	id, message, created, author string
	thread, parent               string
	deleted, spam, over          bool
}

// ParseDisqus reads a Disqus export with the default limits.
func ParseDisqus(name string, data []byte) ([]Post, []string, map[string]int, error) {
	return parseDisqus(name, data, Options{}.xmlLimits())
}

func parseDisqus(name string, data []byte, lim xmlLimits) ([]Post, []string, map[string]int, error) {
	s := newXMLStream(data, lim)
	var (
		flags   []string
		skipped map[string]int
		threads []dsqThread
		cposts  []dsqPost
		sawRoot bool
	)
	for {
		tok, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, flags, skipped, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case s.depth == 1:
			if se.Name.Local != "disqus" {
				return nil, flags, skipped, fmt.Errorf("line %d: the root element is not <disqus>: not a Disqus export", s.line())
			}
			sawRoot = true
		case s.depth == 2 && se.Name.Local == "thread":
			t, err := readDsqThread(s, se)
			if err != nil {
				return nil, flags, skipped, err
			}
			threads = append(threads, t)
		case s.depth == 2 && se.Name.Local == "post":
			p, err := readDsqPost(s, se, lim)
			if err != nil {
				return nil, flags, skipped, err
			}
			cposts = append(cposts, p)
		default:
			if err := s.skip(); err != nil {
				return nil, flags, skipped, err
			}
		}
	}
	if !sawRoot {
		return nil, flags, skipped, errors.New("line 1: no <disqus> element: not a Disqus export")
	}
	if s.charset != "" {
		flags = append(flags, "the file declares a non-UTF-8 encoding; read as UTF-8")
	}
	var posts []Post
	postOf := map[string]int{} // thread dsq:id -> index in posts, or -1 when left out
	for _, t := range threads {
		if t.id != "" {
			if _, dup := postOf[t.id]; dup {
				flags = append(flags, fmt.Sprintf("line %d: thread dsq:id repeats an earlier thread; left out", t.line))
				countKind(&skipped, "disqus_repeated_threads")
				continue
			}
		}
		if t.deleted {
			countKind(&skipped, "disqus_deleted_threads")
			if t.id != "" {
				postOf[t.id] = -1
			}
			continue
		}
		p := Post{
			ID:               PostID(name, len(posts)),
			Title:            strings.TrimSpace(html.UnescapeString(t.title)),
			Body:             paragraphs(htmlText(t.message)),
			SourceFile:       name,
			SourceID:         t.id,
			DeclaredComments: -1,
			DateSource:       DateNone,
		}
		if d := isoDay(t.created); d != "" {
			p.Date, p.DateSource = d, DateFromDisqus
		} else {
			flags = append(flags, fmt.Sprintf("line %d: thread has no usable createdAt", t.line))
		}
		if t.id != "" {
			postOf[t.id] = len(posts)
		}
		posts = append(posts, p)
	}
	bySource := map[string]*Comment{}
	type reply struct {
		post, at int
		parent   string
		line     int
	}
	var replies []reply
	for _, dp := range cposts {
		pi, ok := postOf[dp.thread]
		switch {
		case !ok:
			flags = append(flags, fmt.Sprintf("line %d: comment names no thread of this file; left out", dp.line))
			countKind(&skipped, "disqus_orphan_comments")
			continue
		case pi < 0:
			countKind(&skipped, "disqus_comments_of_deleted_threads")
			continue
		case dp.deleted:
			countKind(&skipped, "disqus_deleted")
			continue
		case dp.spam:
			countKind(&skipped, "disqus_spam")
			continue
		}
		p := &posts[pi]
		pos := len(p.Comments)
		c := Comment{
			ID:       CommentID(p.ID, pos),
			PostID:   p.ID,
			Position: pos,
			Section:  SectionThread,
			Author:   strings.TrimSpace(html.UnescapeString(dp.author)),
			Text:     htmlText(dp.message),
			Status:   StatusPublished,
			SourceID: dp.id,
			Date:     isoDay(dp.created),
		}
		switch {
		case dp.over:
			flags = append(flags, fmt.Sprintf("line %d: comment text is over the limit; left out", dp.line))
			c.Status, c.Text = StatusOversize, ""
		case c.Text == "":
			c.Status = StatusDeleted
		}
		if dp.parent != "" {
			replies = append(replies, reply{pi, pos, dp.parent, dp.line})
		}
		p.Comments = append(p.Comments, c)
	}
	// Pointers only once every comment is in place.
	dupID := map[string]bool{}
	for pi := range posts {
		for ci := range posts[pi].Comments {
			c := &posts[pi].Comments[ci]
			if c.SourceID == "" {
				continue
			}
			if _, dup := bySource[c.SourceID]; dup {
				dupID[c.SourceID] = true
				continue
			}
			bySource[c.SourceID] = c
		}
	}
	if len(dupID) > 0 {
		flags = append(flags, fmt.Sprintf("%d comment dsq:id(s) repeat an earlier comment; replies to them go to the first", len(dupID)))
	}
	for _, r := range replies {
		c := &posts[r.post].Comments[r.at]
		parent, ok := bySource[r.parent]
		if !ok || parent.PostID != c.PostID || parent.ID == c.ID {
			flags = append(flags, fmt.Sprintf("line %d: reply's parent comment is left out or not in its thread; kept at top level", r.line))
			continue
		}
		c.ParentID = parent.ID
	}
	if len(posts) == 0 {
		return nil, flags, skipped, fmt.Errorf("no threads (left out: %s)", skippedSummary(skipped))
	}
	fixDepths(posts)
	return posts, flags, skipped, nil
}

func readDsqThread(s *xmlStream, se xml.StartElement) (dsqThread, error) {
	t := dsqThread{line: s.line(), id: attr(se, "id")}
	for {
		ch, ok, err := s.child()
		if err != nil || !ok {
			return t, err
		}
		var f *string
		switch ch.Name.Local {
		case "title":
			f = &t.title
		case "createdAt":
			f = &t.created
		case "message":
			if t.message, _, err = s.text(math.MaxInt); err != nil {
				return t, err
			}
			continue
		case "isDeleted":
			v, err := s.field()
			if err != nil {
				return t, err
			}
			t.deleted = isTrue(v)
			continue
		}
		if f == nil { // link, author (with its email), ipAddress, forum ...
			if err := s.skip(); err != nil {
				return t, err
			}
			continue
		}
		if *f, err = s.field(); err != nil {
			return t, err
		}
	}
}

func readDsqPost(s *xmlStream, se xml.StartElement, lim xmlLimits) (dsqPost, error) {
	p := dsqPost{line: s.line(), id: attr(se, "id")}
	for {
		ch, ok, err := s.child()
		if err != nil || !ok {
			return p, err
		}
		switch ch.Name.Local {
		case "message":
			p.message, p.over, err = s.text(lim.rawCommentLimit())
		case "createdAt":
			p.created, err = s.field()
		case "isDeleted", "isSpam":
			var v string
			v, err = s.field()
			if ch.Name.Local == "isDeleted" {
				p.deleted = isTrue(v)
			} else {
				p.spam = isTrue(v)
			}
		case "thread":
			p.thread = attr(ch, "id")
			err = s.skip()
		case "parent":
			p.parent = attr(ch, "id")
			err = s.skip()
		case "author":
			p.author, err = dsqAuthorName(s)
		default: // ipAddress, id ...
			err = s.skip()
		}
		if err != nil {
			return p, err
		}
	}
}

// dsqAuthorName reads an <author>, just started, keeping only its name.
func dsqAuthorName(s *xmlStream) (string, error) {
	name := ""
	for {
		ch, ok, err := s.child()
		if err != nil || !ok {
			return name, err
		}
		if ch.Name.Local == "name" {
			if name, err = s.field(); err != nil {
				return name, err
			}
			continue
		}
		if err := s.skip(); err != nil { // email, username, isAnonymous
			return name, err
		}
	}
}

// isoDay is the UTC date of an RFC 3339 time (Disqus writes
// 2014-06-02T09:00:00Z), or of a plain YYYY-MM-DD, or "".
func isoDay(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	if len(s) == 10 && ValidDate(s) {
		return s
	}
	return ""
}

func isTrue(v string) bool { return strings.EqualFold(v, "true") || v == "1" }
