package domain

import (
	"math"
	"strings"

	"chorus/models/sentiment/vader"
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
	Negation      bool // holds a negation word ("not", "never", "n't" ...)
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
	Links     int // tokens that look like a web address
	Numbers   int // tokens holding a digit (dates, counts, times)
}

// reset empties d for a new comment, keeping its capacity.
func (d *Detail) reset() {
	d.Sentences = d.Sentences[:0]
	d.Words, d.Links, d.Numbers = 0, 0, 0
}

// ScoreDetail is Score that also fills d with each sentence's reading. The
// Result is identical to Score's (TestScoreDetailSameResult).
func (m *Model) ScoreDetail(text string, d *Detail) Result {
	d.reset()
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	split, ok := m.an.SplitWords(text)
	if ok {
		sc.toks = splitTokens(sc.toks[:0], text, split)
		defer split.Release()
	} else {
		sc.toks = tokenise(sc.toks[:0], text)
	}
	sc.detail = d
	defer func() { sc.detail = nil }()
	return m.score(text, sc, split, ok)
}

// normalise maps a valence sum into -1..1 as VADER does.
func normalise(x, alpha float64) float64 {
	if x == 0 {
		return 0
	}
	return x / math.Sqrt(x*x+alpha)
}

// contrastWords turn a sentence ("good, but ..."): VADER reweights around
// "but" only; the others are cues for the learned model.
var contrastWords = map[string]bool{
	"but": true, "however": true, "although": true, "though": true, "yet": true, "whereas": true,
}

// recordSentence appends the reading of one sentence to sc.detail. raw is
// the engine's valence sum before the domain rules (with VADER's emphasis),
// adj the sentence's adjusted sum.
func (m *Model) recordSentence(text string, words []tok, contribs []vader.Contribution, raw, adj float64, complaint, sarcasm bool, sc *scratch) {
	d := sc.detail
	s := Sentence{
		VADER:     normalise(raw, m.p.alpha),
		Domain:    normalise(adj, m.p.alpha),
		Words:     len(words),
		Complaint: complaint,
		Sarcasm:   sarcasm,
	}
	for _, c := range contribs {
		if c.Valence != 0 {
			s.Scored++
		}
	}
	if len(words) > 0 {
		s.Question = endsWithQuestion(text[words[len(words)-1].s:words[len(words)-1].e])
	}
	lastNeg := -10
	for i, w := range words {
		raw := text[w.s:w.e]
		if w.quote != qNone {
			s.Quoted = true
		}
		if strings.Contains(raw, "http") || strings.HasPrefix(raw, "www.") {
			d.Links++
		} else if strings.ContainsAny(raw, "0123456789") {
			d.Numbers++
		}
		sc.buf = cleanWord(sc.buf[:0], raw)
		if isNegation(sc.buf) {
			s.Negation = true
			lastNeg = i
		} else if contrastWords[string(sc.buf)] {
			s.Contrast = true
		}
		if i-lastNeg <= 3 && i != lastNeg && m.hasValenceAt(contribs, i) {
			s.Negated++
		}
	}
	d.Words += len(words)
	d.Sentences = append(d.Sentences, s)
}
