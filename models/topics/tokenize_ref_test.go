package topics

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"chorus/internal/golden"
)

// Regenerate the golden file after a deliberate change to the tokenizer
// with
//
//	go test ./models/topics -run TestTokenizeGolden -update
//
// and read the diff: each changed line is a word whose boundaries, case or
// sentence moved.
var update = flag.Bool("update", false, "rewrite testdata/tokens.golden from the current tokenizer")

const tokensGolden = "testdata/tokens.golden"

// tokenCases are invented texts covering what the tagger's words are:
// runs of letters and digits with inner apostrophes, split by hyphens,
// Unicode punctuation, symbols and emoji, with sentence breaks at . ! ? ;
// : and line ends.
var tokenCases = []string{
	"Pre-sentence reports take the CRC's time; NPS staff don't agree.",
	"Workload\u2014again\u2026 \u201cunmanageable\u201d, said one PO\u2019s manager.",
	"In 2014 we had 35 cases each; now it's 60+ and E3 bands, 1,200 in all.",
	"See https://example.invalid/tr-2014/page?id=7&x=y for the plan: it's long.",
	"Write to [email] or ring [phone] before 5pm!",
	"First line\r\nSecond line\r\n\r\nThird after a blank line",
	"the\u00a0NPS\u00a0split and the\u202fCRCs",
	"don\u2019t \u2018quoted\u2019 o'clock x' 'x '' rock'n'roll",
	"CRCs and SFOs filed PSRs; IT says I am A-OK.",
	"Caf\u00e9 na\u00efve \u00c9COLE stra\u00dfe \u0130stanbul \U0001F600 \u00a3300 \ufeffBOM",
	"understaffedness abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZs",
	"bad\xffbyte and a cut \xe2\x80 rune",
	"Why? Because! Fine... ok: next",
	"\u00bfQu\u00e9? \u00a1S\u00ed! \u300cquoted\u300d done",
	"",
	"   \n\t ",
}

