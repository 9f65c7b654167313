package topics

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	chorustext "chorus/models/text"
)

// Match is one topic found in a text.
type Match struct {
	Topic string
	// Score is the summed weight of the topic's matches (see doc.go).
	Score float64
	// Evidence holds the matched terms and phrases as written in the text,
	// deduplicated ignoring case, weightiest first (ties: first seen first).
	Evidence []string
}

// Tagger tags texts with a compiled taxonomy. It is safe for concurrent use.
type Tagger struct {
	tax     *Taxonomy
	vocab   map[string]int32 // stem -> id
	entries []entry
	starts  [][]startRef // id -> entries whose sequence begins with it
	seqs    []int32      // every entry's sequence, back to back
	topics  []compiledTopic
	pool    sync.Pool // *scratch
}

type compiledTopic struct {
	name      string
	threshold float64
}

// entry is a compiled term, phrase or exclude of one topic.
type entry struct {
	topic   int
	text    string
	seq     []int32
	weight  float64
	exclude bool
	rules   []rule
}

type rule struct {
	caseMode       string
	unlessShouting bool
	near, notNear  [][]int32
	window         int
}

// startRef names an entry in starts with what findHits needs of it kept
// together, so matching does not read the (large) entries themselves.
type startRef struct {
	entry, off, n int32 // the entry's sequence is seqs[off : off+n]
}

// hit is one occurrence of an entry in a text, over tokens [start, end).
type hit struct {
	entry      int32
	start, end int32
}

type scratch struct {
	tz   tokenizer
	res  resolver
	hits []hit
	keep []hit
}

// NewTagger compiles a taxonomy into a tagger.
func NewTagger(t *Taxonomy) (*Tagger, error) {
	if t == nil {
		return nil, fmt.Errorf("new tagger: nil taxonomy")
	}
	tg := &Tagger{tax: t, vocab: map[string]int32{}}
	for ti, d := range t.topics {
		tg.topics = append(tg.topics, compiledTopic{name: d.Name, threshold: d.threshold})
		byKey := map[string]int{} // normalised text -> entry index, for rules
		add := func(text string, w float64, exclude bool) {
			e := entry{topic: ti, text: text, seq: tg.intern(text), weight: w, exclude: exclude}
			tg.entries = append(tg.entries, e)
			if !exclude {
				byKey[normKey(text)] = len(tg.entries) - 1
			}
		}
		for _, x := range d.terms {
			add(x.text, x.weight, false)
		}
		for _, x := range d.phrases {
			add(x.text, x.weight, false)
		}
		for _, x := range d.excludes {
			add(x, 0, true)
		}
		for _, r := range d.rules {
			ei, ok := byKey[normKey(r.match)]
			if !ok { // Parse validated this; keep the guard for hand-built values.
				return nil, fmt.Errorf("new tagger: topic %s: rule governs unknown %q", d.Name, r.match)
			}
			cr := rule{caseMode: r.caseMode, unlessShouting: r.unlessShouting, window: scaledWindow(r.window, t.windowScale)}
			for _, s := range r.near {
				cr.near = append(cr.near, tg.intern(s))
			}
			for _, s := range r.notNear {
				cr.notNear = append(cr.notNear, tg.intern(s))
			}
			tg.entries[ei].rules = append(tg.entries[ei].rules, cr)
		}
	}
	tg.starts = make([][]startRef, len(tg.vocab))
	for i, e := range tg.entries {
		ref := startRef{entry: int32(i), off: int32(len(tg.seqs)), n: int32(len(e.seq))}
		tg.seqs = append(tg.seqs, e.seq...)
		tg.starts[e.seq[0]] = append(tg.starts[e.seq[0]], ref)
	}
	tg.pool.New = func() any {
		return &scratch{res: resolver{vocab: tg.vocab}}
	}
	return tg, nil
}

// intern returns the id sequence of s's stems, adding new stems.
func (tg *Tagger) intern(s string) []int32 {
	words := wordsOf(s)
	seq := make([]int32, len(words))
	for i, w := range words {
		id, ok := tg.vocab[w]
		if !ok {
			id = int32(len(tg.vocab))
			tg.vocab[w] = id
		}
		seq[i] = id
	}
	return seq
}

// Taxonomy returns the taxonomy the tagger was built from.
func (tg *Tagger) Taxonomy() *Taxonomy { return tg.tax }

// Tag returns the topics of text whose score reaches their threshold, in
// taxonomy order.
func (tg *Tagger) Tag(text string) []Match { return tg.TagAppend(nil, text) }

// TagAppend is Tag appending the matches to dst, so a caller that reads
// them at once can keep them in a buffer of its own.
func (tg *Tagger) TagAppend(dst []Match, text string) []Match {
	sc := tg.pool.Get().(*scratch)
	defer tg.put(sc)
	sc.tz.scan.Reset(text)
	return tg.tagScan(dst, &sc.tz.scan, sc)
}

