package vader

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"chorus/models/text"
)

// scratch holds the per-call buffers, reused through the Analyzer's pool.
type scratch struct {
	text  []byte    // text with emoji replaced (only when it has any)
	lower []byte    // lowercase forms: the scan's Lower, or own
	own   []byte    // a copy of the scan's Lower plus the non-ASCII tokens' forms
	key   []byte    // phrase key under construction
	toks  []token   // one per whitespace-separated token
	sent  []float64 // valence per token
	nz    []int32   // indices of nonzero valences (for the "but" rule)
	scan  text.Scan // the text's fields, when the caller did not scan it
}

// token is one whitespace-separated word as the rules see it.
type token struct {
	ls, le    int32   // lowercase form: lower[ls:le]
	s, e      int32   // the token in the text tokenised: text[s:e]
	val       float64 // lexicon valence (if fLex), or the phrase's if plen > 0
	flags     uint8   // wordInfo flags plus per-token fUpper, fNeg ("n't"), fCovered
	tag       uint8
	phraseMax uint8
	plen      uint8 // words in the phrase matched here (0: none)
	// term is the word's wordTable entry number (0: not in the table), or
	// when plen > 0 the matched phrase's index in Analyzer.phraseList: a
	// contribution's Term is read from there without allocating.
	term int32
}

// lexLike reports whether the reference would find token j "in the lexicon";
// a matched phrase counts as a lexicon item at its first word.
func lexLike(toks []token, j int) bool {
	return toks[j].flags&fLex != 0 || toks[j].plen > 0
}

func (a *Analyzer) score(scan *text.Scan, sc *scratch) Scores {
	s, ok := a.valences(scan, sc)
	if !ok {
		return Scores{}
	}
	return finalScores(sc.sent, strings.Count(s, "!"), strings.Count(s, "?"))
}

// valences fills sc.toks and sc.sent, the valence of each token after
// every rule, for the scanned text; it returns the text as scored (with
// emoji replaced) and false when it has no token.
func (a *Analyzer) valences(scan *text.Scan, sc *scratch) (string, bool) {
	s := scan.Text
	a.tokens(scan, sc)
	// Only a text with a non-ASCII byte can hold an emoji to replace (and
	// need a second scan, of the rewritten text).
	if scan.NonASCII && a.hasEmoji(s) {
		s = a.replaceEmoji(s, sc)
		a.tokenise(s, sc)
	}
	if len(sc.toks) == 0 {
		// Trace reads sc.sent: leave no valences of an earlier text in it.
		sc.sent = sc.sent[:0]
		return s, false
	}
	a.rules(sc)
	return s, true
}

// rules fills sc.sent with the valence of each token of sc.toks (at least
// one) after every rule. It reads only the tokens, so it scores a run of
// tokens of a longer text exactly as it scores the text holding just that
// run (see Split).
func (a *Analyzer) rules(sc *scratch) {
	toks := sc.toks
	n := len(toks)
	if len(a.phrases) > 0 {
		a.matchPhrases(sc)
	}

	// Caps emphasis applies only when some, but not all, tokens are ALL CAPS.
	upper := 0
	for i := range toks {
		upper += int(toks[i].flags&fUpper) / int(fUpper)
	}
	capDiff := upper > 0 && upper < n

	sent := slices.Grow(sc.sent[:0], n)[:n]
	sc.sent = sent
	for i := range toks {
		t := &toks[i]
		switch {
		case t.flags&(fLex|fCovered|fBoost) == fLex && t.plen == 0 &&
			(t.tag != tagKind || i == n-1 || toks[i+1].tag != tagOf):
			sent[i] = valenceAt(toks, i, capDiff)
		case t.plen > 0:
			sent[i] = valenceAt(toks, i, capDiff)
		default:
			// Not in the lexicon, a booster, "kind" of "kind of", or inside
			// a phrase: no valence of its own.
			sent[i] = 0
		}
	}
	a.butCheck(sc)
}

// hasEmoji reports whether text holds a code point of the emoji lexicon.
func (a *Analyzer) hasEmoji(text string) bool {
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if _, ok := a.emoji[r]; ok {
			return true
		}
		i += size
	}
	return false
}

