package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// referenceRow is how comments.csv rows were written before
// CommentEncoder appended fields itself: a []string record through
// encoding/csv. It is the specification the encoder is held to.
func referenceRow(t testing.TB, c Comment, topics []Topic, version string) []byte {
	t.Helper()
	rec := []string{
		c.ID, c.PostID, c.PostDate, c.DateSource, c.SourceFile, c.Section,
		strconv.Itoa(c.Depth), c.ParentID, strconv.Itoa(c.NTokens), strconv.Itoa(c.NSentences),
		formatFloat(c.Compound, precScore), formatFloat(c.Pos, precScore),
		formatFloat(c.Neu, precScore), formatFloat(c.Neg, precScore),
		c.Label, c.Evidence, strings.Join(c.Topics, ";"), c.TopicEvidence, c.DuplicateOf, c.Text,
		referenceTopicScores(c.TopicScores, topics), c.SourcePostID, c.SourceCommentID, version,
	}
	for i, f := range rec {
		if i < 6 || i == 7 || i >= 14 { // the text cells; numbers are never neutralised
			rec[i] = neutralise(f)
		}
	}
	return referenceCSV(t, rec)
}

func referenceCSV(t testing.TB, rec []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(rec); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// referenceTopicScores writes "name:0.1234" pairs in taxonomy order, then
// any names outside the taxonomy sorted.
func referenceTopicScores(m map[string]float64, topics []Topic) string {
	if len(m) == 0 {
		return ""
	}
	parts := make([]string, 0, len(m))
	done := map[string]bool{}
	for _, t := range topics {
		if v, ok := m[t.Name]; ok {
			parts = append(parts, t.Name+":"+formatFloat(v, precScore))
			done[t.Name] = true
		}
	}
	var rest []string
	for k := range m {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		parts = append(parts, k+":"+formatFloat(m[k], precScore))
	}
	return strings.Join(parts, ";")
}

// trickyStrings are fields encoding/csv treats specially: separators,
// quotes, line ends, `\.`, leading ASCII and Unicode spaces (and a
// non-breaking space that is not at the start), invalid UTF-8.
var trickyStrings = []string{
	"", "plain", "a,b", `say "hi"`, `"`, `""`, `"quoted"`, "line\nbreak", "cr\rhere", "crlf\r\nend",
	"\n", "\r", ",", " leading space", "trailing space ", "\tTab", "\vvt", "\ffeed", `\.`, `\.x`, `x\.`, `\`,
	"\u00a0nbsp first", "mid\u00a0nbsp", "\u0085next line", "\u2028line sep", "\u3000ideographic",
	"\u200bzero width (not a space)", "\xffbad utf8", "\xc2", "é accent", "emoji 🙂, comma",
	`mixed "q", c` + "\r\n" + ` and " more`, "x;y;z", "name:0.5",
}

// randomField builds a field from pieces that are special to CSV.
func randomField(rng *rand.Rand) string {
	pieces := []string{"a", "b", " ", ",", `"`, "\r", "\n", "\t", "\u00a0", "\u2028", "\xff", `\`, ".", ";", ":", "é", "0"}
	if rng.IntN(4) == 0 {
		return trickyStrings[rng.IntN(len(trickyStrings))]
	}
	var b strings.Builder
	for range rng.IntN(8) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// trickyFloats round or format at the edges: negative zero after rounding,
// NaN and infinities (written empty), halves, large values.
var trickyFloats = []float64{0, math.Copysign(0, -1), -0.00001, -0.00005, -0.00004999, 0.00005, -0.5, 1, -1,
	0.12345, -0.12345, 123456789.98765, -1e-300, 1e300, math.NaN(), math.Inf(1), math.Inf(-1), 0.99995, -0.99995}

func randomFloat(rng *rand.Rand) float64 {
	if rng.IntN(3) == 0 {
		return trickyFloats[rng.IntN(len(trickyFloats))]
	}
	return rng.NormFloat64()
}

func randomComment(rng *rand.Rand, topics []Topic) Comment {
	c := Comment{
		ID: randomField(rng), PostID: randomField(rng), PostDate: randomField(rng), DateSource: randomField(rng),
		SourceFile: randomField(rng), Section: randomField(rng), ParentID: randomField(rng),
		Depth: rng.IntN(5) - 1, NTokens: rng.IntN(1000) - 10, NSentences: rng.IntN(40),
		Compound: randomFloat(rng), Pos: randomFloat(rng), Neu: randomFloat(rng), Neg: randomFloat(rng),
		Label: randomField(rng), Evidence: randomField(rng), TopicEvidence: randomField(rng),
		DuplicateOf: randomField(rng), Text: randomField(rng),
	}
	for range rng.IntN(4) {
		if rng.IntN(2) == 0 && len(topics) > 0 {
			c.Topics = append(c.Topics, topics[rng.IntN(len(topics))].Name)
		} else {
			c.Topics = append(c.Topics, randomField(rng))
		}
	}
	if rng.IntN(4) > 0 {
		c.TopicScores = map[string]float64{}
		for range rng.IntN(5) {
			name := randomField(rng)
			if rng.IntN(2) == 0 && len(topics) > 0 {
				name = topics[rng.IntN(len(topics))].Name
			}
			c.TopicScores[name] = randomFloat(rng)
		}
	}
	return c
}

// TestCommentEncoderMatchesEncodingCSV holds CommentEncoder to the bytes
// that encoding/csv writes for the same record, over hand-picked and
// random fields, with taxonomies that have names outside the scores,
// scores outside the taxonomy, a repeated name and none at all.
func TestCommentEncoderMatchesEncodingCSV(t *testing.T) {
	taxonomies := map[string][]Topic{
		"fixture":  fixtureTopics,
		"none":     nil,
		"tricky":   {{Name: "a,b"}, {Name: `q"q`}, {Name: " sp"}, {Name: "line\nx"}, {Name: "plain"}},
		"repeated": {{Name: "pay"}, {Name: "morale"}, {Name: "pay"}},
	}
	for name, topics := range taxonomies {
		t.Run(name, func(t *testing.T) {
			for _, version := range []string{"0.1.0", "", "v, \"odd\"", " v"} {
				enc := NewCommentEncoder(topics, version)
				h, err := enc.Header()
				if err != nil {
					t.Fatal(err)
				}
				if want := referenceCSV(t, commentHeader); !bytes.Equal(h, want) {
					t.Fatalf("header %q, want %q", h, want)
				}
				check := func(c Comment) {
					t.Helper()
					got, err := enc.Append([]byte("prefix"), c)
					if err != nil {
						t.Fatal(err)
					}
					want := append([]byte("prefix"), referenceRow(t, c, topics, version)...)
					if !bytes.Equal(got, want) {
						t.Fatalf("comment %+v:\n got %q\nwant %q", c, got, want)
					}
				}
				for _, s := range trickyStrings {
					c := Comment{ID: s, PostID: s, PostDate: s, DateSource: s, SourceFile: s, Section: s, ParentID: s,
						Label: s, Evidence: s, Topics: []string{s, s}, TopicEvidence: s, DuplicateOf: s, Text: s,
						TopicScores: map[string]float64{s: -0.00001}}
					check(c)
					c.Topics = []string{s}
					check(c)
				}
				for _, f := range trickyFloats {
					check(Comment{Compound: f, Pos: f, Neu: f, Neg: f, TopicScores: map[string]float64{"pay": f, "zz": f}})
				}
				rng := rand.New(rand.NewPCG(uint64(len(name)), uint64(len(version))))
				for range 5000 {
					check(randomComment(rng, topics))
				}
			}
		})
	}
}

// TestCommentEncoderRealistic compares whole files of realistic comments.
func TestCommentEncoderRealistic(t *testing.T) {
	in := realisticInput(PeriodWeek)
	enc := NewCommentEncoder(in.Topics, in.Version)
	var got, want []byte
	n := 0
	in.Lean(func(c Comment) bool {
		var err error
		if got, err = enc.Append(got, c); err != nil {
			t.Fatal(err)
		}
		want = append(want, referenceRow(t, c, in.Topics, in.Version)...)
		n++
		return true
	})
	if n == 0 || !bytes.Equal(got, want) {
		t.Fatalf("%d comments: encoder and encoding/csv differ", n)
	}
}

// FuzzCommentEncoder checks arbitrary field contents against encoding/csv.
func FuzzCommentEncoder(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s, s, -0.00001)
	}
	f.Add("pay", "x", math.NaN())
	f.Fuzz(func(t *testing.T, a, b string, x float64) {
		topics := []Topic{{Name: "pay"}, {Name: a}}
		enc := NewCommentEncoder(topics, b)
		c := Comment{ID: a, Text: b, Evidence: a + b, Topics: []string{a, b}, Compound: x,
			TopicScores: map[string]float64{a: x, b: -x, "pay": 1}}
		got, err := enc.Append(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceRow(t, c, topics, b); !bytes.Equal(got, want) {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	})
}

// commentsLike makes n comments shaped like a generated archive's: about
// 250 bytes of prose (a third quoted for commas or quotes), evidence,
// topics and their scores.
func commentsLike(n int) []Comment {
	rng := rand.New(rand.NewPCG(3, 5))
	texts := []string{
		"I want to set down how today actually went, because in ten years someone will say it was all fine. The inspectorate has started saying so in reports.",
		"That will cause resentment unless it's fixed quickly. At least the CRCs are getting new kit. But I'm not going to pretend I'm happy.",
		`Good manager. She said "we will get there" and meant it`,
		"Caseloads are up again and nobody upstairs seems to notice the sickness rate climbing month after month after month",
	}
	out := make([]Comment, n)
	for i := range out {
		c := Comment{
			ID: fmt.Sprintf("c%016x", rng.Uint64()), PostID: fmt.Sprintf("p%016x", i/25),
			PostDate:   time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/25).Format(dateLayout),
			DateSource: "dateline", SourceFile: "/tmp/rp/arch/002/002866_2016-03-14.txt", Section: "thread",
			Depth: rng.IntN(3), NTokens: 20 + rng.IntN(40), NSentences: 1 + rng.IntN(4),
			Compound: math.Round(rng.NormFloat64()*5000) / 10000, Pos: rng.Float64(), Neu: rng.Float64(), Neg: rng.Float64(),
			Label: "negative", Evidence: "terrible(-0.80); jokes(-0.19); fine(+0.11)", Text: texts[rng.IntN(len(texts))],
		}
		if c.Depth > 0 {
			c.ParentID = fmt.Sprintf("c%016x", rng.Uint64())
		}
		if rng.IntN(2) == 0 {
			tp := fixtureTopics[rng.IntN(len(fixtureTopics))].Name
			c.Topics = []string{tp}
			c.TopicEvidence = tp + ": CRCs"
			c.TopicScores = map[string]float64{tp: 1}
		}
		out[i] = c
	}
	return out
}

