package corpus

import (
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// A WordPress export (Tools > Export, "WXR") is an RSS 2.0 file whose
// elements in the wp: namespace (http://wordpress.org/export/1.0/, 1.1/ or
// 1.2/) carry what RSS has no place for:
//
//	<rss><channel>
//	  <item>
//	    <title>  <pubDate>  <content:encoded> (the post's HTML)
//	    <wp:post_id> <wp:post_date_gmt> <wp:status> <wp:post_type> <wp:post_password>
//	    <wp:comment>
//	      <wp:comment_id> <wp:comment_author> <wp:comment_author_email> <wp:comment_author_IP>
//	      <wp:comment_date_gmt> <wp:comment_content> <wp:comment_approved>
//	      <wp:comment_type> <wp:comment_parent>
//	    </wp:comment>
//	  </item>
//	</channel></rss>
//
// The element names are the same in the three versions. A post is an item
// with post_type "post" and status "publish"; everything else (drafts,
// pages, attachments, private, password-protected and trashed posts, menu
// items, revisions) is left out and counted in Document.Skipped, and so are
// comments that are not approved ("1"), and pingbacks and trackbacks, which
// are notices from other sites rather than readers' comments. Author email,
// URL and IP are never read into memory.

// wpSpace reports whether a namespace is WordPress's export namespace (or
// the bare prefix, when a broken file does not declare it).
func wpSpace(space string) bool {
	return strings.HasPrefix(space, "http://wordpress.org/export/") ||
		strings.HasPrefix(space, "https://wordpress.org/export/") || space == "wp"
}

func contentSpace(space string) bool {
	return space == "http://purl.org/rss/1.0/modules/content/" || space == "content"
}

// wxrItem is what is kept of one <item> while it is read.
type wxrItem struct {
	line                    int
	title, pubDate, content string
	postID, dateGMT, status string
	postType, password      string
	comments                []wxrComment
	sawWP                   bool
}

type wxrComment struct {
	line                   int
	id, author, dateGMT    string
	content                string
	approved, kind, parent string
	over                   bool
}

func parseWXR(name string, data []byte, lim xmlLimits) ([]Post, readNotes, []Warning, map[string]int, error) {
	s := newXMLStream(data, lim)
	var (
		notes   readNotes
		posts   []Post
		flags   []Warning
		skipped map[string]int
		sawRSS  bool
		sawWP   bool
		version string
		// versionLine is where wp:wxr_version is.
		versionLine int
	)
	err := s.starts(func(se xml.StartElement) error {
		switch {
		case se.Name.Local == "rss" && s.depth == 1:
			sawRSS = true
		case s.depth == 1:
			return fmt.Errorf("line %d: the root element is not <rss>: not a WordPress export", s.startLine())
		case se.Name.Local == "wxr_version" && wpSpace(se.Name.Space):
			sawWP = true
			versionLine = s.startLine()
			var err error
			version, err = s.field()
			return err
		case se.Name.Local == "item" && se.Name.Space == "":
			it, err := readWXRItem(s, lim)
			if err != nil {
				return err
			}
			sawWP = sawWP || it.sawWP
			if p, lines, ok := wxrPost(name, len(posts), it, &flags, &skipped); ok {
				posts = append(posts, p)
				notes.addPost(it.line)
				notes.commentLine[len(posts)-1] = lines
			}
		default:
			if wpSpace(se.Name.Space) {
				sawWP = true
			}
			// Channel metadata (wp:author with its email, categories,
			// terms) is passed over whole.
			if s.depth > 2 {
				return s.skip()
			}
		}
		return nil
	})
	if err != nil {
		return nil, notes, flags, skipped, err
	}
	if !sawRSS || !sawWP {
		return nil, notes, flags, skipped, errors.New("line 1: no <rss> with WordPress export (wp:) elements: not a WXR file")
	}
	switch version {
	case "", "1.0", "1.1", "1.2":
	default:
		flags = append(flags, warnAt(WarnVersion, versionLine, "the file declares a WXR version other than 1.0-1.2; read as 1.2"))
	}
	if s.charset != "" {
		flags = append(flags, warnAt(WarnEncoding, s.charsetLine, "the file declares a non-UTF-8 encoding; read as UTF-8"))
	}
	if len(posts) == 0 {
		return nil, notes, flags, skipped, fmt.Errorf("no published posts (left out: %s)", skippedSummary(skipped))
	}
	fixDepths(posts)
	return posts, notes, flags, skipped, nil
}

// readWXRItem reads one <item>, just started.
func readWXRItem(s *xmlStream, lim xmlLimits) (wxrItem, error) {
	it := wxrItem{line: s.startLine()}
	err := s.fields(func(n xml.Name) *string {
		switch {
		case n.Space == "" && n.Local == "title":
			return &it.title
		case n.Space == "" && n.Local == "pubDate":
			return &it.pubDate
		case !wpSpace(n.Space):
			return nil
		}
		it.sawWP = true
		switch n.Local {
		case "post_id":
			return &it.postID
		case "post_date_gmt":
			return &it.dateGMT
		case "status":
			return &it.status
		case "post_type":
			return &it.postType
		case "post_password":
			return &it.password
		}
		return nil
	}, func(se xml.StartElement) (bool, error) {
		var err error
		switch n := se.Name; {
		case contentSpace(n.Space) && n.Local == "encoded":
			// A post body is bounded by the file limit alone.
			it.content, _, err = s.text(math.MaxInt)
			return true, err
		case wpSpace(n.Space) && n.Local == "comment":
			var c wxrComment
			c, err = readWXRComment(s, lim)
			it.comments = append(it.comments, c)
			return true, err
		}
		return false, nil
	})
	return it, err
}

// readWXRComment reads one <wp:comment>, just started. The author's email,
// URL and IP address are skipped unread.
func readWXRComment(s *xmlStream, lim xmlLimits) (wxrComment, error) {
	c := wxrComment{line: s.startLine()}
	err := s.fields(func(n xml.Name) *string {
		if !wpSpace(n.Space) {
			return nil
		}
		switch n.Local {
		case "comment_id":
			return &c.id
		case "comment_author":
			return &c.author
		case "comment_date_gmt":
			return &c.dateGMT
		case "comment_approved":
			return &c.approved
		case "comment_type":
			return &c.kind
		case "comment_parent":
			return &c.parent
		}
		return nil
	}, func(se xml.StartElement) (bool, error) {
		if !wpSpace(se.Name.Space) || se.Name.Local != "comment_content" {
			return false, nil
		}
		var err error
		c.content, c.over, err = s.text(lim.rawCommentLimit())
		return true, err
	})
	return c, err
}

// wxrPost turns a kept item into a Post, with the line of each of its
// comments, or counts why it is left out.
func wxrPost(name string, index int, it wxrItem, flags *[]Warning, skipped *map[string]int) (Post, []int, bool) {
	why := ""
	switch typ := strings.ToLower(it.postType); {
	case typ == "attachment":
		why = "wxr_attachments"
	case typ == "page":
		why = "wxr_pages"
	case typ != "post" && typ != "":
		why = "wxr_other_items" // menu items, revisions, custom types
	default:
		switch st := strings.ToLower(it.status); {
		case st == "draft" || st == "auto-draft" || st == "pending" || st == "future":
			why = "wxr_draft_posts"
		case st == "private":
			why = "wxr_private_posts"
		case st == "trash":
			why = "wxr_trashed_posts"
		case st != "publish":
			why = "wxr_other_items"
		case it.password != "":
			why = "wxr_password_posts"
		}
	}
	if why != "" {
		countKind(skipped, why)
		for range it.comments {
			countKind(skipped, "wxr_comments_of_left_out_items")
		}
		return Post{}, nil, false
	}
	p := exportPost(name, index, it.title, it.content, it.postID)
	if d := wxrDate(it.dateGMT); d != "" {
		p.Date, p.DateSource = d, DateFromWXR
	} else if d := rssDate(it.pubDate); d != "" {
		p.Date, p.DateSource = d, DateFromWXR
	} else {
		*flags = append(*flags, warnf(WarnDate, "line %d: post has no usable wp:post_date_gmt or pubDate; undated", it.line))
	}
	var (
		replies []sourceReply
		lines   []int
	)
	for _, wc := range it.comments {
		if why := wxrCommentSkip(wc); why != "" {
			countKind(skipped, why)
			continue
		}
		c := exportComment(&p, wc.author, wc.content, wc.id, wxrDate(wc.dateGMT), wc.over, wc.line, flags)
		if wc.parent != "" && wc.parent != "0" {
			replies = append(replies, sourceReply{c.Position, wc.parent, wc.line})
		}
		p.Comments = append(p.Comments, c)
		lines = append(lines, wc.line)
	}
	linkReplies(&p, lines, replies, flags)
	return p, lines, true
}

// wxrCommentSkip names why a comment is left out, or "" to keep it. A
// pingback or trackback is left out whatever its approval.
func wxrCommentSkip(c wxrComment) string {
	switch strings.ToLower(c.kind) {
	case "", "comment":
	case "pingback":
		return "wxr_pingbacks"
	case "trackback":
		return "wxr_trackbacks"
	default:
		return "wxr_other_comment_types"
	}
	switch strings.ToLower(c.approved) {
	case "1", "approve", "approved":
		return ""
	case "0", "hold":
		return "wxr_pending_comments"
	case "spam":
		return "wxr_spam_comments"
	case "trash", "post-trashed":
		return "wxr_trashed_comments"
	default:
		return "wxr_unapproved_comments"
	}
}

// wxrDate is the date of a WordPress "YYYY-MM-DD HH:MM:SS" time, or "" for
// none (WordPress writes 0000-00-00 00:00:00 for drafts).
func wxrDate(s string) string {
	if len(s) >= 10 && ValidDate(s[:10]) {
		return s[:10]
	}
	return ""
}

// rssDate is the UTC date of an RSS pubDate (RFC 1123 with a numeric or
// named zone, day of one or two digits), or "".
func rssDate(s string) string {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() > 1 {
			return t.UTC().Format("2006-01-02")
		}
	}
	return ""
}