// TagScanAppend is TagAppend for a text the caller has scanned (the
// pipeline scans each comment once for every model): the words are read
// from the scan's fields.
func (tg *Tagger) TagScanAppend(dst []Match, scan *chorustext.Scan) []Match {
	sc := tg.pool.Get().(*scratch)
	defer tg.put(sc)
	return tg.tagScan(dst, scan, sc)
}

func (tg *Tagger) tagScan(dst []Match, scan *chorustext.Scan, sc *scratch) []Match {
	toks, keep := tg.kept(sc, scan)
	if len(keep) == 0 {
		return dst
	}
	return tg.score(dst, scan.Text, toks, keep)
}

// put returns sc to the pool, without the buffers of a huge text: keeping
// those would pin the memory for the life of the Tagger.
func (tg *Tagger) put(sc *scratch) {
	if cap(sc.tz.scan.Lower) > 1<<20 {
		sc.tz.scan = chorustext.Scan{}
	}
	sc.tz.scan.Text = ""
	tg.pool.Put(sc)
}

// kept tokenises the scanned text and returns its tokens and the hits that
// survive rules, excludes and overlaps, grouped by topic (see resolve).
// Both slices live in sc. Tag and Scores both start here, so they see the
// same hits.
func (tg *Tagger) kept(sc *scratch, scan *chorustext.Scan) ([]token, []hit) {
	toks := sc.tz.tokenizeScan(scan, &sc.res)
	hits := tg.findHits(toks, sc.hits[:0])
	sc.hits = hits
	if len(hits) == 0 {
		return toks, nil
	}
	keep := tg.resolve(toks, hits, sc.keep[:0])
	sc.keep = keep
	return toks, keep
}

// findHits appends every occurrence of every entry, excludes included.
func (tg *Tagger) findHits(toks []token, hits []hit) []hit {
	for i := range toks {
		id := toks[i].id
		if id < 0 {
			continue
		}
	next:
		for _, ref := range tg.starts[id] {
			n := int(ref.n)
			if i+n > len(toks) {
				continue
			}
			if n > 1 {
				seq := tg.seqs[ref.off : ref.off+ref.n]
				for k := 1; k < n; k++ {
					t := toks[i+k]
					if t.id != seq[k] || t.flags&flagBoundary != 0 {
						continue next
					}
				}
			}
			hits = append(hits, hit{entry: ref.entry, start: int32(i), end: int32(i + n)})
		}
	}
	return hits
}

// resolve drops hits that fail their rules or overlap an exclude of their
// topic, then keeps, per topic, the leftmost-longest non-overlapping hits.
func (tg *Tagger) resolve(toks []token, hits []hit, keep []hit) []hit {
	nExcl := 0
	for _, h := range hits {
		if tg.entries[h.entry].exclude {
			nExcl++
		}
	}
	for _, h := range hits {
		e := &tg.entries[h.entry]
		if e.exclude {
			continue
		}
		if len(e.rules) > 0 && !tg.rulesHold(toks, h, e.rules) {
			continue
		}
		if nExcl > 0 && tg.vetoed(h, e.topic, hits) {
			continue
		}
		keep = append(keep, h)
	}
	slices.SortFunc(keep, func(a, b hit) int {
		if ta, tb := tg.entries[a.entry].topic, tg.entries[b.entry].topic; ta != tb {
			return ta - tb
		}
		if a.start != b.start {
			return int(a.start - b.start)
		}
		return int(b.end - a.end)
	})
	out := keep[:0]
	lastTopic, lastEnd := -1, int32(0)
	for _, h := range keep {
		t := tg.entries[h.entry].topic
		if t != lastTopic {
			lastTopic, lastEnd = t, 0
		}
		if h.start < lastEnd {
			continue
		}
		out = append(out, h)
		lastEnd = h.end
	}
	return out
}

// vetoed reports whether an exclude of topic overlaps h.
func (tg *Tagger) vetoed(h hit, topic int, hits []hit) bool {
	for _, x := range hits {
		xe := &tg.entries[x.entry]
		if xe.exclude && xe.topic == topic && x.start < h.end && h.start < x.end {
			return true
		}
	}
	return false
}

// rulesHold reports whether any of the rules holds for hit h.
func (tg *Tagger) rulesHold(toks []token, h hit, rules []rule) bool {
	for i := range rules {
		if tg.ruleHolds(toks, h, &rules[i]) {
			return true
		}
	}
	return false
}

func (tg *Tagger) ruleHolds(toks []token, h hit, r *rule) bool {
	if r.caseMode != "" {
		var need uint8
		switch r.caseMode {
		case "upper":
			need = flagUpper
		case "lower":
			need = flagLower
		case "title":
			need = flagTitle | flagUpper // "Branch" or "BRANCH": written as a name
		}
		for i := h.start; i < h.end; i++ {
			if toks[i].flags&need == 0 {
				return false
			}
		}
	}
	if r.unlessShouting && shouting(toks, h) {
		return false
	}
	lo, hi := int(h.start)-r.window, int(h.end)+r.window
	if lo < 0 {
		lo = 0
	}
	if hi > len(toks) {
		hi = len(toks)
	}
	if len(r.near) > 0 && !anyNear(toks, lo, hi, h, r.near) {
		return false
	}
	if len(r.notNear) > 0 && anyNear(toks, lo, hi, h, r.notNear) {
		return false
	}
	return true
}

