package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads the Blogger page-text layout (seeds 000, 003 and 004): the
// text a browser gives when a Blogger post page is saved as text. The rules
// are written up with their evidence in docs/segmentation.md; in short:
//
//	Saturday 5 March 2016          date line, column 0: starts a post
//	                               (blank lines are ignored throughout)
//	It's a Title                   first non-blank line after it: the title
//	body paragraph ...             one paragraph per non-blank line
//	******                         asterisk lines fence quoted comments
//	50 comments:                   ends the body; the declared count
//	  1. first comment text        top-level comment, list number removed
//	    more of comment 1          continuation: a further paragraph
//	    ReplyDelete                ends a top-level comment
//	    Replies                    a reply list follows
//	    1. a reply                 reply (deeper than "  1."), parent comment 1
//	      Delete                   ends a reply
//	  2. next comment ...
//
// Blogger numbers top-level comments and, separately, the replies under
// each; replies are indented deeper than top-level comments. Indentation,
// not the number, decides what a numbered line is, because comments
// themselves contain numbered lists: a numbered line inside an open
// comment (before its ReplyDelete/Delete) is part of that comment's text.

// blLine is one line of input with its 1-based number, its indentation
// (tab = 4 columns) and its text with surrounding white space removed.
type blLine struct {
	n      int
	indent int
	text   string
}

// splitLines cuts data into lines. \r\n and lone \r count as line ends so
// that a file saved on Windows or old macOS reads the same.
func splitLines(data string) []blLine {
	if strings.IndexByte(data, '\r') >= 0 {
		data = strings.ReplaceAll(data, "\r\n", "\n")
		data = strings.ReplaceAll(data, "\r", "\n")
	}
	out := make([]blLine, 0, strings.Count(data, "\n")+1)
	for {
		s, rest, more := strings.Cut(data, "\n")
		ind := 0
	indent:
		for k := 0; k < len(s); k++ {
			switch s[k] {
			case ' ':
				ind++
			case '\t':
				ind += 4
			default:
				break indent
			}
		}
		out = append(out, blLine{n: len(out) + 1, indent: ind, text: strings.TrimSpace(s)})
		if !more {
			return out
		}
		data = rest
	}
}

// isSeparator reports whether a line is a row of asterisks (at least three,
// spaces allowed), the fence the blog puts around quoted comments.
func isSeparator(s string) bool {
	stars := 0
	for _, r := range s {
		switch r {
		case '*':
			stars++
		case ' ':
		default:
			return false
		}
	}
	return stars >= 3
}

// isSectionBreak reports whether a line is the blog's "--oo00oo--" style
// divider between parts of the author's own text (not a comment fence).
func isSectionBreak(s string) bool {
	if len(s) < 4 || !strings.HasPrefix(s, "--") || !strings.HasSuffix(s, "--") {
		return false
	}
	return strings.Trim(s, "-o0O ") == ""
}

// removedNotices are Blogger's stand-ins for a comment that was taken down;
// such a comment is counted as deleted and never analysed.
var removedNotices = []string{
	"this comment has been removed by the author.",
	"this comment has been removed by a blog administrator.",
}

// textStatus says whether a comment's text is one of the notices; key is
// NormalizeText(text), which the reader has at hand already.
func textStatus(text, key string) Status {
	if len(text) > 100 { // the notices are about 50 bytes
		return StatusPublished
	}
	for _, r := range removedNotices {
		if key == r {
			return StatusDeleted
		}
	}
	return StatusPublished
}

// minRepeatLen is the shortest normalised paragraph whose repetition inside
// one unit (a body or a comment) is treated as a dump artefact and dropped.
// Shorter lines — signatures such as "NPS PO", "or", list bullets — recur
// legitimately and are kept.
const minRepeatLen = 20

