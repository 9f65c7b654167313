package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"chorus/internal/fsread"
)

// DefaultMaxFileSize is the largest input read unless Options says otherwise.
// The largest real dump is about 32 KB and a whole Blogger export of the blog
// a few tens of MB; anything larger is far more likely a wrong path (a disk
// image, a database) than an archive, and reading it would cost the batch.
const DefaultMaxFileSize = 64 << 20

// DefaultMaxCommentBytes bounds one comment's text. Longer comments are
// quarantined (flagged and left out), not truncated: a cut comment would be
// scored on text its writer did not end there.
const DefaultMaxCommentBytes = 64 << 10

// Options controls reading.
type Options struct {
	// Format forces a reader; "" sniffs each file's content.
	Format Format
	// Encoding says how to read bytes that are not valid UTF-8 in a file
	// that declares nothing (no byte order mark): "" or "auto" reads valid
	// UTF-8 as it is, a UTF-8 file with a few stray bytes as UTF-8 with
	// only the strays decoded as Windows-1252, and anything else whole as
	// Windows-1252 (cp1252, the superset of Latin-1 that Windows tools
	// write), with a warning either way (the rule: decodeAuto);
	// "latin1" and "cp1252" decode every file so; "utf-8" reads every file
	// as UTF-8 and repairs invalid bytes with U+FFFD, with a warning.
	Encoding string
	// LegacyIDs keeps the ids the readers give as they read (see ids.go):
	// the ids chorus gave before version 2 of its id scheme, which
	// re-keying an older store compares against.
	LegacyIDs bool
	// MaxFileSize in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxCommentBytes bounds one comment's text; 0 means DefaultMaxCommentBytes.
	MaxCommentBytes int
	// Dates gives post dates by file base name, from a dates.tsv beside the
	// inputs (see ReadDates). They fill only posts the file itself leaves undated.
	Dates map[string]string
}

// ReadOptions names the options that change what a file's bytes give, for
// Document.ReadOptions: the encoding, a forced format, the comment limit
// and the dates.tsv entries (Dates), each only when it is not the default,
// so "" for the defaults. The pipeline parses a file again when they
// differ from those it was stored under, although its bytes are the same:
// a date corrected in dates.tsv, or a raised max_comment_bytes, must reach
// the reports.
func (o Options) ReadOptions() string {
	var parts []string
	if o.Encoding != "" && o.Encoding != "auto" {
		parts = append(parts, "encoding="+o.Encoding)
	}
	if o.Format != "" {
		parts = append(parts, "format="+string(o.Format))
	}
	if o.MaxCommentBytes > 0 && o.MaxCommentBytes != DefaultMaxCommentBytes {
		parts = append(parts, "max_comment_bytes="+strconv.Itoa(o.MaxCommentBytes))
	}
	for _, k := range slices.Sorted(maps.Keys(o.Dates)) {
		parts = append(parts, "date:"+k+"="+o.Dates[k])
	}
	return strings.Join(parts, ";")
}

func (o Options) maxFile() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

func (o Options) maxComment() int {
	if o.MaxCommentBytes > 0 {
		return o.MaxCommentBytes
	}
	return DefaultMaxCommentBytes
}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	if s == "" || s == "auto" {
		return "", nil
	}
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want auto, %s)", s, joinFormats())
}

func joinFormats() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ReadBytes reads at most limit bytes of path (0: DefaultMaxFileSize); a
// larger file is a Reject, found without reading it all. Only a regular file
// is read (see fsread.Open).
func ReadBytes(path string, limit int64) ([]byte, *Reject) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	data, err := fsread.Read(path, limit, "file")
	if err != nil {
		return nil, &Reject{Path: path, Reason: err.Error(),
			Unreadable: !errors.Is(err, fsread.ErrRefused), Gone: errors.Is(err, fs.ErrNotExist)}
	}
	return data, nil
}

