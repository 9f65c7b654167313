package vader

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const eps = 1e-12

// norm is the reference compound normalisation, written out independently
// so the tests check the engine against the formula, not against itself.
func norm(x float64) float64 { return x / math.Sqrt(x*x+15) }

// contributions returns term -> valence for text (terms must be unique).
func contributions(t *testing.T, a *Analyzer, text string) map[string]float64 {
	t.Helper()
	_, cs := a.Trace(text)
	out := map[string]float64{}
	for _, c := range cs {
		if _, dup := out[c.Term]; dup {
			t.Fatalf("%q: term %q contributes twice", text, c.Term)
		}
		out[c.Term] = c.Valence
	}
	return out
}

// wantValences checks that exactly the given terms carry valence in text.
func wantValences(t *testing.T, a *Analyzer, text string, want map[string]float64) {
	t.Helper()
	got := contributions(t, a, text)
	if len(got) != len(want) {
		t.Errorf("%q: contributions %v, want %v", text, got, want)
		return
	}
	for term, w := range want {
		if g, ok := got[term]; !ok || math.Abs(g-w) > eps {
			t.Errorf("%q: %s = %v (present %v), want %v", text, term, g, ok, w)
		}
	}
}

func TestDefaultLexicon(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if len(lex) < 7000 {
		t.Errorf("lexicon has %d entries, want the full ~7,500", len(lex))
	}
	for w, v := range map[string]float64{"heart": 3.2, "hearts": 3.3, "good": 1.9, "bad": -2.5, ":)": 2.0} {
		if lex[w] != v {
			t.Errorf("lexicon[%q] = %v, want %v", w, lex[w], v)
		}
	}
	lex["good"] = -4
	again, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if again["good"] != 1.9 {
		t.Errorf("DefaultLexicon shares state between calls: good = %v", again["good"])
	}
}

func TestPlainAndPunctuation(t *testing.T) {
	a := newDefault(t)
	cases := []struct {
		text string
		sum  float64 // summed valence after punctuation emphasis
	}{
		{"The food is good", 1.9},
		{"The food is good!", 1.9 + 0.292},
		{"The food is good!!!!!!", 1.9 + 4*0.292}, // at most four count
		{"Is the food good?", 1.9},                // one ? adds nothing
		{"Is the food good??", 1.9 + 2*0.18},
		{"Is the food good???", 1.9 + 3*0.18},
		{"Is the food good?????", 1.9 + 0.96},
		{"The food is bad!", -2.5 - 0.292}, // emphasis follows the sign
		{"The food is here!", 0},           // no sentiment: no emphasis
	}
	for _, c := range cases {
		got := a.PolarityScores(c.text).Compound
		if math.Abs(got-norm(c.sum)) > eps {
			t.Errorf("%q: compound %v, want %v", c.text, got, norm(c.sum))
		}
	}
	s := a.PolarityScores("The food is good")
	// four tokens: three neutral, one positive counted as 1 + valence
	if math.Abs(s.Pos-2.9/5.9) > eps || math.Abs(s.Neu-3/5.9) > eps || s.Neg != 0 {
		t.Errorf("proportions %+v, want pos %v neu %v", s, 2.9/5.9, 3/5.9)
	}
	if (a.PolarityScores("") != Scores{}) || (a.PolarityScores(" \t\n") != Scores{}) {
		t.Error("empty text must score all zeros")
	}
}

