package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads the flattened dump of seeds 001 and 002: Blogger page text
// with the indentation, the list numbers, the date line, the title and the
// "N comments:" line lost, and each Reply/Delete marker glued to the front
// of the line that followed it:
//
//	...the last line of a top-level comment
//	ReplyDeleteThe first line of the next comment
//	a further paragraph of it
//	DeleteThe first line of the comment after that
//
// The segmentation rule (evidence and counts in docs/segmentation.md):
//
//  1. A marker is "ReplyDelete" or "Delete" at the start of a line, with
//     whatever follows glued on ("ReplyDeletehttp://...", "DeleteDeb",
//     "Delete12:46", "Delete£18.50"), except that "Delete" followed by a
//     space ("Delete the old files") or making a longer word ("Deleted",
//     "Deletes", "Deleterious") is text.
//  2. A marker ends the comment before it and the text glued after it
//     begins the next comment. "ReplyDelete" ends a top-level comment,
//     "Delete" a reply, as on the Blogger page where the reply link is shown
//     only under top-level comments. A reply's parent is the latest
//     top-level comment before it.
//  3. The thread begins after the last boundary line before the first
//     marker: a blank line, a row of asterisks, a "--oo00oo--" divider, a
//     "N comments:" line, or a line that repeats an earlier one (the dump
//     repeats the post body, so the first comment begins where the
//     repetition ends). Text after the last marker is a last comment whose
//     closing marker was cut off; it is taken as top-level and flagged.
//  4. Everything before the thread is the post body. Rows of asterisks in
//     it fence quoted comments (section excerpt) as in the Blogger layout;
//     since the dump starts inside the post, the text before the first row
//     is an excerpt too when there are two rows or more (seed 002 starts
//     in the middle of a "Pick of the Week" post).
//  5. A paragraph repeating an earlier one of the same body or comment (20
//     normalised characters or more) is dropped and flagged.
//
// The rule follows the markers, not the sense: where the dump lost a marker
// (seed 001 has replies that run on into the next comment) two comments
// stay one, because inventing boundaries from the wording would be a guess
// no test could pin.

// markerKind says which marker starts a flattened line.
type markerKind int

const (
	noMarker    markerKind = iota
	markerTop              // "ReplyDelete": ends a top-level comment
	markerReply            // "Delete": ends a reply
)

// deleteWords are the English words that begin with "Delete": a line
// starting with one of them is text, not a glued marker.
var deleteWords = []string{"deleted", "deletes", "deleter", "deleters", "deleterious", "deleteriously"}

// splitMarker splits a leading Reply/Delete marker from s (already trimmed).
func splitMarker(s string) (markerKind, string) {
	var kind markerKind
	var rest string
	switch {
	case strings.HasPrefix(s, "ReplyDelete"):
		// "ReplyDelete" is no English word: whatever follows is glued text,
		// even a link ("ReplyDeletehttp://...") or a lower-case start.
		kind, rest = markerTop, s[len("ReplyDelete"):]
	case strings.HasPrefix(s, "Delete"):
		kind, rest = markerReply, s[len("Delete"):]
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && unicode.IsSpace(r) {
			return noMarker, "" // "Delete the old files" is a sentence
		}
		word := s
		if i := strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
			word = word[:i]
		}
		for _, w := range deleteWords {
			if strings.EqualFold(word, w) {
				return noMarker, ""
			}
		}
	default:
		return noMarker, ""
	}
	rest = strings.TrimSpace(rest)
	if rest == "Replies" {
		// Blogger's reply-list toggle glued on as well: no comment text.
		return kind, ""
	}
	return kind, rest
}

// LooksFlattened reports whether data looks like the flattened dump: a
// Reply/Delete marker glued to the text of a line ("ReplyDeleteBut ..."), the
// layout's defining trait, or at least two markers alone at column 0.
// Blogger page text has its markers alone on indented lines, so it does not
// match (and the dispatcher asks LooksBlogger first anyway).
func LooksFlattened(data string) bool {
	glued, alone := scanMarkers(data, false)
	return glued || alone >= 2
}

// hasGluedMarker reports whether some line starts with a marker glued to
// text.
func hasGluedMarker(data string) bool {
	glued, _ := scanMarkers(data, true)
	return glued
}

// scanMarkers looks for marker lines: whether one is glued to text, and how
// many stand alone at column 0. It stops at the first glued one, or at once
// when stopAtGlued and the data cannot hold a marker.
func scanMarkers(data string, stopAtGlued bool) (glued bool, alone int) {
	// Only lines holding "Delete" can start with a marker, so it jumps
	// from one "Delete" to the next rather than looking at every line.
	for {
		at := strings.Index(data, "Delete")
		if at < 0 {
			return false, alone
		}
		start := strings.LastIndexByte(data[:at], '\n') + 1
		raw, rest, _ := strings.Cut(data[start:], "\n")
		data = rest
		kind, text := splitMarker(strings.TrimSpace(raw))
		if kind == noMarker {
			continue
		}
		if text != "" {
			return true, alone
		}
		if raw[0] != ' ' && raw[0] != '\t' {
			alone++
		}
	}
}