// Parse turns the raw bytes of the file named name into a Document, or
// quarantines it. It never panics on any input (fuzzed).
func Parse(name string, data []byte, opts Options) (*Document, *Reject) {
	sum := sha256.Sum256(data)
	return ParseDigest(name, data, hex.EncodeToString(sum[:]), opts)
}

// ParseDigest is Parse for a caller that has hashed data already (the
// pipeline hashes every file to tell whether it changed before parsing
// it): digest must be the hex SHA-256 of data, which the Document and any
// Reject carry. Hashing a file once instead of twice spares a pass over
// every byte of the archive.
func ParseDigest(name string, data []byte, digest string, opts Options) (*Document, *Reject) {
	rawSize := int64(len(data))
	reject := func(format string, args ...any) (*Document, *Reject) {
		return nil, &Reject{Path: name, SHA256: digest, Reason: fmt.Sprintf(format, args...)}
	}
	if int64(len(data)) > opts.maxFile() {
		return reject("file is %d bytes, over the limit of %d", len(data), opts.maxFile())
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return reject("empty file (%d bytes, no text)", len(data))
	}
	var decoded string
	if d, enc, ok := decodeUTF16(data); ok {
		// A UTF-16 file (Windows tools write them) is text full of NUL
		// bytes: decode it before the binary test, or it is taken for binary.
		data, decoded = d, enc
	}
	if off, ok := binaryOffset(data); ok {
		return reject("binary content: control byte 0x%02x at byte offset %d", data[off], off)
	}
	doc := &Document{Path: name, SHA256: digest, Size: rawSize, ReadOptions: opts.ReadOptions()}
	if decoded != "" {
		doc.Warnings = append(doc.Warnings, warnf(WarnEncoding, "the file is %s with a byte order mark; decoded", decoded))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if decoded == "" {
		var w *Warning
		data, w = decodeBytes(data, opts.Encoding)
		if w != nil {
			doc.Warnings = append(doc.Warnings, *w)
		}
	}
	// The sniffer and the text readers read the same string: make it once.
	var (
		text     string
		haveText bool
	)
	textOf := func() string {
		if !haveText {
			text, haveText = normaliseNewlines(data), true
		}
		return text
	}
	format := opts.Format
	if format == "" {
		var why string
		format, why = sniff(data, textOf)
		if format == "" {
			return reject("no recognisable structure: %s", why)
		}
	}
	doc.Format = format
	var (
		posts   []Post
		notes   readNotes // lines of posts and comments; keys from the text readers
		flags   []Warning
		skipped map[string]int
		err     error
	)
	switch format {
	case FormatAtom:
		posts, notes, flags, err = parseAtom(name, data)
	case FormatWXR:
		posts, notes, flags, skipped, err = parseWXR(name, data, opts.xmlLimits())
	case FormatDisqus:
		posts, notes, flags, skipped, err = parseDisqus(name, data, opts.xmlLimits())
	case FormatBloggerHTML:
		posts, notes, flags, err = parseBloggerHTML(name, data)
	case FormatJSONL:
		posts, notes, flags, err = parseJSONL(name, data)
	case FormatBlogger:
		posts, notes, flags, err = parseBlogger(name, textOf())
	case FormatFlattened:
		posts, notes, flags, err = parseFlattened(name, textOf())
	default:
		return reject("unknown format %q", format)
	}
	if err != nil {
		return reject("%s: %v", format, err)
	}
	if len(posts) == 0 {
		return reject("%s: no posts found", format)
	}
	doc.Warnings = append(doc.Warnings, flags...)
	doc.Skipped = skipped
	for _, kind := range slices.Sorted(maps.Keys(skipped)) {
		w := warnf(WarnLeftOut, "%d %s; left out", skipped[kind], strings.ReplaceAll(kind, "_", " "))
		w.Count = skipped[kind]
		doc.Warnings = append(doc.Warnings, w)
	}
	if !opts.LegacyIDs {
		assignIDs(name, posts)
	}
	base := filepath.Base(name)
	for i := range posts {
		p := &posts[i]
		if p.DateSource == "" {
			p.DateSource = DateNone
		}
		if p.Date != "" && !ValidDate(p.Date) {
			// A reader takes any calendar date its layout writes; one
			// outside the accepted range is a typo or a placeholder.
			doc.Warnings = append(doc.Warnings, warnAt(WarnDate, notes.post(i), "post %d: date %s is outside %s..%s; the post is undated", i+1, p.Date, MinDate, MaxDate))
			p.Date, p.DateSource = "", DateNone
		}
		if p.Date == "" {
			if d, ok := opts.Dates[base]; ok {
				p.Date, p.DateSource = d, DateFromTable
			} else {
				p.DateSource = DateNone
			}
		}
		doc.Warnings = append(doc.Warnings, limitComments(p, notes.comments(i), opts.maxComment())...)
		// limitComments takes oversize comments out of duplicate marking,
		// so the keys of the rest still hold.
		var k []string
		if notes.keys != nil {
			k = notes.keys[i]
		}
		markDuplicates(p, k)
	}
	doc.Posts = posts
	return doc, nil
}

// sniff is Sniff given a way to get data as text with normalised line ends.
func sniff(data []byte, textOf func() string) (Format, string) {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	isXML := bytes.HasPrefix(head, []byte("<?xml"))
	if len(head) > 0 && head[0] == '<' {
		switch root := xmlRoot(head); {
		case root == "rss" && bytes.Contains(data, []byte("wordpress.org/export/")):
			return FormatWXR, ""
		case root == "rss":
			return "", "an RSS feed with no WordPress export namespace (http://wordpress.org/export/): not a WXR file"
		case root == "disqus":
			return FormatDisqus, ""
		case root == "html" && looksBloggerPage(data):
			return FormatBloggerHTML, ""
		case root == "html" && isXML:
			return "", "an XHTML page with no Blogger post markup (class \"post-body\")"
		case isXML || root == "feed":
			// Any other XML goes to the Atom reader, which says what is wrong.
			return FormatAtom, ""
		}
	}
	switch {
	case len(head) > 0 && head[0] == '{':
		return FormatJSONL, ""
	}
	s := textOf()
	if LooksBlogger(s) {
		return FormatBlogger, ""
	}
	if LooksFlattened(s) {
		return FormatFlattened, ""
	}
	// The reason names the rule, never the content: a file that is not an
	// archive may be anything (a symlink to /etc/passwd, someone's notes).
	return "", "line 1 starts no Atom feed or JSON Lines record, and no Blogger date line, \"N comments:\" line or Reply/Delete markers were found"
}

// Encodings names the values of Options.Encoding.
func Encodings() []string { return []string{"auto", "utf-8", "latin1", "cp1252"} }

// decodeBytes reads data as enc says (see Options.Encoding), returning
// UTF-8 and the warning to record, if any.
func decodeBytes(data []byte, enc string) ([]byte, *Warning) {
	var cm *charmap.Charmap
	switch enc {
	case "latin1":
		cm = charmap.ISO8859_1
	case "cp1252":
		cm = charmap.Windows1252
	case "", "auto":
		if utf8.Valid(data) {
			return data, nil
		}
		return decodeAuto(data)
	}
	if cm != nil {
		if out, err := cm.NewDecoder().Bytes(data); err == nil {
			return out, nil // as the user said: no warning
		}
	}
	if utf8.Valid(data) {
		return data, nil
	}
	fixed, n, first := repairUTF8(data)
	w := warnf(WarnEncoding, "invalid UTF-8: %d sequence(s), the first at byte offset %d; repaired with U+FFFD", n, first)
	w.Offset, w.Count = int64(first), n
	return fixed, &w
}

// decodeAuto reads data that is not valid UTF-8 and declares nothing
// (Options.Encoding "auto"). Such a file is one of two things: a UTF-8
// file with a few stray bytes (a Windows-1252 apostrophe, 0x92, pasted
// into UTF-8 text), or a Windows-1252 file, whose accented letters and
// smart quotes are single high bytes. The rule that tells them apart
// counts the valid multi-byte UTF-8 sequences and the bytes that start no
// UTF-8 sequence:
//
//   - at least as many valid sequences as invalid bytes: UTF-8 with
//     strays. The valid sequences are kept as they are and only the
//     invalid bytes are decoded as Windows-1252, one by one, so one stray
//     0x92 does not turn every correct "don’t" of the file into "donâ€™t".
//   - fewer: a Windows-1252 file, decoded whole as before. In cp1252 text
//     a high byte is almost always followed by ASCII, so valid sequences
//     are rare accidents ("É’" is the bytes C9 92, which UTF-8 reads as
//     "ɒ"); deciding by the count keeps such a file's accidents in
//     Windows-1252 with the rest of it, where "any valid sequence means
//     UTF-8" would not. A file with no valid multi-byte sequence at all
//     decodes the same either way.
//
// The warning says which reading was taken and how many bytes were
// decoded as Windows-1252 (Count); Offset is the first invalid byte.
func decodeAuto(data []byte) ([]byte, *Warning) {
	multi, invalid, first := 0, 0, -1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			invalid++
			if first < 0 {
				first = i
			}
		case size > 1:
			multi++
		}
		i += size
	}
	cp := charmap.Windows1252
	var (
		out []byte
		w   Warning
	)
	if multi >= invalid {
		out = make([]byte, 0, len(data)+2*invalid)
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				out = utf8.AppendRune(out, cp.DecodeByte(data[i]))
				i++
				continue
			}
			out = append(out, data[i:i+size]...)
			i += size
		}
		w = warnf(WarnEncoding, "not valid UTF-8: %d byte(s) start no UTF-8 sequence, the first at byte offset %d, among %d valid multi-byte sequence(s) (--encoding utf-8 repairs them with U+FFFD instead); read as UTF-8, and the %d invalid byte(s) decoded as Windows-1252 (cp1252)", invalid, first, multi, invalid)
		w.Count = invalid
	} else {
		high := 0
		for _, b := range data {
			if b >= utf8.RuneSelf {
				high++
			}
		}
		// Windows-1252 maps every byte, so this decoder never fails.
		out, _ = cp.NewDecoder().Bytes(data)
		w = warnf(WarnEncoding, "not valid UTF-8: %d byte(s) start no UTF-8 sequence, the first at byte offset %d, and only %d valid multi-byte sequence(s) (--encoding utf-8 repairs them with U+FFFD instead); decoded as Windows-1252 (cp1252) throughout: %d non-ASCII byte(s)", invalid, first, multi, high)
		w.Count = high
	}
	w.Offset = int64(first)
	return out, &w
}

