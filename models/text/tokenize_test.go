package text

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"chorus/corpus"
	"chorus/internal/sharedtest"
)

// trickyTexts are invented strings that exercise every rule of prose's
// tokenizer and the places where a reimplementation is likely to differ.
var trickyTexts = []string{
	"",
	"   ",
	"\t\n \r\f\v",
	"word",
	"Hello, world!",
	"CRC's aren't working, are they?",
	"They'll say we're fine; I'm not. You'd think so.",
	"THEY'LL WE'RE I'M DON'T CAN'T WON'T SHE'S",
	"they're. we're, you're! I'm.",
	"'sake 'so 're-run 'm'n n'tx n't 's 'll 're 'm",
	"o'clock rock'n'roll ma'am y'all ol' 'twas 'em",
	"don't. couldn't've shouldn't, mustn't!",
	"isn't it's its' boss's bosses' James'",
	"'quoted' \"double\" ''twice'' \"\"both\"\" '\"mixed\"'",
	"\u201ccurly\u201d \u2018single\u2019 it\u2019s don\u2019t \u201cthey\u2019re\u201d",
	"&rsquo;s it&rsquo;s &amp; & &rsquo; &rsquo",
	"$100 $5.50 ($20) [$3] £20 €30 ¥ 100$ $$ $",
	"(brackets) [square] {curly} ((double)) [[x]] (a) [b] ( ) [ ]",
	"end. end.. end... end.... ... .. . ?! !? !!! ??? ;; ::",
	"well...no wait…really… …",
	"e.g. i.e. U.S. U.S.A. u.s. A.B.C.D. A.B U.S.A Mr. Mrs. Dr. Ms. St. Mrs Mrx. MR. Mr.. Mrss.",
	"(Mr. Smith) \"Dr.\" [U.S.] Mr.,",
	"https://example.org/a/b?c=d&e=f#g http://example.com. (see www.example.org)",
	"mail me: someone@example.com, or <a.b@example.org>.",
	":) :-) :( :-( ;) ;-) :D :P :p xD XD :/ :-/ <3 </3 :'( :`( ^_^ ^___^ o_O O_o",
	"(: (= (-8 (-; :(( :((( :() :))) :-)) :-))) :-* :-X :-] :-o :-p :-x :-| :-} :0 :3 :] :o :o)",
	"=( =) =D =| @_@ O.o V_V XDD [-: o_0 o_o v_v xDD 8-) 8-D 8D -__- (-_-) (._.) (o:",
	"(¬_¬) (ಠ_ಠ) (╯°□°）╯︵┻━┻ ¯\\(ツ)/¯ :-)). (:-) \":)\" :),",
	"well-being part-time 24-hour --- - -- a-b-c",
	"1,000 1.5 3.14159 10% 2014-06-01 01/06/2014 9am 9:30 1st 2nd 100,000,000.",
	"£1.5bn £300m 7.5% 50p 12.30pm",
	"naïve café résumé Zürich İstanbul ΑΘΗΝΑ Ⱥ's Ɫ's K's İ's ß's",
	"日本語 テキスト 中文。 한국어!",
	"emoji 😀 👍🏽 ❤️ 🇬🇧!",
	"no\u00a0break\u2009thin\u3000ideo\u2028line\u0085nel",
	"tab\tsep\nnewline\r\ncrlf",
	"a,b c;d e:f g!h i?j",
	"\"Hello,\" she said, \"it's 'fine'.\"",
	"(He said: \"we'll see.\")",
	"'I'm' \"I'm\" (I'm) [I'm]",
	"#hashtag @mention 100% *bold* _under_ ~tilde~ `code`",
	"...and then? (maybe!) [sic] {x}",
	"A.", "a.", "Ab.", "AB.", "Abc.", "Abcd.", "a.b.", "a.b", "ab.cd.",
	"\"", "'", "(", ")", "$", "[", "]", ",", ".", "''", "\"\"", "()", "$(", "($", "'(",
	"'s's's", "'ll'll", "x'sx's", "n'tn't", "I'mn't", "can'ts", "won't've",
	"\xff\xfe invalid \xc3 utf8 \xe2\x80 x\xe2\x80\x99s",
	// U+001C..U+001F: white space to the scan (Python), word bytes to
	// prose (Go), alone, at word edges and beside real white space.
	"a \x1c b", "\x1cabc", "abc\x1c", "\x1c", "hello\x1c world", "a\n\x1d\nb", "a\x1fb", "x \x1e\x1f y.", "\x1c\x1d",
}

