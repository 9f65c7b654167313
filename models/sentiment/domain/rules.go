package domain

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Rule strengths, on VADER's raw valence scale (a word such as "bad" is
// -2.5, "problem" -1.7). They are deliberately round numbers chosen as "a
// mild negative word" or "half of one", not fitted to the dev set, which
// is too small to fit them.
const (
	// rhetoricalStrong is what a complaint phrased as a question ("How can
	// anyone ...?", "Why isn't there ...?") adds to its sentence: about as
	// much as "problem".
	rhetoricalStrong = -1.5
	// rhetoricalWeak is a plain "why ...?" question, a milder complaint.
	rhetoricalWeak = -0.6
	// exasperation is "?!", "!?" or "??" in a sentence not otherwise positive.
	exasperation = -0.5
	// scareFlip turns a positive word the writer puts in scare quotes
	// ('innovative', "transforming") into half its valence, negated: the
	// writer mocks it.
	scareFlip = -0.5
	// scareMark is what scare quotes themselves add when the quoted words
	// carry no valence ('probation', "community hubs"): in this genre they
	// signal distance and irony.
	scareMark = -0.3
	// quotationDamp scales words inside a longer quotation: they are someone
	// else's (a press release, a manager), not the writer's tone.
	quotationDamp = 0.25
	// swearBoost is how much a swear word used as an intensifier ("bloody
	// useless") strengthens the next word, like VADER's boosters.
	swearBoost = 1.3
	// vaderNegation is the engine's factor for a negated word (the
	// reference N_SCALAR); dividing by it undoes the reversal.
	vaderNegation = -0.74
)

// emphaticAfter reports whether a comparative of degree ("so much", "as
// much", "more") follows word i in its sentence: the negation before word
// i then compares ("I have never disliked a manager so much") rather than
// denies.
func emphaticAfter(text string, words []tok, i int, sc *scratch) bool {
	for j := i + 1; j < len(words) && j <= i+6; j++ {
		sc.buf = cleanWord(sc.buf[:0], text[words[j].s:words[j].e])
		w := string(sc.buf)
		switch w {
		case "more":
			return true
		case "so", "as", "this", "that":
			if j+1 < len(words) {
				sc.buf = cleanWord(sc.buf[:0], text[words[j+1].s:words[j+1].e])
				if string(sc.buf) == "much" {
					return true
				}
			}
		}
	}
	return false
}

// rhetoricalCues open complaint questions. Matched against the first words
// of a sentence that ends in "?", lowercased, punctuation stripped.
var rhetoricalCues = []string{
	"how can", "how could", "how dare", "how on earth", "how is it", "how is that",
	"how many more", "how much longer", "how much more", "how long before", "how long will",
	"how is this", "how does that", "how do they expect", "how are we supposed",
	"how are staff supposed", "how would you feel", "what is the point", "what's the point",
	"whats the point", "where is the", "where's the", "wheres the", "where was the",
	"who on earth", "who in their right mind", "what on earth", "what the hell", "what the",
	"is it any wonder", "is it any surprise", "any wonder", "no wonder", "are they kidding",
	"are you kidding", "are they serious", "are you serious", "are they mad", "are they having a laugh",
	"is this a joke", "is that a joke", "what planet", "since when", "who cares",
	"why on earth", "why the hell", "why should", "why would anyone", "why do we", "why are we",
	"why is it", "why does", "why do they", "why are they", "what happened to", "whatever happened",
	"when will they", "when will the", "when will someone", "does anyone really", "does anyone seriously",
	"do they really", "do they honestly", "does anybody", "who thought", "who signed off",
	"what did they expect", "what do they expect", "what else did", "where will it end",
	"how low", "who knew", "surprised",
}

// genuineQuestions start like a cue but usually ask for information ("How
// can I apply?"); they are checked first.
var genuineQuestions = []string{"how can i ", "how could i ", "how is it going", "where is the nearest"}

// negationWords mark a "why" question as a complaint ("Why isn't there ...?").
var negationWords = []string{"not", "no", "never", "nothing", "nobody", "none", "cannot"}

// leadFillers are skipped before looking for a rhetorical cue: "So how can
// ...?", "And why ...?".
var leadFillers = map[string]bool{
	"so": true, "and": true, "but": true, "then": true, "oh": true, "well": true,
	"honestly": true, "really": true, "now": true, "yet": true,
}

