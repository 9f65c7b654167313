package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"chorus/corpus"
	"chorus/internal/analysis"
	"chorus/models/redact"
	"chorus/models/sentiment/vader"
	"chorus/models/text"
	"chorus/models/topics"
	"chorus/pipeline/store"
)

// analysisVersion changes when the way an analysis is computed changes in
// code (not in data files, which are hashed): stored analyses under an old
// key are then recomputed from the stored text without reading any file.
const analysisVersion = "1"

// Sentiment is what the pipeline needs of a sentiment model.
type Sentiment interface {
	// Score returns the comment's scores, label and evidence ("term(+1.2); ...").
	Score(text string) SentimentResult
	// ScoreScan is Score for a comment already scanned (Analyser.Analyse
	// scans each comment once for every model).
	ScoreScan(sc *text.Scan) SentimentResult
	// Name is "vader", "lexicon" or "domain"; Hash identifies the
	// lexicon, overlay, thresholds and weights, so a change triggers
	// re-analysis.
	Name() string
	Hash() string
	// Note says why this model runs when another was asked for (the
	// domain model's weights missing), or warns about its inputs; "" when
	// all is as configured.
	Note() string
	// Confusion is the model's cross-validated confusion counts (rows true
	// negative, neutral, positive; columns predicted), nil when it has
	// none. Reports adjust label shares with it.
	Confusion() *[3][3]int
}

// SentimentResult is one comment's sentiment.
type SentimentResult struct {
	Compound, Pos, Neu, Neg float64
	Label                   string
	Evidence                string
}

// vaderModel adapts the plain VADER engine: whole-comment scores, the
// reference ±0.05 labels, and the terms that moved the score as evidence.
type vaderModel struct {
	a    *vader.Analyzer
	hash string
}

func newVaderModel() (*vaderModel, error) {
	lex, err := vader.DefaultLexicon()
	if err != nil {
		return nil, fmt.Errorf("load VADER lexicon: %w", err)
	}
	keys := make([]string, 0, len(lex))
	for k := range lex {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\t%g\n", k, lex[k])
	}
	return &vaderModel{a: vader.New(lex), hash: hex.EncodeToString(h.Sum(nil))}, nil
}

func (m *vaderModel) Name() string          { return "vader" }
func (m *vaderModel) Hash() string          { return m.hash }
func (m *vaderModel) Note() string          { return "" }
func (m *vaderModel) Confusion() *[3][3]int { return nil }

// Score scans s with the analyzer's pooled scan (chorus score calls it per
// line: a fresh Scan each time would allocate its buffers per comment).
func (m *vaderModel) Score(s string) SentimentResult {
	var buf [16]vader.Contribution
	return vaderResult(m.a.TraceAppend(buf[:0], s))
}

func (m *vaderModel) ScoreScan(scan *text.Scan) SentimentResult {
	var buf [16]vader.Contribution
	return vaderResult(m.a.TraceScan(buf[:0], scan))
}

// vaderResult is a VADER reading as the pipeline stores it: the scores and
// label, and the five terms of largest valence as evidence.
func vaderResult(sc vader.Scores, contrib []vader.Contribution) SentimentResult {
	ev := make([]termWeight, 0, len(contrib))
	for _, c := range contrib {
		if c.Valence != 0 {
			ev = append(ev, termWeight{c.Term, c.Valence})
		}
	}
	return SentimentResult{sc.Compound, sc.Pos, sc.Neu, sc.Neg, vader.Label(sc.Compound), formatEvidence(ev, 5)}
}

type termWeight struct {
	term   string
	weight float64
}