func TestNegation(t *testing.T) {
	a := newDefault(t)
	wantValences(t, a, "The food is not good", map[string]float64{"good": 1.9 * -0.74})
	wantValences(t, a, "The food isn't good", map[string]float64{"good": 1.9 * -0.74})
	wantValences(t, a, "The food ISN'T good", map[string]float64{"good": 1.9 * -0.74})
	// negation reaches three words back, not four
	wantValences(t, a, "I am not at all good", map[string]float64{"good": 1.9 * -0.74})
	wantValences(t, a, "not that the food was good", map[string]float64{"good": 1.9})
	// "never so" / "never this" intensify instead of negating; as in the
	// reference, "so"/"this" right before the word multiplies by 1.25 once
	// more at the third look-back (Python and/or precedence)
	wantValences(t, a, "it was never so good", map[string]float64{"good": (1.9 + 0.293) * 1.25 * 1.25})
	wantValences(t, a, "it was never this good", map[string]float64{"good": 1.9 * 1.25 * 1.25})
	wantValences(t, a, "it was never good", map[string]float64{"good": 1.9 * -0.74})
	// "without doubt" is not a negation ("doubt" itself is a lexicon word)
	wantValences(t, a, "without doubt excellent", map[string]float64{"doubt": -1.5 * -0.74, "excellent": 2.7})
	wantValences(t, a, "it is without a doubt excellent", map[string]float64{"doubt": -1.5 * -0.74, "excellent": 2.7})
	// "least" negates, "at least" and "very least" do not
	wantValences(t, a, "the least good idea", map[string]float64{"good": 1.9 * -0.74})
	wantValences(t, a, "at least good", map[string]float64{"good": 1.9})
	wantValences(t, a, "least good", map[string]float64{"good": 1.9 * -0.74})
	// "no" before a lexicon word negates it and scores nothing itself
	wantValences(t, a, "there were no problems", map[string]float64{"problems": -1.7 * -0.74})
	// "no" at the end, or before a non-lexicon word, is a word of its own
	wantValences(t, a, "I said no", map[string]float64{"no": -1.2})
	// ... and "no or X" negates X
	wantValences(t, a, "no food or bad", map[string]float64{"no": -1.2, "bad": -2.5 * -0.74})
	// two-letter words keep their punctuation (the reference strips only
	// when more than two characters remain), so "no." is not "no"
	wantValences(t, a, "I said no.", map[string]float64{})
}

func TestBoostersAndCaps(t *testing.T) {
	a := newDefault(t)
	wantValences(t, a, "The food is very good", map[string]float64{"good": 1.9 + 0.293})
	wantValences(t, a, "The food is slightly good", map[string]float64{"good": 1.9 - 0.293})
	// boosters push away from zero for negative words too
	wantValences(t, a, "The food is very bad", map[string]float64{"bad": -2.5 - 0.293})
	// they fade with distance: 0.95 at two words back, 0.9 at three
	wantValences(t, a, "very much the good", map[string]float64{"good": 1.9 + 0.293*0.9})
	wantValences(t, a, "very the good", map[string]float64{"good": 1.9 + 0.293*0.95})
	// "kind of" dampens; "kind" itself scores nothing there
	wantValences(t, a, "the food was kind of good", map[string]float64{"good": 1.9 - 0.293})
	// ALL CAPS emphasis when the text mixes case, for the word and its booster
	wantValences(t, a, "The food is GOOD", map[string]float64{"good": 1.9 + 0.733})
	wantValences(t, a, "The food is VERY GOOD", map[string]float64{"good": 1.9 + 0.733 + 0.293 + 0.733})
	wantValences(t, a, "The food is BAD", map[string]float64{"bad": -2.5 - 0.733})
	// a text in all caps has no emphasis
	wantValences(t, a, "THE FOOD IS GOOD", map[string]float64{"good": 1.9})
}

func TestBut(t *testing.T) {
	a := newDefault(t)
	wantValences(t, a, "The food is good but the service is bad",
		map[string]float64{"good": 1.9 * 0.5, "bad": -2.5 * 1.5})
	wantValences(t, a, "Good food. But, the service is bad",
		map[string]float64{"good": 1.9 * 0.5, "bad": -2.5 * 1.5})
	// Reference quirk: for each value the reference rescales the first entry
	// equal to it. "great" (3) before "but" becomes 1.5, and the "fine" (1.5)
	// after it then rescales that first 1.5 again instead of itself.
	b := New(Lexicon{"great": 3, "fine": 1.5})
	wantValences(t, b, "great but fine", map[string]float64{"great": 0.75, "fine": 1.5})
}

func TestIdioms(t *testing.T) {
	a := newDefault(t)
	// "bomb" is negative, "the bomb" is great praise (three words must
	// precede it, none of them lexicon words, as in the reference)
	wantValences(t, a, "that movie was the bomb", map[string]float64{"bomb": 3})
	wantValences(t, a, "it was the kiss of death", map[string]float64{"kiss": -1.5, "death": -1.5})
	wantValences(t, a, "that was her broken heart", map[string]float64{"heart": -2.9, "broken": -2.9})
	// the reference sets sentiment-laden idioms without lexicon words aside
	// as future work: they do not score
	wantValences(t, a, "he is under the weather", map[string]float64{})
}