// decodeUTF16 decodes data that starts with a UTF-16 byte order mark into
// UTF-8, naming the encoding; false when there is no such mark. Unpaired
// surrogates become U+FFFD, and so does an odd last byte.
func decodeUTF16(data []byte) ([]byte, string, bool) {
	if len(data) < 2 {
		return nil, "", false
	}
	var order binary.ByteOrder
	enc := ""
	switch {
	case data[0] == 0xFF && data[1] == 0xFE:
		order, enc = binary.LittleEndian, "UTF-16LE"
	case data[0] == 0xFE && data[1] == 0xFF:
		order, enc = binary.BigEndian, "UTF-16BE"
	default:
		return nil, "", false
	}
	body := data[2:]
	units := make([]uint16, len(body)/2)
	for i := range units {
		units[i] = order.Uint16(body[2*i:])
	}
	out := make([]byte, 0, len(body)+len(body)/2)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(body)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out, enc, true
}

// xmlRoot returns the lower-cased local name of the root element of an XML
// or HTML document, passing over the XML declaration, processing
// instructions, comments and a doctype ("html" for an HTML doctype), or ""
// when the first 64 KiB hold none.
func xmlRoot(data []byte) string {
	d := data[:min(len(data), 64<<10)]
	for {
		d = bytes.TrimLeft(d, " \t\r\n\f\xef\xbb\xbf")
		switch {
		case len(d) == 0 || d[0] != '<':
			return ""
		case bytes.HasPrefix(d, []byte("<?")):
			i := bytes.Index(d, []byte("?>"))
			if i < 0 {
				return ""
			}
			d = d[i+2:]
		case bytes.HasPrefix(d, []byte("<!--")):
			i := bytes.Index(d[4:], []byte("-->"))
			if i < 0 {
				return ""
			}
			d = d[4+i+3:]
		case bytes.HasPrefix(d, []byte("<!")):
			if len(d) >= 14 && bytes.EqualFold(d[2:14], []byte("DOCTYPE html")) {
				return "html"
			}
			i := bytes.IndexByte(d, '>')
			if j := bytes.IndexByte(d, '['); j >= 0 && (i < 0 || j < i) {
				// An internal subset: up to "]>".
				k := bytes.Index(d[j:], []byte("]"))
				if k < 0 {
					return ""
				}
				i = bytes.IndexByte(d[j+k:], '>')
				if i >= 0 {
					i += j + k
				}
			}
			if i < 0 {
				return ""
			}
			d = d[i+1:]
		default:
			end := 1
			for end < len(d) && !strings.ContainsRune(" \t\r\n/>", rune(d[end])) {
				end++
			}
			name := d[1:end]
			if k := bytes.LastIndexByte(name, ':'); k >= 0 {
				name = name[k+1:]
			}
			return strings.ToLower(string(name))
		}
	}
}