// parseFlattened reads a flattened dump (see the rule above): one post, with
// no title and no date unless the file happens to keep a date line at its
// top. name seeds the ids and fills SourceFile. It returns an error, naming
// the line where it gave up, only when the file has neither a marker nor two
// asterisk rows: then nothing in it can be told apart from anything else.
// It also returns, for its post, the NormalizeText form of each comment's
// text (postBuilder.keys) and the lines of its date line and comments.
func parseFlattened(name, data string) ([]Post, readNotes, []Warning, error) {
	lines := splitLines(data)
	first := -1 // first marker line
	fences, markers := 0, 0
	for k, l := range lines {
		if kind, _ := splitMarker(l.text); kind != noMarker {
			markers++
			if first < 0 {
				first = k
			}
		}
		if isSeparator(l.text) {
			fences++
		}
	}
	if first < 0 && fences < 2 {
		last := len(lines)
		for last > 1 && lines[last-1].text == "" {
			last--
		}
		return nil, readNotes{}, nil, fmt.Errorf("line %d: gave up at the end of the file: no ReplyDelete/Delete marker at the start of any line and fewer than two rows of asterisks", last)
	}
	b := newPostBuilder(name, 0)
	// Each marker closes at most one comment, a last one may lack its
	// marker, and the fences bound the excerpts.
	b.capHint = markers + 1 + fences
	// An optional date line (and then a title) at the top.
	top, dateLine := 0, 0
	for top < len(lines) && lines[top].text == "" {
		top++
	}
	if top < len(lines) {
		if d, ok := parseDateLine(lines[top].text); ok {
			b.post.Date, b.post.DateSource = d, DateFromDateLine
			dateLine = lines[top].n
			top++
			for top < len(lines) && lines[top].text == "" {
				top++
			}
			if top < len(lines) && top != first {
				b.post.Title = lines[top].text
				top++
			}
		}
	}
	if first < 0 {
		// Quoted comments but no thread.
		b.setBody(lines[top:], isPickOfTheWeek(b.post.Title) || b.post.Title == "")
		b.flag("line %d: no ReplyDelete/Delete marker: the post has no thread comments", len(lines))
		return []Post{b.post}, flattenedNotes(b, dateLine), b.flags, nil
	}
	if first < top {
		first = top
	}
	bodyEnd, start := threadStart(b, lines, top, first)
	bodyFences := 0
	for _, l := range lines[top:bodyEnd] {
		if isSeparator(l.text) {
			bodyFences++
		}
	}
	b.setBody(lines[top:bodyEnd], isPickOfTheWeek(b.post.Title) || b.post.Title == "" && bodyFences >= 2)
	readFlatThread(b, lines[start:])
	return []Post{b.post}, flattenedNotes(b, dateLine), b.flags, nil
}

// threadStart finds where the first comment begins: after the last boundary
// line in lines[top:first] (rule 3). It returns the end of the body and the
// start of the thread, which differ by the "N comments:" line when there is
// one (its count is stored as DeclaredComments).
func threadStart(b *postBuilder, lines []blLine, top, first int) (int, int) {
	for k := top; k < first; k++ {
		if n, ok := parseDeclared(lines[k].text); ok {
			b.post.DeclaredComments = n
			return k, k + 1
		}
	}
	seen := make(map[string]bool, first-top)
	repeatAt := -1 // the last line before first that repeats an earlier line
	for k := top; k < first; k++ {
		key := NormalizeText(lines[k].text)
		if key == "" {
			continue
		}
		if seen[key] {
			repeatAt = k
		}
		seen[key] = true
	}
	for k := first - 1; k >= top; k-- {
		t := lines[k].text
		if t == "" || isSeparator(t) || isSectionBreak(t) || k == repeatAt {
			return k + 1, k + 1
		}
	}
	if first == top {
		return first, first
	}
	// No boundary at all: the body cannot be told from the first comment.
	// Take one paragraph, the least that can be wrong, and say so.
	b.flag("line %d: no boundary between the post body and the first comment; the first comment is taken to be this one line", lines[first-1].n)
	return first - 1, first - 1
}

// readFlatThread splits the thread lines at the markers (rules 1, 2 and 5).
func readFlatThread(b *postBuilder, lines []blLine) {
	cur := &openComment{}
	for _, l := range lines {
		if l.text == "" || l.text == "Replies" {
			continue
		}
		kind, rest := splitMarker(l.text)
		if kind == noMarker {
			if cur.line == 0 {
				cur.line = l.n
			}
			cur.addPara(l, l.text)
			continue
		}
		name := "ReplyDelete"
		if kind == markerReply {
			name = "Delete"
		}
		if len(cur.paras) == 0 {
			b.flag("line %d: '%s' with no comment text before it", l.n, name)
		} else {
			b.add(cur.line, cur.paras, cur.lines, SectionThread, kind == markerReply)
		}
		cur.reset(0, 0, 0, false) // add copied what it keeps
		if rest != "" {
			cur.line = l.n
			cur.addPara(l, rest)
		}
	}
	if len(cur.paras) > 0 {
		b.flag("line %d: the last comment has no closing ReplyDelete/Delete marker; taken as top-level", cur.line)
		b.add(cur.line, cur.paras, cur.lines, SectionThread, false)
	}
}

// flattenedNotes are the keys and lines of the one post b built, dated by
// the line dateLine (0: not dated by the file).
func flattenedNotes(b *postBuilder, dateLine int) readNotes {
	return readNotes{keys: [][]string{b.keys}, postLine: []int{dateLine}, commentLine: [][]int{b.lines}}
}