// swearIntensifiers strengthen the word after them rather than carrying
// valence of their own ("bloody useless", "sodding targets"). VADER already
// treats "fucking" and "effing" as boosters; these are the British ones it
// lacks (as boosters), and "bloody" and "damn" otherwise score as
// negative words even in "bloody good".
//
// "positively" is here too: before a scored word it is an intensifier
// ("positively ill with stress"), not praise.
var swearIntensifiers = map[string]bool{
	"bloody": true, "sodding": true, "bleeding": true, "flaming": true,
	"damn": true, "damned": true, "bloomin": true, "blooming": true,
	"positively": true,
}

// cleanWord lowercases w and strips surrounding ASCII punctuation into buf.
func cleanWord(buf []byte, w string) []byte {
	a, b := 0, len(w)
	for a < b && isASCIIPunct(w[a]) {
		a++
	}
	for b > a && isASCIIPunct(w[b-1]) {
		b--
	}
	for i := a; i < b; i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// endsWithQuestion reports whether the sentence's last token ends in "?"
// (after closing quotes or brackets).
func endsWithQuestion(w string) bool {
	// strings.TrimRight(w, "\"')]\u201d\u2019!.") without its slow path
	// for a cutset holding non-ASCII runes.
	for len(w) > 0 {
		switch w[len(w)-1] {
		case '"', '\'', ')', ']', '!', '.':
			w = w[:len(w)-1]
			continue
		}
		if strings.HasSuffix(w, "\u201d") || strings.HasSuffix(w, "\u2019") {
			w = w[:len(w)-len("\u201d")]
			continue
		}
		break
	}
	return strings.HasSuffix(w, "?")
}

// rhetorical returns the valence a question sentence adds (0 if it is not a
// complaint question). words are the sentence's tokens.
func rhetorical(text string, words []tok, buf []byte) (float64, []byte) {
	if len(words) == 0 || !endsWithQuestion(text[words[len(words)-1].s:words[len(words)-1].e]) {
		return 0, buf
	}
	// Lowercase the first words (after fillers) into one key.
	buf = buf[:0]
	n := 0
	start := 0
	for start < len(words) && start < 2 {
		w := cleanWord(buf[:0], text[words[start].s:words[start].e])
		if !leadFillers[string(w)] {
			break
		}
		start++
	}
	buf = buf[:0]
	for i := start; i < len(words) && n < 5; i++ {
		if n > 0 {
			buf = append(buf, ' ')
		}
		buf = cleanWord(buf, text[words[i].s:words[i].e])
		n++
	}
	key := string(buf)
	for _, c := range genuineQuestions {
		if strings.HasPrefix(key, c) {
			return 0, buf
		}
	}
	for _, c := range rhetoricalCues {
		if strings.HasPrefix(key, c) && (len(key) == len(c) || key[len(c)] == ' ') {
			return rhetoricalStrong, buf
		}
	}
	if strings.HasPrefix(key, "why") && (len(key) == 3 || key[3] == ' ' || key[3] == '\'') {
		for _, w := range words {
			buf = cleanWord(buf[:0], text[w.s:w.e])
			if isNegation(buf) {
				return rhetoricalStrong, buf
			}
		}
		return rhetoricalWeak, buf
	}
	return 0, buf
}

// isNegation reports whether the lowercase word w negates: "not", "no",
// "never", ... or a contraction ending in "n't" ("isn't", "wasn't"), also
// written without the apostrophe ("isnt", "dont").
func isNegation(w []byte) bool {
	if bytes.Contains(w, []byte("n't")) || bytes.Contains(w, []byte("n\u2019t")) {
		return true
	}
	for _, nw := range negationWords {
		if string(w) == nw {
			return true
		}
	}
	switch string(w) {
	case "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "cant", "couldnt",
		"wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt":
		return true
	}
	return false
}

// exasperated reports "?!", "!?" or "??" in s.
func exasperated(s string) bool {
	// Each pattern holds a "?": most sentences have none.
	i := strings.IndexByte(s, '?')
	if i < 0 {
		return false
	}
	if i > 0 && s[i-1] == '!' {
		return true
	}
	for ; i+1 < len(s); i++ {
		switch s[i] {
		case '?':
			if c := s[i+1]; c == '!' || c == '?' {
				return true
			}
		case '!':
			if s[i+1] == '?' {
				return true
			}
		}
	}
	return false
}
