package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"chorus/corpus/synth"
	"chorus/internal/analysis"
)

// updateAnalyseGolden rewrites testdata/analyse_golden.txt from the code as
// it is. Only do that when the analysis is meant to change (and then bump
// analysisVersion): the file exists to prove that speed work changes
// nothing.
var updateAnalyseGolden = flag.Bool("update", false, "rewrite testdata/analyse_golden.txt from the current Analyse")

const analyseGoldenPath = "testdata/analyse_golden.txt"

// goldenFull is how many analyses per text set the golden file holds in
// full (the rest as hashes), so a failure can show what changed.
const goldenFull = 40

// goldenSet is a named list of comment texts.
type goldenSet struct {
	name  string
	texts []string
}

// goldenTexts builds the inputs: every counted comment of the bundled
// sample archive, the comments of a synthetic archive (as `chorus gen`
// writes it), and random texts glued from the sample's words and pieces
// that exercise the tokenizers' and rules' edge cases.
func goldenTexts(t *testing.T) []goldenSet {
	t.Helper()
	ctx := context.Background()
	sample, err := Texts(ctx, DefaultConfig())
	if err != nil {
		t.Fatalf("sample texts: %v", err)
	}
	opts := synth.DefaultOptions()
	opts.Shape = "short" // the shape the golden file was made from
	opts.Comments = 6000
	opts.Seed = 20261125
	opts.BadFiles = false
	opts.Out = filepath.Join(t.TempDir(), "archive")
	if _, err := synth.Generate(ctx, opts); err != nil {
		t.Fatalf("generate synthetic archive: %v", err)
	}
	cfg := DefaultConfig()
	cfg.Inputs = []string{opts.Out}
	syn, err := Texts(ctx, cfg)
	if err != nil {
		t.Fatalf("synthetic texts: %v", err)
	}
	return []goldenSet{
		{"sample", sample},
		{"synth", syn},
		{"random", randomTexts(sample, 3000)},
	}
}

// trickyPieces are fragments that reach the special cases of the
// tokenizers and rules: curly and straight quotes, contractions,
// emoticons and emoji, abbreviations and initials, ellipses and
// exclamations, complaint questions, swearing, Unicode spaces and letters
// whose case mapping changes their length, and invalid UTF-8.
var trickyPieces = []string{
	"don't", "they're.", "'sake", "isn't", "can't", "won't", "it's", "I'm", "we'll", "DON'T", "Don\u2019t",
	"\u201cinnovative\u201d", "\u2018transforming\u2019", "'innovative'", "\"good\"", "\"great", "value\"", "'", "\"",
	"\u201c", "\u201d", "&rsquo;", "don&rsquo;t", "so-called", "so", "called", "So-Called",
	":)", ":-)", ":(", ":D", "xD", ";)", "(:", "\U0001F600", "\u2764", "\U0001F621", "\u2639", "\u263A", "\u2192",
	"Mr.", "Mrs.", "Dr.", "U.S.", "e.g.", "i.e.", "etc.", "J.", "Smith.", "No.", "no.", "St.", "vs.",
	"...", "..", "!", "?", "?!", "!?", "??", "!!!", "?)", ".)", ".\"", "!'", "(see", "[1]", "(", ")", ";", ":", ",",
	"How can", "how on earth", "Why isn't", "why", "What's the point", "So how", "And why", "Is it any wonder",
	"bloody", "useless", "sodding", "damn", "good", "bad", "NOT", "GREAT", "very", "kind of", "but", "BUT", "least", "at least",
	"tick box", "not fit for purpose", "well said", "spot on", "Spot on.", "hear, hear", "fed up",
	"$5", "\u00a31,000.50", "1,000", "3.5", "-2", "10%", "2014-02-10", "http://example.org/a.b?c=d", "name@example.org",
	"\u0130stanbul", "\u0130", "stra\u00dfe", "\u1e9e", "na\u00efve", "caf\u00e9", "\u03a3\u039f\u03a3", "\u00c9COLE", "\u01c5",
	"\xff", "\xe2\x80", "a\x00b", "\u200b", "\ufeff",
	"CRC", "CRCs", "NPS", "SFOs", "NAPO", "Napo", "PO", "POs", "branch", "Branch", "BRANCH", "TR", "probation",
	"caseload", "too many cases", "pre-sentence report", "senior management", "olive branch",
}

// joiners separate pieces: mostly a space, sometimes a line break, a
// paragraph break, a tab, Unicode spaces or nothing at all.
var joiners = []string{
	" ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ",
	"\n", "\n\n", "  ", "\t", "\u00a0", "\u2003", "\u2028", "\r\n", "", " \n ", "\x1c",
}

