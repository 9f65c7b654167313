package text

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

var (
	oracleOnce  sync.Once
	oraclePunkt *sentences.DefaultSentenceTokenizer
	oracleErr   error
)

// punktSentences is the oracle for Sentences: the library's own English
// tokenizer, regular expressions and all, run per line as Sentences was
// before it had a fast path.
func punktSentences(tb testing.TB, s string) []string {
	tb.Helper()
	oracleOnce.Do(func() { oraclePunkt, oracleErr = english.NewSentenceTokenizer(nil) })
	if oracleErr != nil {
		tb.Fatal(oracleErr)
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, t := range oraclePunkt.Tokenize(line) {
			if txt := strings.TrimSpace(t.Text); txt != "" {
				out = append(out, txt)
			}
		}
	}
	return out
}

var trickySentences = []string{
	"Mr. Grayling said it would work. It did not!",
	"The U.S. and the U.K. differ. Dr. Who? No. 10 said so.",
	"It cost £1,000.50. Then 2.5m more... And then? Nothing!!",
	"e.g. this, i.e. that. Etc. etc.",
	"He said \"stop.\" She said 'go.' (Really.) Done.",
	"Curly “quotes.” And ‘single.’ Right?” Yes!’",
	"A. B. Smith met J. Bach at 9 a.m. on Jan. 5th. They talked.",
	"Version 1.2.3. Next line 4. Five",
	"Ellipsis... then more. . . and end",
	"no punctuation at all",
	"   spaces   around.   ",
	"",
	"Ends with a multi-byte rune é",
	"Ends with multi-byte. Then é",
	"Wait.. what?! Oh... OK.",
	"The 1990s. The -5. The ,5. The .5 and 5,000,000.",
	"İstanbul. Ⱥbc. ΑΘΗΝΑ. Ok.",
	"Gov. Sgt. No. 5 is here. Sgt. Pepper.",
	"\tTabbed.\tSentence.\r\nWindows line.",
	"x.y.z. Abc. A.B.C. def.",
}

func TestSentencesMatchPunkt(t *testing.T) {
	sg := newTestSegmenter(t)
	texts := append(slices.Clone(trickySentences), sampleComments(t)...)
	compareSentences(t, sg, "sample", texts)
}

func TestSentencesMatchPunktSeeds(t *testing.T) {
	sg := newTestSegmenter(t)
	compareSentences(t, sg, "seed", seedTexts(t))
}

func compareSentences(t *testing.T, sg *Segmenter, where string, texts []string) {
	t.Helper()
	bad := 0
	for _, s := range texts {
		got, want := sg.Sentences(s), punktSentences(t, s)
		if !slices.Equal(got, want) {
			t.Errorf("%s: sentences differ for %q\n got %q\nwant %q", where, clip(s), got, want)
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
	t.Logf("%d %s texts compared", len(texts), where)
}

func FuzzSentences(f *testing.F) {
	for _, s := range trickySentences {
		f.Add(s)
	}
	sg, err := NewSegmenter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, ok := punktSafe(t, s)
		got := sg.Sentences(s)
		if !ok {
			t.Skip("the library panics on this input")
		}
		if !slices.Equal(got, want) {
			t.Errorf("sentences differ for %q\n got %q\nwant %q", s, got, want)
		}
	})
}

func punktSafe(tb testing.TB, s string) (out []string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return punktSentences(tb, s), true
}
