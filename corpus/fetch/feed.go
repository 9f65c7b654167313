package fetch

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The shapes of a Blogger public feed that the fetch reads: entries with
// their ids, times, title, content, links, author names and, for
// comments, the post they answer. Everything else (author email and
// profile, images, the feed's own metadata) is dropped.

type feedDoc struct {
	XMLName xml.Name    `xml:"feed"`
	Total   string      `xml:"totalResults"`
	Entries []feedEntry `xml:"entry"`
}

type feedEntry struct {
	ID        string     `xml:"id"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Title     feedText   `xml:"title"`
	Content   feedText   `xml:"content"`
	Links     []feedLink `xml:"link"`
	Authors   []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	InReplyTo []struct {
		Ref string `xml:"ref,attr"`
	} `xml:"in-reply-to"`
}

type feedText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type feedLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

// decodeFeed reads a feed page (<feed>) or a single entry (<entry>), and
// the feed's openSearch:totalResults (-1 when it gives none).
func decodeFeed(body []byte) ([]feedEntry, int, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, -1, fmt.Errorf("no <feed> or <entry>: %w", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, -1, fmt.Errorf("a DOCTYPE or other declaration in a feed is refused")
		case xml.StartElement:
			switch t.Name.Local {
			case "feed":
				var f feedDoc
				if err := dec.DecodeElement(&f, &t); err != nil {
					return nil, -1, err
				}
				total, err := strconv.Atoi(strings.TrimSpace(f.Total))
				if err != nil || total < 0 {
					total = -1
				}
				return f.Entries, total, nil
			case "entry":
				var e feedEntry
				if err := dec.DecodeElement(&e, &t); err != nil {
					return nil, -1, err
				}
				return []feedEntry{e}, 1, nil
			default:
				return nil, -1, fmt.Errorf("root element is not <feed> or <entry>")
			}
		}
	}
}

// blogPostID is the post number of an entry id
// "tag:blogger.com,1999:blog-BLOG.post-POST", or "".
func blogPostID(id string) string {
	i := strings.LastIndex(id, ".post-")
	if i < 0 {
		return ""
	}
	return safeID(id[i+len(".post-"):])
}

// safeID keeps an id only when it is a plain token (Blogger's are digits),
// so that it can name a file and sit in a URL path.
func safeID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return ""
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return ""
		}
	}
	return s
}

// commentPostID is the post a comment entry answers, from its
// thr:in-reply-to reference.
func commentPostID(e *feedEntry) string {
	for _, r := range e.InReplyTo {
		if id := blogPostID(r.Ref); id != "" {
			return id
		}
	}
	return ""
}

// updatedTime parses an entry's updated (or else published) time.
func updatedTime(e *feedEntry) (time.Time, bool) {
	for _, s := range []string{e.Updated, e.Published} {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// The Atom file the fetch writes for one post: the post entry and its
// comments, in the classic Blogger export form that corpus.ParseAtom reads
// (kind#post and kind#comment categories, thr:in-reply-to naming the post,
// rel="related" naming a reply's parent).

const (
	atomNS     = "http://www.w3.org/2005/Atom"
	threadNS   = "http://purl.org/syndication/thread/1.0"
	kindScheme = "http://schemas.google.com/g/2005#kind"
	kindPost   = "http://schemas.google.com/blogger/2008/kind#post"
	kindCmt    = "http://schemas.google.com/blogger/2008/kind#comment"
)

type outFeed struct {
	XMLName   xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Generator string     `xml:"generator"`
	Entries   []outEntry `xml:"entry"`
}

type outEntry struct {
	ID        string      `xml:"id"`
	Published string      `xml:"published,omitempty"`
	Updated   string      `xml:"updated,omitempty"`
	Category  outCategory `xml:"category"`
	Title     feedText    `xml:"title"`
	Content   feedText    `xml:"content"`
	Links     []feedLink  `xml:"link"`
	Author    *outAuthor  `xml:"author,omitempty"`
	InReplyTo *outReply   `xml:"http://purl.org/syndication/thread/1.0 in-reply-to,omitempty"`
}

type outCategory struct {
	Scheme string `xml:"scheme,attr"`
	Term   string `xml:"term,attr"`
}

type outAuthor struct {
	Name string `xml:"name"`
}

type outReply struct {
	Ref string `xml:"ref,attr"`
}

// outOf copies what is kept of e: the author's name only, and only the
// alternate (the page) and related (a reply's parent) links.
func outOf(e *feedEntry, kind string) outEntry {
	o := outEntry{
		ID:        strings.TrimSpace(e.ID),
		Published: strings.TrimSpace(e.Published),
		Updated:   strings.TrimSpace(e.Updated),
		Category:  outCategory{Scheme: kindScheme, Term: kind},
		Title:     e.Title,
		Content:   e.Content,
	}
	for _, l := range e.Links {
		if l.Rel == "alternate" || l.Rel == "related" {
			o.Links = append(o.Links, l)
		}
	}
	if len(e.Authors) > 0 && strings.TrimSpace(e.Authors[0].Name) != "" {
		o.Author = &outAuthor{Name: strings.TrimSpace(e.Authors[0].Name)}
	}
	return o
}

// encodePost writes the Atom file of one post and its comments.
func encodePost(post *feedEntry, comments []feedEntry, generator string) ([]byte, error) {
	f := outFeed{Generator: generator}
	f.Entries = append(f.Entries, outOf(post, kindPost))
	for i := range comments {
		o := outOf(&comments[i], kindCmt)
		o.InReplyTo = &outReply{Ref: strings.TrimSpace(post.ID)}
		f.Entries = append(f.Entries, o)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
