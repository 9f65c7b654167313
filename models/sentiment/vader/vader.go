package vader

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	chorustext "chorus/models/text"
)

// Scores are VADER's four figures, unrounded. The reference rounds compound
// to 4 decimals and the proportions to 3 when it reports them.
type Scores struct {
	Compound, Pos, Neu, Neg float64
}

// Contribution is one word (or phrase) that moved the score: Term is the
// lexicon key matched (a phrase in its normalised form), Index the word's
// position in the whitespace-split text, Valence its value after every rule
// (negation, boosters, caps, "but").
type Contribution struct {
	Term    string
	Index   int
	Valence float64
}

// Options adjust New beyond the reference behaviour.
type Options struct {
	// ReferencePhrases lets the four multi-word keys of the reference
	// lexicon ("can't stand", "fed up", "screwed up", "( '}{' )") match as
	// phrases. The reference never matches them, so the default (false)
	// keeps parity.
	ReferencePhrases bool
}

// Analyzer scores text. It is immutable after New and safe for concurrent use.
type Analyzer struct {
	table      *wordTable       // every word a rule needs to know about
	phrases    map[string]int32 // normalised multi-word key -> index in phraseList
	phraseList []phrase
	// phrasePairs has a bit set for the table entries of the first two
	// words of every phrase (see pairBit), so matchPhrases skips the map
	// lookups at a word whose next word starts no phrase with it. Nil when
	// some phrase word has no table entry: then every candidate is looked up.
	phrasePairs *[pairBits / 64]uint64
	emoji       map[rune]string // shared, read-only
	pool        sync.Pool       // *scratch
}

// phrase is a multi-word lexicon key, normalised, and its valence.
type phrase struct {
	key string
	val float64
}

// wordInfo is everything the rules need to know about one lowercase word,
// so each token costs a single table lookup.
type wordInfo struct {
	val       float64 // lexicon valence (if fLex)
	flags     uint8
	tag       uint8 // rule word identity, see tagWords
	phraseMax uint8 // longest phrase (in words) starting with this word
}

const (
	fLex        uint8 = 1 << iota // in the lexicon
	fBoost                        // in the booster dictionary
	fDampen                       // ... as a dampener (-0.293, else +0.293)
	fNeg                          // negates the next words
	fUpper                        // token is ALL CAPS (per token only)
	fCovered                      // token is a non-first word of a matched phrase (per token only)
	fPhraseWord                   // a non-first word of some phrase (see matchPhrases)
)

// New builds an Analyzer over lex. The lexicon is read once here; later
// changes to lex do not affect the Analyzer. Keys with spaces are phrases
// (see the package doc), except the reference lexicon's own four spaced keys,
// which stay unmatched as in the reference.
//
// New panics only if the emoji lexicon compiled into the govader data
// package cannot be parsed, which would be a build defect, not a runtime
// condition.
func New(lex Lexicon) *Analyzer {
	return NewWithOptions(lex, Options{})
}

// NewWithOptions is New with the behaviour switches of Options.
func NewWithOptions(lex Lexicon, opt Options) *Analyzer {
	b, err := builtin()
	if err != nil {
		panic(fmt.Sprintf("vader: built-in data: %v", err))
	}
	a := &Analyzer{emoji: b.emoji}
	a.pool.New = func() any { return new(scratch) }
	words := make(map[string]wordInfo, len(lex)+len(boosters)+len(negateWords)+len(tagWords))

	var phraseKeys []string
	for k, v := range lex {
		if strings.ContainsFunc(k, chorustext.IsPySpace) {
			if opt.ReferencePhrases || !referencePhrases[k] {
				phraseKeys = append(phraseKeys, k)
			}
			if !referencePhrases[k] {
				continue
			}
			// A reference key with spaces stays a plain (unmatchable) word
			// entry, exactly as in the reference dictionary.
		}
		w := words[k]
		w.val, w.flags = v, w.flags|fLex
		words[k] = w
	}
	for k, v := range boosters {
		w := words[k]
		w.flags |= fBoost
		if v < 0 {
			w.flags |= fDampen
		}
		words[k] = w
	}
	for _, k := range negateWords {
		w := words[k]
		w.flags |= fNeg
		words[k] = w
	}
	for k, t := range tagWords {
		w := words[k]
		w.tag = t
		words[k] = w
	}
	phrases := make(map[string]float64)
	addPhrases(phrases, words, phraseKeys, lex)
	a.phrases = make(map[string]int32, len(phrases))
	for _, k := range slices.Sorted(maps.Keys(phrases)) {
		a.phrases[k] = int32(len(a.phraseList))
		a.phraseList = append(a.phraseList, phrase{key: k, val: phrases[k]})
		for _, w := range strings.Split(k, " ")[1:] {
			info := words[w]
			info.flags |= fPhraseWord
			words[w] = info
		}
	}
	a.table = newWordTable(words)
	a.phrasePairs = buildPhrasePairs(a.table, a.phraseList)
	return a
}

