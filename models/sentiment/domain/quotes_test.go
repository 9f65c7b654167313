package domain

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"chorus/internal/golden"
)

// Regenerate the golden file after a deliberate change to markQuotes with
//
//	go test ./models/sentiment/domain -run TestMarkQuotesGolden -update
//
// and read the diff: every changed line is a token whose quote mark moved.
var update = flag.Bool("update", false, "rewrite testdata/quotes.golden from the current markQuotes")

const quotesGolden = "testdata/quotes.golden"

// quoteCases are invented sentences covering what markQuotes promises
// (short quoted spans are scare quotes, long ones quotations, a span that
// never closes is nothing, "so-called" disowns the next words) and what it
// leaves alone (apostrophes inside words, guillemets, "> " reply lines).
var quoteCases = []string{
	// straight quotes, short and long
	"Staff were told the new rota was 'innovative' and nobody laughed.",
	"He called it \"a bold step forward for the whole service\" at the meeting.",
	"They called it 'progress'! Then 'value', then \"efficiency\";",
	// curly and low-9 quotes
	"The \u201cstreamlined\u201d process takes twice as long.",
	"Managers praised the \u2018flexible\u2019 contracts again.",
	"\u201eSicher\u201d was all the auditor said.",
	"A \u201cmixed\u2019 pair and a \u2018second\u201d pair.",
	// nested quotes
	"She said \"the so-called 'reforms' were never tested\" and left.",
	"He wrote 'they said \"fine\" to me' on the form.",
	// unclosed quotes and mismatched kinds
	"I keep hearing \"efficiency savings and nobody defines them.",
	"A \"mixed' pair and a 'second\" pair.",
	"'Tis the season when caseloads grow and the staff go home late and the officers' room sits empty.",
	"'Twas a long year for everyone on the team and the caseloads kept on growing every week, they'd say.",
	// apostrophes inside and at the end of words
	"Don't tell me it's fine, the office's heating is broken.",
	"The officers' room and the managers' room are both cold.",
	"It's the officers' rota 'again' this week.",
	// quotes spanning sentences and lines
	"He wrote \"It is done. We move on.\" and signed off.",
	"Told it was \"temporary\nthree years ago\" by the board.",
	// lone marks and brackets
	"He said \" fine \" and walked off.",
	"An empty \"\" pair and then \"words\" later.",
	"The plan (\"modernisation\") was shelved.",
	"Options were ['merge', 'split'] at best.",
	"A single ' mark and a lone \" mark.",
	// so-called and so called
	"The so called reforms arrived late.",
	"So-called savings, so-called progress.",
	"It was SO CALLED by everyone, so.",
	// reply lines are not quotations to markQuotes
	"> The board said it was \"on track\".\nI disagree with that.",
	"> Anyone else on nights this week?\nYes, me.",
	// other quote marks it does not know
	"Le \u00abmot\u00bb juste, and a \u2039small\u203a one.",
	// no quotes at all
	"Caseloads went up again and nobody noticed.",
}

// quoteMarkName spells a tok.quote for the golden file.
func quoteMarkName(q uint8) string {
	switch q {
	case qNone:
		return "-"
	case qScare:
		return "scare"
	case qQuotation:
		return "quotation"
	}
	return fmt.Sprintf("?%d", q)
}

// renderQuotes writes each case's text and then every token with its mark.
func renderQuotes(cases []string) string {
	var b strings.Builder
	b.WriteString("# markQuotes on invented sentences: each token and its quote mark.\n")
	b.WriteString("# Regenerate: go test ./models/sentiment/domain -run TestMarkQuotesGolden -update\n")
	for _, text := range cases {
		toks := tokensOf(text)
		markQuotes(text, toks)
		fmt.Fprintf(&b, "\ntext %q\n", text)
		for _, tk := range toks {
			fmt.Fprintf(&b, "\t%-12s %q\n", quoteMarkName(tk.quote), text[tk.s:tk.e])
		}
	}
	return b.String()
}

// TestMarkQuotesGolden pins which tokens of quoteCases are marked scare
// quotes or quotations.
func TestMarkQuotesGolden(t *testing.T) {
	got := renderQuotes(quoteCases)
	golden.Check(t, quotesGolden, got, *update, "go test ./models/sentiment/domain -run TestMarkQuotesGolden -update")
}