// BenchmarkWriteLarge writes the reports of 100,000 comments on 4,000
// posts by month: a cold run's report stage without the database.
func BenchmarkWriteLarge(b *testing.B) {
	cs := commentsLike(100000)
	var posts []Post
	for i, c := range cs {
		if i == 0 || c.PostID != cs[i-1].PostID {
			posts = append(posts, Post{ID: c.PostID, Date: c.PostDate, DateSource: c.DateSource, Title: "Title, " + c.PostID,
				SourceFile: c.SourceFile, Declared: -1})
		}
	}
	in := Input{Version: "0.1.0-dev", Period: PeriodMonth, Topics: fixtureTopics, Events: fixtureEvents, Posts: posts}
	RowsOf(&in, cs)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(context.Background(), dir, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommentEncoder encodes 100,000 comments shaped like a generated
// archive's: comments.csv on a cold run.
func BenchmarkCommentEncoder(b *testing.B) {
	cs := commentsLike(100000)
	enc := NewCommentEncoder(fixtureTopics, "0.1.0-dev")
	var row []byte
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, c := range cs {
			var err error
			if row, err = enc.Append(row[:0], c); err != nil {
				b.Fatal(err)
			}
			n += len(row)
		}
	}
	b.SetBytes(int64(n / b.N))
}

// TestAppendFloatMatchesFormatFloat holds the integer fast path of
// appendFloat to strconv's exact rounding, above all next to ties: values
// a hair either side of k.5·10^-prec, which a product rounded the wrong way
// would send to the wrong neighbour.
func TestAppendFloatMatchesFormatFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(v float64, prec int) {
		t.Helper()
		if got, want := string(appendFloat([]byte("x"), v, prec)), "x"+formatFloat(v, prec); got != want {
			t.Fatalf("appendFloat(%v (%b), %d) = %q, want %q", v, v, prec, got, want)
		}
	}
	for prec := range 8 {
		for _, v := range trickyFloats {
			check(v, prec)
		}
		for range 50000 {
			var v float64
			switch rng.IntN(5) {
			case 0:
				v = rng.NormFloat64()
			case 1: // a tie in decimal, and its binary neighbours
				k := float64(rng.IntN(2000000) - 1000000)
				v = (k + 0.5) / math.Pow(10, float64(prec))
				v = math.Nextafter(v, math.Inf(rng.IntN(3)-1))
			case 2: // a score as the models round it
				v = math.Round(rng.NormFloat64()*10000) / 10000
			case 3: // near the fast path's bound
				v = (rng.Float64()*2 - 1) * 1.0001e4
			default:
				v = (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(26)-8))
			}
			check(v, prec)
			check(-v, prec)
		}
	}
}

// TestCSVNeedsQuotesEveryByte puts every byte value at every offset of a
// field longer than the eight bytes csvNeedsQuotes tests at a time, beside
// neighbours that differ from a special byte by one.
func TestCSVNeedsQuotesEveryByte(t *testing.T) {
	for _, fill := range []byte{'a', ',' + 1, '"' - 1, 0xff} {
		for n := 1; n <= 17; n++ {
			for at := range n {
				for c := range 256 {
					f := bytes.Repeat([]byte{fill}, n)
					f[at] = byte(c)
					s := string(f)
					want := referenceCSV(t, []string{s, ""})
					got := appendCSVField(nil, s)
					if got = append(got, ",\n"...); !bytes.Equal(got, want) {
						t.Fatalf("field %q: got %q, want %q", s, got, want)
					}
					if g := append(appendCSVField(nil, f), ",\n"...); !bytes.Equal(g, want) {
						t.Fatalf("field %q as bytes: got %q, want %q", s, g, want)
					}
				}
			}
		}
	}
}
