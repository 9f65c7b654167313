package corpus

import (
	"encoding/xml"
	"errors"
	"fmt"
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

func parseDisqus(name string, data []byte, lim xmlLimits) ([]Post, readNotes, []Warning, map[string]int, error) {
	s := newXMLStream(data, lim)
	var (
		notes   readNotes
		flags   []Warning
		skipped map[string]int
		threads []dsqThread
		cposts  []dsqPost
		sawRoot bool
	)
	err := s.starts(func(se xml.StartElement) error {
		switch {
		case s.depth == 1:
			if se.Name.Local != "disqus" {
				return fmt.Errorf("line %d: the root element is not <disqus>: not a Disqus export", s.startLine())
			}
			sawRoot = true
		case s.depth == 2 && se.Name.Local == "thread":
			t, err := readDsqThread(s, se)
			threads = append(threads, t)
			return err
		case s.depth == 2 && se.Name.Local == "post":
			p, err := readDsqPost(s, se, lim)
			cposts = append(cposts, p)
			return err
		default:
			return s.skip()
		}
		return nil
	})
	if err != nil {
		return nil, notes, flags, skipped, err
	}
	if !sawRoot {
		return nil, notes, flags, skipped, errors.New("line 1: no <disqus> element: not a Disqus export")
	}
	if s.charset != "" {
		flags = append(flags, warnAt(WarnEncoding, s.charsetLine, "the file declares a non-UTF-8 encoding; read as UTF-8"))
	}
	var posts []Post
	postOf := map[string]int{} // thread dsq:id -> index in posts, or -1 when left out
	for _, t := range threads {
		if t.id != "" {
			if _, dup := postOf[t.id]; dup {
				flags = append(flags, warnf(WarnReference, "line %d: thread dsq:id repeats an earlier thread; left out", t.line))
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
		p := exportPost(name, len(posts), t.title, t.message, t.id)
		if d := isoDay(t.created); d != "" {
			p.Date, p.DateSource = d, DateFromDisqus
		} else {
			flags = append(flags, warnf(WarnDate, "line %d: thread has no usable createdAt; undated", t.line))
		}
		if t.id != "" {
			postOf[t.id] = len(posts)
		}
		posts = append(posts, p)
		notes.addPost(t.line)
	}
	replies := make([][]sourceReply, len(posts))
	for _, dp := range cposts {
		pi, ok := postOf[dp.thread]
		switch {
		case !ok:
			flags = append(flags, warnf(WarnReference, "line %d: comment names no thread of this file; left out", dp.line))
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
		c := exportComment(p, dp.author, dp.message, dp.id, isoDay(dp.created), dp.over, dp.line, &flags)
		if dp.parent != "" {
			replies[pi] = append(replies[pi], sourceReply{c.Position, dp.parent, dp.line})
		}
		p.Comments = append(p.Comments, c)
		notes.addComment(pi, dp.line)
	}
	for pi := range posts {
		linkReplies(&posts[pi], notes.comments(pi), replies[pi], &flags)
	}
	if len(posts) == 0 {
		return nil, notes, flags, skipped, fmt.Errorf("no threads (left out: %s)", skippedSummary(skipped))
	}
	fixDepths(posts)
	return posts, notes, flags, skipped, nil
}

func readDsqThread(s *xmlStream, se xml.StartElement) (dsqThread, error) {
	t := dsqThread{line: s.startLine(), id: attr(se, "id")}
	var deleted string
	err := s.fields(func(n xml.Name) *string {
		switch n.Local {
		case "title":
			return &t.title
		case "createdAt":
			return &t.created
		case "isDeleted":
			return &deleted
		}
		return nil // link, author (with its email), ipAddress, forum ...
	}, func(ch xml.StartElement) (bool, error) {
		if ch.Name.Local != "message" {
			return false, nil
		}
		var err error
		t.message, _, err = s.text(math.MaxInt)
		return true, err
	})
	t.deleted = isTrue(deleted)
	return t, err
}

func readDsqPost(s *xmlStream, se xml.StartElement, lim xmlLimits) (dsqPost, error) {
	p := dsqPost{line: s.startLine(), id: attr(se, "id")}
	var deleted, spam string
	err := s.fields(func(n xml.Name) *string {
		switch n.Local {
		case "createdAt":
			return &p.created
		case "isDeleted":
			return &deleted
		case "isSpam":
			return &spam
		}
		return nil // ipAddress, id ...
	}, func(ch xml.StartElement) (bool, error) {
		var err error
		switch ch.Name.Local {
		case "message":
			p.message, p.over, err = s.text(lim.rawCommentLimit())
		case "thread":
			p.thread = attr(ch, "id")
			return false, nil
		case "parent":
			p.parent = attr(ch, "id")
			return false, nil
		case "author":
			// Only the name: email, username and the rest are skipped unread.
			err = s.fields(func(n xml.Name) *string {
				if n.Local == "name" {
					return &p.author
				}
				return nil
			}, nil)
		default:
			return false, nil
		}
		return true, err
	})
	p.deleted, p.spam = isTrue(deleted), isTrue(spam)
	return p, err
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