// formatEvidence keeps the n terms of largest |weight| (the first place of
// a repeated term wins) as "term(+1.20); term(-0.80)".
//
// It runs for every comment, so it avoids fmt and per-call maps: terms are
// deduplicated by a scan (a map only for long lists), and each weight is
// written as fmt's %+.2f writes it: strconv's 'f' digits with a '+' before
// any that lacks a sign ("+NaN" and "+Inf" included).
func formatEvidence(ev []termWeight, n int) string {
	if len(ev) == 0 || n <= 0 {
		return ""
	}
	var arr [16]termWeight
	uniq := arr[:0]
	if len(ev) <= 32 {
	next:
		for _, e := range ev {
			for _, u := range uniq {
				if u.term == e.term {
					continue next
				}
			}
			uniq = append(uniq, e)
		}
	} else {
		seen := make(map[string]bool, len(ev))
		for _, e := range ev {
			if !seen[e.term] {
				seen[e.term] = true
				uniq = append(uniq, e)
			}
		}
	}
	// The order sort.SliceStable gave with less = |a| > |b|: package
	// slices runs the same stable algorithm (insertion-sorted runs, then
	// merges), so even NaN weights, which no order ranks, end up alike.
	slices.SortStableFunc(uniq, func(a, b termWeight) int {
		x, y := math.Abs(a.weight), math.Abs(b.weight)
		switch {
		case x > y:
			return -1
		case y > x:
			return 1
		}
		return 0
	})
	if len(uniq) > n {
		uniq = uniq[:n]
	}
	size := 0
	for _, e := range uniq {
		size += len(e.term) + 12
	}
	var b strings.Builder
	b.Grow(size)
	var num [32]byte
	for i, e := range uniq {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.term)
		b.WriteByte('(')
		b.Write(appendSignedFixed2(num[:0], e.weight))
		b.WriteByte(')')
	}
	return b.String()
}

// appendSignedFixed2 appends fmt.Sprintf("%+.2f", x).
func appendSignedFixed2(b []byte, x float64) []byte {
	at := len(b)
	b = append(b, '+')
	b = strconv.AppendFloat(b, x, 'f', 2, 64)
	if c := b[at+1]; c == '-' || c == '+' {
		b = append(b[:at], b[at+1:]...)
	}
	return b
}

// Analyser scores and tags one comment. It is safe for concurrent use: the
// models it holds are immutable after construction.
type Analyser struct {
	seg       *text.Segmenter
	scans     sync.Pool // *text.Scan, one per comment analysed at a time
	sentiment Sentiment
	tagger    *topics.Tagger
	taxonomy  *topics.Taxonomy
}

// Key identifies the analysis: the code version, the sentiment model and
// the taxonomy. Stored analyses under another key are recomputed.
func (a *Analyser) Key() string {
	h := sha256.Sum256([]byte(strings.Join([]string{analysisVersion, a.sentiment.Name(), a.sentiment.Hash(), a.taxonomy.Hash()}, "\x00")))
	return hex.EncodeToString(h[:])[:16]
}

// SentimentKey is the part of Key that does not depend on the taxonomy:
// the code version and the sentiment model. Two keys with the same
// SentimentKey give every comment the same counts and sentiment, so after
// a taxonomy change those are reused and only the topics recomputed
// (Retag).
func (a *Analyser) SentimentKey() string {
	h := sha256.Sum256([]byte(strings.Join([]string{analysisVersion, a.sentiment.Name(), a.sentiment.Hash()}, "\x00")))
	return hex.EncodeToString(h[:])[:16]
}

// Describe says in words what Key stands for, for the database's
// analysis_keys table.
func (a *Analyser) Describe() string {
	return fmt.Sprintf("analysis %s; sentiment %s %s; taxonomy %s %s", analysisVersion,
		a.sentiment.Name(), a.sentiment.Hash(), a.taxonomy.Name(), a.taxonomy.Hash())
}

// Analyse computes everything stored for one comment.
//
// The comment is scanned once (text.Scan); the sentiment model, the token
// count and the topics read its fields.
func (a *Analyser) Analyse(c analysis.CommentText) analysis.Analysis {
	s := c.Text
	scan := a.scan(s)
	sr := a.sentiment.ScoreScan(scan)
	an := analysis.Analysis{
		Seq:       c.Seq,
		CommentID: c.ID,
		// Only the counts are stored: count without building the token
		// and sentence slices (TestCounts* in models/text prove the counts
		// equal the slices' lengths).
		NTokens:    text.TokenCountScan(scan),
		NSentences: a.seg.SentenceCount(s),
		Compound:   sr.Compound, Pos: sr.Pos, Neu: sr.Neu, Neg: sr.Neg,
		Label:    sr.Label,
		Evidence: sr.Evidence,
	}
	a.tag(&an, scan)
	a.releaseScan(scan)
	return an
}

// scan scans s into a pooled Scan; releaseScan gives it back.
func (a *Analyser) scan(s string) *text.Scan {
	scan, _ := a.scans.Get().(*text.Scan)
	if scan == nil {
		scan = new(text.Scan)
	}
	scan.Reset(s)
	return scan
}