// equalTokens compares our tokens with prose's for one text.
func equalTokens(t *testing.T, sg *Segmenter, where, s string) bool {
	t.Helper()
	want := proseTokens(s)
	got := sg.Tokens(s)
	if slices.Equal(got, want) {
		return true
	}
	t.Errorf("%s: tokens differ for %q\n got %q\nwant %q", where, clip(s), got, want)
	return false
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func TestTokensMatchProseTricky(t *testing.T) {
	sg := newTestSegmenter(t)
	for i, s := range trickyTexts {
		equalTokens(t, sg, fmt.Sprintf("tricky %d", i), s)
		// Every text again as one word glued to punctuation, and doubled.
		equalTokens(t, sg, "tricky glued", "("+s+")")
		equalTokens(t, sg, "tricky doubled", s+" "+s)
	}
}

func TestEmoticonsMatchProse(t *testing.T) {
	sg := newTestSegmenter(t)
	for e := range emoticons {
		if got := proseTokens(e); len(got) != 1 || got[0] != e {
			t.Errorf("emoticon %q is not kept whole by prose (%q): the table is wrong", e, got)
		}
		equalTokens(t, sg, "emoticon", e)
		equalTokens(t, sg, "emoticon in text", "so "+e+" and ("+e+") \""+e+"\" "+e+".")
	}
}

// sampleComments returns the text of every comment of the bundled sample.
func sampleComments(t testing.TB) []string {
	t.Helper()
	fsys := corpus.Sample()
	var texts []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == "README.md" || path == "dates.tsv" {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		doc, rej := corpus.Parse(path, data, corpus.Options{})
		if rej != nil {
			t.Fatalf("sample %s rejected: %v", path, rej)
		}
		for _, p := range doc.Posts {
			texts = append(texts, p.Title)
			texts = append(texts, p.Body...)
			for _, c := range p.Comments {
				texts = append(texts, c.Text)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 900 {
		t.Fatalf("only %d texts in the sample, want the 900-odd comments and more", len(texts))
	}
	return texts
}

// seedTexts returns the comments of the five seed dumps as the readers see
// them, and every line and paragraph of the raw files besides (so text the
// readers leave out, such as headers, is compared too).
func seedTexts(t *testing.T) []string {
	t.Helper()
	dir := sharedtest.Dir(t, "corpus/seeds")
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 5 {
		t.Fatalf("found %d seed files in %s, want 5", len(paths), dir)
	}
	var texts []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw := string(data)
		texts = append(texts, raw)
		texts = append(texts, strings.Split(raw, "\n")...)
		texts = append(texts, strings.Split(raw, "\n\n")...)
		doc, rej := corpus.Parse(p, data, corpus.Options{})
		if rej != nil {
			t.Fatalf("seed %s rejected: %v", p, rej)
		}
		for _, post := range doc.Posts {
			for _, c := range post.Comments {
				texts = append(texts, c.Text)
			}
		}
	}
	return texts
}

func TestTokensMatchProseSample(t *testing.T) {
	sg := newTestSegmenter(t)
	texts := sampleComments(t)
	bad := 0
	for _, s := range texts {
		if !equalTokens(t, sg, "sample", s) {
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
	t.Logf("%d sample texts compared", len(texts))
}

func TestTokensMatchProseSeeds(t *testing.T) {
	sg := newTestSegmenter(t)
	texts := seedTexts(t)
	bad := 0
	for _, s := range texts {
		if !equalTokens(t, sg, "seed", s) {
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
	t.Logf("%d seed texts compared", len(texts))
}

func FuzzTokens(f *testing.F) {
	for _, s := range trickyTexts {
		f.Add(s)
	}
	sg, err := NewSegmenter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, ok := proseTokensSafe(s)
		got := sg.Tokens(s) // must never panic, whatever prose does
		if !ok {
			t.Skip("prose panics on this input")
		}
		if !slices.Equal(got, want) {
			t.Errorf("tokens differ for %q (valid UTF-8: %v)\n got %q\nwant %q", s, utf8.ValidString(s), got, want)
		}
	})
}

// proseTokensSafe runs the oracle, reporting false when prose panics (it
// slices words by indexes into their lower-cased copy, which a few
// case-mapped runes make longer than the word).
func proseTokensSafe(s string) (toks []string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return proseTokens(s), true
}

func newTestSegmenter(tb testing.TB) *Segmenter {
	tb.Helper()
	sg, err := NewSegmenter()
	if err != nil {
		tb.Fatal(err)
	}
	return sg
}