// replaceEmoji swaps each emoji for its description as the reference does
// (a space before it unless one is already there, none after). It costs one
// allocation, for the rewritten text; only texts with emoji pay it.
func (a *Analyzer) replaceEmoji(text string, sc *scratch) string {
	buf := sc.text[:0]
	prevSpace := true
	for j := 0; j < len(text); {
		if c := text[j]; c < utf8.RuneSelf {
			buf = append(buf, c)
			prevSpace = c == ' '
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		if d, ok := a.emoji[r]; ok {
			if !prevSpace {
				buf = append(buf, ' ')
			}
			buf = append(buf, d...)
		} else {
			buf = append(buf, text[j:j+size]...)
		}
		prevSpace = false
		j += size
	}
	sc.text = buf
	return string(buf)
}

// tokenise scans s into sc.scan and reads its tokens (tokens).
func (a *Analyzer) tokenise(s string, sc *scratch) (nonASCII bool) {
	sc.scan.Reset(s)
	a.tokens(&sc.scan, sc)
	return sc.scan.NonASCII
}

// tokens reads the tokens of scan into sc: its white space fields, which
// are Python's str.split words, with punctuation stripped as the reference
// does, lower-cased into sc.lower and looked up once.
//
// An ASCII token's lower-case form is scan.Lower at the token's own
// offsets; in a text with a non-ASCII byte sc.lower is a copy of
// scan.Lower, and a token with a non-ASCII byte is lower-cased by Python's
// rules after it (addTokenSlow).
func (a *Analyzer) tokens(scan *text.Scan, sc *scratch) {
	sc.toks = slices.Grow(sc.toks[:0], len(scan.Fields))
	s := scan.Text
	// An ASCII text's lower-case forms are the scan's own bytes; a text
	// with non-ASCII bytes gets a copy, after which addTokenSlow appends.
	lb := scan.Lower // 8 bytes of slack past s
	if scan.NonASCII {
		sc.own = append(sc.own[:0], scan.Lower...)
		lb = sc.own
	}
	for _, f := range scan.Fields {
		start, end := int(f.S), int(f.E)
		if f.Flags&text.FieldHigh != 0 {
			sc.lower = lb
			a.addTokenSlow(sc, s[start:end], start)
			lb = sc.lower
			continue
		}
		ws, we := start, end
		if byteClass[s[start]]&cPunct != 0 || byteClass[s[end-1]]&cPunct != 0 {
			a0, b0 := stripPunctSpan(s[start:end])
			ws, we = start+a0, start+b0
		}
		t := token{ls: int32(ws), le: int32(we), s: int32(start), e: int32(end)}
		// Stripping removes only punctuation, so the letter classes of the
		// whole token are those of the word.
		if f.Flags&(text.FieldUpper|text.FieldLower) == text.FieldUpper {
			t.flags = fUpper
		}
		w := lb[ws:we]
		first := binary.LittleEndian.Uint64(lb[ws:]) // lb has 8 bytes of room past s
		if n := we - ws; n < 8 {
			first &= 1<<(8*uint(n)) - 1
		}
		a.fill(&t, w, hashPadded(lb, ws, we-ws), first)
		if f.Flags&text.FieldApos != 0 && t.flags&fNeg == 0 && bytes.Contains(w, []byte("n't")) {
			t.flags |= fNeg
		}
		sc.toks = append(sc.toks, t)
	}
	sc.lower = lb
	if scan.NonASCII {
		sc.own = lb
	}
}

// addTokenSlow handles tokens with non-ASCII characters, using Python's
// Unicode case rules. It appends the lowercase form to sc.lower.
// The token is s[at:at+len(tok)] of the text tokenised.
func (a *Analyzer) addTokenSlow(sc *scratch, tok string, at int) {
	ws, we := stripPunctSpan(tok)
	w := tok[ws:we]
	ls := len(sc.lower)
	sc.lower = appendLowerPy(sc.lower, w)
	dst := sc.lower[ls:]
	t := token{ls: int32(ls), le: int32(len(sc.lower)), s: int32(at), e: int32(at + len(tok))}
	if isUpperPy(w) {
		t.flags = fUpper
	}
	a.fill(&t, dst, hashKey(dst), firstWord(dst))
	if t.flags&fNeg == 0 && bytes.Contains(dst, []byte("n't")) {
		t.flags |= fNeg
	}
	sc.toks = append(sc.toks, t)
}

// fill copies what the tables know about the lowercase word into t.
func (a *Analyzer) fill(t *token, lower []byte, h, first uint64) {
	if i := a.table.lookup(lower, h, first); i != 0 {
		w := a.table.info(i)
		t.val, t.tag, t.phraseMax = w.val, w.tag, w.phraseMax
		t.flags |= w.flags
		t.term = i
	}
}

// matchPhrases marks, at each word, the longest multi-word key starting
// there; the words it covers are not scored on their own.
//
// Every word after the first of a phrase is marked fPhraseWord in the
// table, so a phrase of l words can start at i only if the l-1 tokens after
// it are all so marked: longer candidates are skipped without building
// their keys.
func (a *Analyzer) matchPhrases(sc *scratch) {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		m := min(int(toks[i].phraseMax), len(toks)-i)
		if m < 2 {
			continue
		}
		// toks[i] and toks[i+1] still hold their table entries: a match
		// rewrites only the token it starts at, and skips those it covers.
		if f := a.phrasePairs; f != nil {
			if k := pairBit(toks[i].term, toks[i+1].term); f[k/64]&(1<<(k%64)) == 0 {
				continue
			}
		}
		run := 1
		for run < m && toks[i+run].flags&fPhraseWord != 0 {
			run++
		}
		for l := run; l >= 2; l-- {
			p, ok := a.phrases[string(a.phraseKey(sc, i, l))]
			if !ok {
				continue
			}
			toks[i].plen, toks[i].val, toks[i].term = uint8(l), a.phraseList[p].val, p
			for j := i + 1; j < i+l; j++ {
				toks[j].flags |= fCovered
			}
			i += l - 1
			break
		}
	}
}

