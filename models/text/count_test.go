package text

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// countTexts are the tricky texts of both tokenizers' tests, each also
// glued to punctuation and repeated over lines, so every rule of the three
// Punkt passes meets line ends, pairs and neighbours.
func countTexts() []string {
	base := append(slices.Clone(trickySentences), trickyTexts...)
	var out []string
	for _, s := range base {
		out = append(out, s, "("+s+")", s+" "+s, s+"\n"+s, s+". "+s, strings.ToUpper(s), strings.ToLower(s))
	}
	return out
}

func compareCounts(t *testing.T, sg *Segmenter, where string, texts []string) {
	t.Helper()
	bad := 0
	for _, s := range texts {
		if got, want := sg.TokenCount(s), len(sg.Tokens(s)); got != want {
			t.Errorf("%s: TokenCount = %d, len(Tokens) = %d for %q", where, got, want, clip(s))
			bad++
		}
		if got, want := sg.SentenceCount(s), len(sg.Sentences(s)); got != want {
			t.Errorf("%s: SentenceCount = %d, len(Sentences) = %d for %q\nsentences %q", where, got, want, clip(s), sg.Sentences(s))
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
	t.Logf("%d %s texts compared", len(texts), where)
}

func TestCountsTricky(t *testing.T) {
	compareCounts(t, newTestSegmenter(t), "tricky", countTexts())
}

func TestCountsSample(t *testing.T) {
	compareCounts(t, newTestSegmenter(t), "sample", sampleComments(t))
}

func TestCountsSeeds(t *testing.T) {
	compareCounts(t, newTestSegmenter(t), "seed", seedTexts(t))
}

// TestCountsRandom compares on random texts glued from pieces, and
// on words of the sample reglued with those pieces (so the Punkt model's
// abbreviations, collocations and sentence starters are met in every
// context).
func TestCountsRandom(t *testing.T) {
	sg := newTestSegmenter(t)
	r := rand.New(rand.NewPCG(3, 4))
	n := 50000
	if testing.Short() {
		n = 5000
	}
	var words []string
	for _, s := range sampleComments(t) {
		words = append(words, strings.Fields(s)...)
	}
	texts := make([]string, 0, 2*n)
	for range n {
		texts = append(texts, randomText(r))
		var b strings.Builder
		for k := 1 + r.IntN(40); k > 0; k-- {
			if r.IntN(3) == 0 {
				b.WriteString(pieces[r.IntN(len(pieces))])
			} else {
				b.WriteString(words[r.IntN(len(words))])
			}
			if r.IntN(5) > 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	compareCounts(t, sg, "random", texts)
}

func FuzzCounts(f *testing.F) {
	for _, s := range countTexts() {
		f.Add(s)
	}
	sg, err := NewSegmenter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := sg.SentenceCount(s), len(sg.Sentences(s)); got != want {
			t.Errorf("SentenceCount = %d, len(Sentences) = %d for %q", got, want, s)
		}
		if got, want := sg.TokenCount(s), len(sg.Tokens(s)); got != want {
			t.Errorf("TokenCount = %d, len(Tokens) = %d for %q", got, want, s)
		}
	})
}

func BenchmarkTokenCount(b *testing.B) {
	texts, n := benchTexts(b)
	sg := newTestSegmenter(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = sg.TokenCount(s)
		}
	}
}

func BenchmarkSentenceCount(b *testing.B) {
	texts, n := benchTexts(b)
	sg := newTestSegmenter(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = sg.SentenceCount(s)
		}
	}
}

// TestSanitizeMatchesReplacer compares sanitize with the strings.Replacer
// it replaced, on random strings of the replaced sequences, their
// prefixes, neighbours and invalid bytes.
func TestSanitizeMatchesReplacer(t *testing.T) {
	rep := strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "&rsquo;", "'")
	bits := []string{"\u201c", "\u201d", "\u2018", "\u2019", "&rsquo;", "&rsquo", "&", "&amp;", "\u201a", "\u201e", "\u2026",
		"\u2013", "\xe2", "\xe2\x80", "\xe2\x80\x9c"[:2], "a", " ", "'", "\"", "\u00e9", "rsquo;", "\u2019\u2019"}
	r := rand.New(rand.NewPCG(9, 9))
	for range 100000 {
		s := joinRandom(r, bits, 11)
		if got, want := sanitize(s), rep.Replace(s); got != want {
			t.Fatalf("sanitize(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestScanWordMatchesScalar compares the eight-byte word scan with the
// byte loop at every offset of random texts of letters, digits, the
// bytes around their ranges, apostrophes, punctuation, white space,
// control characters, Unicode spaces, other runes and invalid bytes.
func TestScanWordMatchesScalar(t *testing.T) {
	bits := []string{"a", "z", "A", "Z", "0", "9", "/", ":", "@", "[", "`", "{", "'", "!", "~", "\x7f", "-", ".",
		" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x00", "\x01", "\u00a0", "\u0085", "\u2003", "\u3000",
		"\u00e9", "\u2019", "\U0001F600", "\xff", "\xe2\x80", "abcdefgh", "ABCDEFGH", "01234567"}
	r := rand.New(rand.NewPCG(6, 7))
	for range 20000 {
		s := joinRandom(r, bits, 29)
		for i := 0; i < len(s); i++ {
			ge, gk := scanWord(s, i)
			we, wk := scanWordScalar(s, i)
			if ge != we || gk != wk {
				t.Fatalf("scanWord(%q, %d) = %d, %b; want %d, %b", s, i, ge, gk, we, wk)
			}
		}
	}
}

// TestCountWordPunct compares countWordPunct with the length of the
// word's tokens on words of letters and digits and trailing marks, short
// titles and emoticons of letters among them.
func TestCountWordPunct(t *testing.T) {
	heads := []string{"word", "Mr", "Mrs", "Dr", "Ms", "MR", "mr", "Mrss", "M", "A", "xD", "8D", "XDD", "U", "Abc", "Abcd", "e", "12", "x1"}
	marks := ",)\"]!;.?:'"
	r := rand.New(rand.NewPCG(5, 5))
	tried := 0
	for range 50000 {
		w := heads[r.IntN(len(heads))]
		for k := 1 + r.IntN(4); k > 0; k-- {
			w += string(marks[r.IntN(len(marks))])
		}
		n := countWordPunct(w)
		if n == 0 {
			continue
		}
		tried++
		if want := len(AppendTokens(nil, w)); n != want {
			t.Fatalf("countWordPunct(%q) = %d, want %d (%q)", w, n, want, AppendTokens(nil, w))
		}
	}
	if tried < 10000 {
		t.Fatalf("only %d words counted: the generator misses the fast path", tried)
	}
}