// dedupeParas drops every paragraph that repeats (by NormalizeText) an
// earlier one of the same unit, returning the kept paragraphs and the line
// numbers of the dropped ones. lines[i] is the line paragraph i came from.
//
// Repeats are rare, so it first only looks for one; when there is none it
// returns paras and lines themselves, and the caller must not change them.
func dedupeParas(paras []string, lines []int) ([]string, []int, []int) {
	if len(paras) < 2 {
		return paras, lines, nil
	}
	if _, repeat := normalizeParas(paras, false); !repeat {
		return paras, lines, nil
	}
	return dropRepeats(paras, lines)
}

// dropRepeats is dedupeParas once a repeat is known to be there.
func dropRepeats(paras []string, lines []int) ([]string, []int, []int) {
	seen := make(map[string]bool, len(paras))
	keep := make([]string, 0, len(paras)-1)
	keepLines := make([]int, 0, len(paras)-1)
	var dropped []int
	for i, p := range paras {
		k := NormalizeText(p)
		if len(k) >= minRepeatLen && seen[k] {
			dropped = append(dropped, lines[i])
			continue
		}
		seen[k] = true
		keep = append(keep, p)
		keepLines = append(keepLines, lines[i])
	}
	return keep, keepLines, dropped
}

// normalizeParas reports whether dedupeParas would drop any of paras, and,
// when it would not and wantKey is set, returns the NormalizeText form of
// the paragraphs joined by line ends. That is the form of each paragraph
// joined by single spaces, leaving out the empty ones, so one pass over the
// text serves both the repeat check and duplicate marking.
func normalizeParas(paras []string, wantKey bool) (key string, repeat bool) {
	// The forms go into one buffer, on the stack while they fit, each
	// after a space when there is one before it.
	var stack [2048]byte
	var offStack [2 * smallUnit]int
	buf := stack[:0]
	off := offStack[:0] // paragraph i is buf[off[2i]:off[2i+1]]
	if len(paras) > smallUnit {
		off = make([]int, 0, 2*len(paras))
	}
	var seen map[string]bool
	if len(paras) > smallUnit {
		// Many paragraphs: a map costs less than comparing every pair.
		seen = make(map[string]bool, len(paras))
	}
	for i, p := range paras {
		sep := len(buf)
		if sep > 0 {
			buf = append(buf, ' ')
		}
		start := len(buf)
		buf = appendNormalized(buf, p)
		if len(buf) == start { // nothing but space: no separator either
			buf = buf[:sep]
			start = sep
		}
		off = append(off, start, len(buf))
		k := buf[start:]
		if seen != nil {
			if len(k) >= minRepeatLen && seen[string(k)] {
				return "", true
			}
			seen[string(k)] = true
			continue
		}
		if len(k) < minRepeatLen {
			continue
		}
		for e := range i {
			if string(buf[off[2*e]:off[2*e+1]]) == string(k) {
				return "", true
			}
		}
	}
	if wantKey {
		key = string(buf)
	}
	return key, false
}

// smallUnit is the most paragraphs normalizeParas compares pairwise.
const smallUnit = 16

// lineRuns writes ascending line numbers as runs of consecutive lines,
// "line 7" or "lines 29-37", so that a block repeated whole makes one flag.
func lineRuns(ns []int) []string {
	var out []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] <= ns[j]+2 {
			j++
		}
		out = append(out, lineSpan(ns[i], ns[j]))
		i = j + 1
	}
	return out
}

// lineSpan names the lines from a to b: "line 7" or "lines 7-9".
func lineSpan(a, b int) string {
	if a >= b {
		return fmt.Sprintf("line %d", a)
	}
	return fmt.Sprintf("lines %d-%d", a, b)
}

// signatureStop lists sign-offs that look like a signature line but name
// nobody.
var signatureStop = map[string]bool{
	"thanks": true, "thank you": true, "cheers": true, "regards": true,
	"best wishes": true, "kind regards": true, "anon": true, "anonymous": true,
	"or": true, "and": true, "ps": true,
}