// phraseKey joins the lowercase forms of l tokens from i into sc.key.
func (a *Analyzer) phraseKey(sc *scratch, i, l int) []byte {
	k := sc.key[:0]
	for j := i; j < i+l; j++ {
		if j > i {
			k = append(k, ' ')
		}
		k = append(k, sc.lower[sc.toks[j].ls:sc.toks[j].le]...)
	}
	sc.key = k
	return k
}

// valenceAt is the reference sentiment_valence for the lexicon item at i.
func valenceAt(toks []token, i int, capDiff bool) float64 {
	t := &toks[i]
	base := t.val
	upper := t.flags&fUpper != 0
	if t.plen > 0 {
		for j := i + 1; j < i+int(t.plen); j++ {
			upper = upper && toks[j].flags&fUpper != 0
		}
	}
	v := base
	n := len(toks)
	// "no" before another lexicon item negates it rather than counting
	// itself (the word "no" only: a phrase such as "no way" keeps its value).
	if t.tag == tagNo && t.plen == 0 && i != n-1 && lexLike(toks, i+1) {
		v = 0
	}
	if (i > 0 && toks[i-1].tag == tagNo) ||
		(i > 1 && toks[i-2].tag == tagNo) ||
		(i > 2 && toks[i-3].tag == tagNo && (toks[i-1].tag == tagOr || toks[i-1].tag == tagNor)) {
		v = float64(base * nScalar)
	}
	if upper && capDiff {
		if v > 0 {
			v += cIncr
		} else {
			v -= cIncr
		}
	}
	for start := 0; start < 3; start++ {
		j := i - start - 1
		if j < 0 || lexLike(toks, j) {
			continue
		}
		s := scalarIncDec(&toks[j], v, capDiff)
		if start == 1 && s != 0 {
			s = float64(s * 0.95)
		}
		if start == 2 && s != 0 {
			s = float64(s * 0.9)
		}
		v += s
		v = negationCheck(v, toks, start, i)
		if start == 2 {
			v = specialIdioms(v, toks, i)
		}
	}
	return leastCheck(v, toks, i)
}

