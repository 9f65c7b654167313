package corpus

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"
)

// The WordPress and Disqus readers stream their XML token by token instead
// of decoding whole elements into structs: memory stays proportional to
// what is kept (the text of posts and comments), never to what a hostile
// file nests or repeats, and the personal fields of an export (author
// email, IP address) are skipped without ever being held.

// xmlLimits bound what one XML input may cost: the nesting and token
// limits every XML reader shares (MaxXMLDepth, MaxXMLTokens, enforced by
// newXMLDecoderLimits), and the per-comment limit.
type xmlLimits struct {
	maxDepth   int // element nesting
	maxTokens  int // tokens read in all
	maxComment int // bytes of one comment's text (Options.MaxCommentBytes)
}

func (o Options) xmlLimits() xmlLimits {
	return xmlLimits{maxDepth: MaxXMLDepth, maxTokens: MaxXMLTokens, maxComment: o.maxComment()}
}

// rawCommentLimit is how much of one comment's raw HTML is kept while
// reading: enough for markup around a comment at the text limit. A comment
// over it is left out as oversize without holding the rest.
func (l xmlLimits) rawCommentLimit() int { return 4*l.maxComment + 4096 }

// fieldLimit bounds the short fields (ids, dates, statuses, titles).
const fieldLimit = 4096

// xmlStream reads tokens through newXMLDecoderLimits, keeping the depth
// it needs to know where an element ends. It also refuses DTDs: no export
// writes one, and a DTD is how XML files define entities (the "billion
// laughs" and external-entity attacks). encoding/xml expands no entity
// beyond the five predefined ones and character references, and in strict
// mode an undefined one is a syntax error.
type xmlStream struct {
	dec     *xml.Decoder // the limited token decoder
	src     *xmlBudget   // its token source, which knows where a token starts
	base    *xml.Decoder // the raw decoder under it, whose InputPos gives lines
	depth   int
	charset string // an encoding the file declares other than UTF-8
	// charsetLine is the line of the declaration naming charset.
	charsetLine int
}

func newXMLStream(data []byte, lim xmlLimits) *xmlStream {
	s := &xmlStream{}
	s.dec, s.src = newXMLDecoderLimits(data, lim.maxDepth, lim.maxTokens)
	s.base = s.src.base
	// Parse has made the bytes valid UTF-8 already (repairing and flagging
	// what was not): a declared legacy charset is noted and read as UTF-8.
	s.base.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l != "utf-8" && l != "utf8" && l != "us-ascii" {
			s.charset, s.charsetLine = label, s.src.tokenLine()
		}
		return in, nil
	}
	return s
}

// line is the current line, for messages.
func (s *xmlStream) line() int {
	l, _ := s.base.InputPos()
	return l
}

// startLine is the line the token read last starts on: called just after
// a start tag is read, the line where the element starts, which is the
// one a message about the element names.
func (s *xmlStream) startLine() int { return s.src.tokenLine() }

// next returns the next token. CharData it returns is valid only until the
// following call.
func (s *xmlStream) next() (xml.Token, error) {
	tok, err := s.dec.Token()
	if err != nil {
		if err == io.EOF {
			if s.depth > 0 {
				return nil, fmt.Errorf("line %d: XML ends early (truncated file?): %d element(s) left open", s.line(), s.depth)
			}
			return nil, io.EOF
		}
		var be errXMLBudget
		if errors.As(err, &be) {
			return nil, fmt.Errorf("line %d: %s", s.line(), be.msg)
		}
		return nil, s.syntaxError(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		s.depth++
	case xml.EndElement:
		s.depth--
	case xml.Directive:
		d := bytes.ToUpper(bytes.TrimSpace(t))
		if bytes.HasPrefix(d, []byte("DOCTYPE")) || bytes.HasPrefix(d, []byte("ENTITY")) {
			return nil, fmt.Errorf("line %d: a DOCTYPE or ENTITY declaration is refused (exports carry none)", s.line())
		}
	}
	return tok, nil
}

// syntaxError is xmlFault at the stream's line.
func (s *xmlStream) syntaxError(err error) error { return xmlFault(s.line(), err) }

// xmlFault words an XML decoding error met at line: the line and the kind
// of fault, but unlike encoding/xml's own message never the names or text
// it met, since a reject reason must not quote an input. Every XML reader
// words its errors here.
func xmlFault(line int, err error) error {
	var budget errXMLBudget
	if errors.As(err, &budget) {
		return fmt.Errorf("line %d: %s", line, budget.msg)
	}
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("line %d: XML ends early (truncated file?)", line)
		}
		return fmt.Errorf("line %d: XML could not be read", line)
	}
	kind := "malformed markup"
	switch m := se.Msg; {
	case m == "unexpected EOF":
		return fmt.Errorf("line %d: XML ends early (truncated file?)", line)
	case strings.Contains(m, "entity"):
		kind = "an undefined or malformed entity reference"
	case strings.Contains(m, "closed by"):
		kind = "an element closed by another element's end tag"
	case strings.Contains(m, "unexpected end element"):
		kind = "an end tag with no start tag"
	case strings.Contains(m, "attribute"):
		kind = "a malformed attribute"
	case strings.Contains(m, "invalid UTF-8") || strings.Contains(m, "illegal character"):
		kind = "a character XML does not allow"
	}
	// se.Line is the token decoder's, which knows no lines: the caller's
	// line comes from the decoder reading the bytes.
	return fmt.Errorf("line %d: XML syntax error: %s", line, kind)
}

// text reads the character data of the element just started, up to its
// end, keeping at most limit bytes; over reports whether there was more.
// Text of child elements is included.
func (s *xmlStream) text(limit int) (text string, over bool, err error) {
	var b strings.Builder
	end := s.depth - 1
	for s.depth > end {
		tok, err := s.next()
		if err == io.EOF {
			return "", false, fmt.Errorf("line %d: XML ends early (truncated file?)", s.line())
		}
		if err != nil {
			return "", false, err
		}
		if cd, ok := tok.(xml.CharData); ok {
			room := limit - b.Len()
			if len(cd) > room {
				over = true
				cd = cd[:max(room, 0)]
			}
			b.Write(cd)
		}
	}
	return b.String(), over, nil
}

// field is text for the short fields, trimmed; past fieldLimit it is cut.
func (s *xmlStream) field() (string, error) {
	t, _, err := s.text(fieldLimit)
	return strings.TrimSpace(t), err
}

// skip reads past the end of the element just started.
func (s *xmlStream) skip() error {
	end := s.depth - 1
	for s.depth > end {
		if _, err := s.next(); err != nil {
			if err == io.EOF {
				return fmt.Errorf("line %d: XML ends early (truncated file?)", s.line())
			}
			return err
		}
	}
	return nil
}

// child returns the next child element of the element whose content is
// being read, or ok false at its end. Character data between children is
// passed over.
func (s *xmlStream) child() (se xml.StartElement, ok bool, err error) {
	end := s.depth - 1
	for {
		tok, err := s.next()
		if err == io.EOF {
			return se, false, fmt.Errorf("line %d: XML ends early (truncated file?)", s.line())
		}
		if err != nil {
			return se, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			if s.depth <= end {
				return se, false, nil
			}
		}
	}
}

// starts hands each start tag of the document to each, in order, until
// the end of the file or an error.
func (s *xmlStream) starts(each func(xml.StartElement) error) error {
	for {
		tok, err := s.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := each(se); err != nil {
				return err
			}
		}
	}
}

// fields reads the children of the element just started. A child for
// which short gives a place gets its trimmed text there; any other goes to
// long, which reads it and reports true, or reports false to have it
// skipped unread (author emails, IP addresses, metadata).
func (s *xmlStream) fields(short func(xml.Name) *string, long func(xml.StartElement) (bool, error)) error {
	for {
		se, ok, err := s.child()
		if err != nil || !ok {
			return err
		}
		if f := short(se.Name); f != nil {
			if *f, err = s.field(); err != nil {
				return err
			}
			continue
		}
		done := false
		if long != nil {
			if done, err = long(se); err != nil {
				return err
			}
		}
		if !done {
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
}

// exportPost is post index of the file name made from an export's
// fields: the title unescaped, the body HTML reduced to text, undated until
// the reader dates it.
func exportPost(name string, index int, title, markup, id string) Post {
	return Post{
		ID:               PostID(name, index),
		Title:            strings.TrimSpace(html.UnescapeString(title)),
		Body:             paragraphs(htmlText(markup)),
		SourceFile:       name,
		SourceID:         id,
		DeclaredComments: -1,
		DateSource:       DateNone,
	}
}

// exportComment is a thread comment of p made from an export's fields:
// its HTML reduced to text, an empty one counted as deleted, one whose raw
// markup was over the limit (over) kept as oversize with its text dropped
// and flagged by line.
func exportComment(p *Post, author, markup, id, date string, over bool, line int, flags *[]Warning) Comment {
	pos := len(p.Comments)
	c := Comment{
		ID:       CommentID(p.ID, pos),
		PostID:   p.ID,
		Position: pos,
		Section:  SectionThread,
		Author:   strings.TrimSpace(html.UnescapeString(author)),
		Text:     htmlText(markup),
		Status:   StatusPublished,
		SourceID: id,
		Date:     date,
	}
	switch {
	case over:
		*flags = append(*flags, warnf(WarnLimit, "line %d: comment text is over the limit; left out", line))
		c.Status, c.Text = StatusOversize, ""
	case c.Text == "":
		c.Status = StatusDeleted
	}
	return c
}

// sourceReply is a comment of a post (at its position) that names the
// archive id of its parent, on a line of the file.
type sourceReply struct {
	at     int
	parent string
	line   int
}

// linkReplies points each reply of p at the comment of p whose SourceID it
// names. A repeated id keeps its first comment; a parent that is not in
// the post (left out, or never there) leaves the reply at top level. Both
// are flagged by line: lines holds the line of each comment of p by
// position.
func linkReplies(p *Post, lines []int, replies []sourceReply, flags *[]Warning) {
	if len(replies) == 0 {
		return
	}
	bySource := make(map[string]string, len(p.Comments))
	for _, c := range p.Comments {
		if _, dup := bySource[c.SourceID]; c.SourceID != "" && !dup {
			bySource[c.SourceID] = c.ID
		} else if dup {
			*flags = append(*flags, warnAt(WarnReference, lineAt(lines, c.Position), "comment %d: its id repeats an earlier comment's of the post; replies go to the first", c.Position+1))
		}
	}
	for _, r := range replies {
		c := &p.Comments[r.at]
		parent, ok := bySource[r.parent]
		if !ok || parent == c.ID {
			*flags = append(*flags, warnf(WarnReference, "line %d: reply's parent comment is left out or not in its post; kept at top level", r.line))
			continue
		}
		c.ParentID = parent
	}
}

// attr is the value of the attribute local (in any namespace) of se.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// countKind adds n to m[kind], making m on first use.
func countKind(m *map[string]int, kind string) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[kind]++
}

// skippedSummary writes counts as "wxr_draft_posts 3, wxr_pages 1", in
// name order, for the message of a file with nothing left to read.
func skippedSummary(m map[string]int) string {
	if len(m) == 0 {
		return "nothing"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