// shouting reports whether most of the words around h are in capitals, in
// which case capitals tell nothing about a word ("LEFT IT ALONE").
func shouting(toks []token, h hit) bool {
	upper, counted := 0, 0
	for i := int(h.start) - 3; i < int(h.end)+3; i++ {
		if i < 0 || i >= len(toks) || (i >= int(h.start) && i < int(h.end)) {
			continue
		}
		if toks[i].end-toks[i].start < 2 {
			continue
		}
		counted++
		if toks[i].flags&flagUpper != 0 {
			upper++
		}
	}
	return upper >= 2 && upper*2 > counted
}

// anyNear reports whether one of seqs occurs in toks[lo:hi] outside h.
func anyNear(toks []token, lo, hi int, h hit, seqs [][]int32) bool {
	for i := lo; i < hi; i++ {
		if i >= int(h.start) && i < int(h.end) {
			continue
		}
	next:
		for _, seq := range seqs {
			if i+len(seq) > len(toks) {
				continue
			}
			for k, id := range seq {
				if toks[i+k].id != id {
					continue next
				}
			}
			return true
		}
	}
	return false
}

// score appends the matches of the topics whose score reaches their
// threshold to out. Hits arrive grouped by topic, in text order within a
// topic.
func (tg *Tagger) score(out []Match, text string, toks []token, keep []hit) []Match {
	for i := 0; i < len(keep); {
		t, j := tg.topicRun(keep, i)
		group := keep[i:j]
		i = j
		total := tg.groupScore(group)
		if !Reaches(total, tg.topics[t].threshold) {
			continue
		}
		out = append(out, Match{Topic: tg.topics[t].name, Score: round3(total), Evidence: tg.evidence(text, toks, group)})
	}
	return out
}

// topicRun returns the topic of keep[i] and the end of its run of hits.
func (tg *Tagger) topicRun(keep []hit, i int) (topic, end int) {
	t := tg.entries[keep[i].entry].topic
	j := i
	for j < len(keep) && tg.entries[keep[j].entry].topic == t {
		j++
	}
	return t, j
}

// groupScore sums one topic's kept hits. Each entry scores its weight once,
// plus half again for each of up to two repeats: repetition is a sign the
// comment is about it.
func (tg *Tagger) groupScore(group []hit) float64 {
	var total float64
	for a, h := range group {
		e := &tg.entries[h.entry]
		n := 0
		first := true
		for b, g := range group {
			if g.entry == h.entry {
				if b < a {
					first = false
					break
				}
				n++
			}
		}
		if !first {
			continue
		}
		reps := n - 1
		if reps > 2 {
			reps = 2
		}
		total += e.weight * (1 + 0.5*float64(reps))
	}
	return total
}

// Reaches reports whether a topic score reaches a threshold. The small
// tolerance keeps sums such as 0.6+0.4 from missing a threshold of 1 by
// rounding; every comparison of a score with a threshold goes through it.
func Reaches(score, threshold float64) bool { return score+1e-9 >= threshold }

// evidence lists the surface forms of a topic's hits, weightiest first.
func (tg *Tagger) evidence(text string, toks []token, group []hit) []string {
	type ev struct {
		surface string
		weight  float64
		pos     int32
	}
	// Most topics have a few hits: keep them on the stack.
	var arr [8]ev
	evs := arr[:0]
outer:
	for _, h := range group {
		s := text[toks[h.start].start:toks[h.end-1].end]
		if h.end-h.start > 1 && !singleSpaced(s) {
			s = strings.Join(strings.Fields(s), " ") // a phrase may span a line break
		}
		for _, e := range evs {
			if strings.EqualFold(e.surface, s) {
				continue outer
			}
		}
		evs = append(evs, ev{s, tg.entries[h.entry].weight, h.start})
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		if a.weight != b.weight {
			if a.weight > b.weight {
				return -1
			}
			return 1
		}
		return int(a.pos - b.pos)
	})
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.surface
	}
	return out
}

// singleSpaced reports whether strings.Join(strings.Fields(s), " ") is s
// itself: s is ASCII, neither starts nor ends with a space, and its only
// white space is single ' ' bytes (Fields splits on unicode.IsSpace, which
// in ASCII is '\t', '\n', '\v', '\f', '\r' and ' ').
func singleSpaced(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c >= '\t' && c <= '\r':
			return false
		case c == ' ' && s[i-1] == ' ':
			return false
		}
	}
	return true
}

func round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}