// plainWords hold no quote mark, bracket or "so": no rule of markQuotes
// can start on them.
var plainWords = []string{"staff", "rota", "the", "Board", "caseloads", "went", "up", "again", "it's", "don't", "officers'",
	"week.", "why?", "now!", "fine,", "x", "\u00e9t\u00e9", "NPS", "2014", "a-b", "called", "Called"}

// unclosingWords are plainWords that cannot close a quote either.
var unclosingWords = slices.DeleteFunc(slices.Clone(plainWords), func(w string) bool { return strings.HasSuffix(w, "'") })

// quotedWords mix plainWords with openers, closers and so-called.
var quotedWords = append(slices.Clone(plainWords), "'innovative'", "'good", "bad'", "\"great", "value\"", "\u201cnew\u201d",
	"\u2018old\u2019", "\u201edeal\u201d", "('word',", "[\"x\"]", "'", "\"", "so", "So", "so-called", "So-called,", "\u201cmixed\u2019", "word.\"")

// randomText joins n random words of vocab with random white space.
func randomText(r *rand.Rand, vocab []string, n int) string {
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteString([]string{" ", " ", "\n", "  ", "\t"}[r.IntN(5)])
		}
		b.WriteString(vocab[r.IntN(len(vocab))])
	}
	return b.String()
}

// marks returns the quote marks markQuotes gives the tokens of text.
func marks(text string) []uint8 {
	toks := tokensOf(text)
	markQuotes(text, toks)
	q := make([]uint8, len(toks))
	for i, tk := range toks {
		q[i] = tk.quote
	}
	return q
}

// reshape swaps every ASCII letter of text for another random one of the
// same case, never s (so no word can become "so" or "so-called"): the
// words change, their shape (length, marks, brackets) does not.
func reshape(r *rand.Rand, text string) string {
	const lower, upper = "abcdefghijklmnopqrtuvwxyz", "ABCDEFGHIJKLMNOPQRTUVWXYZ"
	b := []byte(text)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = lower[r.IntN(len(lower))]
		case c >= 'A' && c <= 'Z':
			b[i] = upper[r.IntN(len(upper))]
		}
	}
	return string(b)
}

// TestMarkQuotesProperties checks relations markQuotes must keep on random
// texts, whatever the golden cases say:
//   - text without quote marks or "so" has no quoted tokens;
//   - marking twice gives the marks of marking once (idempotence);
//   - changing the letters of the words (not "so"/"so-called") to other
//     letters leaves every mark where it was: quotes are found by their
//     marks and span lengths, never by the words inside;
//   - a sentence without quote marks added after the text does not change
//     the marks of the text's tokens, and one added before it shifts them
//     without changing them. "Without quote marks" includes a word's
//     trailing apostrophe: "officers'" after an unclosed 'quote closes it,
//     which is the apostrophe ambiguity maxSingleQuoteWords bounds.
func TestMarkQuotesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 4))
	for range 5000 {
		plain := randomText(r, plainWords, 1+r.IntN(20))
		for i, q := range marks(plain) {
			if q != qNone {
				t.Fatalf("token %d of %q marked %s with no quote in the text", i, plain, quoteMarkName(q))
			}
		}

		text := randomText(r, quotedWords, 1+r.IntN(25))
		want := marks(text)

		toks := tokensOf(text)
		markQuotes(text, toks)
		once := slices.Clone(toks)
		markQuotes(text, toks)
		if !slices.Equal(toks, once) {
			t.Fatalf("markQuotes twice differs from once on %q\n once %+v\ntwice %+v", text, once, toks)
		}

		if !strings.Contains(strings.ToLower(text), "so") {
			if other := reshape(r, text); !slices.Equal(marks(other), want) {
				t.Fatalf("marks change when the words change:\n%q -> %v\n%q -> %v", text, want, other, marks(other))
			}
		}

		tail := randomText(r, unclosingWords, 1+r.IntN(20))
		after := marks(text + " " + tail)
		if !slices.Equal(after[:len(want)], want) {
			t.Fatalf("%q after %q changed its marks: %v, then %v", tail, text, want, after[:len(want)])
		}
		np := len(tokensOf(plain))
		before := marks(plain + "\n" + text)
		if !slices.Equal(before[np:], want) {
			t.Fatalf("a plain sentence before %q changed its marks: %v, then %v", text, want, before[np:])
		}
	}
}
