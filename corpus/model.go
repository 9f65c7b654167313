package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"chorus/internal/analysis"
)

// Section says where a comment was found.
type Section string

const (
	// SectionThread is a comment in the post's comment thread.
	SectionThread Section = "thread"
	// SectionExcerpt is a comment quoted in the post body, as in the blog's
	// "Pick of the Week" posts, between lines of asterisks.
	SectionExcerpt Section = "excerpt"
)

// DateSource says where a post's date came from.
type DateSource string

const (
	DateFromDateLine DateSource = "dateline"  // the weekday-date line of a Blogger page
	DateFromFeed     DateSource = "feed"      // the published element of an Atom feed
	DateFromJSONL    DateSource = "jsonl"     // the post_date field of a JSON Lines record
	DateFromTable    DateSource = "dates.tsv" // a dates.tsv file beside the inputs
	DateFromWXR      DateSource = "wxr"       // wp:post_date_gmt, or else pubDate, of a WordPress export item
	DateFromDisqus   DateSource = "disqus"    // the createdAt of a Disqus export thread
	DateFromPage     DateSource = "page"      // the published time or date header of a saved Blogger page
	DateNone         DateSource = "none"      // no date could be found
)

// Status says whether a comment is analysed (see analysis.Status).
type Status = analysis.Status

const (
	StatusPublished = analysis.StatusPublished
	StatusDeleted   = analysis.StatusDeleted
	StatusSpam      = analysis.StatusSpam
	StatusOversize  = analysis.StatusOversize
)

// Format names an input layout.
type Format string

const (
	FormatBlogger   Format = "blogger"   // Blogger page text: date line, title, body, "N comments:", numbered comments
	FormatFlattened Format = "flattened" // Blogger text flattened: markers glued to text, no date line
	FormatAtom      Format = "atom"      // Blogger Atom export, classic or Takeout
	FormatJSONL     Format = "jsonl"     // one comment per line, fields as in DESIGN.md
	// FormatWXR is a WordPress export (Tools > Export): RSS 2.0 with the
	// wp: namespace, WXR versions 1.0 to 1.2.
	FormatWXR Format = "wxr"
	// FormatDisqus is a Disqus export: <disqus> with <thread> and <post>.
	FormatDisqus Format = "disqus"
	// FormatBloggerHTML is a Blogger post page saved from a browser as
	// "Web page, HTML only".
	FormatBloggerHTML Format = "blogger-html"
)

// Formats lists every format a reader exists for: the XML and HTML ones,
// told apart by their root element, then JSON Lines by its first byte, then
// the two text layouts by their markers.
func Formats() []Format {
	return []Format{FormatAtom, FormatWXR, FormatDisqus, FormatBloggerHTML, FormatJSONL, FormatBlogger, FormatFlattened}
}

// Post is one blog post and the comments found for it.
type Post struct {
	ID         string     // stable: derived from the source file and the post's position in it
	Date       string     // YYYY-MM-DD, or "" when DateSource is DateNone
	DateSource DateSource // where Date came from
	Title      string
	Body       []string // body paragraphs, excerpt comments removed
	SourceFile string   // the input's path as given on the command line (or sample/NAME)
	// SourceID is the archive's own id of the post (JSON Lines post_id,
	// Atom entry id, WXR wp:post_id, Disqus thread dsq:id, the post id of a
	// saved Blogger page), "" where the layout has none. It lets a
	// researcher join chorus's rows back to the archive; ID stays chorus's
	// own. Left out of JSON when empty, so that the parse goldens of the
	// layouts without ids did not move when it was added.
	SourceID string `json:",omitempty"`
	// DeclaredComments is the count the page itself states ("50 comments:"),
	// or -1 when the layout states none.
	DeclaredComments int
	Comments         []Comment
}

