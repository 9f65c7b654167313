package synth

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"chorus/corpus"
)

// Shapes names the comment shapes Generate writes: "real" (the default)
// draws comments shaped like the seed dumps' (seeds.go) from an invented
// vocabulary (vocab.go); "short" is the generator the benchmarks used
// before, which recombines sentences of the bundled sample into comments of
// about 220 bytes, kept so that older figures can be reproduced.
func Shapes() []string { return []string{"real", "short"} }

// piece is part of a compiled template: literal text, or a slot to fill.
type piece struct {
	lit  string
	slot int // index into grammar.lists, slotThing, or -1 for literal text
}

// The slots filled from the comment's themes or the neutral lists.
const (
	slotThing  = -2
	slotOrg    = -3
	slotPeople = -4
)

type template []piece

// grammar is the compiled vocabulary, built once and shared read-only by
// every worker.
type grammar struct {
	lists        [][]string
	clauses      []template
	questions    []template
	shorts       []string // sorted by length
	themeWeights []float64
	// Theme k's clauses and words; general and the org and people lists
	// of slotWords are the neutral ones.
	themeClauses [][]template
	themeOrgs    [][]string
	themePeople  [][]string
	things       [][]thing
	general      []thing
	orgs, people []string
}

// themeClauseShare is the chance that a clause of a comment with themes is
// one of its themes' own; themeWordShare the chance that an {org} or
// {people} slot of any clause is filled from a theme (when the theme has
// such words), and themeThingShare the same for {thing}.
const (
	themeClauseShare = 0.35
	themeWordShare   = 0.5
	themeThingShare  = 0.75
)

// thing is a {thing} word and whether the verb after it is plural.
type thing struct {
	text   string
	plural bool
}

func things(list []string) []thing {
	out := make([]thing, len(list))
	for k, w := range list {
		text, plural := strings.CutSuffix(w, "+")
		out[k] = thing{text, plural}
	}
	return out
}

// pluralVerbs are the verbs templates put after {thing}, in their
// singular and plural forms.
var pluralVerbs = [][2]string{{" is ", " are "}, {" was ", " were "}, {" has ", " have "}, {" takes ", " take "}}

var compiledGrammar = sync.OnceValues(compileGrammar)

func compileGrammar() (*grammar, error) {
	g := &grammar{}
	index := map[string]int{}
	names := make([]string, 0, len(slotWords))
	for name := range slotWords {
		names = append(names, name)
	}
	sort.Strings(names) // a fixed order: slot indexes must not depend on map order
	for _, name := range names {
		index[name] = len(g.lists)
		g.lists = append(g.lists, slotWords[name])
	}
	compile := func(s string) (template, error) {
		var t template
		for s != "" {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				t = append(t, piece{lit: s, slot: -1})
				break
			}
			if open > 0 {
				t = append(t, piece{lit: s[:open], slot: -1})
			}
			end := strings.IndexByte(s[open:], '}')
			if end < 0 {
				return nil, fmt.Errorf("template %q: unclosed {", s)
			}
			name := s[open+1 : open+end]
			switch k, ok := index[name]; {
			case name == "thing":
				t = append(t, piece{slot: slotThing})
			case name == "org":
				t = append(t, piece{slot: slotOrg})
			case name == "people":
				t = append(t, piece{slot: slotPeople})
			case ok:
				t = append(t, piece{slot: k})
			default:
				return nil, fmt.Errorf("template %q: unknown slot {%s}", s, name)
			}
			s = s[open+end+1:]
		}
		return t, nil
	}
	for _, s := range clauseTemplates {
		t, err := compile(s)
		if err != nil {
			return nil, fmt.Errorf("synth vocabulary: %w", err)
		}
		g.clauses = append(g.clauses, t)
	}
	for _, s := range questionTemplates {
		t, err := compile(s)
		if err != nil {
			return nil, fmt.Errorf("synth vocabulary: %w", err)
		}
		g.questions = append(g.questions, t)
	}
	g.shorts = append([]string(nil), shortSentences...)
	sort.SliceStable(g.shorts, func(i, j int) bool { return len(g.shorts[i]) < len(g.shorts[j]) })
	for _, th := range themes {
		var ts []template
		for _, s := range th.clauses {
			t, err := compile(s)
			if err != nil {
				return nil, fmt.Errorf("synth vocabulary, theme %s: %w", th.name, err)
			}
			ts = append(ts, t)
		}
		g.themeClauses = append(g.themeClauses, ts)
		g.themeWeights = append(g.themeWeights, th.weight)
		g.themeOrgs = append(g.themeOrgs, th.orgs)
		g.themePeople = append(g.themePeople, th.people)
		g.things = append(g.things, things(th.things))
	}
	g.general = things(generalThings)
	g.orgs, g.people = slotWords["org"], slotWords["people"]
	return g, nil
}