func TestEmoji(t *testing.T) {
	a := newDefault(t)
	// U+1F498 is "heart with arrow": scored through "heart", one of the two
	// entries govader's lexicon lacks
	_, cs := a.Trace("got a \U0001F498 today")
	if len(cs) != 1 || cs[0].Term != "heart" || cs[0].Valence != 3.2 || cs[0].Index != 2 {
		t.Errorf("emoji trace %+v, want heart 3.2 at word 2", cs)
	}
	// glued to a word, the description gets a space before it, none after
	plain := a.PolarityScores("got a heart with arrow today")
	glued := a.PolarityScores("got a\U0001F498 today")
	if plain != glued {
		t.Errorf("emoji after a word: %+v, want %+v", glued, plain)
	}
	// a non-emoji non-ASCII text is scored as is
	if got := a.PolarityScores("caf\u00e9 is good").Compound; math.Abs(got-norm(1.9)) > eps {
		t.Errorf("non-ASCII text: compound %v", got)
	}
}

func TestPythonWhitespaceAndCase(t *testing.T) {
	a := newDefault(t)
	// U+001F separates words for Python's str.split, not for Go's Fields
	wantValences(t, a, "good\x1fbad", map[string]float64{"good": 1.9, "bad": -2.5})
	wantValences(t, a, "good\u00a0bad", map[string]float64{"good": 1.9, "bad": -2.5})
	// Unicode upper case counts as ALL CAPS
	wantValences(t, a, "the \u00c9T\u00c9 was GOOD", map[string]float64{"good": 1.9 + 0.733})
}

func TestMultiWordKeys(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	lex["tick box"] = -2
	lex["fit for purpose"] = 1
	lex["not fit for purpose"] = -2.5
	lex["Hear, hear"] = 2     // normalised like text: "hear hear"
	lex[" shambolic "] = -2.2 // stray spaces: still the word
	a := New(lex)

	_, cs := a.Trace("It is a Tick-box exercise? No: a TICK BOX exercise.")
	// "Tick-box" is one word and does not match; "TICK BOX" does, with
	// caps emphasis as the text mixes case
	if len(cs) != 1 || cs[0].Term != "tick box" || cs[0].Index != 7 || math.Abs(cs[0].Valence-(-2-0.733)) > eps {
		t.Fatalf("trace %+v, want the phrase at word 7 with -2.733", cs)
	}
	wantValences(t, a, "it is a tick box exercise", map[string]float64{"tick box": -2})
	// the longest key starting at a word wins; its other words score nothing
	wantValences(t, a, "Not fit for purpose.", map[string]float64{"not fit for purpose": -2.5})
	wantValences(t, a, "fit for purpose", map[string]float64{"fit for purpose": 1})
	// rules look back from the phrase's first word
	wantValences(t, a, "it is not a tick box exercise", map[string]float64{"tick box": -2 * -0.74})
	wantValences(t, a, "a very tick box exercise", map[string]float64{"tick box": -2 - 0.293})
	wantValences(t, a, "hear hear!", map[string]float64{"hear hear": 2})
	wantValences(t, a, "Shambolic.", map[string]float64{"shambolic": -2.2})
	// a phrase starting with "no" is not the negating word "no"
	lex["no way"] = -1.5
	lex["way"] = 0.5 // makes the next word a lexicon word
	b := New(lex)
	wantValences(t, b, "no way", map[string]float64{"no way": -1.5})

	// the reference lexicon's own spaced keys never match by default ...
	d := newDefault(t)
	wantValences(t, d, "I am fed up", map[string]float64{})
	// ... unless asked
	lex2, _ := DefaultLexicon()
	r := NewWithOptions(lex2, Options{ReferencePhrases: true})
	wantValences(t, r, "I am fed up", map[string]float64{"fed up": -1.8})
}

func TestTraceMatchesScores(t *testing.T) {
	a := newDefault(t)
	text := "The staff were really helpful, but the new system is an utter disaster :("
	s, cs := a.Trace(text)
	if s != a.PolarityScores(text) {
		t.Errorf("Trace scores %+v differ from PolarityScores %+v", s, a.PolarityScores(text))
	}
	want := []Contribution{
		{"helpful", 4, (1.8 + 0.293) * 0.5},
		{"disaster", 12, (-3.1 - 0.293) * 1.5},
		{":(", 13, (-1.9 - 0.293*0.95) * 1.5}, // "utter" is two words back
	}
	if len(cs) != len(want) {
		t.Fatalf("contributions %+v, want %+v", cs, want)
	}
	for i := range want {
		if cs[i].Term != want[i].Term || cs[i].Index != want[i].Index || math.Abs(cs[i].Valence-want[i].Valence) > eps {
			t.Errorf("contribution %d = %+v, want %+v", i, cs[i], want[i])
		}
	}
}

