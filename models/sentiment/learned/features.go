package learned

import (
	"math"
	"strings"

	"chorus/models/sentiment/domain"
	chorustext "chorus/models/text"
)

// FeatureVersion names the feature extraction below. It is stored in every
// weights file, and a file written for another version is refused: weights
// only mean something over the features they were fitted to. learned-2:
// typographic apostrophes read as ' (the lexicon model's evidence and the
// bag of words), so "don’t" negates as "don't" does. learned-3: the other
// typographic punctuation (quotes, guillemets, dashes, the ellipsis) read
// as its ASCII too, in the lexicon model (domain-3) and the words, so
// “great” is the word great and "2014–15" two words.
const FeatureVersion = "learned-3"

// Hashing of words and bigrams: FNV-1a (32 bit) of a prefix byte ('u' for a
// word, 'b' for a bigram), a zero byte and the lower-cased text, modulo
// Buckets. No word is stored anywhere: a weights file holds numbers per
// bucket only, and many words share a bucket.
const (
	HashFunction = "fnv1a-32"
	Buckets      = 1024
)

// denseNames are the dense features in vector order. They summarise the
// evidence the lexicon model (models/sentiment/domain) computes anyway:
// docs/sentiment.md describes each.
var denseNames = []string{
	"lexicon_compound",
	"vader_min", "vader_max", "vader_mean", "vader_first", "vader_last", "vader_share_neg", "vader_share_pos",
	"domain_min", "domain_max", "domain_mean", "domain_first", "domain_last", "domain_share_neg", "domain_share_pos",
	"negation_share", "negated_scored_share",
	"contrast_share", "question_share", "complaint_share",
	"quoted", "sarcasm",
	"scored_share", "informational",
	"log_words", "log_sentences",
}

// DenseNames returns the names of the dense features, in vector order.
func DenseNames() []string { return append([]string(nil), denseNames...) }

// nDense is the number of dense features.
var nDense = len(denseNames)

// sentenceCut is the compound beyond which a sentence counts as negative or
// positive in the share features: VADER's own ±0.05.
const sentenceCut = 0.05

