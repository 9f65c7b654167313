package domain

import (
	"math"

	"chorus/models/sentiment/vader"
	"chorus/models/text"
)

// Sentence is what the model read in one sentence: the evidence a learned
// model (models/sentiment/learned) weighs. It is filled only by ScoreDetail,
// so Score pays nothing for it.
type Sentence struct {
	// VADER is the sentence's compound from the engine alone (overlay
	// lexicon, VADER's own negation, booster, "but" and emphasis rules);
	// Domain is its compound after this model's rules as well.
	VADER, Domain float64
	Words         int  // whitespace tokens
	Scored        int  // tokens VADER gave a valence
	Question      bool // ends in "?"
	Complaint     bool // a complaint question (rhetorical cue)
	Negation      bool // holds one of the engine's negation words ("not", "never", "without", "n't" ...)
	Negated       int  // scored words within three words after a negation
	Contrast      bool // holds "but", "however", "although", "though", "yet", "whereas"
	Quoted        bool // holds scare quotes or a quotation
	Sarcasm       bool // a positive word in scare quotes was flipped
}

// Detail is the per-comment reading behind a Result. Reuse one Detail
// across calls: its slice is reset, not reallocated.
type Detail struct {
	Sentences []Sentence
	Words     int // whitespace tokens in the comment
}

// reset empties d for a new comment, keeping its capacity.
func (d *Detail) reset() {
	d.Sentences = d.Sentences[:0]
	d.Words = 0
}

// ScoreDetail is Score that also fills d with each sentence's reading. The
// Result is identical to Score's (TestScoreDetailSameResult).
func (m *Model) ScoreDetail(text string, d *Detail) Result {
	sc := m.pool.Get().(*scratch)
	defer m.put(sc)
	sc.scan.Reset(text)
	d.reset()
	return m.scoreWith(&sc.scan, d, sc)
}

// ScoreDetailScan is ScoreDetail for a comment the caller has scanned.
func (m *Model) ScoreDetailScan(scan *text.Scan, d *Detail) Result {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	d.reset()
	return m.scoreWith(scan, d, sc)
}

// normalise maps a valence sum into -1..1 as VADER does.
func normalise(x, alpha float64) float64 {
	if x == 0 {
		return 0
	}
	return x / math.Sqrt(x*x+alpha)
}

// recordSentence appends the reading of one sentence to sc.detail. raw is
// the engine's valence sum before the domain rules (with VADER's emphasis),
// adj the sentence's adjusted sum.
//
// It runs for every sentence of every comment the default model reads, so
// it asks the engine's tokens which words negate (no second lookup) and
// looks at a word's letters only when its first letter can start a
// contrast word.
func (m *Model) recordSentence(text string, words []tok, contribs []vader.Contribution, raw, adj float64, complaint, sarcasm bool, sc *scratch) {
	d := sc.detail
	s := Sentence{
		VADER:     normalise(raw, m.p.alpha),
		Domain:    normalise(adj, m.p.alpha),
		Words:     len(words),
		Complaint: complaint,
		Sarcasm:   sarcasm,
	}
	if len(words) > 0 {
		s.Question = endsWithQuestion(text[words[len(words)-1].s:words[len(words)-1].e])
	}
	// Negation positions (the first few are enough for the scope count).
	var negAt [8]int
	nNeg := 0
	for i, w := range words {
		if w.quote != qNone {
			s.Quoted = true
		}
		word := text[w.s:w.e]
		var neg bool
		if sc.splitOK {
			neg = sc.split.Negates(sc.sentStart + i)
		} else {
			neg = isNegation(cleanWord(sc.buf[:0], word))
		}
		if neg {
			s.Negation = true
			if nNeg < len(negAt) {
				negAt[nNeg] = i
				nNeg++
			}
		} else if !s.Contrast && mayBeContrast(word) {
			s.Contrast = isContrast(word)
		}
	}
	for _, c := range contribs {
		if c.Valence == 0 {
			continue
		}
		s.Scored++
		for _, k := range negAt[:nNeg] {
			if k < c.Index && c.Index-k <= 3 {
				s.Negated++
				break
			}
		}
	}
	d.Words += len(words)
	d.Sentences = append(d.Sentences, s)
}

// contrastLen maps the first byte of a contrast word to its length:
// "but" and "yet" 3, "though" 6, "however" and "whereas" 7, "although" 8
// (0: no contrast word starts so). A word of another length is rejected
// before its letters are compared.
var contrastLen = [256]uint8{'b': 3, 'B': 3, 'y': 3, 'Y': 3, 't': 6, 'T': 6, 'h': 7, 'H': 7,
	'w': 7, 'W': 7, 'a': 8, 'A': 8}

// mayBeContrast is the cheap test before isContrast, for a word that
// starts with a letter: its first letter is one a contrast word starts with,
// and it is that word's length, or longer with punctuation at its end (which
// isContrast strips). Most words of a sentence start with one of those six
// letters ("the", "to", "a", "with"), and nearly all of them fail the length
// here without a call.
func mayBeContrast(word string) bool {
	n := int(contrastLen[word[0]])
	return n != 0 && (len(word) == n || len(word) > n && isASCIIPunct(word[len(word)-1]))
}

// isContrast reports a contrast word: "but", "however", "although",
// "though", "yet", "whereas" (VADER reweights around "but" only; the others
// are cues for the learned model), ASCII case folded, surrounding
// punctuation ignored.
func isContrast(w string) bool {
	a, b := 0, len(w)
	for a < b && isASCIIPunct(w[a]) {
		a++
	}
	for b > a && isASCIIPunct(w[b-1]) {
		b--
	}
	core := w[a:b]
	if len(core) < 3 || int(contrastLen[core[0]]) != len(core) {
		return false
	}
	switch lowerKey(core) {
	case "but", "however", "although", "though", "yet", "whereas":
		return true
	}
	return false
}

// lowerKey lower-cases a short ASCII word for a switch; the compiler keeps
// the conversion of the fixed array to a string off the heap.
func lowerKey(w string) string {
	var b [10]byte
	n := copy(b[:], w)
	for i := 0; i < n; i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b[:n])
}