// pairBits is the size of the phrase-pair filter: 8 KiB, small enough to
// stay in cache, and sparse for lexicons of a few thousand phrases.
const pairBits = 1 << 16

// pairBit is the filter bit of a word pair, by table entry numbers.
func pairBit(first, second int32) uint32 {
	h := (uint64(uint32(first))<<32 | uint64(uint32(second))) * hashMul
	return uint32(h >> (64 - 16))
}

// buildPhrasePairs sets the filter bit of every phrase's first two words.
// A phrase can match only where the tokens' lowercase forms equal its
// words, and equal forms have the same table entry, so no phrase is
// missed. If a phrase word has no entry (it always has one: NewWithOptions
// adds every phrase word to the table), it returns nil: no filtering.
func buildPhrasePairs(t *wordTable, list []phrase) *[pairBits / 64]uint64 {
	var bits [pairBits / 64]uint64
	for _, p := range list {
		w := strings.SplitN(p.key, " ", 3)
		if len(w) < 2 {
			return nil
		}
		a, b := []byte(w[0]), []byte(w[1])
		i := t.lookup(a, hashKey(a), firstWord(a))
		j := t.lookup(b, hashKey(b), firstWord(b))
		if i == 0 || j == 0 {
			return nil
		}
		k := pairBit(i, j)
		bits[k/64] |= 1 << (k % 64)
	}
	return &bits
}

// addPhrases normalises multi-word keys the way text is tokenised (split on
// whitespace, VADER's punctuation strip, lowercase) so that "Hear, hear"
// in a lexicon matches "hear hear!" in text. When two keys normalise alike,
// a key already in normal form wins, else the first in sorted order.
func addPhrases(phrases map[string]float64, words map[string]wordInfo, keys []string, lex Lexicon) {
	slices.Sort(keys)
	exact := make(map[string]bool)
	for _, k := range keys {
		norm, n := normalisePhrase(k)
		if n < 2 {
			// Stray spaces around one word: keep it as that word unless
			// the lexicon has the word itself.
			if w := words[norm]; n == 1 && w.flags&fLex == 0 {
				w.val, w.flags = lex[k], w.flags|fLex
				words[norm] = w
			}
			continue
		}
		if _, seen := phrases[norm]; seen && (exact[norm] || norm != k) {
			continue
		}
		phrases[norm] = lex[k]
		exact[norm] = norm == k
		first, _, _ := strings.Cut(norm, " ")
		w := words[first]
		if n > 255 {
			n = 255
		}
		if uint8(n) > w.phraseMax {
			w.phraseMax = uint8(n)
		}
		words[first] = w
	}
}

// normalisePhrase returns key as the tokeniser would see it and its word
// count: its fields as the scanner finds them, stripped and lower-cased.
func normalisePhrase(key string) (string, int) {
	var b []byte
	var sc chorustext.Scan
	sc.Reset(key)
	for n, f := range sc.Fields {
		tok := key[f.S:f.E]
		s, e := stripPunctSpan(tok)
		if n > 0 {
			b = append(b, ' ')
		}
		b = appendLowerPy(b, tok[s:e])
	}
	return string(b), len(sc.Fields)
}

// Valence returns the lexicon valence of a single lowercase word or a
// normalised phrase, and whether the Analyzer knows it.
func (a *Analyzer) Valence(term string) (float64, bool) {
	if i := a.table.lookup([]byte(term), hashKey([]byte(term)), firstWord([]byte(term))); i != 0 && a.table.info(i).flags&fLex != 0 {
		return a.table.info(i).val, true
	}
	if p, ok := a.phrases[term]; ok {
		return a.phraseList[p].val, true
	}
	return 0, false
}

// Label maps a compound score to the conventional VADER classes.
func Label(compound float64) string {
	switch {
	case compound >= 0.05:
		return "positive"
	case compound <= -0.05:
		return "negative"
	default:
		return "neutral"
	}
}

// PolarityScores scores text as the reference polarity_scores does, without
// rounding.
func (a *Analyzer) PolarityScores(text string) Scores {
	sc := a.pool.Get().(*scratch)
	sc.scan.Reset(text)
	s := a.score(&sc.scan, sc)
	a.release(sc)
	return s
}

// release returns sc to the pool unless one huge text grew its buffers:
// keeping those would pin the memory for the life of the Analyzer.
func (a *Analyzer) release(sc *scratch) {
	if cap(sc.own) > 1<<20 || cap(sc.text) > 1<<20 || cap(sc.toks) > 1<<18 || cap(sc.scan.Lower) > 1<<20 {
		return
	}
	sc.lower = nil // it may be the caller's scan's buffer
	sc.scan.Text = ""
	a.pool.Put(sc)
}