// signature returns the author a comment signs itself with, or "".
//
// Only a last paragraph that can be nothing else is taken: the comment has
// at least two paragraphs, and the last is one to three words, each starting
// with a capital letter (after an optional leading ', -, ~ or —), with no
// digits, no sentence punctuation and no link. That takes "NPS PO" and
// "' Getafix" from the seeds and leaves "Pull the plug!" or "Is that
// 'probation'?" alone. A wrong author is worse than none, so when in doubt
// the answer is "".
func signature(paras []string) string {
	if len(paras) < 2 {
		return ""
	}
	last := strings.TrimSpace(paras[len(paras)-1])
	last = strings.TrimLeft(last, "'’‘-–—~ ")
	if last == "" || len(last) > 30 || strings.Contains(last, "://") || strings.Contains(last, "@") {
		return ""
	}
	words := strings.Fields(last)
	if len(words) > 3 || signatureStop[strings.ToLower(last)] {
		return ""
	}
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) {
			return ""
		}
		for _, r := range w {
			if !(unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-' || r == '.') {
				return ""
			}
		}
	}
	if strings.HasSuffix(last, ".") {
		return ""
	}
	return last
}

// excerpt is a comment quoted in a post body, with the line it starts on.
type excerpt struct {
	line  int
	paras []string
	lines []int
}

// splitExcerpts separates a post body into the author's paragraphs and the
// comments quoted between asterisk lines.
//
// Segments fenced on both sides by asterisk lines are always excerpts. The
// segment before the first fence and the one after the last are excerpts
// only when wholePick says the post is nothing but picked comments (a "Pick
// of the Week" post, where the first and last picks have a fence on one
// side only); otherwise they are the author's introduction and close. A
// body with fewer than two fences has nothing fenced on both sides, so a
// single row of asterisks used as a divider quotes nothing.
func splitExcerpts(body []blLine, wholePick bool) (paras []string, paraLines []int, exs []excerpt) {
	var fences []int
	for i, l := range body {
		if isSeparator(l.text) {
			fences = append(fences, i)
		}
	}
	if len(fences) < 2 && !(wholePick && len(fences) == 1) {
		for _, l := range body {
			if l.text != "" && !isSeparator(l.text) {
				paras = append(paras, l.text)
				paraLines = append(paraLines, l.n)
			}
		}
		return paras, paraLines, nil
	}
	seg := func(from, to int) excerpt { // body[from:to], blank lines dropped
		var e excerpt
		for _, l := range body[from:to] {
			if l.text == "" {
				continue
			}
			if e.line == 0 {
				e.line = l.n
			}
			e.paras = append(e.paras, l.text)
			e.lines = append(e.lines, l.n)
		}
		return e
	}
	first, last := fences[0], fences[len(fences)-1]
	head := seg(0, first)
	if wholePick {
		if len(head.paras) > 0 {
			exs = append(exs, head)
		}
	} else {
		paras, paraLines = head.paras, head.lines
	}
	for k := 0; k+1 < len(fences); k++ {
		if e := seg(fences[k]+1, fences[k+1]); len(e.paras) > 0 {
			exs = append(exs, e)
		}
	}
	tail := seg(last+1, len(body))
	if wholePick {
		if len(tail.paras) > 0 {
			exs = append(exs, tail)
		}
	} else {
		paras = append(paras, tail.paras...)
		paraLines = append(paraLines, tail.lines...)
	}
	return paras, paraLines, exs
}

// isPickOfTheWeek reports whether a title names one of the blog's posts made
// wholly of comments picked from the week's threads.
func isPickOfTheWeek(title string) bool {
	return strings.Contains(strings.ToLower(title), "pick of the week")
}

