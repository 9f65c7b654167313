package topics

import (
	"context"
	"math"
	"sort"
	"strings"
)

// Suggestion is a candidate term or two-word phrase for the taxonomy.
type Suggestion struct {
	Term     string  // most frequent written form, lower case
	Count    int     // occurrences in the corpus
	Keyness  float64 // log-likelihood G2 against general English
	Examples []string
}

// Suggest finds terms and two-word phrases that are frequent in the corpus,
// distinctive of it, and not yet covered by any topic, so a researcher can
// see what to add to the taxonomy next.
//
// Reference choice: keyness is Dunning's log-likelihood G2 of a term's count
// in the corpus against its frequency in general English (refFreq: a small
// hand-written list of per-million frequencies of common English words;
// other words are taken to occur 10 times per million, two-word phrases
// once). Comparing the untagged comments with the tagged ones was tried
// first: on the seed dumps those comments are short asides, and the list was
// blog furniture and one-off names. Against general English the list is the
// domain's own vocabulary, minus what the taxonomy already knows.
//
// Words are compared by stem; stopwords, numbers, words under three letters
// and anything a topic covers (its terms and the words of its phrases) are
// left out, and a phrase is left out when either word is. A suggestion must
// occur at least 3 times in at least 2 comments; in corpora of 40 comments
// or more, words found in over a quarter of the comments are the subject of
// the whole corpus ("probation"), not a theme, and are left out too. Each
// suggestion carries up to 2 short example comments, preferring comments no
// topic matched. n <= 0 means 20. When ctx is cancelled Suggest returns nil.
func Suggest(ctx context.Context, texts []string, tg *Tagger, n int) []Suggestion {
	if n <= 0 {
		n = 20
	}
	covered := tg.coveredStems()
	type stat struct {
		count, docs int
		lastDoc     int
		ref         float64 // expected per million in general English
		forms       map[string]int
		examples    []int
	}
	stats := map[string]*stat{}
	var total int
	var tz tokenizer
	type word struct {
		stem, form string
		ok         bool // usable: not a stopword, not covered, not a number
		boundary   bool
	}
	var words []word
	untagged := make([]bool, len(texts))
	for i, text := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil
		}
		untagged[i] = len(tg.Tag(text)) == 0
		words = words[:0]
		for _, tk := range tz.tokenize(text, nil) {
			surface := text[tk.start:tk.end]
			form := strings.ToLower(strings.ReplaceAll(surface, "\u2019", "'"))
			stem := string(tz.normalise(surface))
			ok := len(form) >= 3 && hasLetter(form) && !stopwords[form] && !stopwords[stem] && !covered[stem]
			words = append(words, word{stem: stem, form: form, ok: ok, boundary: tk.flags&flagBoundary != 0})
		}
		total += len(words)
		add := func(key, form string, ref float64) {
			s := stats[key]
			if s == nil {
				s = &stat{lastDoc: -1, forms: map[string]int{}, ref: ref}
				stats[key] = s
			}
			s.count++
			if s.lastDoc != i {
				s.docs++
				s.lastDoc = i
				s.examples = append(s.examples, i)
			}
			s.forms[form]++
		}
		for j, w := range words {
			if !w.ok {
				continue
			}
			add(w.stem, w.form, refPerMillion(w.stem))
			if j+1 < len(words) && words[j+1].ok && !words[j+1].boundary && words[j+1].stem != w.stem {
				add(w.stem+" "+words[j+1].stem, w.form+" "+words[j+1].form, 1)
			}
		}
	}
	if total == 0 {
		return nil
	}
	capDocs := len(texts) + 1
	if len(texts) >= 40 {
		capDocs = len(texts) / 4
	}
	var out []Suggestion
	for _, s := range stats {
		if s.docs < 2 || s.count < 3 || s.docs > capDocs {
			continue
		}
		g := logLikelihood(s.count, int(math.Round(s.ref)), total, refSize)
		if g <= 0 {
			continue
		}
		out = append(out, Suggestion{Term: topForm(s.forms), Count: s.count, Keyness: round3(g),
			Examples: pickExamples(texts, s.examples, untagged)})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Keyness != out[b].Keyness {
			return out[a].Keyness > out[b].Keyness
		}
		return out[a].Term < out[b].Term
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// refSize is the notional size, in tokens, of the general-English
// reference: frequencies are per million.
const refSize = 1_000_000

// pickExamples chooses up to two distinct short comments among docs,
// untagged ones first, shorter ones first.
func pickExamples(texts []string, docs []int, untagged []bool) []string {
	cand := append([]int(nil), docs...)
	sort.SliceStable(cand, func(a, b int) bool {
		ua, ub := untagged[cand[a]], untagged[cand[b]]
		if ua != ub {
			return ua
		}
		return len(texts[cand[a]]) < len(texts[cand[b]])
	})
	var out []string
	seen := map[string]bool{}
	for _, d := range cand {
		ex := shorten(texts[d], 160)
		if seen[ex] || len(strings.Fields(ex)) < 4 {
			continue
		}
		seen[ex] = true
		out = append(out, ex)
		if len(out) == 2 {
			break
		}
	}
	return out
}

// logLikelihood returns Dunning's G2 for a term seen a times in c target
// tokens and b times in d reference tokens, negative when the term is
// relatively rarer in the target.
func logLikelihood(a, b, c, d int) float64 {
	fa, fb, fc, fd := float64(a), float64(b), float64(c), float64(d)
	e1 := fc * (fa + fb) / (fc + fd)
	e2 := fd * (fa + fb) / (fc + fd)
	var g float64
	if a > 0 {
		g += fa * math.Log(fa/e1)
	}
	if b > 0 {
		g += fb * math.Log(fb/e2)
	}
	g *= 2
	if fa/fc < fb/fd {
		g = -g
	}
	return g
}

// coveredStems returns every stem used by a term or phrase of any topic.
func (tg *Tagger) coveredStems() map[string]bool {
	byID := make([]string, len(tg.vocab))
	for s, id := range tg.vocab {
		byID[id] = s
	}
	out := map[string]bool{}
	for _, e := range tg.entries {
		if e.exclude {
			continue
		}
		for _, id := range e.seq {
			out[byID[id]] = true
		}
	}
	return out
}

func topForm(forms map[string]int) string {
	best, bn := "", -1
	for f, n := range forms {
		if n > bn || (n == bn && f < best) {
			best, bn = f, n
		}
	}
	return best
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c >= 'a' && c <= 'z') || c >= 0x80 {
			return true
		}
	}
	return false
}