// realPostSize draws a post's comment count from the log-normal fitted to
// the seed posts' counts, between 1 and 400.
func realPostSize(r *rng) int {
	var mu, sd float64
	for _, n := range seedPostComments {
		mu += math.Log(float64(n))
	}
	mu /= float64(len(seedPostComments))
	for _, n := range seedPostComments {
		d := math.Log(float64(n)) - mu
		sd += d * d
	}
	sd = math.Sqrt(sd / float64(len(seedPostComments)-1))
	n := int(math.Round(math.Exp(mu + sd*r.normal())))
	return min(max(n, 1), 400)
}

// normal draws a standard normal number (Box-Muller, one of the pair).
func (r *rng) normal() float64 {
	u1 := (float64(r.next()>>11) + 1) / (1 << 53) // (0, 1]
	u2 := float64(r.next()>>11) / (1 << 53)
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// uniform draws a number in [0, 1).
func (r *rng) uniform() float64 { return float64(r.next()>>11) / (1 << 53) }

// pick returns a random element of list.
func pick(r *rng, list []string) string { return list[r.intn(len(list))] }

// drawLength draws a comment length in bytes from the distribution through
// the seeds' length quantiles that is log-linear between them (linear would
// lift the mean in the long tail, to 479 bytes against the seeds' 469; this
// gives 475).
func drawLength(r *rng) int {
	u := r.uniform()
	k := sort.SearchFloat64s(seedLengthPoints, u) // seedLengthPoints[k-1] < u <= seedLengthPoints[k]
	if k == 0 {
		return seedLengths[0]
	}
	lo, hi := seedLengthPoints[k-1], seedLengthPoints[k]
	a, b := float64(seedLengths[k-1]), float64(seedLengths[k])
	return int(math.Round(a * math.Pow(b/a, (u-lo)/(hi-lo))))
}

func bandOf(length int) lengthBand {
	for _, b := range seedBands {
		if length <= b.upTo {
			return b
		}
	}
	return seedBands[len(seedBands)-1]
}

// Feature rates of the real shape beside SeedShape's.
const (
	// realURLOwnLine is the share of links on a line of their own.
	realURLOwnLine = float64(seedLinksOwn) / seedLinks
	realSignOffs   = float64(seedSignedOff) / seedCountedComm
)

// realComment draws the text of comment i of post p (whose earlier comments
// are in p.comments) in the real shape: a length from the seeds'
// distribution, sentences and paragraphs as the seeds' comments of that
// length have them, and the seeds' rates of time references, quotes, links
// and sign-offs.
func (gen *generator) realComment(r *rng, p *gPost, i, parent int) string {
	g := gen.grammar
	var themesOf [4]int
	th := themesOf[:0]
	for k, w := range g.themeWeights {
		if len(th) < cap(th) && r.chance(w) {
			th = append(th, k)
		}
	}
	target := drawLength(r)
	band := bandOf(target)

	// Extras take their bytes out of the sentences' budget.
	var prefix, url, signOff string
	if i > 0 && r.chance(SeedShape.TimeRefs) {
		ref := parent
		if ref < 0 || r.chance(0.3) {
			ref = r.intn(i)
		}
		prefix = timeRefPrefix(r, p.comments[ref].at.Format(pick(r, []string{"15.04", "15:04"})))
	}
	multi := r.chance(band.multi)
	// A link or a sign-off on a line of its own is a paragraph, so only a
	// comment of several paragraphs has one; links are shared between
	// single- and multi-paragraph comments to give the seeds' share of
	// links on their own line.
	pURL := SeedShape.URLs * (1 - realURLOwnLine) / (1 - SeedShape.MultiParagraph)
	if multi {
		pURL = SeedShape.URLs * realURLOwnLine / SeedShape.MultiParagraph
	}
	if r.chance(pURL) {
		url = inventURL(r)
	}
	urlOwnLine := url != "" && multi
	if multi && r.chance(realSignOffs/SeedShape.MultiParagraph) {
		signOff = pick(r, signOffs)
	}
	budget := target - len(prefix) - len(url) - len(signOff)
	budget = max(budget, 8)

	bps := band.single
	if multi {
		bps = band.multiPara
	}
	sentences := max(1, int(math.Round(float64(budget)/bps*(0.7+0.6*r.uniform()))))
	paras := 1
	if multi {
		// 2 + a geometric number with the band's mean.
		paras = 2
		extra := band.parasOfMulti - 2
		for extra > 0 && r.chance(extra/(extra+1)) {
			paras++
		}
		sentences = max(sentences, paras) // a paragraph holds a sentence at least
	}
	if urlOwnLine || signOff != "" {
		paras-- // the link or the sign-off is a paragraph of its own
	}
	paras = max(paras, 1)
	quoteAt := -1
	if r.chance(SeedShape.Quotes) {
		quoteAt = r.intn(sentences)
	}

	// Share the budget among the sentences, the spaces between them
	// included, with random weights.
	var wsum float64
	weights := make([]float64, sentences)
	for k := range weights {
		weights[k] = 0.4 + r.uniform()
		wsum += weights[k]
	}
	text := make([]byte, 0, target+64)
	// Paragraph breaks go after random sentences.
	breaks := make([]bool, sentences)
	for placed := 1; placed < paras; {
		k := r.intn(sentences - 1)
		if !breaks[k] {
			breaks[k] = true
			placed++
		}
	}
	for k := range sentences {
		want := int(float64(budget-(sentences-1))*weights[k]/wsum + 0.5)
		start := len(text)
		if k == 0 {
			text = append(text, prefix...)
		}
		if k == quoteAt {
			text = g.quoteSentence(r, text, want, p, i, th)
		} else {
			text = g.sentence(r, text, want-(len(text)-start), th, k == 0 && prefix != "")
		}
		if url != "" && !urlOwnLine && k == sentences-1 {
			text = append(text, " See "...)
			text = append(text, url...)
		}
		switch {
		case k == sentences-1:
		case breaks[k]:
			text = append(text, '\n')
		default:
			text = append(text, ' ')
		}
	}
	if urlOwnLine {
		text = append(text, '\n')
		text = append(text, url...)
	}
	if signOff != "" {
		text = append(text, '\n')
		text = append(text, signOff...)
	}
	return string(text)
}

// timeRefPrefix is how a comment names the one it answers, by its time.
func timeRefPrefix(r *rng, t string) string {
	switch r.intn(8) {
	case 0:
		return "Anon " + t + " - "
	case 1:
		return "@" + t + " "
	case 2:
		return "Agree with " + t + " - "
	case 3:
		return t + " is spot on, "
	case 4:
		return "To " + t + ": "
	case 5:
		return "Re " + t + ", "
	default:
		return t + " "
	}
}

// inventURL makes a link on one of the reserved example domains.
func inventURL(r *rng) string {
	var b strings.Builder
	if r.chance(0.85) {
		b.WriteString(pick(r, []string{"https://", "http://"}))
	}
	host := pick(r, urlHosts)
	if b.Len() == 0 && !strings.HasPrefix(host, "www.") {
		host = "www." + host
	}
	b.WriteString(host)
	for range 1 + r.intn(3) {
		b.WriteByte('/')
		b.WriteString(pick(r, urlWords))
	}
	b.WriteByte('/')
	for k := range 2 + r.intn(4) {
		if k > 0 {
			b.WriteByte('-')
		}
		b.WriteString(pick(r, urlWords))
	}
	return b.String()
}

// sentence appends one sentence of about want bytes. afterPrefix says the
// sentence continues a time reference and is not capitalised when the
// reference ends in a comma, colon or dash.
func (g *grammar) sentence(r *rng, b []byte, want int, th []int, afterPrefix bool) []byte {
	start := len(b)
	if want < 28 {
		// The short sentence nearest want, give or take a few bytes.
		lo := sort.Search(len(g.shorts), func(k int) bool { return len(g.shorts[k]) >= want-5 })
		hi := sort.Search(len(g.shorts), func(k int) bool { return len(g.shorts[k]) > want+5 })
		if lo >= hi {
			lo, hi = max(0, min(lo, len(g.shorts)-1)), max(1, min(lo+1, len(g.shorts)))
		}
		return append(b, g.shorts[lo+r.intn(hi-lo)]...)
	}
	end := "."
	switch u := r.uniform(); {
	case u < 0.1:
		b = g.fill(r, b, g.questions[r.intn(len(g.questions))], th)
		end = "?"
	default:
		if want > 60 && r.chance(0.2) {
			b = append(b, pick(r, openers)...)
		}
		b = g.fill(r, b, g.clause(r, th), th)
		switch {
		case u < 0.17:
			end = "!"
		case u < 0.19:
			end = "!!"
		case u < 0.21:
			end = "..."
		}
	}
	b = g.moreClauses(r, b, start, want-len(end), th)
	if !afterPrefix || endsSentence(b[:start]) {
		capitalise(b[start:])
	}
	return append(b, end...)
}

// quoteSentence appends a sentence of about want bytes that quotes either a
// few words of an earlier comment of the post or an official phrase.
func (g *grammar) quoteSentence(r *rng, b []byte, want int, p *gPost, i int, th []int) []byte {
	q := ""
	if i > 0 && r.chance(0.5) {
		q = firstWords(p.comments[r.intn(i)].text, 3+r.intn(6))
	}
	if q == "" {
		q = pick(r, officialQuotes)
	}
	start := len(b)
	switch r.intn(4) {
	case 0:
		b = append(b, "You say \""...)
		b = append(b, q...)
		b = append(b, "\" but "...)
		b = g.fill(r, b, g.clause(r, th), th)
	case 1:
		b = append(b, "So much for \""...)
		b = append(b, q...)
		b = append(b, "\" when "...)
		b = g.fill(r, b, g.clause(r, th), th)
	case 2:
		b = append(b, "As "...)
		b = append(b, pick(r, quoteSources)...)
		b = append(b, " put it, \""...)
		b = append(b, q...)
		b = append(b, "\", and "...)
		b = g.fill(r, b, g.clause(r, th), th)
	default:
		b = append(b, "We were told \""...)
		b = append(b, q...)
		b = append(b, "\" "...)
		b = append(b, pick(r, slotWords["when"])...)
	}
	b = g.moreClauses(r, b, start, want-1, th)
	capitalise(b[start:])
	return append(b, '.')
}

// firstWords returns the first n words of text's first sentence, lower
// case at the start and without closing punctuation, or "" when it has
// fewer than three words.
func firstWords(text string, n int) string {
	if k := strings.IndexAny(text, ".!?\n"); k >= 0 {
		text = text[:k]
	}
	words := strings.Fields(text)
	if len(words) < 3 {
		return ""
	}
	words = words[:min(n, len(words))]
	q := strings.Join(words, " ")
	q = strings.TrimRight(q, ",;:-\"")
	if strings.ContainsAny(q, "\"@") || strings.Count(q, " ") < 2 {
		return ""
	}
	if c := q[0]; c >= 'A' && c <= 'Z' && (len(q) < 2 || q[1] < 'A' || q[1] > 'Z') {
		q = string(c+'a'-'A') + q[1:]
	}
	return q
}

// fill appends t with its slots filled.
func (g *grammar) fill(r *rng, b []byte, t template, th []int) []byte {
	plural := false // the last {thing} was plural and its verb is next
	for _, pc := range t {
		switch {
		case pc.slot == -1:
			lit := pc.lit
			if plural {
				for _, v := range pluralVerbs {
					if rest, ok := strings.CutPrefix(lit, v[0]); ok {
						b = append(b, v[1]...)
						lit = rest
						break
					}
				}
			}
			b = append(b, lit...)
			plural = false
		case pc.slot == slotThing:
			list := g.general
			if len(th) > 0 && r.chance(themeThingShare) {
				list = g.things[th[r.intn(len(th))]]
			}
			w := list[r.intn(len(list))]
			b = append(b, w.text...)
			plural = w.plural
		case pc.slot == slotOrg || pc.slot == slotPeople:
			list, themed := g.orgs, g.themeOrgs
			if pc.slot == slotPeople {
				list, themed = g.people, g.themePeople
			}
			if len(th) > 0 && r.chance(themeWordShare) {
				if l := themed[th[r.intn(len(th))]]; len(l) > 0 {
					list = l
				}
			}
			b = append(b, pick(r, list)...)
			plural = false
		default:
			b = append(b, pick(r, g.lists[pc.slot])...)
			plural = false
		}
	}
	return b
}

// clause picks a clause template for a comment with themes th.
func (g *grammar) clause(r *rng, th []int) template {
	if len(th) > 0 && r.chance(themeClauseShare) {
		ts := g.themeClauses[th[r.intn(len(th))]]
		return ts[r.intn(len(ts))]
	}
	return g.clauses[r.intn(len(g.clauses))]
}

// moreClauses appends clauses, joined by connectors, while the sentence begun
// at start is shorter than want: a clause that would overshoot want by more
// than the sentence now falls short is taken back, so sentences come out
// about as long as asked, not longer.
func (g *grammar) moreClauses(r *rng, b []byte, start, want int, th []int) []byte {
	for n := 0; len(b)-start < want && n < 12; n++ {
		before := len(b)
		b = append(b, pick(r, connectors)...)
		b = g.fill(r, b, g.clause(r, th), th)
		if len(b)-start-want > want-(before-start) {
			return b[:before]
		}
	}
	return b
}

// capitalise upper-cases the first letter of b, if it is an ASCII one.
func capitalise(b []byte) {
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
}

// endsSentence reports whether b is empty or ends a sentence (". ", "? "),
// so what follows starts with a capital.
func endsSentence(b []byte) bool {
	s := strings.TrimRight(string(b), " ")
	return s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// repeatsParagraph reports whether text holds a paragraph repeating an
// earlier one (which a reader would drop).
func repeatsParagraph(text string) bool {
	if strings.IndexByte(text, '\n') < 0 {
		return false
	}
	seen := map[string]bool{}
	for para := range strings.SplitSeq(text, "\n") {
		k := corpus.NormalizeText(para)
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}