// postBuilder accumulates one post's comments, giving each its id, position
// and parent as it is closed, and collecting flags.
type postBuilder struct {
	post    Post
	index   int // the post's index in its file, for flags
	flags   []Warning
	lastTop int // index in post.Comments of the latest top-level comment, -1 if none
	// keys[i] is NormalizeText(post.Comments[i].Text), found while the
	// comment was read; Parse marks duplicates with it.
	keys []string
	// lines[i] is the line post.Comments[i] starts on.
	lines []int
	// capHint is how many comments the post is expected to hold, for
	// sizing post.Comments when the first is added.
	capHint int
}

func newPostBuilder(name string, index int) *postBuilder {
	id := PostID(name, index)
	return &postBuilder{
		post:    Post{ID: id, SourceFile: name, DeclaredComments: -1, DateSource: DateNone},
		index:   index,
		lastTop: -1,
	}
}

func (b *postBuilder) flag(format string, args ...any) {
	b.flags = append(b.flags, warnf(WarnStructure, format, args...))
}

// setBody stores the body paragraphs, dropping repeats, and turns fenced
// excerpts into comments (which must come before any thread comment, since
// Position follows reading order).
func (b *postBuilder) setBody(body []blLine, wholePick bool) {
	paras, lines, exs := splitExcerpts(body, wholePick)
	paras, _, dropped := dedupeParas(paras, lines)
	for _, r := range lineRuns(dropped) {
		b.flag("%s: post %d body paragraph(s) repeat earlier ones; dropped", r, b.index+1)
	}
	b.post.Body = paras
	for _, e := range exs {
		b.add(e.line, e.paras, e.lines, SectionExcerpt, false)
	}
}

// add closes one comment. reply asks for the latest top-level comment as
// parent. It returns false when the comment had no text and was skipped.
// It keeps none of paras and lines.
func (b *postBuilder) add(line int, paras []string, lines []int, sec Section, reply bool) bool {
	kept, key, repeat := paras, "", false
	if len(paras) >= 2 {
		key, repeat = normalizeParas(paras, true)
	}
	if repeat {
		var dropped []int
		kept, _, dropped = dropRepeats(paras, lines)
		for _, r := range lineRuns(dropped) {
			b.flag("%s: paragraph(s) repeat earlier ones of the same comment; dropped", r)
		}
	}
	text := strings.Join(kept, "\n")
	if strings.TrimSpace(text) == "" {
		b.flag("line %d: comment with no text; skipped", line)
		return false
	}
	if len(kept) < 2 || repeat {
		key = NormalizeText(text)
	}
	pos := len(b.post.Comments)
	c := Comment{
		ID:       CommentID(b.post.ID, pos),
		PostID:   b.post.ID,
		Position: pos,
		Section:  sec,
		Author:   signature(kept),
		Text:     text,
		Status:   textStatus(text, key),
	}
	if reply {
		if b.lastTop < 0 {
			b.flag("line %d: reply with no comment before it to reply to; taken as a top-level comment", line)
		} else {
			c.ParentID = b.post.Comments[b.lastTop].ID
			c.Depth = 1
		}
	}
	if c.Depth == 0 && sec == SectionThread {
		b.lastTop = pos
	}
	if b.post.Comments == nil && b.capHint > 0 {
		// Allocated at the first comment, not before: a post without
		// comments keeps a nil slice.
		b.post.Comments = make([]Comment, 0, b.capHint)
		b.keys = make([]string, 0, b.capHint)
		b.lines = make([]int, 0, b.capHint)
	}
	b.post.Comments = append(b.post.Comments, c)
	b.keys = append(b.keys, key)
	b.lines = append(b.lines, line)
	return true
}

// openComment is a comment being read: where it starts, its paragraphs and,
// for the Blogger layout, its list number and indentation.
type openComment struct {
	line   int
	number int
	indent int
	reply  bool
	paras  []string
	lines  []int
}