// Comment is one reader comment, or one comment quoted in a post body.
type Comment struct {
	ID       string // stable: derived from the post id and Position
	PostID   string
	ParentID string // "" for a top-level comment
	Depth    int    // 0 for top level, 1 for a reply
	// Position is the comment's 0-based order within its post, thread and
	// excerpts counted together in reading order.
	Position int
	Section  Section
	Author   string // author or signature where the text has one
	Text     string
	Status   Status
	// SourceID is the archive's own id of the comment (JSON Lines
	// comment_id, Atom entry id, WXR wp:comment_id, Disqus post dsq:id, a
	// saved Blogger page's comment id), "" where the layout has none.
	SourceID string `json:",omitempty"`
	// Date is the day the comment was written (YYYY-MM-DD, as the archive
	// gives it: UTC for WXR and Disqus), "" where the layout gives none.
	// Aggregates go by the post's date; this is kept for the record.
	Date string `json:",omitempty"`
	// DuplicateOf is the ID of an earlier comment of the same post whose
	// normalised text is the same; such a comment is kept but not counted.
	DuplicateOf string
}

// Counted reports whether the comment takes part in analysis and aggregates
// (analysis.Counted).
func (c *Comment) Counted() bool { return analysis.Counted(c.Status, c.DuplicateOf) }

// Document is what a reader made of one input file.
type Document struct {
	Path   string // as given
	SHA256 string // hex digest of the raw bytes
	Format Format
	// ReadOptions names the options that changed how the bytes were read
	// ("encoding=latin1"); "" for the defaults. A file read under other
	// options must be read again (Options.ReadOptions).
	ReadOptions string
	Size        int64
	Posts       []Post
	// Warnings are the problems met that left the rest of the file
	// readable, each naming the place and what chorus did about it.
	Warnings []Warning
	// Skipped counts what the reader left out on purpose, by kind:
	// "wxr_draft_posts", "wxr_spam_comments", "disqus_deleted" ... (the
	// kinds are listed in docs/inputs.md). Each count is also a warning of
	// kind left_out, so that a researcher can see how much of an export was
	// not read and why.
	Skipped map[string]int `json:",omitempty"`
}

// Reject is an input that was quarantined: nothing from it was used.
type Reject struct {
	Path   string
	SHA256 string // "" when the file could not be read at all
	Reason string // names the line or byte offset where it can
	// Unreadable marks a file that could not be read (gone, no permission,
	// an I/O error) rather than one refused for what it holds or is: a
	// second try may pass, so a file read before keeps what it gave then.
	// Gone says it no longer exists.
	Unreadable bool `json:",omitempty"`
	Gone       bool `json:",omitempty"`
}

// Error makes Reject usable as an error.
func (r *Reject) Error() string { return r.Path + ": " + r.Reason }

// stableID derives an identifier from parts, so that the same input always
// gives the same ids whatever the order files are read in: the first 16 hex
// digits of the SHA-256 of every part written "LEN:PART;".
//
// It builds the hashed bytes and the id in stack buffers rather than through
// fmt and hex.EncodeToString: one id is made for every comment read, and
// the formatting cost more than the hash.
func stableID(prefix string, parts ...string) string {
	var stack [256]byte
	buf := stack[:0]
	for _, p := range parts {
		buf = appendIDPart(buf, p)
	}
	return idFromHash(prefix, buf)
}

// stableIDNum is stableID(prefix, part, strconv.Itoa(n)) without building
// the number's string.
func stableIDNum(prefix, part string, n int) string {
	var stack [256]byte
	buf := appendIDPart(stack[:0], part)
	var num [20]byte
	digits := strconv.AppendInt(num[:0], int64(n), 10)
	buf = strconv.AppendInt(buf, int64(len(digits)), 10)
	buf = append(buf, ':')
	buf = append(buf, digits...)
	buf = append(buf, ';')
	return idFromHash(prefix, buf)
}

// appendIDPart appends one part as stableID hashes it: "LEN:PART;".
func appendIDPart(buf []byte, p string) []byte {
	buf = strconv.AppendInt(buf, int64(len(p)), 10)
	buf = append(buf, ':')
	buf = append(buf, p...)
	return append(buf, ';')
}

// idFromHash returns prefix followed by the first 16 hex digits of the
// SHA-256 of b.
func idFromHash(prefix string, b []byte) string {
	sum := sha256.Sum256(b)
	var stack [64]byte
	id := append(stack[:0], prefix...)
	id = hex.AppendEncode(id, sum[:8])
	return string(id)
}

// PostID is the id of the post at index i of the file named source.
func PostID(source string, i int) string {
	return stableIDNum("p", source, i)
}

// CommentID is the id of the comment at position pos of the post postID.
func CommentID(postID string, pos int) string {
	return stableIDNum("c", postID, pos)
}
