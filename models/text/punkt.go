package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// newPunkt builds the English Punkt sentence tokenizer exactly as
// english.NewSentenceTokenizer wires it (same training data, the same three
// extra abbreviations, the same annotation passes in the same order), but
// with punktWords in place of its word tokenizer, whose token tests run
// regular expressions (and allocate) several times per token, and
// multiPunct in place of its last pass, which runs one per token pair.
func newPunkt() (*sentences.DefaultSentenceTokenizer, error) {
	b, err := data.Asset("data/english.json")
	if err != nil {
		return nil, fmt.Errorf("load sentence model: %w", err)
	}
	training, err := sentences.LoadTraining(b)
	if err != nil {
		return nil, fmt.Errorf("load sentence model: %w", err)
	}
	for _, abbr := range []string{"sgt", "gov", "no"} {
		training.AbbrevTypes.Add(abbr)
	}
	lang := sentences.NewPunctStrings()
	word := &punktWords{english.NewWordTokenizer(lang)}
	ortho := &sentences.OrthoContext{Storage: training, PunctStrings: lang, TokenType: word, TokenFirst: word}
	annotations := append(sentences.NewAnnotations(training, lang, word),
		&multiPunct{storage: training, words: word, ortho: ortho})
	return &sentences.DefaultSentenceTokenizer{
		Storage:       training,
		PunctStrings:  lang,
		WordTokenizer: word,
		Annotations:   annotations,
	}, nil
}

// punktWords is the English Punkt word tokenizer with its regular
// expressions replaced by equivalent byte tests. Every method it overrides
// returns what the library's does for every token (TestSentencesMatchPunkt
// and FuzzSentences compare the two tokenizers' sentences); the methods it
// does not override are the library's.
type punktWords struct {
	*english.WordTokenizer
}

// Type is the token's "type": lower-cased, a trailing number (the library's
// -?[\.,]?\d[\d,\.-]*\.?$) replaced by "##number##", and commas removed
// unless the type is one byte long.
func (w *punktWords) Type(t *sentences.Token) string {
	typ := strings.ToLower(t.Tok)
	if s := numberSuffix(typ); s >= 0 {
		typ = typ[:s] + "##number##"
	}
	if len(typ) == 1 {
		return typ
	}
	return strings.ReplaceAll(typ, ",", "")
}

// numberSuffix returns the start of the leftmost suffix of s matching
// -?[.,]?\d[\d,.-]*\.?$, or -1. Every byte of such a suffix is a digit,
// '.', ',' or '-', so only the longest run of those at the end of s can
// hold it; within the run the match starts at the first place where an
// optional '-', then an optional '.' or ',', lead to a digit.
func numberSuffix[S string | []byte](s S) int {
	t := len(s)
	for t > 0 && isNumByte(s[t-1]) {
		t--
	}
	for i := t; i < len(s); i++ {
		j := i
		if s[j] == '-' {
			j++
		}
		if j < len(s) && (s[j] == '.' || s[j] == ',') {
			j++
		}
		if j < len(s) && '0' <= s[j] && s[j] <= '9' {
			return i
		}
	}
	return -1
}

func isNumByte(c byte) bool { return '0' <= c && c <= '9' || c == '.' || c == ',' || c == '-' }

// TypeNoPeriod is Type without a final period.
func (w *punktWords) TypeNoPeriod(t *sentences.Token) string {
	typ := w.Type(t)
	if len(typ) > 1 && typ[len(typ)-1] == '.' {
		return typ[:len(typ)-1]
	}
	return typ
}

// TypeNoSentPeriod is Type without a final period when the token ends a
// sentence.
func (w *punktWords) TypeNoSentPeriod(t *sentences.Token) string {
	if t.SentBreak {
		return w.TypeNoPeriod(t)
	}
	return w.Type(t)
}

// FirstUpper reports whether the token's first rune is upper case.
func (w *punktWords) FirstUpper(t *sentences.Token) bool {
	if t.Tok == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Tok)
	return unicode.IsUpper(r)
}

// FirstLower reports whether the token's first rune is lower case.
func (w *punktWords) FirstLower(t *sentences.Token) bool {
	if t.Tok == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Tok)
	return unicode.IsLower(r)
}

// IsEllipsis: the token ends with two or more periods (\.\.+$).
func (w *punktWords) IsEllipsis(t *sentences.Token) bool {
	return strings.HasSuffix(t.Tok, "..")
}

// IsInitial: one ASCII letter and a period (^[A-Za-z]\.$).
func (w *punktWords) IsInitial(t *sentences.Token) bool { return isInitial(t.Tok) }

func isInitial(s string) bool { return len(s) == 2 && isASCIILetter(s[0]) && s[1] == '.' }

// IsAlpha: ASCII letters only (^[A-Za-z]+$).
func (w *punktWords) IsAlpha(t *sentences.Token) bool {
	if t.Tok == "" {
		return false
	}
	for i := 0; i < len(t.Tok); i++ {
		if !isASCIILetter(t.Tok[i]) {
			return false
		}
	}
	return true
}

// HasSentEndChars reports whether the token holds sentence-final
// punctuation other than a lone final period, as the English tokenizer
// defines it: it ends in ? or !, or in . ? or ! followed by one closing
// quote or bracket (" ' ) ’ ”); or it holds . ? or ! directly before an
// opening bracket ([ or (), or a period directly before a straight quote.
func (w *punktWords) HasSentEndChars(t *sentences.Token) bool {
	return hasSentEndChars(t.Tok)
}

