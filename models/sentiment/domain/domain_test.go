package domain

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"chorus/models/sentiment/vader"
)

// Every sentence in this file is invented for the test.

func newModel(t testing.TB, opts Options) *Model {
	t.Helper()
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func plainVADER(t testing.TB) *vader.Analyzer {
	t.Helper()
	lex, err := vader.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	return vader.New(lex)
}

func hasEvidence(r Result, sub string) bool {
	for _, e := range r.Evidence {
		if strings.Contains(e.Term, sub) {
			return true
		}
	}
	return false
}

func TestBuiltinOverlay(t *testing.T) {
	entries, err := parseOverlay(overlayTSV, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 300 {
		t.Errorf("overlay has %d entries, want hundreds", len(entries))
	}
	lex, err := vader.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for term, e := range entries {
		if len(e.Reason) < 4 {
			t.Errorf("line %d %q: reason %q is too short to explain anything", e.Line, term, e.Reason)
		}
		if strings.Contains(term, " ") {
			continue
		}
		// A single-word entry must change something: neutralise a word
		// VADER knows, or give a word a different value.
		v, known := lex[term]
		if e.Valence == 0 && !known {
			t.Errorf("line %d %q: neutralises a word VADER does not have", e.Line, term)
		}
		if known && v == e.Valence {
			t.Errorf("line %d %q: same valence as VADER (%v), entry does nothing", e.Line, term, v)
		}
	}
	for _, w := range []string{"offender", "risk", "prison", "victim", "support", "care", "help", "justice", "po"} {
		if e, ok := entries[w]; !ok || e.Valence != 0 {
			t.Errorf("%q should be neutralised, got %+v (present %v)", w, e, ok)
		}
	}
	for _, w := range []string{"shambles", "bollocks", "shite", "tick box", "not fit for purpose", "on their knees", "well said", "hear hear"} {
		if _, ok := entries[w]; !ok {
			t.Errorf("overlay lacks %q", w)
		}
	}
}

func TestParseOverlayErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"one field", "# c\nshambles\n", "line 2"},
		{"four fields", "a\t1\tr\textra\n", "line 1"},
		{"bad valence", "ok\t1\tfine\nbad\tminus two\twhy\n", "line 2"},
		{"out of range", "\n\nhuge\t7\ttoo big\n", "line 3"},
		{"duplicate", "tick box\t-1\tr\nTick  Box\t-2\tr\n", "line 2: \"tick box\" already defined on line 1"},
		{"empty term", " \t1\tr\n", "line 1"},
		{"nan", "x\tNaN\tr\n", "line 1"},
	}
	for _, c := range cases {
		_, err := parseOverlay([]byte(c.src), false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if _, err := parseOverlay([]byte("word\t-1\n"), true); err == nil || !strings.Contains(err.Error(), "no reason") {
		t.Errorf("built-in overlay without reason: err = %v", err)
	}
	good := "\ufeff# researchers' terms\r\nJolly Good\t2.5\tBritish approval\r\nrota\t-0.5\r\n\n"
	m, err := parseOverlay([]byte(good), false)
	if err != nil {
		t.Fatal(err)
	}
	if e := m["jolly good"]; e.Valence != 2.5 || e.Reason != "British approval" || e.Line != 2 {
		t.Errorf("jolly good = %+v", e)
	}
	if e := m["rota"]; e.Valence != -0.5 || e.Line != 3 {
		t.Errorf("rota = %+v", e)
	}
}

func TestParseLexiconAndOverride(t *testing.T) {
	if _, err := ParseLexicon("bad.tsv", []byte("fine\t1\tok\nbroken line\n")); err == nil || !strings.Contains(err.Error(), "bad.tsv") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v, want file name and line 2", err)
	}

	src := "# our corpus\nshambles\t2\tin our corpus it names a market hall\nrota review\t-2\tlocal grievance\n"
	extra, err := ParseLexicon("mine.tsv", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	base := newModel(t, Options{})
	mine := newModel(t, Options{Lexicon: extra})
	const s = "The shambles reopened today."
	if c := base.Score(s).Compound; c >= 0 {
		t.Errorf("built-in: %q = %.3f, want negative", s, c)
	}
	if c := mine.Score(s).Compound; c <= 0 {
		t.Errorf("with override: %q = %.3f, want positive", s, c)
	}
	if c := mine.Score("We had a rota review.").Compound; c >= 0 {
		t.Errorf("added phrase: %.3f, want negative", c)
	}
	if base.Hash() == mine.Hash() {
		t.Error("hash does not change with an extra lexicon")
	}
	if got := mine.Overlay()["shambles"].Valence; got != 2 {
		t.Errorf("merged overlay shambles = %v", got)
	}
}

func TestWorkWordsAreNeutral(t *testing.T) {
	m := newModel(t, Options{})
	an := plainVADER(t)
	for _, s := range []string{
		"The offender was recalled to prison after a breach.",
		"I completed the risk assessment for the victim liaison unit.",
		"She supervises offenders and prisoners for the court.",
	} {
		if v := an.PolarityScores(s).Compound; v > -0.3 {
			t.Fatalf("premise: VADER scores %q %.3f, expected clearly negative", s, v)
		}
		if r := m.Score(s); r.Compound != 0 || r.Label != "neutral" {
			t.Errorf("%q = %.3f %s, want 0 neutral", s, r.Compound, r.Label)
		}
	}
}

func TestBritishAndDomainTerms(t *testing.T) {
	m := newModel(t, Options{})
	for _, s := range []string{
		"The new rota is an absolute shambles.",
		"What a load of bollocks.",
		"Honestly the whole thing is shite.",
		"I am knackered and gutted.",
		"The service is on its knees.",
		"This system is not fit for purpose.",
		"It is just a tick box exercise now.",
		"Morale is at rock bottom.",
	} {
		if r := m.Score(s); r.Label != "negative" {
			t.Errorf("%q = %.3f %s, want negative", s, r.Compound, r.Label)
		}
	}
}

func TestAgreementAndThanks(t *testing.T) {
	m := newModel(t, Options{})
	for _, s := range []string{
		"Well said.", "Hear, hear!", "+1", "Spot on.", "Thanks for posting this.",
		"Couldn't agree more.", "Totally agree with every word.",
	} {
		if r := m.Score(s); r.Label != "positive" {
			t.Errorf("%q = %.3f %s, want positive", s, r.Compound, r.Label)
		}
	}
}

func TestScareQuotes(t *testing.T) {
	m := newModel(t, Options{})
	plain := m.Score("They call the new rota an improvement.")
	quoted := m.Score("They call the new rota an 'improvement'.")
	if plain.Compound <= 0 || quoted.Compound >= 0 {
		t.Errorf("plain %.3f, quoted %.3f: want positive then negative", plain.Compound, quoted.Compound)
	}
	if !hasEvidence(quoted, "scare quotes") {
		t.Errorf("evidence %+v lacks the scare-quote rule", quoted.Evidence)
	}
	curly := m.Score("They call the new rota an \u2018improvement\u2019.")
	if curly.Compound >= 0 {
		t.Errorf("curly quotes: %.3f, want negative", curly.Compound)
	}
	so := m.Score("The so-called success of the contracts.")
	if so.Compound >= 0 {
		t.Errorf("so-called: %.3f, want negative", so.Compound)
	}
	// scare quotes around a word with no valence: mild irony
	if c := m.Score("Is this what they call \"rehabilitation\" now.").Compound; c >= 0 || c < -0.3 {
		t.Errorf("bare scare quotes: %.3f, want mildly negative", c)
	}
	// an apostrophe is not a quote
	if c := m.Score("It's the staff's improvement.").Compound; c <= 0 {
		t.Errorf("apostrophes: %.3f, want positive", c)
	}
}

func TestQuotationDamped(t *testing.T) {
	m := newModel(t, Options{})
	own := m.Score("This is a wonderful, brilliant and happy success for everyone.")
	quoted := m.Score("The director said \"this is a wonderful, brilliant and happy success for everyone\".")
	if quoted.Compound > own.Compound-0.3 {
		t.Errorf("quotation %.3f not damped against own words %.3f", quoted.Compound, own.Compound)
	}
	// a quotation spanning sentences is damped throughout
	multi := m.Score("The press release said: \"We are delighted. Staff are happy and proud. It is a wonderful day.\"")
	if multi.Compound > 0.5 {
		t.Errorf("multi-sentence quotation: %.3f, want damped", multi.Compound)
	}
}

func TestRhetoricalQuestions(t *testing.T) {
	m := newModel(t, Options{})
	for _, s := range []string{
		"How can anyone run a service like this?",
		"Why isn't anybody listening to the staff?",
		"So what is the point of the new system?",
		"Is it any wonder people are leaving?",
	} {
		r := m.Score(s)
		if r.Label != "negative" || !hasEvidence(r, "complaint question") {
			t.Errorf("%q = %.3f %s %+v, want negative by the question rule", s, r.Compound, r.Label, r.Evidence)
		}
	}
	for _, s := range []string{"When is the next team meeting?", "Does anyone know the new address?", "How can I apply?"} {
		if r := m.Score(s); r.Compound != 0 {
			t.Errorf("%q = %.3f, want 0 (a plain question)", s, r.Compound)
		}
	}
	weak := m.Score("Why did they move the office?")
	strong := m.Score("Why didn't they move the office?")
	if !(strong.Compound < weak.Compound && weak.Compound < 0) {
		t.Errorf("why %.3f, why-not %.3f: want both negative, why-not more so", weak.Compound, strong.Compound)
	}
	if c := m.Score("Seriously?! Another restructure.").Compound; c >= 0 {
		t.Errorf("exasperation: %.3f, want negative", c)
	}
}

func TestSwearIntensifier(t *testing.T) {
	m := newModel(t, Options{})
	good, bloodyGood := m.Score("The training was good."), m.Score("The training was bloody good.")
	if bloodyGood.Compound <= good.Compound {
		t.Errorf("bloody good %.3f <= good %.3f", bloodyGood.Compound, good.Compound)
	}
	bad, bloodyBad := m.Score("The new system is useless."), m.Score("The new system is bloody useless.")
	if bloodyBad.Compound >= bad.Compound {
		t.Errorf("bloody useless %.3f >= useless %.3f", bloodyBad.Compound, bad.Compound)
	}
	if c := m.Score("Bloody hell.").Compound; c >= 0 {
		t.Errorf("bloody hell: %.3f, want negative", c)
	}
}

func TestNoSaturationWithLength(t *testing.T) {
	m := newModel(t, Options{})
	an := plainVADER(t)
	one := "The caseload is a bit of a problem this week."
	long := strings.Repeat(one+" ", 40)
	if v := an.PolarityScores(long).Compound; v > -0.99 {
		t.Fatalf("premise: whole-comment VADER %.4f, expected saturation below -0.99", v)
	}
	r1, rl := m.Score(one), m.Score(long)
	t.Logf("one mild complaint %.3f; forty %.3f; whole-comment VADER on forty %.4f", r1.Compound, rl.Compound, an.PolarityScores(long).Compound)
	if rl.Compound < -0.9 || rl.Label != "negative" {
		t.Errorf("40 mild complaints = %.3f %s, want negative but above -0.9", rl.Compound, rl.Label)
	}
	if rl.Compound > r1.Compound {
		t.Errorf("more complaints (%.3f) scored milder than one (%.3f)", rl.Compound, r1.Compound)
	}
	// one strong sentence among many neutral ones still shows
	mixed := "Total shambles. " + strings.Repeat("The meeting is on Tuesday. ", 10)
	if r := m.Score(mixed); r.Label != "negative" {
		t.Errorf("strong sentence among neutral ones: %.3f %s", r.Compound, r.Label)
	}
}

func TestEvidence(t *testing.T) {
	m := newModel(t, Options{})
	r := m.Score("Well said, the cuts are a disgrace and the rota is a shambles. Morale is dire, staff are knackered, and it is bloody awful. Thanks for writing.")
	if len(r.Evidence) == 0 || len(r.Evidence) > maxEvidence {
		t.Fatalf("evidence %+v, want 1..%d items", r.Evidence, maxEvidence)
	}
	for i := 1; i < len(r.Evidence); i++ {
		if math.Abs(r.Evidence[i].Weight) > math.Abs(r.Evidence[i-1].Weight) {
			t.Errorf("evidence not ordered by |weight|: %+v", r.Evidence)
		}
	}
	if r.Evidence[0].Weight >= 0 {
		t.Errorf("strongest evidence %+v should be negative here", r.Evidence[0])
	}
	if len(r.Evidence) != maxEvidence {
		t.Errorf("%d evidence items, want %d", len(r.Evidence), maxEvidence)
	}
	if e := m.Score("The meeting is on Tuesday.").Evidence; len(e) != 0 {
		t.Errorf("neutral text has evidence %+v", e)
	}
	// a repeated term is summed into one item
	rep := m.Score("A shambles. Another shambles.")
	if len(rep.Evidence) != 1 || rep.Evidence[0].Term != "shambles" {
		t.Errorf("repeated term evidence %+v", rep.Evidence)
	}
}

func TestProportions(t *testing.T) {
	m := newModel(t, Options{})
	r := m.Score("The rota is a shambles but the team is great.")
	if s := r.Pos + r.Neu + r.Neg; math.Abs(s-1) > 1e-9 || r.Pos == 0 || r.Neg == 0 {
		t.Errorf("proportions %+v", r)
	}
	empty := m.Score("   ")
	if empty.Compound != 0 || empty.Label != "neutral" || empty.Evidence != nil {
		t.Errorf("empty text: %+v", empty)
	}
}

func TestThresholdsOption(t *testing.T) {
	strict := Thresholds{Negative: -0.9, Positive: 0.9}
	m := newModel(t, Options{Thresholds: &strict})
	if r := m.Score("The rota is a shambles."); r.Label != "neutral" {
		t.Errorf("strict thresholds: %.3f labelled %s", r.Compound, r.Label)
	}
	if _, err := New(Options{Thresholds: &Thresholds{Negative: 0.5, Positive: 0.1}}); err == nil {
		t.Error("inverted thresholds accepted")
	}
	if newModel(t, Options{}).Hash() == m.Hash() {
		t.Error("hash does not change with thresholds")
	}
	if newModel(t, Options{}).Hash() != newModel(t, Options{}).Hash() {
		t.Error("hash not stable")
	}
}

func TestThresholdsRoundTrip(t *testing.T) {
	want := Thresholds{Negative: -0.15, Positive: 0.35}
	b, err := FormatThresholds(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseThresholds("thresholds.toml", b)
	if err != nil || got != want {
		t.Fatalf("read back %+v, %v; want %+v", got, err, want)
	}
	if _, err := FormatThresholds(Thresholds{Negative: 0.2, Positive: 0.1}); err == nil {
		t.Error("formatted inverted thresholds")
	}
	for name, src := range map[string]string{
		"missing key": "negative = -0.1\n",
		"unknown key": "negative = -0.1\npositive = 0.2\nneutral = 0\n",
		"inverted":    "negative = 0.3\npositive = 0.2\n",
		"not toml":    "negative: -0.1\n",
	} {
		p := strings.ReplaceAll(name, " ", "_") + ".toml"
		if _, err := ParseThresholds(p, []byte(src)); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}

func TestCalibrateTiny(t *testing.T) {
	texts := []string{
		"The rota is a shambles.", "Morale is at rock bottom.", "This is a disgrace.",
		"Staff are knackered and demoralised.", "What a fiasco.", "The cuts are dire.",
		"The meeting is on Tuesday.", "The office moved to the high street.", "Reports are due on Friday.",
		"The team has four officers.",
		"Well said.", "Thanks for posting this, brilliant.", "Hear hear, great post.", "Spot on, well done.",
	}
	gold := []string{
		"negative", "negative", "negative", "negative", "negative", "negative",
		"neutral", "neutral", "neutral", "neutral",
		"positive", "positive", "positive", "positive",
	}
	// Seven invented posts of two comments each, dealt into three folds.
	groups := make([]string, len(texts))
	for i := range groups {
		groups[i] = fmt.Sprintf("post%d", i%7)
	}
	th, rep, err := Calibrate(context.Background(), texts, gold, groups, Options{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Folds) != 3 || rep.N != len(texts) {
		t.Fatalf("report %+v", rep)
	}
	n := 0
	for _, f := range rep.Folds {
		n += f.N
	}
	if n != len(texts) {
		t.Errorf("folds hold %d items, want %d", n, len(texts))
	}
	if rep.MacroF1 != 1 || rep.Accuracy != 1 {
		t.Errorf("separable set: cross-validated macro-F1 %.3f accuracy %.3f, want 1", rep.MacroF1, rep.Accuracy)
	}
	m := newModel(t, Options{Thresholds: &th})
	for i, s := range texts {
		if got := m.Score(s).Label; got != gold[i] {
			t.Errorf("with calibrated %+v: %q labelled %s, want %s", th, s, got, gold[i])
		}
	}
	own := make([]string, len(texts)) // every comment its own post: leave-one-out
	for i := range own {
		own[i] = fmt.Sprint(i)
	}
	loo, rep2, err := Calibrate(context.Background(), texts, gold, own, Options{}, 100)
	if err != nil || len(rep2.Folds) != len(texts) || loo != th {
		t.Errorf("leave-one-out: %+v %d folds %v", loo, len(rep2.Folds), err)
	}
	// One post's comments never fall in two folds.
	_, rep3, err := Calibrate(context.Background(), texts, gold, groups, Options{}, 100)
	if err != nil || len(rep3.Folds) != 7 {
		t.Errorf("leave-one-post-out: %d folds (want 7), %v", len(rep3.Folds), err)
	}
	for name, call := range map[string]func() error{
		"lengths": func() error {
			_, _, err := Calibrate(context.Background(), texts, gold[:3], groups, Options{}, 3)
			return err
		},
		"label": func() error {
			_, _, err := Calibrate(context.Background(), texts[:2], []string{"negative", "mixed"}, groups[:2], Options{}, 2)
			return err
		},
		"folds": func() error {
			_, _, err := Calibrate(context.Background(), texts, gold, groups, Options{}, 1)
			return err
		},
		"one post": func() error {
			_, _, err := Calibrate(context.Background(), texts, gold, make([]string, len(texts)), Options{}, 3)
			return err
		},
	} {
		if call() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Calibrate(ctx, texts, gold, groups, Options{}, 3); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestSentenceSplitting(t *testing.T) {
	text := "Mr. Smith met Dr. Jones at 10.30 today. It went well! Did it? yes it did...\nNew line here e.g. this one. J. Bloggs agreed."
	toks := tokensOf(text)
	var got []string
	for start := 0; start < len(toks); {
		end := start
		for !endsSentence(text, toks, end) {
			end++
		}
		got = append(got, text[toks[start].s:toks[end].e])
		start = end + 1
	}
	want := []string{
		"Mr. Smith met Dr. Jones at 10.30 today.", "It went well!", "Did it? yes it did...",
		"New line here e.g. this one.", "J. Bloggs agreed.",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences\n got %q\nwant %q", got, want)
	}
}

func TestConcurrentScore(t *testing.T) {
	m := newModel(t, Options{})
	texts := []string{
		"Well said, thanks.", "The rota is a shambles and morale is dire.",
		"How can anyone work like this?", "They call it 'innovative'.",
	}
	want := make([]Result, len(texts))
	for i, s := range texts {
		want[i] = m.Score(s)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				i := k % len(texts)
				if got := m.Score(texts[i]); got.Compound != want[i].Compound || got.Label != want[i].Label {
					t.Errorf("concurrent score of %q = %v, want %v", texts[i], got.Compound, want[i].Compound)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestEmojiAndOddInput(t *testing.T) {
	m := newModel(t, Options{})
	for _, s := range []string{
		"Great post \U0001F44D they call it 'innovative' \U0001F602 bloody hell",
		"\"", "'", "?!", "... ...", "\u201c\u201d", "so", "so called", "Why", "\xff\xfe broken utf8 'word",
	} {
		r := m.Score(s)
		if math.IsNaN(r.Compound) || r.Compound < -1 || r.Compound > 1 {
			t.Errorf("%q: compound %v", s, r.Compound)
		}
	}
	if r := m.Score("Great post \U0001F44D"); r.Label != "positive" {
		t.Errorf("emoji comment: %+v", r)
	}
}
