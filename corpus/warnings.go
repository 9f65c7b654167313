package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// Warning is a problem met while reading a file that left the rest of it
// readable, and what chorus did about it: a line of JSON Lines left out, an
// encoding repaired, a date ignored, a reply whose parent is missing kept
// at top level. Warnings reach warnings.csv, the manifest and the report
// page on every run, not only the run that read the file (the store keeps
// them with the document).
type Warning struct {
	// Line is the first line the warning is about; 0 when it is about the
	// whole file, or a byte offset (Offset) says where.
	Line int
	// Offset is the byte offset the warning is about, for problems a line
	// cannot name (a repaired byte); -1 when none.
	Offset int64
	// Kind is a short code: encoding, date, dropped_line, limit,
	// reference, structure, left_out, version (docs/outputs.md).
	Kind string
	// Count is how many times the problem occurred (left-out items are
	// counted, not listed); 1 for most.
	Count int
	// Text says what was wrong and, after "; ", what chorus did, with its
	// location first ("line 12: post_date is not YYYY-MM-DD; ignored"). It
	// may quote the input: redact it before writing it anywhere.
	Text string
}

// String is the warning's text.
func (w Warning) String() string { return w.Text }

// Warning kinds.
const (
	WarnEncoding    = "encoding"     // bytes repaired or decoded
	WarnDate        = "date"         // a date missing, unparseable, out of range or contradicted
	WarnDroppedLine = "dropped_line" // a line of JSON Lines left out
	WarnLimit       = "limit"        // a comment over the size limit left out
	WarnReference   = "reference"    // an id repeated, a parent or post not found
	WarnStructure   = "structure"    // markers, numbering or text out of place in a page layout
	WarnLeftOut     = "left_out"     // items left out by their status (drafts, spam, pingbacks ...)
	WarnVersion     = "version"      // a format version chorus does not know, read as the nearest
)

// warnf makes a warning of kind whose text is format and args; the line is
// read from the text's start ("line 12: ...", "lines 3-7: ...").
func warnf(kind, format string, args ...any) Warning {
	text := fmt.Sprintf(format, args...)
	return Warning{Line: leadingLine(text), Offset: -1, Kind: kind, Count: 1, Text: text}
}

// leadingLine reads N from a text that starts "line N" or "lines N-M"; 0
// otherwise.
func leadingLine(s string) int {
	for _, p := range []string{"lines ", "line "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			n, _ := strconv.Atoi(rest[:end])
			return n
		}
	}
	return 0
}

// Problem and Action split the text at its last "; " into what was wrong
// and what chorus did ("" when the text says no more than the problem).
func (w Warning) Problem() string {
	if i := strings.LastIndex(w.Text, "; "); i >= 0 {
		return w.Text[:i]
	}
	return w.Text
}

// Action is what chorus did (see Problem).
func (w Warning) Action() string {
	if i := strings.LastIndex(w.Text, "; "); i >= 0 {
		return w.Text[i+2:]
	}
	return ""
}

// warnAt is warnf for a problem at line: the text is led by "line N: " (and
// Line set) when line is known, that is above 0, and is the bare text
// otherwise.
func warnAt(kind string, line int, format string, args ...any) Warning {
	if line <= 0 {
		return warnf(kind, format, args...)
	}
	w := warnf(kind, "line %d: "+format, append([]any{line}, args...)...)
	w.Line = line
	return w
}

// readNotes is what a reader found about its posts and comments beside
// themselves, for the work Parse does after reading: keys[i][j] is
// NormalizeText of comment j of post i (the text readers make it while
// reading, so that duplicate marking need not), postLine[i] the line post
// i's date was read from (or, undated, where the post starts), and
// commentLine[i][j] the line where comment j of post i starts, so that
// the warnings Parse gives (a date out of range, a comment over the size
// limit) name the line as the readers' own do. Any of them may be nil, and
// a line 0 is one not known.
type readNotes struct {
	keys        [][]string
	postLine    []int
	commentLine [][]int
}

// addPost records the line of a new post, which comes after every post
// recorded so far.
func (n *readNotes) addPost(line int) {
	n.postLine = append(n.postLine, line)
	n.commentLine = append(n.commentLine, nil)
}

// addComment records the line of the next comment of post i.
func (n *readNotes) addComment(i, line int) {
	n.commentLine[i] = append(n.commentLine[i], line)
}

// post is the line of post i, 0 when not known.
func (n *readNotes) post(i int) int {
	if i < len(n.postLine) {
		return n.postLine[i]
	}
	return 0
}

// comments are the lines of post i's comments by position, nil when not
// known.
func (n *readNotes) comments(i int) []int {
	if i < len(n.commentLine) {
		return n.commentLine[i]
	}
	return nil
}

// lineAt is lines[i], 0 when there is none.
func lineAt(lines []int, i int) int {
	if i >= 0 && i < len(lines) {
		return lines[i]
	}
	return 0
}