func hasSentEndChars(s string) bool {
	if s == "" {
		return false
	}
	switch last := s[len(s)-1]; {
	case last == '?' || last == '!':
		return true
	case last == '"' || last == '\'' || last == ')':
		if len(s) >= 2 && isSentEnd(s[len(s)-2]) {
			return true
		}
	default:
		for _, q := range [...]string{"’", "”"} {
			if strings.HasSuffix(s, q) && len(s) > len(q) && isSentEnd(s[len(s)-len(q)-1]) {
				return true
			}
		}
	}
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case '.':
			if c := s[i+1]; c == '[' || c == '(' || c == '"' || c == '\'' {
				return true
			}
		case '?', '!':
			if c := s[i+1]; c == '[' || c == '(' {
				return true
			}
		}
	}
	return false
}

func isSentEnd(c byte) bool { return c == '.' || c == '?' || c == '!' }

// Tokenize splits text at white space into the library's word tokens, with
// the library's rules: a word is emitted only when it holds . ! or ? or
// follows one that does (when onlyPeriodContext is set, as the sentence
// tokenizer sets it); its Position is the byte offset of the white space
// after it; a word ending the text is emitted only when the text's last
// rune is one byte long (the library tests for the last byte index, which
// a multi-byte rune never starts at); and a text yielding no word at all
// becomes one token of the whole text.
func (w *punktWords) Tokenize(text string, onlyPeriodContext bool) []*sentences.Token {
	n := len(text)
	if n == 0 {
		return nil
	}
	est := slabSize(text, 0)
	tokens := make([]*sentences.Token, 0, est)
	// Tokens are allocated a slab at a time rather than by
	// sentences.NewToken one by one. NewToken also stores the library's
	// regular expressions in each token, which only the library's own
	// Type, IsEllipsis, IsInitial and IsAlpha read; punktWords overrides
	// all four, and the annotation passes reach tokens only through it.
	slab := make([]sentences.Token, est)
	lastSpace := 0
	lineStart, paraStart, getNext := false, false, false
	for i := 0; i < n; {
		c, size := rune(text[i]), 1
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			c, size = utf8.DecodeRuneInString(text[i:])
			space = unicode.IsSpace(c)
		}
		at := i
		i += size
		if !space && at != n-1 {
			continue
		}
		if c == '\n' {
			if lineStart {
				paraStart = true
			}
			lineStart = true
		}
		cursor := at
		if at == n-1 {
			cursor = n
		}
		word := strings.TrimSpace(text[lastSpace:cursor])
		if word == "" {
			continue
		}
		hasPunct := hasSentPunct(word)
		if onlyPeriodContext && !hasPunct && !getNext {
			lastSpace = cursor
			continue
		}
		if len(slab) == 0 {
			slab = make([]sentences.Token, slabSize(text, len(tokens)))
		}
		tok := &slab[0]
		slab = slab[1:]
		tok.Tok = word
		tok.Position = cursor
		tok.ParaStart = paraStart
		tok.LineStart = lineStart
		tokens = append(tokens, tok)
		lastSpace = cursor
		lineStart, paraStart = false, false
		getNext = hasPunct
	}
	if len(tokens) == 0 {
		tok := sentences.NewToken(text)
		tok.Position = n
		tokens = append(tokens, tok)
	}
	return tokens
}

// multiPunct is the English tokenizer's last pass (MultiPunctWordAnnotation)
// without its regular expression: a word holding a dotted abbreviation such
// as "e.g." or "U.S." is marked an abbreviation, not a sentence end, unless
// the next word shows a sentence starts there (orthographic evidence, or a
// capitalised frequent sentence starter).
type multiPunct struct {
	storage *sentences.Storage
	words   *punktWords
	ortho   sentences.Ortho
}

// Annotate visits each pair of adjacent tokens in order.
func (a *multiPunct) Annotate(tokens []*sentences.Token) []*sentences.Token {
	for i := 0; i+1 < len(tokens); i++ {
		one, two := tokens[i], tokens[i+1]
		if !hasDottedRun(one.Tok) || a.words.IsInitial(one) {
			continue
		}
		one.Abbr = true
		one.SentBreak = false
		next := a.words.TypeNoSentPeriod(two)
		if a.ortho.Heuristic(two) == 1 || a.words.FirstUpper(two) && a.storage.SentStarters[next] != 0 {
			one.SentBreak = true
		}
	}
	return tokens
}

// hasDottedRun reports whether s holds a match of the library's
// ((?:\w\.)+\w*\.): an ASCII word byte and a period, then word bytes (none
// or more) and another period. Extra "\w." pairs in between are word bytes
// followed by a period, so they need no test of their own.
func hasDottedRun(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i+1] != '.' || !isWordByte(s[i]) {
			continue
		}
		j := i + 2
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '.' {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool { return isASCIILetter(c) || '0' <= c && c <= '9' || c == '_' }

// hasSentPunct reports whether s holds . ! or ?.
func hasSentPunct(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == '!' || c == '?' {
			return true
		}
	}
	return false
}

// slabSize guesses how many more tokens Tokenize will make of text: each
// word with sentence punctuation and the word after it, so at most twice
// the punctuation bytes, plus one for a text with none.
func slabSize(text string, made int) int {
	if made > 0 {
		return 16
	}
	n := 0
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '.' || c == '!' || c == '?' {
			n++
		}
	}
	return min(2*n+1, 64)
}
