package synth

import (
	"math"
	"strings"

	"chorus/corpus"
)

// Shape summarises the comments of an archive in the terms `chorus gen
// --shape real` reproduces. The same Measurer computes it for the seed dumps
// (to get the targets in seeds.go) and for a generated archive (to show how
// close it came), so the two are always comparable, whatever the rules below
// miss or over-count.
//
// Only counted comments are measured: published and not duplicates, the
// comments a run analyses.
type Shape struct {
	Comments int     // counted comments measured
	Posts    int     // posts, with or without counted comments
	Length   Lengths // bytes of each comment's text (paragraphs joined by "\n")
	// Sentences is the mean number of sentences per comment, counted by
	// countSentences.
	Sentences float64
	// MultiParagraph is the share of comments with two or more paragraphs;
	// Paragraphs is the mean number of paragraphs per comment.
	MultiParagraph float64
	Paragraphs     float64
	// TimeRefs is the share of comments that name another comment by the
	// time it was posted ("10.41 is right", "Anon 12:10 -"), the blog's way
	// of answering a comment (see hasTimeRef).
	TimeRefs float64
	// Quotes is the share holding a passage of three or more words in
	// double quotes (hasQuote).
	Quotes float64
	// URLs is the share holding a link (hasURL).
	URLs float64
	// Replies is the share of thread comments that are replies; Excerpts
	// the share of all comments that are excerpts quoted in a post body
	// (which cannot be replies).
	Replies  float64
	Excerpts float64
	// PerPost is the mean number of counted comments per post.
	PerPost float64
}

// Lengths are the byte lengths of comments: the mean and nearest-rank
// quantiles (the smallest length at least that share of comments do not
// exceed).
type Lengths struct {
	Mean                  float64
	Median, P90, P99, Max int
}

// Measurer accumulates a Shape one comment at a time. The lengths are kept
// as a histogram, so measuring ten million comments costs a few kilobytes.
// The zero value is ready to use; a Measurer is not safe for concurrent use
// (measure on each goroutine and Merge).
type Measurer struct {
	hist []int64 // hist[n]: comments of n bytes
	n    int64
	// The rest are counts of comments (or, for sentences and paragraphs,
	// sums over comments).
	bytes, sentences, paragraphs, multi int64
	timeRefs, quotes, urls              int64
	thread, replies, excerpts, posts    int64
}

// AddPost measures the counted comments of p and counts the post.
func (m *Measurer) AddPost(p *corpus.Post) {
	m.posts++
	for i := range p.Comments {
		c := &p.Comments[i]
		if !c.Counted() {
			continue
		}
		m.add(c.Text, c.ParentID != "", c.Section == corpus.SectionExcerpt)
	}
}

// addGenerated measures a generated post as AddPost measures a read one.
func (m *Measurer) addGenerated(p *gPost) {
	m.posts++
	for i := range p.comments {
		c := &p.comments[i]
		if !c.dup {
			m.add(c.text, c.parent >= 0, false)
		}
	}
}

// add measures one counted comment's text.
func (m *Measurer) add(text string, reply, excerpt bool) {
	n := len(text)
	m.grow(n + 1)
	m.hist[n]++
	m.n++
	m.bytes += int64(n)
	m.sentences += int64(countSentences(text))
	paras := int64(strings.Count(text, "\n") + 1)
	m.paragraphs += paras
	if paras > 1 {
		m.multi++
	}
	if hasTimeRef(text) {
		m.timeRefs++
	}
	if hasQuote(text) {
		m.quotes++
	}
	if hasURL(text) {
		m.urls++
	}
	if excerpt {
		m.excerpts++
	} else {
		m.thread++
		if reply {
			m.replies++
		}
	}
}

// grow makes the histogram hold lengths below n.
func (m *Measurer) grow(n int) {
	if n <= len(m.hist) {
		return
	}
	grown := make([]int64, max(n, 2*len(m.hist), 4096))
	copy(grown, m.hist)
	m.hist = grown
}

// Merge adds o's counts to m.
func (m *Measurer) Merge(o *Measurer) {
	m.grow(len(o.hist))
	for i, k := range o.hist {
		m.hist[i] += k
	}
	m.n += o.n
	m.bytes += o.bytes
	m.sentences += o.sentences
	m.paragraphs += o.paragraphs
	m.multi += o.multi
	m.timeRefs += o.timeRefs
	m.quotes += o.quotes
	m.urls += o.urls
	m.thread += o.thread
	m.replies += o.replies
	m.excerpts += o.excerpts
	m.posts += o.posts
}