// reset makes o a new comment, keeping its slices' storage: a reader keeps
// one openComment and reuses it for every comment, since add copies what it
// keeps.
func (o *openComment) reset(line, number, indent int, reply bool) {
	o.line, o.number, o.indent, o.reply = line, number, indent, reply
	o.paras, o.lines = o.paras[:0], o.lines[:0]
}

func (o *openComment) addPara(l blLine, s string) {
	if s == "" {
		return
	}
	o.paras = append(o.paras, s)
	o.lines = append(o.lines, l.n)
}

// LooksBlogger reports whether data looks like Blogger page text: a
// weekday-date line at column 0 among its first 40 non-blank lines, or a
// "N comments:" line followed by a numbered comment, and no Reply/Delete
// marker glued to text (the flattened dump's mark). It reads the head of the
// file for the date line and scans the rest only for the word "Delete", so
// it is cheap on large inputs.
func LooksBlogger(data string) bool {
	if hasGluedMarker(data) {
		// Page text never glues a marker to text; the flattened dump does,
		// even when it kept its date line.
		return false
	}
	nonBlank, seenDeclared := 0, false
	for i := 0; i < len(data) && nonBlank < 400; {
		j := strings.IndexByte(data[i:], '\n')
		var raw string
		if j < 0 {
			raw, i = data[i:], len(data)
		} else {
			raw, i = data[i:i+j], i+j+1
		}
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		nonBlank++
		col0 := raw[0] != ' ' && raw[0] != '\t'
		if col0 && nonBlank <= 40 {
			if _, ok := parseDateLine(s); ok {
				return true
			}
		}
		if col0 {
			if _, ok := parseDeclared(s); ok {
				seenDeclared = true
				continue
			}
		}
		if seenDeclared && isNumbered(s) {
			return true
		}
	}
	return false
}

// parseBlogger reads Blogger page text (see the layout at the top of this
// file and docs/segmentation.md). name is the file's name as given; it
// seeds the post and comment ids and fills SourceFile.
//
// A file may hold several posts, each starting at a date line (or, for a
// second post on the same day, at a column-0 title after a comment list
// when a "N comments:" line follows). Problems that leave the rest readable
// are returned as flags naming the line; an error is returned only when no
// post can be found at all, naming the line where reading gave up.
// It also returns, for each post, the NormalizeText form of each comment's
// text (postBuilder.keys) and the lines of the post and its comments.
func parseBlogger(name, data string) ([]Post, readNotes, []Warning, error) {
	lines := splitLines(data)
	var (
		posts []Post
		notes readNotes
		flags []Warning
	)
	i := 0
	// Skip to the first date line, or to the first non-blank line when a
	// "N comments:" line shows the page is Blogger text whose date line
	// was cut off.
	start := -1
	firstText := -1
	for k, l := range lines {
		if l.text == "" {
			continue
		}
		if firstText < 0 {
			firstText = k
		}
		if _, ok := parseDateLine(l.text); ok && l.indent == 0 {
			start = k
			break
		}
	}
	if start < 0 {
		hasDeclared := false
		for _, l := range lines {
			if _, ok := parseDeclared(l.text); ok {
				hasDeclared = true
				break
			}
		}
		if !hasDeclared || firstText < 0 {
			last := len(lines)
			if last > 0 && lines[last-1].text == "" && last > 1 {
				last--
			}
			return nil, notes, nil, fmt.Errorf("line %d: gave up at the end of the file: no Blogger date line (\"Saturday 5 March 2016\") and no \"N comments:\" line found", last)
		}
		start = firstText
		flags = append(flags, warnf(WarnDate, "line %d: no date line; the post is undated", lines[start].n))
	} else if firstText >= 0 && firstText < start {
		last := start - 1
		for lines[last].text == "" {
			last--
		}
		flags = append(flags, warnf(WarnStructure, "%s: text before the first date line; ignored", lineSpan(lines[firstText].n, lines[last].n)))
	}
	i = start
	date, dateSrc, dateLine := "", DateNone, lines[i].n
	for i < len(lines) {
		b := newPostBuilder(name, len(posts))
		if d, ok := parseDateLine(lines[i].text); ok && lines[i].indent == 0 {
			date, dateSrc, dateLine = d, DateFromDateLine, lines[i].n
			i++
		}
		b.post.Date, b.post.DateSource = date, dateSrc
		i = readBloggerPost(b, lines, i)
		posts = append(posts, b.post)
		notes.keys = append(notes.keys, b.keys)
		notes.postLine = append(notes.postLine, dateLine)
		notes.commentLine = append(notes.commentLine, b.lines)
		flags = append(flags, b.flags...)
	}
	return posts, notes, flags, nil
}