// scalarIncDec is the booster/dampener effect of word p on valence v.
func scalarIncDec(p *token, v float64, capDiff bool) float64 {
	if p.flags&fBoost == 0 {
		return 0
	}
	s := bIncr
	if p.flags&fDampen != 0 {
		s = bDecr
	}
	if v < 0 {
		s = -s
	}
	if p.flags&fUpper != 0 && capDiff {
		if v > 0 {
			s += cIncr
		} else {
			s -= cIncr
		}
	}
	return s
}

func isSoOrThis(t uint8) bool { return t == tagSo || t == tagThis }

// negationCheck applies the negation seen start+1 words before item i,
// with the reference's "never so/this" boost and "without doubt" exemption.
func negationCheck(v float64, toks []token, start, i int) float64 {
	switch start {
	case 0:
		if toks[i-1].flags&fNeg != 0 {
			v = float64(v * nScalar)
		}
	case 1:
		w2, w1 := toks[i-2].tag, toks[i-1].tag
		switch {
		case w2 == tagNever && isSoOrThis(w1):
			v = float64(v * 1.25)
		case w2 == tagWithout && w1 == tagDoubt:
		case toks[i-2].flags&fNeg != 0:
			v = float64(v * nScalar)
		}
	case 2:
		w3, w2, w1 := toks[i-3].tag, toks[i-2].tag, toks[i-1].tag
		switch {
		// As in the reference, "so"/"this" right before the item boosts
		// even without a "never" (Python's and/or precedence).
		case (w3 == tagNever && isSoOrThis(w2)) || isSoOrThis(w1):
			v = float64(v * 1.25)
		case w3 == tagWithout && (w2 == tagDoubt || w1 == tagDoubt):
		case toks[i-3].flags&fNeg != 0:
			v = float64(v * nScalar)
		}
	}
	return v
}

// specialIdioms is the reference _special_idioms_check (i >= 3). A tag of
// zero never matches, so untagged words short-circuit each lookup.
func specialIdioms(v float64, toks []token, i int) float64 {
	t0, t1, t2, t3 := toks[i].tag, toks[i-1].tag, toks[i-2].tag, toks[i-3].tag
	var t4, t5 uint8 // the words after the item, if any
	n := len(toks)
	if n-1 > i {
		t4 = toks[i+1].tag
	}
	if n-1 > i+1 {
		t5 = toks[i+2].tag
	}
	if t1 == 0 && t2 == 0 && (t0 == 0 || t4 == 0) {
		return v // every sequence below holds an untagged word
	}
	// The first match among these, in this order, sets the valence.
	if val, ok := special2(t1, t0); ok {
		v = val
	} else if val, ok := special3(t2, t1, t0); ok {
		v = val
	} else if val, ok := special2(t2, t1); ok {
		v = val
	} else if val, ok := special3(t3, t2, t1); ok {
		v = val
	} else if val, ok := special2(t3, t2); ok {
		v = val
	}
	// Then the item with the words after it, each overriding.
	if val, ok := special2(t0, t4); ok {
		v = val
	}
	if val, ok := special3(t0, t4, t5); ok {
		v = val
	}
	// Booster bigrams before the item add (the three-word join can never be
	// a booster: the reference has none of three words).
	if val, ok := boosterBigram(t3, t2); ok {
		v += val
	}
	if val, ok := boosterBigram(t2, t1); ok {
		v += val
	}
	return v
}

// leastCheck negates an item after "least" unless it reads "at least" or
// "very least".
func leastCheck(v float64, toks []token, i int) float64 {
	if i > 0 && !lexLike(toks, i-1) && toks[i-1].tag == tagLeast {
		if i == 1 || (toks[i-2].tag != tagAt && toks[i-2].tag != tagVery) {
			v = float64(v * nScalar)
		}
	}
	return v
}