// dense fills x (len nDense) from the lexicon model's reading of a comment.
// cues gives the number of words with a digit and of web addresses; it is
// called only for the short comments where they matter.
func dense(x []float64, r domain.Result, d *domain.Detail, cues func() (digits, links int)) {
	for i := range x {
		x[i] = 0
	}
	x[0] = r.Compound
	n := len(d.Sentences)
	if n == 0 {
		x[24] = math.Log1p(float64(d.Words))
		x[22] = 0
		x[23] = 1 // an empty comment tells nothing: informational
		return
	}
	summarise := func(at int, get func(domain.Sentence) float64) {
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		neg, pos := 0, 0
		for _, s := range d.Sentences {
			v := get(s)
			lo, hi, sum = math.Min(lo, v), math.Max(hi, v), sum+v
			if v <= -sentenceCut {
				neg++
			} else if v >= sentenceCut {
				pos++
			}
		}
		x[at], x[at+1], x[at+2] = lo, hi, sum/float64(n)
		x[at+3], x[at+4] = get(d.Sentences[0]), get(d.Sentences[n-1])
		x[at+5], x[at+6] = float64(neg)/float64(n), float64(pos)/float64(n)
	}
	summarise(1, func(s domain.Sentence) float64 { return s.VADER })
	summarise(8, func(s domain.Sentence) float64 { return s.Domain })
	var negS, contrast, question, complaint, negated, scored int
	quoted, sarcasm := false, false
	for _, s := range d.Sentences {
		negS += b2i(s.Negation)
		contrast += b2i(s.Contrast)
		question += b2i(s.Question)
		complaint += b2i(s.Complaint)
		negated += s.Negated
		scored += s.Scored
		quoted = quoted || s.Quoted
		sarcasm = sarcasm || s.Sarcasm
	}
	fn := float64(n)
	x[15] = float64(negS) / fn
	if scored > 0 {
		x[16] = float64(negated) / float64(scored)
	}
	x[17], x[18], x[19] = float64(contrast)/fn, float64(question)/fn, float64(complaint)/fn
	x[20], x[21] = float64(b2i(quoted)), float64(b2i(sarcasm))
	if d.Words > 0 {
		x[22] = float64(scored) / float64(d.Words)
	}
	// A reply that mainly gives information: no scored word, or a link,
	// date or number in a short comment with at most one scored word.
	if scored == 0 {
		x[23] = 1
	} else if scored <= 1 && d.Words <= 25 {
		if digits, links := cues(); digits+links > 0 {
			x[23] = 1
		}
	}
	x[24] = math.Log1p(float64(d.Words))
	x[25] = math.Log1p(fn)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FNV-1a constants (32 bit).
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

// hashed appends the hashed word and bigram buckets of text to dst, one
// entry per occurrence, and counts the words holding a digit (dates,
// times, counts) and the web addresses. A word is a run of letters, digits
// and apostrophes (ASCII letters lower-cased; any non-ASCII byte counts as
// a letter; typographic punctuation is read as its ASCII, see wordAt), so
// "Can't", "can't,", "can’t" and “can't” are one word.
//
// A word's bucket is FNV-1a of 'u', a zero byte and the lower-cased word;
// a bigram's is FNV-1a of 'b', a zero byte and the two words' 32-bit FNV-1a
// values (little-endian), which costs nine steps whatever the words' length.
func hashed(dst []int32, text string) (out []int32, digits, links int) {
	var prev uint32
	havePrev := false
	i := 0
	for i < len(text) {
		if _, n, in := wordAt(text, i); !in {
			i += n
			continue
		}
		h := uint32(fnvUnigram)
		digit := false
		for i < len(text) {
			c, n, in := wordAt(text, i)
			if !in {
				break
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			} else if c >= '0' && c <= '9' {
				digit = true
			}
			h = fnvByte(h, c)
			i += n
		}
		if digit {
			digits++
		}
		dst = append(dst, int32(h%Buckets))
		if havePrev {
			g := uint32(fnvBigram)
			for k := 0; k < 32; k += 8 {
				g = fnvByte(g, byte(prev>>k))
			}
			for k := 0; k < 32; k += 8 {
				g = fnvByte(g, byte(h>>k))
			}
			dst = append(dst, int32(g%Buckets))
		}
		prev, havePrev = h, true
	}
	links = strings.Count(text, "://")
	if links == 0 {
		links = strings.Count(text, "www.")
	}
	return dst, digits, links
}

// cueCounts is hashed's counts without the hashing: words holding a digit,
// and web addresses.
func cueCounts(text string) (digits, links int) {
	inWord, digit := false, false
	for i := 0; i < len(text); {
		c, n, in := wordAt(text, i)
		if !in {
			inWord = false
			i += n
			continue
		}
		if !inWord {
			inWord, digit = true, false
		}
		if !digit && c >= '0' && c <= '9' {
			digit = true
			digits++
		}
		i += n
	}
	links = strings.Count(text, "://")
	if links == 0 {
		links = strings.Count(text, "www.")
	}
	return digits, links
}

// FNV-1a states after the prefix bytes of a word ('u', 0) and a bigram
// ('b', 0).
var (
	fnvUnigram = fnvByte(fnvByte(fnvOffset, 'u'), 0)
	fnvBigram  = fnvByte(fnvByte(fnvOffset, 'b'), 0)
)

// wordAt reads the text at text[i]: the byte c there, or the ASCII a
// typographic mark is read as (chorustext.PunctuationAt: ' for a
// typographic apostrophe or single quote, so "don’t" and "don&rsquo;t"
// hash and count as "don't" does; a quote, dash or ellipsis is no word
// byte, so “great” is the word great and "2014–15" two words); n, at least
// 1, is how many bytes it takes, and in whether it is part of a word.
func wordAt(text string, i int) (c byte, n int, in bool) {
	c = text[i]
	if c == 0xE2 || c == 0xC2 || c == '&' {
		// Every ASCII PunctuationAt gives is one byte kind: a word byte
		// (') or none.
		if n, r := chorustext.PunctuationAt(text, i); n > 0 {
			return r[0], n, wordByte(r[0])
		}
	}
	return c, 1, wordByte(c)
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c >= 0x80
}