// shorten collapses white space and cuts s to at most max bytes on a word
// boundary, marking the cut with an ellipsis.
func shorten(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut <= 0 {
		cut = max
	}
	return s[:cut] + " …"
}

// stopwords are function words and blog small talk: frequent everywhere,
// never a theme. Matched on the lower-case form and on the stem.
var stopwords = func() map[string]bool {
	const list = `a about above across actually after again against ago all almost along already also although always am among an and another any anybody anyone anything anyway are aren't around as ask asked at away back be became because become been before being below best better between beyond both but by came can can't cannot could couldn't come comes coming did didn't do does doesn't doing don't done down during each either else enough even ever every everyone everything far few find first for from further get gets getting give given go goes going gone good got great had hadn't has hasn't have haven't having he he'd he's her here hers herself him himself his how however i i'd i'll i'm i've if in indeed instead into is isn't it it's its itself just keep kind know known last least less let let's like likely little look looking lot lots made make makes making many may maybe me might mine more most much must my myself near need needs never new next no nobody none nor not nothing now of off often oh ok okay old on once one only onto or other others otherwise our ours ourselves out over own part perhaps please point put quite rather re really right said same saw say saying says see seem seems seen several shall she she'd she's should shouldn't since so some somebody someone something sometimes soon still such sure take taken tell than thank thanks that that's the their theirs them themselves then there there's these they they'd they'll they're they've thing things think this those though thought through thus till to today together too took toward towards try trying two under until up upon us use used using very via want wanted was wasn't way we we'd we'll we're we've well went were weren't what what's whatever when where whether which while who who's whole whom whose why will with within without won't would wouldn't yeah year years yes yet you you'd you'll you're you've your yours yourself yourselves
anon anonymous blog comment comments post posts posted jim reply read reading agree agreed article
day days week weeks month months time times today yesterday tomorrow morning evening night
people person everybody someone's
mr mrs ms dr etc e.g i.e via
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday`
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
		m[stemWord(w)] = true
	}
	return m
}()