// flagNames spells token flags for the golden file.
func flagNames(f uint8) string {
	var b strings.Builder
	for _, x := range []struct {
		bit  uint8
		name byte
	}{{flagUpper, 'U'}, {flagLower, 'L'}, {flagTitle, 'T'}} {
		if f&x.bit != 0 {
			b.WriteByte(x.name)
		} else {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// renderTokens writes each case's text and then its tokens: byte offsets,
// sentence number (a boundary flag starts the next), case flags, bytes.
func renderTokens(cases []string) string {
	var b strings.Builder
	b.WriteString("# topics tokenizer on invented texts: start end sentence case(U upper, L lower, T title) word\n")
	b.WriteString("# Regenerate: go test ./models/topics -run TestTokenizeGolden -update\n")
	var tz tokenizer
	for _, text := range cases {
		fmt.Fprintf(&b, "\ntext %q\n", text)
		sentence := -1
		for _, tk := range tz.tokenize(text, nil) {
			if tk.flags&flagBoundary != 0 {
				sentence++
			}
			fmt.Fprintf(&b, "\t%3d %3d %2d %s %q\n", tk.start, tk.end, sentence, flagNames(tk.flags), text[tk.start:tk.end])
		}
	}
	return b.String()
}

// TestTokenizeGolden pins the tokens of tokenCases: where each word starts
// and ends, its sentence and its case.
func TestTokenizeGolden(t *testing.T) {
	got := renderTokens(tokenCases)
	golden.Check(t, tokensGolden, got, *update, "go test ./models/topics -run TestTokenizeGolden -update")
}

// tokenWords are the random texts' words: the taxonomy's words in every
// case, acronyms and their plurals, apostrophes straight and curly, digits,
// non-ASCII letters, symbols and emoji, and words longer than eight and
// sixteen bytes.
func tokenWords(tg *Tagger) []string {
	var words []string
	for w := range tg.vocab {
		words = append(words, w)
	}
	slices.Sort(words)
	return append(words, "CRCs", "SFOs", "NPS", "IT", "I", "A", "E3", "123s", "don't", "CRC's", "o'clock", "don\u2019t", "\u2018quoted\u2019",
		"caf\u00e9", "\u00c9COLE", "na\u00efve", "\u0130stanbul", "stra\u00dfe", "\U0001F600", "\u00a3", "\u2014", "\u2026", "\ufeff", "\xff",
		"pre-sentence", "mid-term", "privatisation", "PRIVATISATIONS", "Privatisations", "understaffedness", "abcdefghijklmnopqrstuvwxyz", "x'", "'x", "''",
		"[email]", "[phone]", "https://example.invalid/a-b?c=d", "1,200", "60+")
}

// tokenSeps go between them: spaces, sentence and clause breaks, hyphens,
// apostrophes, brackets, CRLF, tabs and no-break spaces, or nothing.
var tokenSeps = []string{" ", " ", " ", "  ", "\n", "\r\n", ". ", "! ", "? ", "; ", ": ", ", ", "-", "'", "\u2019", "(", ")", "\"", "/", "", "\t", "\u00a0"}

func randomTokenText(r *rand.Rand, words []string) string {
	var b strings.Builder
	for k := r.IntN(25); k >= 0; k-- {
		w := words[r.IntN(len(words))]
		switch r.IntN(5) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		b.WriteString(tokenSeps[r.IntN(len(tokenSeps))])
	}
	return b.String()
}

// switchCase changes the case of every rune whose other case has the same
// length in UTF-8, alternately up and down.
func switchCase(s string) string {
	var b strings.Builder
	for i, k := 0, 0; i < len(s); k++ {
		r, n := utf8.DecodeRuneInString(s[i:])
		o := unicode.ToUpper(r)
		if k%2 == 1 || o == r {
			o = unicode.ToLower(r)
		}
		if r == utf8.RuneError || utf8.RuneLen(o) != n {
			b.WriteString(s[i : i+n]) // invalid bytes, or a case of another length
		} else {
			b.WriteRune(o)
		}
		i += n
	}
	return b.String()
}

// span is a token's boundaries: what case must not change.
type span struct {
	start, end int32
	boundary   bool
}

func spans(toks []token) []span {
	out := make([]span, len(toks))
	for i, tk := range toks {
		out[i] = span{tk.start, tk.end, tk.flags&flagBoundary != 0}
	}
	return out
}

// TestTokenizeProperties checks relations the tokenizer must keep on
// random texts, whatever the golden cases say:
//   - tokens lie inside the text, in order, without overlapping; each is
//     one word (tokenised alone it is one token spanning it all) with the
//     case caseFlags gives its bytes, and its id is the vocabulary id of its
//     normalised stem (the fast ASCII paths and the resolver's cache agree
//     with the plain ones), the same with a warm cache as with a cold one;
//   - tokenising a + " ." + b gives a's tokens, then b's shifted by
//     len(a)+2 with a sentence break before the first;
//   - changing the case of letters moves no boundary.
func TestTokenizeProperties(t *testing.T) {
	tg := defaultTagger(t)
	words := tokenWords(tg)
	r := rand.New(rand.NewPCG(8, 9))
	var tz, one tokenizer
	warm := resolver{vocab: tg.vocab}
	n := 20000
	if testing.Short() {
		n = 3000
	}
	for range n {
		a, b := randomTokenText(r, words), randomTokenText(r, words)
		toks := slices.Clone(tz.tokenize(a, &warm))
		cold := resolver{vocab: tg.vocab}
		if again := tz.tokenize(a, &cold); !slices.Equal(again, toks) {
			t.Fatalf("%q: tokens with a cold cache differ from a warm one\n cold %+v\n warm %+v", a, again, toks)
		}
		if plain := tz.tokenize(a, nil); !slices.Equal(spans(plain), spans(toks)) {
			t.Fatalf("%q: tokens without a resolver differ\n got %+v\nwant %+v", a, plain, toks)
		}
		end := int32(0)
		for i, tk := range toks {
			if tk.start < end || tk.end <= tk.start || int(tk.end) > len(a) {
				t.Fatalf("%q: token %d [%d,%d) is outside the text or overlaps the one before (ending %d)", a, i, tk.start, tk.end, end)
			}
			end = tk.end
			w := a[tk.start:tk.end]
			if alone := one.tokenize(w, nil); len(alone) != 1 || alone[0].start != 0 || int(alone[0].end) != len(w) {
				t.Fatalf("%q: token %d %q is not one word: alone it is %+v", a, i, w, alone)
			}
			if got, want := tk.flags&^flagBoundary, caseFlags(w); got != want {
				t.Fatalf("%q: token %d %q has case %s, caseFlags says %s", a, i, w, flagNames(got), flagNames(want))
			}
			want, ok := tg.vocab[string(one.normalise(w))]
			if !ok {
				want = -1
			}
			if tk.id != want {
				t.Fatalf("%q: token %d %q has id %d, its stem %q has %d", a, i, w, tk.id, one.normalise(w), want)
			}
		}

		ab := a + " ." + b
		got := tz.tokenize(ab, &warm)
		if len(got) < len(toks) || !slices.Equal(got[:len(toks)], toks) {
			t.Fatalf("tokens of %q do not start with those of %q\n got %+v\nwant %+v", ab, a, got, toks)
		}
		rest := slices.Clone(got[len(toks):])
		for i := range rest {
			rest[i].start -= int32(len(a) + 2)
			rest[i].end -= int32(len(a) + 2)
		}
		if bt := tz.tokenize(b, &warm); !slices.Equal(rest, bt) {
			t.Fatalf("tokens of %q after %q do not match those of %q alone\n got %+v\nwant %+v", b, a+" .", b, rest, bt)
		}

		sw := switchCase(a)
		if len(sw) != len(a) {
			t.Fatalf("switchCase changed the length of %q", a)
		}
		if got, want := spans(tz.tokenize(sw, nil)), spans(toks); !slices.Equal(got, want) {
			t.Fatalf("case change moved boundaries: %q -> %q\n got %+v\nwant %+v", a, sw, got, want)
		}
	}
}

// TestASCIIRunHash checks the hash asciiRun computes on the way against
// hashBytes of the word it returns (a different hash would not change any
// id, only make the cache miss), for runs of every length up to 40 at
// every alignment, acronym plurals included.
func TestASCIIRunHash(t *testing.T) {
	var tz tokenizer
	r := rand.New(rand.NewPCG(3, 3))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for n := 1; n <= 40; n++ {
		for range 200 {
			var b strings.Builder
			for range r.IntN(9) {
				b.WriteByte(' ')
			}
			at := b.Len()
			for k := 0; k < n; k++ {
				if r.IntN(3) == 0 {
					b.WriteByte("ABCXYZ019"[r.IntN(9)])
				} else {
					b.WriteByte(alnum[r.IntN(len(alnum))])
				}
			}
			if r.IntN(4) == 0 {
				b.WriteByte('s')
			}
			b.WriteString([]string{"", " ", ". more text here", "\u00e9", "'s"}[r.IntN(5)])
			s := b.String()
			end, _, lower, h := tz.asciiRun(s, at)
			if want := hashBytes(lower); h != want {
				t.Fatalf("asciiRun(%q, %d) hash %x, hashBytes(%q) = %x (end %d)", s, at, h, lower, want, end)
			}
		}
	}
}

// TestTokenizeWhiteSpaceInvariance checks on random texts that topics'
// words depend on white space only through '\n' (a sentence break) and
// U+1680 (a letter to them, white space to the scan they are read from):
// each other white space rune may become as many ASCII spaces as it has
// bytes without changing a token, and each U+1680 may become another
// three-byte letter (U+4E00) without changing a span or a boundary.
func TestTokenizeWhiteSpaceInvariance(t *testing.T) {
	pieces := []string{"care", "NPS", "CRC's", "don't", "pre-sentence", "a.b", "x;y", "ok:", "1,200",
		"\u00e9t\u00e9", " ", "  ", "\n", "\t", "\r\n", "\x1c", "\u00a0", "\u0085", "\u2003", "\u3000", "\u1680",
		"\u1680\u1680", "'", "\u2019"}
	r := rand.New(rand.NewPCG(31, 32))
	var a, b, c tokenizer
	for range 20000 {
		var sb strings.Builder
		for k := r.IntN(16); k >= 0; k-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
		var sp, letter strings.Builder
		for _, r := range s {
			switch {
			case r == 0x1680:
				sp.WriteRune(r)
				letter.WriteRune(0x4E00)
			case r != '\n' && r != utf8.RuneError && (unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f):
				sp.WriteString(strings.Repeat(" ", utf8.RuneLen(r)))
				letter.WriteString(strings.Repeat(" ", utf8.RuneLen(r)))
			default:
				sp.WriteRune(r)
				letter.WriteRune(r)
			}
		}
		if !utf8.ValidString(s) {
			continue // ranging over runes would rewrite the invalid bytes
		}
		want := slices.Clone(a.tokenize(s, nil))
		if got := b.tokenize(sp.String(), nil); !slices.Equal(got, want) {
			t.Fatalf("%q: %+v; with plain spaces %+v", s, want, got)
		}
		got := c.tokenize(letter.String(), nil)
		if len(got) != len(want) {
			t.Fatalf("%q: %d tokens, %d with U+1680 as a letter", s, len(want), len(got))
		}
		for i := range got {
			if got[i].start != want[i].start || got[i].end != want[i].end || got[i].flags&flagBoundary != want[i].flags&flagBoundary {
				t.Fatalf("%q: token %d %+v, with U+1680 as a letter %+v", s, i, want[i], got[i])
			}
		}
	}
}