func TestLabel(t *testing.T) {
	for c, want := range map[float64]string{0.05: "positive", 0.0499: "neutral", 0: "neutral", -0.05: "negative", -0.0499: "neutral", 0.9: "positive", -0.9: "negative"} {
		if got := Label(c); got != want {
			t.Errorf("Label(%v) = %s, want %s", c, got, want)
		}
	}
}

// TestConcurrent checks that pooled buffers never leak between goroutines
// (run with -race).
func TestConcurrent(t *testing.T) {
	a := newDefault(t)
	want := make([]Scores, len(benchSentences))
	for i, s := range benchSentences {
		want[i] = a.PolarityScores(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 200; r++ {
				i := (g + r) % len(benchSentences)
				if got := a.PolarityScores(benchSentences[i]); got != want[i] {
					errs <- fmt.Sprintf("%q: %+v, want %+v", benchSentences[i], got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func ExampleAnalyzer_PolarityScores() {
	lex, err := DefaultLexicon()
	if err != nil {
		panic(err)
	}
	a := New(lex)
	for _, text := range []string{
		"The training was really good!",
		"The training was not good, and the new system is a disaster.",
	} {
		s := a.PolarityScores(text)
		fmt.Println(strconv.FormatFloat(s.Compound, 'f', 4, 64), Label(s.Compound))
	}
	_, evidence := a.Trace("The training was really good!")
	fmt.Printf("%s %.3f\n", evidence[0].Term, evidence[0].Valence)
	// Output:
	// 0.5400 positive
	// -0.7584 negative
	// good 2.193
}

// TestHashPadded checks the fast hash against its plain definition for every
// word length and garbage after the word; a mismatch would make words
// silently miss the lexicon.
func TestHashPadded(t *testing.T) {
	buf := []byte("xxabcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-----------------")
	for off := 0; off < 4; off++ {
		for n := 0; off+n+7 <= len(buf); n++ {
			if got, want := hashPadded(buf, off, n), hashKey(buf[off:off+n]); got != want {
				t.Fatalf("off %d n %d: %x, want %x", off, n, got, want)
			}
		}
	}
	if hashKey([]byte("good")) == hashKey([]byte("good\x00")) {
		t.Error("hash ignores length: a zero byte would collide")
	}
}

// TestButIndexedMatchesScan checks the long-text "but" rule against the
// direct transcription on random valences drawn from a few values related
// by the rule's factors, so that repeats (the quirky case) are common.
func TestButIndexedMatchesScan(t *testing.T) {
	vals := []float64{0, 0, 0, 1, 2, 0.5, 1.5, 3, 0.75, 2.25, -1, -2, -0.5, -1.5}
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 3000; n++ {
		size := 1 + r.IntN(60)
		a := make([]float64, size)
		for i := range a {
			a[i] = vals[r.IntN(len(vals))]
		}
		b := slices.Clone(a)
		bi := r.IntN(size)
		var nz []int32
		for i, v := range a {
			if v != 0 {
				nz = append(nz, int32(i))
			}
		}
		orig := slices.Clone(a)
		butRescaleScan(a, nz, bi)
		butRescaleIndexed(b, nz, bi)
		if !slices.Equal(a, b) {
			t.Fatalf("valences %v, but at %d: scan %v, indexed %v", orig, bi, a, b)
		}
	}
}

// TestLongText scores a text long enough for the indexed "but" rule and the
// oversized-buffer path, and checks it against the sentence-level pieces.
func TestLongText(t *testing.T) {
	a := newDefault(t)
	text := strings.Repeat("good bad fine ", 100000) + "but great"
	s, cs := a.Trace(text)
	if len(cs) != 300001 {
		t.Fatalf("%d contributions, want 300001", len(cs))
	}
	// every item before "but" is halved once, except where the quirk
	// re-rescales a repeated value; "great" after it is boosted
	if last := cs[len(cs)-1]; last.Term != "great" || math.Abs(last.Valence-3.1*1.5) > eps {
		t.Errorf("last contribution %+v, want great %v", last, 3.1*1.5)
	}
	if s.Compound <= -1 || s.Compound >= 1 || math.IsNaN(s.Compound) {
		t.Errorf("compound %v out of range", s.Compound)
	}
	if got := a.PolarityScores("good"); math.Abs(got.Compound-norm(1.9)) > eps {
		t.Errorf("after a long text the pool gives a wrong score: %v", got)
	}
}