// randomTexts glues n texts from the sample's words and trickyPieces with
// a fixed seed, so the texts are the same on every run.
func randomTexts(sample []string, n int) []string {
	seen := map[string]bool{}
	var words []string
	for _, s := range sample {
		for _, w := range strings.Fields(s) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	out := []string{"", " ", "\n", "\n\n", ".", "?", "!", "a", "A.", "'", "\""}
	for len(out) < n {
		var b strings.Builder
		k := 1 + r.IntN(60)
		for i := 0; i < k; i++ {
			if i > 0 {
				b.WriteString(joiners[r.IntN(len(joiners))])
			}
			if r.IntN(10) < 7 {
				b.WriteString(words[r.IntN(len(words))])
			} else {
				b.WriteString(trickyPieces[r.IntN(len(trickyPieces))])
			}
		}
		out = append(out, b.String())
	}
	return out
}

// goldenAnalysis is every field of analysis.Analysis in a canonical form:
// JSON writes floats so they read back bit for bit, map keys sorted, and
// tells a nil slice or map (null) from an empty one.
type goldenAnalysis struct {
	Seq                     int64
	CommentID               string
	NTokens, NSentences     int
	Compound, Pos, Neu, Neg float64
	Label, Evidence         string
	Topics                  []string
	TopicScores             map[string]float64
	TopicEvidence           string
}

func canonical(a analysis.Analysis) string {
	b, err := json.Marshal(goldenAnalysis{a.Seq, a.CommentID, a.NTokens, a.NSentences,
		a.Compound, a.Pos, a.Neu, a.Neg, a.Label, a.Evidence, a.Topics, a.TopicScores, a.TopicEvidence})
	if err != nil {
		// A NaN or Inf score: %#v still shows every bit that matters.
		return fmt.Sprintf("%#v", a)
	}
	return string(b)
}

func shortHash(s string, n int) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:n]
}

// goldenLines analyses every text with both sentiment models and renders
// the golden file: per text, a hash of the input and of each model's
// analysis; for the first goldenFull texts of each set, the analyses in
// full too.
func goldenLines(t *testing.T, sets []goldenSet) []string {
	t.Helper()
	models := []string{"domain", "lexicon", "vader"}
	ans := make([]*Analyser, len(models))
	for i, m := range models {
		cfg := DefaultConfig()
		cfg.Model = m
		cfg.Output = filepath.Join(t.TempDir(), "out") // no calibrated thresholds beside it
		an, err := newAnalyser(cfg)
		if err != nil {
			t.Fatalf("analyser %s: %v", m, err)
		}
		ans[i] = an
	}
	lines := []string{
		"# Analyse outputs over the sample archive, a synthetic archive and random texts",
		"# (analyse_golden_test.go). Per text: set index input-hash domain-hash lexicon-hash vader-hash;",
		"# '=' lines hold the first analyses of each set in full. Regenerate only when the",
		"# analysis is meant to change: go test ./pipeline -run AnalyseGolden -update",
	}
	for _, set := range sets {
		var full []string
		for i, text := range set.texts {
			line := fmt.Sprintf("%s %d %s", set.name, i, shortHash(text, 8))
			for k, an := range ans {
				c := canonical(an.Analyse(analysis.CommentText{Seq: int64(i), ID: fmt.Sprintf("%s-%d", set.name, i), Text: text}))
				line += " " + shortHash(c, 12)
				if i < goldenFull {
					full = append(full, fmt.Sprintf("= %s %s %d %s", models[k], set.name, i, c))
				}
			}
			lines = append(lines, line)
		}
		lines = append(lines, full...)
	}
	return lines
}