// readBloggerPost reads one post from lines[i:] (just after its date line)
// and returns the index where the next post starts (len(lines) at the end).
func readBloggerPost(b *postBuilder, lines []blLine, i int) int {
	// Title: the first non-blank line.
	for i < len(lines) && lines[i].text == "" {
		i++
	}
	if i < len(lines) {
		if _, isDeclared := parseDeclared(lines[i].text); !isDeclared {
			if _, isDate := parseDateLine(lines[i].text); !isDate || lines[i].indent > 0 {
				b.post.Title = lines[i].text
				i++
			}
		}
	}
	if b.post.Title == "" {
		n := len(lines)
		if i < len(lines) {
			n = lines[i].n
		}
		b.flag("line %d: post %d has no title", n, b.index+1)
	}
	// Body: up to the "N comments:" line or the next date line.
	bodyStart := i
	for i < len(lines) {
		l := lines[i]
		if _, ok := parseDateLine(l.text); ok && l.indent == 0 {
			break
		}
		if n, ok := parseDeclared(l.text); ok {
			b.setBody(lines[bodyStart:i], isPickOfTheWeek(b.post.Title))
			b.post.DeclaredComments = n
			// Size for the declared count, but no more than the lines
			// left could hold: the count is the page's word, not ours.
			b.capHint = len(b.post.Comments) + min(n, len(lines)-i)
			return readBloggerComments(b, lines, i+1)
		}
		i++
	}
	b.setBody(lines[bodyStart:i], isPickOfTheWeek(b.post.Title))
	return i
}