// releaseScan returns scan to the pool unless one huge comment grew its
// buffers: keeping those would pin the memory for the whole run.
func (a *Analyser) releaseScan(scan *text.Scan) {
	if cap(scan.Lower) <= 1<<20 {
		scan.Text = ""
		a.scans.Put(scan)
	}
}

// Retag is Analyse for a comment whose counts and sentiment stand (c.Prior,
// see SentimentKey): it copies them and computes only the topics, which
// gives what Analyse gives at a fraction of the cost.
func (a *Analyser) Retag(c analysis.CommentText) analysis.Analysis {
	p := c.Prior
	an := analysis.Analysis{
		Seq: c.Seq, CommentID: c.ID, NTokens: p.NTokens, NSentences: p.NSentences,
		Compound: p.Compound, Pos: p.Pos, Neu: p.Neu, Neg: p.Neg, Label: p.Label, Evidence: p.Evidence,
	}
	scan := a.scan(c.Text)
	a.tag(&an, scan)
	a.releaseScan(scan)
	return an
}

// tag sets an's topics, their scores and their evidence from the scanned
// comment.
func (a *Analyser) tag(an *analysis.Analysis, scan *text.Scan) {
	// The matches are read here and dropped: keep them on the stack.
	var buf [8]topics.Match
	matches := a.tagger.TagScanAppend(buf[:0], scan)
	if len(matches) > 0 {
		an.TopicScores = make(map[string]float64, len(matches))
		an.Topics = make([]string, len(matches))
		// "topic: term, term; topic: term", built in one allocation.
		size := 0
		for _, m := range matches {
			size += len(m.Topic) + 4
			for _, e := range m.Evidence {
				size += len(e) + 2
			}
		}
		var b strings.Builder
		b.Grow(size)
		for i, m := range matches {
			an.Topics[i] = m.Topic
			an.TopicScores[m.Topic] = m.Score
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(m.Topic)
			b.WriteString(": ")
			for k, e := range m.Evidence {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString(e)
			}
		}
		an.TopicEvidence = b.String()
	}
}

// The analyse stage. New files are analysed on the read workers, from each
// comment's text as the store will keep it, and their analyses are stored
// with their comments (documentAnalyser); what the store holds without an
// analysis under the current key (everything, after a model, lexicon or
// taxonomy change, or what an interrupted run left) is analysed afterwards
// from the stored text, without reading any file (pendingAnalyser, in
// pending.go).

// documentAnalyser analyses the documents the read workers parse.
type documentAnalyser struct {
	an  *Analyser
	red *redact.Redactor
	// storeRedact is what the store applies as it writes: nil when the
	// workers redact documents themselves (the default, which spares the
	// single writer the work); the redactor when originals are kept, so
	// that the store can keep the text it is given as raw_text.
	storeRedact func(string) string
}

func newDocumentAnalyser(an *Analyser, red *redact.Redactor, keepRaw bool) *documentAnalyser {
	d := &documentAnalyser{an: an, red: red}
	if keepRaw {
		d.storeRedact = red.Text
	}
	return d
}

// Document redacts doc (unless the store will) and analyses every comment
// of it that counts.
func (d *documentAnalyser) Document(doc *corpus.Document) []analysis.Analysis {
	if d.storeRedact == nil {
		store.RedactDocument(doc, d.red.Text)
	}
	return analyseDocument(d.an, d.storeRedact, doc)
}

// analyseDocument analyses every comment of doc that counts, in the
// document's order, from its text as the store will keep it: passed
// through redact (nil when doc is redacted already); this is the order
// store.ReplaceAnalysed takes them in. A comment counts as the store decides
// it (store.Counted).
func analyseDocument(an *Analyser, redact func(string) string, doc *corpus.Document) []analysis.Analysis {
	var out []analysis.Analysis
	for i := range doc.Posts {
		p := &doc.Posts[i]
		for j := range p.Comments {
			c := &p.Comments[j]
			if !c.Counted() {
				continue
			}
			text := c.Text
			if redact != nil {
				text = redact(text)
			}
			out = append(out, an.Analyse(analysis.CommentText{ID: c.ID, PostID: p.ID, Text: text}))
		}
	}
	return out
}