// TestAnalyseGolden checks that Analyse gives, field for field, the
// analyses recorded in testdata/analyse_golden.txt before Analyse and the
// models under it were optimised. Any difference is a changed output.
func TestAnalyseGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("golden analyses: slow")
	}
	sets := goldenTexts(t)
	got := goldenLines(t, sets)
	if *updateAnalyseGolden {
		if err := os.MkdirAll(filepath.Dir(analyseGoldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(analyseGoldenPath, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d lines)", analyseGoldenPath, len(got))
		return
	}
	want, err := readLines(analyseGoldenPath)
	if err != nil {
		t.Fatalf("read golden file (create it with -update from unmodified code): %v", err)
	}
	texts := map[string][]string{}
	for _, s := range sets {
		texts[s.name] = s.texts
	}
	bad := 0
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g == w {
			continue
		}
		if gf, wf := strings.Fields(g), strings.Fields(w); len(gf) > 2 && len(wf) > 2 && gf[0] != "=" && gf[2] != wf[2] {
			t.Fatalf("line %d: input text changed (%q vs %q): the inputs, not Analyse, moved; regenerate the golden file from the analysis code of the commit that last wrote it", i+1, g, w)
		}
		bad++
		if bad <= 10 {
			msg := fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g, w)
			if f := strings.Fields(g); len(f) > 1 && f[0] != "=" {
				var idx int
				if _, err := fmt.Sscan(f[1], &idx); err == nil && idx < len(texts[f[0]]) {
					msg += fmt.Sprintf("\n text %q", texts[f[0]][idx])
				}
			}
			t.Error(msg)
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d golden lines differ", bad, len(want))
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// formatEvidenceFmt is formatEvidence as first written, with a map, fmt and
// sort.SliceStable: the oracle for the allocation-light version.
func formatEvidenceFmt(ev []termWeight, n int) string {
	seen := map[string]bool{}
	uniq := ev[:0:0]
	for _, e := range ev {
		if !seen[e.term] {
			seen[e.term] = true
			uniq = append(uniq, e)
		}
	}
	sort.SliceStable(uniq, func(i, j int) bool { return math.Abs(uniq[i].weight) > math.Abs(uniq[j].weight) })
	if len(uniq) > n {
		uniq = uniq[:n]
	}
	parts := make([]string, len(uniq))
	for i, e := range uniq {
		parts[i] = fmt.Sprintf("%s(%+.2f)", e.term, e.weight)
	}
	return strings.Join(parts, "; ")
}

// TestFormatEvidenceMatchesFmt compares formatEvidence with the fmt
// version on random lists: repeated terms, tied and negative weights,
// signed zeros, roundings at the last digit, NaN and infinities, short and
// long lists (the long ones take the map path).
func TestFormatEvidenceMatchesFmt(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	terms := []string{"bad", "good", "'innovative' (scare quotes)", "scare quotes", "tick box", "x", "", "£", "a;b"}
	special := []float64{0, math.Copysign(0, -1), 0.005, -0.005, 0.015, -0.015, 1.005, 2.675, -2.675, 0.0049999, 1e-9, -1e-9,
		1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN(), 0.125, -0.125, 3.3, -3.3}
	for i := 0; i < 20000; i++ {
		ev := make([]termWeight, r.IntN(50))
		for k := range ev {
			w := special[r.IntN(len(special))]
			if r.IntN(2) == 0 {
				w = math.Round((r.Float64()*8-4)*1000) / 1000
			}
			ev[k] = termWeight{terms[r.IntN(len(terms))] + strconv.Itoa(r.IntN(6)), w}
		}
		n := r.IntN(8)
		if r.IntN(4) == 0 {
			n = len(ev)
		}
		want := formatEvidenceFmt(slices.Clone(ev), n)
		if got := formatEvidence(slices.Clone(ev), n); got != want {
			t.Fatalf("formatEvidence(%v, %d)\n got %q\nwant %q", ev, n, got, want)
		}
	}
}

// TestAnalyseConcurrent checks that one Analyser gives every goroutine the
// analyses it gives one caller alone: its models pool their scratch
// buffers, and a buffer shared by two calls would mix their texts. Run
// with -race to check the pools too.
func TestAnalyseConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrent analyses: slow")
	}
	texts, err := Texts(context.Background(), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{"domain", "vader"} {
		cfg := DefaultConfig()
		cfg.Model = model
		cfg.Output = filepath.Join(t.TempDir(), "out")
		an, err := newAnalyser(cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]string, len(texts))
		for i, s := range texts {
			want[i] = canonical(an.Analyse(analysis.CommentText{Seq: int64(i), ID: "c", Text: s}))
		}
		const workers = 4
		errs := make(chan string, workers)
		for w := 0; w < workers; w++ {
			go func() {
				// Each worker walks the texts from its own place.
				for k := range texts {
					i := (k + w*len(texts)/workers) % len(texts)
					if got := canonical(an.Analyse(analysis.CommentText{Seq: int64(i), ID: "c", Text: texts[i]})); got != want[i] {
						errs <- fmt.Sprintf("%s: text %d: got %s, want %s", model, i, got, want[i])
						return
					}
				}
				errs <- ""
			}()
		}
		for w := 0; w < workers; w++ {
			if e := <-errs; e != "" {
				t.Error(e)
			}
		}
	}
}