// butCheck halves valences before the first "but" and boosts those after by
// half. It reproduces the reference loop exactly: for each value in turn,
// the reference rescales the first entry equal to it (list.index), which
// differs from rescaling that value's own position when values repeat.
// Zeros are skipped: rescaling a zero leaves it zero.
func (a *Analyzer) butCheck(sc *scratch) {
	bi := -1
	for i := range sc.toks {
		if sc.toks[i].tag == tagBut {
			bi = i
			break
		}
	}
	if bi < 0 {
		return
	}
	nz := sc.nz[:0]
	for i, v := range sc.sent {
		if v != 0 {
			nz = append(nz, int32(i))
		}
	}
	sc.nz = nz
	if len(nz) > butScanMax {
		butRescaleIndexed(sc.sent, nz, bi)
	} else {
		butRescaleScan(sc.sent, nz, bi)
	}
}

// butScanMax bounds the quadratic search; longer texts use an index.
const butScanMax = 256

// butRescale returns v rescaled for its position si relative to "but" at bi.
func butRescale(v float64, si, bi int) float64 {
	switch {
	case si < bi:
		return float64(v * 0.5)
	case si > bi:
		return float64(v * 1.5)
	}
	return v // "but" itself (only if a lexicon gives it a valence)
}

// butRescaleScan finds each first equal entry by a linear search over the
// nonzero entries nz: no allocation, fine for sentence-length texts.
func butRescaleScan(sent []float64, nz []int32, bi int) {
	for _, k := range nz {
		v := sent[k]
		si := int(k)
		for _, j := range nz {
			if sent[j] == v {
				si = int(j)
				break
			}
		}
		sent[si] = butRescale(v, si, bi)
	}
}

// butRescaleIndexed gives the same result in O(n log n) for long texts: it
// keeps, for every current value, a min-heap of the positions holding it.
func butRescaleIndexed(sent []float64, nz []int32, bi int) {
	at := make(map[float64]*posHeap)
	push := func(v float64, i int32) {
		h := at[v]
		if h == nil {
			h = &posHeap{}
			at[v] = h
		}
		heap.Push(h, i)
	}
	for _, k := range nz {
		push(sent[k], k)
	}
	for _, k := range nz {
		v := sent[k] // still its original value: only earlier entries change
		si := heap.Pop(at[v]).(int32)
		nv := butRescale(v, int(si), bi)
		sent[si] = nv
		push(nv, si)
	}
}

// posHeap is a min-heap of token positions.
type posHeap []int32

func (h posHeap) Len() int           { return len(h) }
func (h posHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h posHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *posHeap) Push(x any)        { *h = append(*h, x.(int32)) }
func (h *posHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// finalScores is the reference score_valence.
func finalScores(sent []float64, excl, quest int) Scores {
	// Plain left-to-right summation, as Python's sum() did up to 3.11 and as
	// the reference outputs were produced: Python 3.12+ sums floats with
	// Neumaier compensation, which changes 4 of the 23,703 ICWSM compounds
	// in the 4th decimal (checked by swapping it in here).
	sum, posSum, negSum, neu := 0.0, 0.0, 0.0, 0
	for _, v := range sent {
		sum += v
		switch {
		case v > 0:
			posSum += v + 1 // a word counts 1 as a neutral word does, plus its valence
		case v < 0:
			negSum += v - 1
		default:
			neu++
		}
	}
	punct := float64(float64(min(excl, 4)) * epIncr)
	if quest > 1 {
		if quest <= 3 {
			punct += float64(float64(quest) * qmIncr)
		} else {
			punct += qmMax
		}
	}
	if sum > 0 {
		sum += punct
	} else if sum < 0 {
		sum -= punct
	}
	compound := sum / math.Sqrt(float64(sum*sum)+alpha)
	compound = max(-1, min(1, compound))

	if posSum > math.Abs(negSum) {
		posSum += punct
	} else if posSum < math.Abs(negSum) {
		negSum -= punct
	}
	total := posSum + math.Abs(negSum) + float64(neu)
	// Products above are wrapped in float64() conversions, which forbid the
	// compiler from fusing them with the following addition (FMA on arm64):
	// the reference rounds every operation, and so must we for parity.
	return Scores{
		Compound: compound,
		Pos:      math.Abs(posSum / total),
		Neu:      math.Abs(float64(neu) / total),
		Neg:      math.Abs(negSum / total),
	}
}