// Trace scores text and returns the items that carry valence, in text order,
// with their final values (the evidence behind the score).
func (a *Analyzer) Trace(text string) (Scores, []Contribution) {
	return a.TraceAppend(nil, text)
}

// TraceAppend is Trace appending the items to dst, so a caller scoring
// many texts can reuse one slice. Terms are the lexicon's own strings: no
// call allocates one.
func (a *Analyzer) TraceAppend(dst []Contribution, text string) (Scores, []Contribution) {
	sc := a.pool.Get().(*scratch)
	sc.scan.Reset(text)
	s := a.score(&sc.scan, sc)
	dst = a.appendContributions(dst, sc)
	a.release(sc)
	return s, dst
}

// TraceScan is TraceAppend for a text the caller has scanned (the
// pipeline scans each comment once for every model): it reads the scan's
// fields instead of splitting the text again.
func (a *Analyzer) TraceScan(dst []Contribution, scan *chorustext.Scan) (Scores, []Contribution) {
	sc := a.pool.Get().(*scratch)
	s := a.score(scan, sc)
	dst = a.appendContributions(dst, sc)
	a.release(sc)
	return s, dst
}

// ContributionsAppend is TraceAppend without the scores, for a caller that
// combines the items itself: it skips computing them.
func (a *Analyzer) ContributionsAppend(dst []Contribution, text string) []Contribution {
	sc := a.pool.Get().(*scratch)
	sc.scan.Reset(text)
	a.valences(&sc.scan, sc)
	dst = a.appendContributions(dst, sc)
	a.release(sc)
	return dst
}

// appendContributions appends the items of the text sc was scored for.
func (a *Analyzer) appendContributions(dst []Contribution, sc *scratch) []Contribution {
	for i, v := range sc.sent {
		if v == 0 {
			continue
		}
		t := &sc.toks[i]
		var term string
		switch {
		case t.plen > 0:
			term = a.phraseList[t.term].key
		case t.term != 0:
			term = a.table.key(t.term)
		default:
			// Unreachable: only lexicon words and phrases carry valence.
			term = string(sc.lower[t.ls:t.le])
		}
		dst = append(dst, Contribution{Term: term, Index: i, Valence: v})
	}
	return dst
}

// Split is a text tokenised once, to be scored in runs of consecutive
// tokens (a caller's sentences) without tokenising each run again. Get one
// from SplitWords; it holds pooled buffers until Release.
type Split struct {
	a  *Analyzer
	sc *scratch
}

// SplitWords tokenises text as ContributionsAppend would (split on
// whitespace as Python's str.split does). It reports false, holding
// nothing, when text has an emoji: VADER rewrites emoji into words, so the
// tokens would not be those of the text, and the caller must score its
// runs with ContributionsAppend instead.
func (a *Analyzer) SplitWords(text string) (Split, bool) {
	sc := a.pool.Get().(*scratch)
	sc.scan.Reset(text)
	return a.split(&sc.scan, sc)
}

// SplitScan is SplitWords for a text the caller has scanned: the tokens
// are read from the scan's fields (scan must stay unchanged until
// Release).
func (a *Analyzer) SplitScan(scan *chorustext.Scan) (Split, bool) {
	return a.split(scan, a.pool.Get().(*scratch))
}

func (a *Analyzer) split(scan *chorustext.Scan, sc *scratch) (Split, bool) {
	a.tokens(scan, sc)
	if scan.NonASCII && a.hasEmoji(scan.Text) {
		a.release(sc)
		return Split{}, false
	}
	return Split{a: a, sc: sc}, true
}

// Len is the number of tokens.
func (p Split) Len() int { return len(p.sc.toks) }

// Span returns token i's place in the text: text[start:end].
func (p Split) Span(i int) (start, end int) {
	t := &p.sc.toks[i]
	return int(t.s), int(t.e)
}

// ContributionsAppend appends the items of tokens from..to-1 (to > from)
// exactly as ContributionsAppend(dst, text[start of from:end of to-1])
// would: every rule reads only the tokens of the text it scores, and they
// are the same tokens (TestSplitMatchesText). Index counts from token
// from. Runs must not overlap, and each is scored once: scoring marks the
// phrases matched on its tokens.
func (p Split) ContributionsAppend(dst []Contribution, from, to int) []Contribution {
	sc := p.sc
	all := sc.toks
	sc.toks = all[from:to:to]
	p.a.rules(sc)
	dst = p.a.appendContributions(dst, sc)
	sc.toks = all
	return dst
}

// Negates reports whether token i is one of the engine's negations (the
// reference's negation words, or a word with "n't"): the words whose
// scope the negation rule reverses.
func (p Split) Negates(i int) bool { return p.sc.toks[i].flags&fNeg != 0 }

// Release returns the buffers; p must not be used afterwards.
func (p Split) Release() { p.a.release(p.sc) }