// binaryOffset finds the first byte that text never holds: NUL, or any C0
// control but tab, newline, carriage return and form feed.
//
// It reads eight bytes at a time and looks closer only at words holding a
// byte below 0x20, mostly those with a line end: every file is scanned
// whole, so this is a measurable part of reading one.
func binaryOffset(data []byte) (int, bool) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		// Nonzero exactly when some byte of x is below 0x20.
		if (x-0x20*ones)&^x&highs == 0 {
			continue
		}
		if off, ok := controlByte(data[i : i+8]); ok {
			return i + off, true
		}
	}
	if off, ok := controlByte(data[i:]); ok {
		return i + off, true
	}
	return 0, false
}

// controlByte is binaryOffset byte by byte.
func controlByte(data []byte) (int, bool) {
	for i, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' {
			return i, true
		}
	}
	return 0, false
}

// repairUTF8 replaces each maximal run of invalid bytes with U+FFFD and
// reports how many runs there were and where the first began.
func repairUTF8(data []byte) ([]byte, int, int) {
	var out bytes.Buffer
	out.Grow(len(data) + 16)
	n, first := 0, -1
	inBad := false
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if !inBad {
				out.WriteRune(utf8.RuneError)
				n++
				if first < 0 {
					first = i
				}
				inBad = true
			}
			i++
			continue
		}
		inBad = false
		out.Write(data[i : i+size])
		i += size
	}
	return out.Bytes(), n, first
}

func normaliseNewlines(data []byte) string {
	s := string(data)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// limitComments quarantines comments whose text is over the per-comment
// limit: they are marked deleted-like (not analysed) and flagged, by the
// line the comment starts on where lines (by position) has it.
func limitComments(p *Post, lines []int, max int) []Warning {
	var flags []Warning
	for i := range p.Comments {
		c := &p.Comments[i]
		if len(c.Text) > max {
			flags = append(flags, warnAt(WarnLimit, lineAt(lines, c.Position), "post %q comment %d: text is %d bytes, over the limit of %d; left out",
				p.Title, c.Position+1, len(c.Text), max))
			c.Status = StatusOversize
			c.Text = ""
		}
	}
	return flags
}