// readBloggerComments reads the numbered comment list from lines[i:] and
// returns the index where the next post starts.
func readBloggerComments(b *postBuilder, lines []blLine, i int) int {
	var (
		slot       openComment  // the storage of every comment read
		cur        *openComment // the comment being read (&slot), or nil
		topIndent  = -1         // indentation of top-level numbers, from the first
		inReplies  bool         // a "Replies" line was seen under the latest top-level comment
		nextTop    = 1
		nextReply  = 1
		replyInd   = -1
		lastClosed = 0 // line of the latest ReplyDelete/Delete, for flags
	)
	closeCur := func(why string, at int) {
		if cur == nil {
			return
		}
		if why != "" {
			b.flag("line %d: comment starting at line %d not closed by %s", at, cur.line, why)
		}
		b.add(cur.line, cur.paras, cur.lines, SectionThread, cur.reply)
		cur = nil
	}
	for ; i < len(lines); i++ {
		l := lines[i]
		if l.text == "" {
			continue
		}
		if l.indent == 0 {
			if _, ok := parseDateLine(l.text); ok {
				closeCur(markerFor(cur), l.n)
				return i
			}
		}
		if l.indent == 0 && topIndent != 0 && !(topIndent < 0 && isNumbered(l.text)) {
			// Column 0 after an indented comment list: the list is over.
			closeCur(markerFor(cur), l.n)
			if sameDayPost(lines, i) {
				return i
			}
			end := i
			for end < len(lines) {
				if _, ok := parseDateLine(lines[end].text); ok && lines[end].indent == 0 {
					break
				}
				end++
			}
			last := end - 1
			for lines[last].text == "" {
				last--
			}
			b.flag("%s: text after the comment list ignored", lineSpan(l.n, lines[last].n))
			return end
		}
		switch l.text {
		case "ReplyDelete":
			if cur == nil {
				b.flag("line %d: 'ReplyDelete' with no comment before it", l.n)
				continue
			}
			if cur.reply {
				b.flag("line %d: 'ReplyDelete' ends a reply (expected 'Delete')", l.n)
			}
			closeCur("", l.n)
			lastClosed = l.n
			continue
		case "Delete":
			if cur == nil {
				b.flag("line %d: 'Delete' with no comment before it", l.n)
				continue
			}
			closeCur("", l.n)
			lastClosed = l.n
			continue
		case "Replies":
			if cur != nil && !cur.reply {
				closeCur("'ReplyDelete'", l.n)
			}
			if b.lastTop < 0 {
				b.flag("line %d: 'Replies' with no comment before it", l.n)
				continue
			}
			inReplies, nextReply, replyInd = true, 1, -1
			continue
		}
		if num, text, ok := parseNumbered(l.text); ok {
			switch {
			case cur != nil && !cur.reply && l.indent <= topIndent && num != nextTop:
				// An unexpected number inside a comment not yet closed: a
				// list in the comment's text (this matters only when a dump
				// has lost the indentation that tells them apart).
			case topIndent < 0 || l.indent <= topIndent:
				// The shallowest numbered line seen sets the top level.
				if topIndent < 0 || l.indent < topIndent {
					topIndent = l.indent
				}
				closeCur(markerFor(cur), l.n)
				if num != nextTop {
					b.flag("line %d: comment numbered %d, expected %d", l.n, num, nextTop)
				}
				nextTop = num + 1
				inReplies = false
				cur = &slot
				cur.reset(l.n, num, l.indent, false)
				cur.addPara(l, text)
				continue
			case cur == nil || (cur.reply && num == nextReply && l.indent == replyInd):
				// A reply: after "Replies", or the next reply number at the
				// replies' indentation when the previous lost its "Delete".
				if cur != nil {
					closeCur("'Delete'", l.n)
				}
				if !inReplies {
					if b.lastTop < 0 {
						b.flag("line %d: numbered reply with no comment before it", l.n)
					} else {
						b.flag("line %d: reply with no 'Replies' line before it", l.n)
					}
					inReplies = true
				}
				if num != nextReply {
					b.flag("line %d: reply numbered %d, expected %d", l.n, num, nextReply)
				}
				nextReply = num + 1
				replyInd = l.indent
				cur = &slot
				cur.reset(l.n, num, l.indent, true)
				cur.addPara(l, text)
				continue
			}
		}
		if cur == nil {
			at := lastClosed
			if at == 0 {
				b.flag("line %d: text before the first numbered comment ignored", l.n)
			} else {
				b.flag("line %d: text outside any comment (after the marker on line %d) ignored", l.n, at)
			}
			continue
		}
		cur.addPara(l, l.text)
	}
	closeCur(markerFor(cur), lines[len(lines)-1].n)
	return len(lines)
}

// markerFor names the marker that should have closed c, for flags.
func markerFor(c *openComment) string {
	if c == nil {
		return ""
	}
	if c.reply {
		return "'Delete'"
	}
	return "'ReplyDelete'"
}

// sameDayPost reports whether the column-0 line lines[i], met in a comment
// list, is the title of a further post under the same date header: Blogger
// shows every post of one day under a single date line, so the evidence is
// a "N comments:" line before the next date line.
func sameDayPost(lines []blLine, i int) bool {
	for k := i + 1; k < len(lines); k++ {
		l := lines[k]
		if l.indent != 0 || l.text == "" {
			continue
		}
		if _, ok := parseDateLine(l.text); ok {
			return false
		}
		if _, ok := parseDeclared(l.text); ok {
			return true
		}
	}
	return false
}