// Shape returns what has been measured. With no comments every figure is 0.
func (m *Measurer) Shape() Shape {
	s := Shape{Comments: int(m.n), Posts: int(m.posts)}
	if m.n == 0 {
		return s
	}
	n := float64(m.n)
	s.Length = Lengths{
		Mean:   float64(m.bytes) / n,
		Median: m.quantile(0.5),
		P90:    m.quantile(0.9),
		P99:    m.quantile(0.99),
		Max:    m.quantile(1),
	}
	s.Sentences = float64(m.sentences) / n
	s.Paragraphs = float64(m.paragraphs) / n
	s.MultiParagraph = float64(m.multi) / n
	s.TimeRefs = float64(m.timeRefs) / n
	s.Quotes = float64(m.quotes) / n
	s.URLs = float64(m.urls) / n
	s.Excerpts = float64(m.excerpts) / n
	if m.thread > 0 {
		s.Replies = float64(m.replies) / float64(m.thread)
	}
	if m.posts > 0 {
		s.PerPost = n / float64(m.posts)
	}
	return s
}

// quantile returns the nearest-rank p-quantile of the lengths: the smallest
// length with at least ceil(p·n) comments at or below it.
func (m *Measurer) quantile(p float64) int {
	rank := max(int64(math.Ceil(p*float64(m.n))), 1)
	var seen int64
	for length, k := range m.hist {
		seen += k
		if seen >= rank {
			return length
		}
	}
	return len(m.hist) - 1
}

// countSentences counts the sentences of a comment: in each paragraph, a
// sentence ends at a run of . ! or ? (with any closing quotes or brackets)
// followed by a space or the paragraph's end, and text left after the last
// such end is one more. "10.41" and "to......Saudi" do not end one; "i.e. the"
// does. It is a rule for comparing archives, not a segmenter: chorus's own
// segmenter (models/text) counts what the reports show.
func countSentences(text string) int {
	n := 0
	for para := range strings.SplitSeq(text, "\n") {
		open := false // text since the last end
		for i := 0; i < len(para); i++ {
			c := para[i]
			if c != ' ' {
				open = true
			}
			if !open || (c != '.' && c != '!' && c != '?') {
				continue
			}
			j := i + 1
			for j < len(para) && strings.IndexByte(`.!?"')]`, para[j]) >= 0 {
				j++
			}
			if j == len(para) || para[j] == ' ' {
				n++
				open = false
				i = j
			}
		}
		if open {
			n++
		}
	}
	return n
}

// hasTimeRef reports whether text names a time of day as the blog's
// commenters name the comment they answer: one or two digits for the hour
// (0-23), '.' or ':', two digits for the minute (00-59), not part of a longer
// number or a price ("£18.50") and not a percentage.
func hasTimeRef(text string) bool {
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) {
			continue
		}
		if i > 0 {
			switch p := text[i-1]; {
			case isDigit(p), p == '.', p == ',', p == '$':
				continue
			case strings.HasSuffix(text[:i], "£"):
				continue
			}
		}
		j := i
		for j < len(text) && j-i < 3 && isDigit(text[j]) {
			j++
		}
		if j-i > 2 || j+3 > len(text) || (text[j] != '.' && text[j] != ':') {
			i = j
			continue
		}
		hour := int(text[i] - '0')
		if j-i == 2 {
			hour = 10*hour + int(text[i+1]-'0')
		}
		m1, m2 := text[j+1], text[j+2]
		after := j + 3
		if hour <= 23 && m1 >= '0' && m1 <= '5' && isDigit(m2) &&
			(after == len(text) || (!isDigit(text[after]) && text[after] != '%')) {
			return true
		}
		i = j
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hasQuote reports whether a paragraph of text holds a passage of at least
// three words between double quotes (straight, or curly “ ”). Quotes are
// paired in order within a paragraph; single quotes, used for 'scare
// quotes' as often as for quoting, are not counted.
func hasQuote(text string) bool {
	for para := range strings.SplitSeq(text, "\n") {
		for {
			open, w := nextQuote(para)
			if open < 0 {
				break
			}
			rest := para[open+w:]
			end, w2 := nextQuote(rest)
			if end < 0 {
				break
			}
			if strings.Count(strings.TrimSpace(rest[:end]), " ") >= 2 {
				return true
			}
			para = rest[end+w2:]
		}
	}
	return false
}

// nextQuote finds the first double quote in s: its offset and width, or -1.
func nextQuote(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			return i, 1
		}
		if s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D) {
			return i, 3
		}
	}
	return -1, 0
}

// hasURL reports whether text holds a link: a scheme ("https://"), a word
// starting "www.", or a host and path ("example.org/page"). An e-mail
// address is not a link.
func hasURL(text string) bool {
	if strings.Contains(text, "://") {
		return true
	}
	for _, pat := range [...]string{"www.", ".com/", ".org/", ".net/", ".uk/"} {
		for off := 0; ; {
			k := strings.Index(text[off:], pat)
			if k < 0 {
				break
			}
			k += off
			start, end := k, k
			for start > 0 && !isSpace(text[start-1]) {
				start--
			}
			for end < len(text) && !isSpace(text[end]) {
				end++
			}
			if pat == "www." {
				if start == k {
					return true
				}
			} else if strings.IndexByte(text[start:end], '@') < 0 {
				return true
			}
			off = k + len(pat)
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }
