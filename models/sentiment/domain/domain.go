package domain

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chorus/models/sentiment/vader"
	"chorus/models/text"
)

// Version names the model's rules and constants; it is part of Hash, so a
// change here shows in the run manifest. domain-2 read typographic
// apostrophes as '; domain-3 reads the other typographic punctuation
// (quotes, guillemets, dashes, the ellipsis) as its ASCII too (foldScan).
const Version = "domain-3"

//go:embed overlay.tsv
var overlayTSV []byte

// Combination constants (see docs/sentiment.md for how they were measured).
const (
	// lengthExponent: the comment's valence is the sum over sentences
	// divided by n^lengthExponent. 1 would be the mean sentence (a long
	// reasoned complaint scores like one sentence of it); 0 the plain sum
	// (saturates with length, as whole-comment VADER does). Between the two,
	// more evidence counts for more, but slowly.
	lengthExponent = 0.7
	// alpha normalises the valence into -1..1 as VADER does
	// (x/sqrt(x²+alpha)); VADER's own 15 is kept so compounds read alike.
	alpha = 15.0
)

// params are the combination constants; a struct so tests can measure
// alternatives on the dev set.
type params struct {
	lengthExponent, alpha float64
	noRules               bool // ablation: VADER plus overlay only
}

var defaultParams = params{lengthExponent: lengthExponent, alpha: alpha}

// defaultThresholds are the built-in label cut-offs. -0.05 is VADER's
// convention; the positive cut is raised to 0.25 so that one mild polite
// word ("fair", "hope", "thanks to"), common in complaints in this genre,
// does not make a comment positive. They were fixed before looking at the
// dev grid and sit on its plateau; Calibrate on dev picks (-0.10, 0.35).
// docs/sentiment.md has the figures.
var defaultThresholds = Thresholds{Negative: -0.05, Positive: 0.25}

// DefaultThresholds returns the built-in label thresholds.
func DefaultThresholds() Thresholds { return defaultThresholds }

// Options configure New.
type Options struct {
	// Lexicon holds the entries of an extra overlay file (ParseLexicon)
	// that add to or override the built-in overlay; nil for none.
	Lexicon map[string]Entry
	// Thresholds overrides DefaultThresholds (e.g. from ParseThresholds).
	Thresholds *Thresholds
	// NoOverlay leaves the built-in overlay out (the engine's rules and
	// the combination stay). The overlay was written after reading the dev
	// comments; this measures how much the figures owe to it.
	NoOverlay bool
}

// Thresholds are the label cut-offs: negative if compound <= Negative,
// positive if compound >= Positive, neutral between.
type Thresholds struct {
	Negative float64 `toml:"negative"`
	Positive float64 `toml:"positive"`
}

// Label maps a compound score to negative, neutral or positive.
func (t Thresholds) Label(compound float64) string {
	switch {
	case compound <= t.Negative:
		return "negative"
	case compound >= t.Positive:
		return "positive"
	default:
		return "neutral"
	}
}

func (t Thresholds) validate() error {
	if math.IsNaN(t.Negative) || math.IsNaN(t.Positive) || t.Negative < -1 || t.Positive > 1 || t.Negative >= t.Positive {
		return fmt.Errorf("thresholds negative=%v positive=%v: want -1 <= negative < positive <= 1", t.Negative, t.Positive)
	}
	return nil
}

// Result is the model's reading of one comment.
type Result struct {
	Compound, Pos, Neu, Neg float64
	Label                   string
	Evidence                []Evidence
}

// Evidence is a term, phrase or rule that moved the score, with its share
// of the comment's valence (before the -1..1 normalisation).
type Evidence struct {
	Term   string
	Weight float64
}

// maxEvidence is how many evidence items a Result carries.
const maxEvidence = 5

// Model scores comments. Build it once with New; it is immutable and safe
// for concurrent use.
type Model struct {
	an      *vader.Analyzer
	lex     vader.Lexicon // the merged lexicon, read-only: a term's valence before VADER's rules
	th      Thresholds
	hash    string
	overlay map[string]Entry // merged built-in + extra, for inspection
	p       params
	pool    sync.Pool // *scratch
	// pow[n] is math.Pow(n, p.lengthExponent) for the sentence counts most
	// comments have: the same call made once, not per comment.
	pow [powTable]float64
}

// powTable bounds the sentence counts whose length scale is precomputed.
const powTable = 64

// lengthPow returns math.Pow(n, lengthExponent), from the table when it can.
func (m *Model) lengthPow(n int) float64 {
	if n < powTable {
		return m.pow[n]
	}
	return math.Pow(float64(n), m.p.lengthExponent)
}

// New builds the model: the VADER lexicon with the built-in overlay, then
// opts.Lexicon's entries, on top.
func New(opts Options) (*Model, error) {
	if opts.NoOverlay {
		return build(opts, []byte("# no built-in overlay\n"), defaultParams)
	}
	return build(opts, overlayTSV, defaultParams)
}

// build is New with the overlay and combination constants as arguments, so
// tests can measure each part's contribution (docs/sentiment.md).
func build(opts Options, overlay []byte, p params) (*Model, error) {
	base, err := parseOverlay(overlay, true)
	if err != nil {
		return nil, fmt.Errorf("built-in overlay.tsv: %w", err)
	}
	var extraBytes []byte
	if opts.Lexicon != nil {
		maps.Copy(base, opts.Lexicon)
		extraBytes = canonicalOverlay(opts.Lexicon)
	}
	th := defaultThresholds
	if opts.Thresholds != nil {
		th = *opts.Thresholds
	}
	if err := th.validate(); err != nil {
		return nil, err
	}
	lex, err := vader.DefaultLexicon()
	if err != nil {
		return nil, fmt.Errorf("vader lexicon: %w", err)
	}
	applyOverlay(lex, base)

	h := sha256.New()
	fmt.Fprintf(h, "%s\n", Version)
	h.Write(overlay)
	h.Write([]byte{0})
	h.Write(extraBytes)
	fmt.Fprintf(h, "\n%s %s\n", strconv.FormatFloat(th.Negative, 'g', -1, 64), strconv.FormatFloat(th.Positive, 'g', -1, 64))

	m := &Model{
		an:      vader.NewWithOptions(lex, vader.Options{ReferencePhrases: true}),
		lex:     lex,
		th:      th,
		hash:    hex.EncodeToString(h.Sum(nil)),
		overlay: base,
		p:       p,
	}
	m.pool.New = func() any { return new(scratch) }
	for n := range m.pow {
		m.pow[n] = math.Pow(float64(n), p.lengthExponent)
	}
	return m, nil
}

// applyOverlay lays entries over lex: a single word with valence 0 is
// removed, everything else is set.
func applyOverlay(lex vader.Lexicon, entries map[string]Entry) {
	for term, e := range entries {
		if e.Valence == 0 && !strings.Contains(term, " ") {
			delete(lex, term)
			continue
		}
		lex[term] = e.Valence
	}
	// VADER keeps punctuation on words of two letters or fewer ("on." stays
	// "on."), so "Spot on." would not match the phrase "spot on". Add the
	// punctuated forms of phrases ending in such a word; an explicit entry
	// for a punctuated form wins.
	for term, e := range entries {
		i := strings.LastIndexByte(term, ' ')
		if i < 0 || len(term)-i-1 > 2 {
			continue
		}
		for _, p := range []string{".", ",", "!", "?", "!!", "...", ";", ":", ")"} {
			if _, ok := entries[term+p]; !ok {
				lex[term+p] = e.Valence
			}
		}
	}
}

// canonicalOverlay renders entries in sorted order, so the hash of an extra
// lexicon does not depend on its comments or line order.
func canonicalOverlay(entries map[string]Entry) []byte {
	var b []byte
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		b = append(b, k...)
		b = append(b, '\t')
		b = strconv.AppendFloat(b, entries[k].Valence, 'g', -1, 64)
		b = append(b, '\n')
	}
	return b
}

// Hash identifies the model for the run manifest: sha256 of the model
// version, the built-in overlay, the extra lexicon and the thresholds.
func (m *Model) Hash() string { return m.hash }

// Thresholds returns the label thresholds in use.
func (m *Model) Thresholds() Thresholds { return m.th }

// Overlay returns the merged overlay entries (a copy).
func (m *Model) Overlay() map[string]Entry { return maps.Clone(m.overlay) }

// scratch holds per-call buffers, reused through the Model's pool.
type scratch struct {
	toks     []tok
	buf      []byte
	ev       []Evidence
	contribs []vader.Contribution
	detail   *Detail // set by ScoreDetail: record each sentence's reading
	// split and its tokens' offset for the sentence being scored, for
	// recordSentence (splitOK false: no split, the text had emoji).
	split     vader.Split
	splitOK   bool
	sentStart int
	// ascii: the text scored has no byte above 0x7F (Scan.NonASCII false),
	// so no sentence of it has a symbol and hasSymbols need not look.
	ascii  bool
	scan   text.Scan // the comment's scan, when the caller did not scan it
	folded text.Scan // the scan of the comment with its typographic punctuation folded (foldScan)
}

// VADER's punctuation emphasis (reference constants).
const (
	epIncr = 0.292
	qmIncr = 0.18
	qmMax  = 0.96
)

// punctEmphasis is VADER's amplification for "!" and "?" in a sentence.
func punctEmphasis(s string) float64 {
	excl, quest := strings.Count(s, "!"), strings.Count(s, "?")
	p := float64(min(excl, 4)) * epIncr
	if quest > 1 {
		if quest <= 3 {
			p += float64(quest) * qmIncr
		} else {
			p += qmMax
		}
	}
	return p
}

// Score reads one comment.
func (m *Model) Score(text string) Result {
	sc := m.pool.Get().(*scratch)
	defer m.put(sc)
	sc.scan.Reset(text)
	return m.scoreWith(&sc.scan, nil, sc)
}

// put returns sc to the pool, without the buffers of a huge comment:
// keeping those would pin the memory for the life of the Model.
func (m *Model) put(sc *scratch) {
	if cap(sc.scan.Lower) > 1<<20 {
		sc.scan = text.Scan{}
	}
	sc.scan.Text = ""
	m.pool.Put(sc)
}

// foldScan returns the scan the model reads for scan: scan itself, or when
// the comment holds typographic punctuation (text.PunctuationAt: curly
// apostrophes and quotes, "&rsquo;", low-9 quotes, guillemets, hyphens and
// dashes, the ellipsis), the scan of the comment with each mark written as
// the ASCII a typist would have written (text.FoldPunctuation), kept in
// sc.folded. So "don’t like" negates, "can’t", "isn’t" and "won’t" match
// the engine's negations and the lexicon, “great”, «great», "great…" and
// "awful—" lose their marks before the lookup as "great" and "awful--" do,
// and the quote and sentence rules read the ASCII marks: every rule reads
// the folded text, and the evidence names lexicon keys and rules, never
// the words as written, so a comment's Result is the same for both
// spellings. A comment without one (every ASCII comment without "&") costs
// one IndexByte.
func foldScan(scan *text.Scan, sc *scratch) *text.Scan {
	if !text.HasPunctuation(scan.Text, scan.NonASCII) {
		return scan
	}
	sc.folded.Reset(text.FoldPunctuation(scan.Text))
	return &sc.folded
}

// dropFolded lets go of the folded comment after scoring, and of the
// folded scan's buffers after a huge comment (as put does).
func (sc *scratch) dropFolded() {
	if cap(sc.folded.Lower) > 1<<20 {
		sc.folded = text.Scan{}
	}
	sc.folded.Text = ""
}

// ScoreScan is Score for a comment the caller has scanned (the pipeline
// scans each comment once for every model).
func (m *Model) ScoreScan(scan *text.Scan) Result {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	return m.scoreWith(scan, nil, sc)
}

// scoreWith is Score of the scanned text, also recording each sentence's
// reading in d when d is not nil (ScoreDetail).
func (m *Model) scoreWith(scan *text.Scan, d *Detail, sc *scratch) Result {
	sc.detail = d
	defer func() { sc.detail = nil }()
	if scan = foldScan(scan, sc); scan == &sc.folded {
		defer sc.dropFolded()
	}
	// The model's tokens are the scan's fields, which are VADER's tokens
	// too, and VADER's tokens of a sentence are those of the whole text:
	// VADER reads the scan once, and each sentence is scored on its run of
	// VADER's tokens (TestSplitScoresAlike). A text with emoji, which VADER
	// rewrites, is scored a sentence at a time as text.
	sc.toks = scanTokens(sc.toks[:0], scan)
	split, ok := m.an.SplitScan(scan)
	if ok {
		defer split.Release()
	}
	return m.score(scan.Text, sc, split, ok, !scan.NonASCII)
}

// score is Score past tokenising: sc.toks holds the tokens of text, and
// split (if ok) VADER's tokens of it.
//
// ascii says text is all ASCII (false when unknown).
func (m *Model) score(text string, sc *scratch, split vader.Split, ok, ascii bool) Result {
	sc.ascii = ascii
	toks := sc.toks
	markQuotes(text, toks)
	sc.ev = sc.ev[:0]

	var total, posSum, negSum float64
	neu, nSent := 0, 0
	for start := 0; start < len(toks); {
		end := start
		for !endsSentence(text, toks, end) {
			end++
		}
		if ok {
			sc.contribs = split.ContributionsAppend(sc.contribs[:0], start, end+1)
		} else {
			s := text[toks[start].s:toks[end].e]
			sc.contribs = m.an.ContributionsAppend(sc.contribs[:0], s)
		}
		if sc.detail != nil {
			sc.split, sc.splitOK, sc.sentStart = split, ok, start
		}
		sum, p, n, u := m.sentence(text, toks[start:end+1], sc)
		total += sum
		posSum += p
		negSum += n
		neu += u
		nSent++
		start = end + 1
	}
	if nSent == 0 {
		return Result{Label: m.th.Label(0)}
	}
	scale := 1 / m.lengthPow(nSent)
	x := total * scale
	compound := x / math.Sqrt(x*x+m.p.alpha)
	r := Result{Compound: compound, Label: m.th.Label(compound)}
	if t := posSum - negSum + float64(neu); t > 0 {
		r.Pos, r.Neg, r.Neu = posSum/t, -negSum/t, float64(neu)/t
	}
	r.Evidence = topEvidence(sc.ev, scale)
	return r
}

// sentence scores one sentence, whose VADER contributions are in
// sc.contribs: its adjusted valence sum, VADER-style positive and negative
// mass, and its count of neutral words. Evidence is appended to sc.ev with
// unscaled weights.
func (m *Model) sentence(text string, words []tok, sc *scratch) (sum, pos, neg float64, neu int) {
	s := text[words[0].s:words[len(words)-1].e]
	contribs := sc.contribs
	rules := !m.p.noRules
	// VADER replaces emoji with words, which shifts its word positions; the
	// position-based rules (quotes, swearing) are skipped in such a sentence.
	aligned := sc.ascii || !hasSymbols(s)
	add := func(term string, v float64) {
		sum += v
		if v > 0 {
			pos += v + 1
		} else if v < 0 {
			neg += v - 1
		}
		sc.ev = addEvidence(sc.ev, term, v)
	}
	neu = len(words)
	var raw float64 // the engine's sum, before the domain rules
	var complaint, sarcasm bool
	for _, c := range contribs {
		v, term := c.Valence, c.Term
		raw += v
		if rules && aligned && c.Index < len(words) {
			if swearIntensifiers[c.Term] && m.nextHasValence(contribs, c.Index) {
				continue // an intensifier: its force goes to the next word
			}
			switch words[c.Index].quote {
			case qScare:
				if v > 0 {
					v = scareFlip * v
					term = "'" + term + "' (scare quotes)"
					sarcasm = true
				}
			case qQuotation:
				v *= quotationDamp
			}
			if c.Index > 0 && m.swearBefore(text, words, c.Index, sc) {
				v *= swearBoost
			}
			if m.flipped(c) && emphaticAfter(text, words, c.Index, sc) {
				// "never disliked anyone so much": the negation stresses
				// the word rather than reversing it.
				v /= vaderNegation
				term += " (emphatic negation)"
			}
		}
		if v != 0 {
			neu--
			add(term, v)
		}
	}
	if rules {
		// Scare quotes around words with no valence still signal irony.
		marks := 0
		for i := 0; i < len(words) && marks < 2; i++ {
			if words[i].quote != qScare || (i > 0 && words[i-1].quote == qScare) {
				continue
			}
			hasVal := false
			for j := i; j < len(words) && words[j].quote == qScare; j++ {
				hasVal = hasVal || m.hasValenceAt(contribs, j)
			}
			if !hasVal {
				add("scare quotes", scareMark)
				marks++
			}
		}
		var rv float64
		rv, sc.buf = rhetorical(text, words, sc.buf)
		if rv != 0 {
			add("complaint question", rv)
			complaint = rv == rhetoricalStrong
		}
		if sum <= 0 && exasperated(s) {
			add("?! exasperation", exasperation)
		}
	}
	// VADER's emphasis for "!" and "?" amplifies whichever way the
	// sentence leans. It is counted once for both sums, and not at all
	// for a sentence that leans neither way.
	var pe float64
	if sum != 0 || sc.detail != nil && raw != 0 {
		pe = punctEmphasis(s)
	}
	if sum > 0 {
		sum += pe
	} else if sum < 0 {
		sum -= pe
	}
	if sc.detail != nil {
		if raw > 0 {
			raw += pe
		} else if raw < 0 {
			raw -= pe
		}
		m.recordSentence(text, words, contribs, raw, sum, complaint, sarcasm, sc)
	}
	return sum, pos, neg, max(neu, 0)
}

// hasSymbols reports whether s has a character from the symbol and emoji
// blocks (U+2190 on), which VADER may replace with its description.
func hasSymbols(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE2 { // lead byte of U+2000 and above
			for _, r := range s[i:] {
				if r >= 0x2190 {
					return true
				}
			}
			return false
		}
	}
	return false
}

// flipped reports whether VADER's rules reversed the sign of c's lexicon
// valence (a negation or "least" before it).
func (m *Model) flipped(c vader.Contribution) bool {
	lv := m.lex[c.Term]
	return lv*c.Valence < 0
}

// swearBefore reports whether word i follows a swear intensifier.
func (m *Model) swearBefore(text string, words []tok, i int, sc *scratch) bool {
	sc.buf = cleanWord(sc.buf[:0], text[words[i-1].s:words[i-1].e])
	return swearIntensifiers[string(sc.buf)]
}

// hasValenceAt reports whether VADER scored word i of the sentence.
func (m *Model) hasValenceAt(contribs []vader.Contribution, i int) bool {
	for _, c := range contribs {
		if c.Index == i {
			return true
		}
	}
	return false
}

// nextHasValence reports whether VADER scored the word after word i.
func (m *Model) nextHasValence(contribs []vader.Contribution, i int) bool {
	return m.hasValenceAt(contribs, i+1)
}

// addEvidence adds weight to term's entry (terms repeat across sentences).
func addEvidence(ev []Evidence, term string, w float64) []Evidence {
	for k := range ev {
		if ev[k].Term == term {
			ev[k].Weight += w
			return ev
		}
	}
	return append(ev, Evidence{Term: term, Weight: w})
}

// topEvidence returns the maxEvidence items of largest |weight|, scaled,
// largest first (ties by term, so the order is deterministic). It sorts
// ev.
func topEvidence(ev []Evidence, scale float64) []Evidence {
	if len(ev) == 0 {
		return nil
	}
	out := make([]Evidence, 0, min(len(ev), maxEvidence))
	// ev is the caller's scratch, not needed afterwards: sort it in place.
	sorted := ev
	slices.SortFunc(sorted, func(a, b Evidence) int {
		if d := math.Abs(b.Weight) - math.Abs(a.Weight); d != 0 {
			if d > 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Term, b.Term)
	})
	for _, e := range sorted {
		if len(out) == maxEvidence || e.Weight == 0 {
			break
		}
		out = append(out, Evidence{Term: e.Term, Weight: e.Weight * scale})
	}
	return out
}
