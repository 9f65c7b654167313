package topics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func mustTagger(t *testing.T, src string) *Tagger {
	t.Helper()
	tax, err := Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		t.Fatalf("new tagger: %v", err)
	}
	return tg
}

func loadGood(t *testing.T) *Tagger {
	t.Helper()
	tax, err := loadFile(filepath.Join("testdata", "good.toml"))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func topicsOf(tg *Tagger, s string) []string { return Names(tg.Tag(s)) }

func matchOf(tg *Tagger, s, topic string) (Match, bool) {
	for _, m := range tg.Tag(s) {
		if m.Topic == topic {
			return m, true
		}
	}
	return Match{}, false
}

func TestStem(t *testing.T) {
	cases := map[string]string{
		// Porter2 reference behaviour.
		"caresses": "caress", "ponies": "poni", "ties": "tie", "cats": "cat", "agreed": "agre",
		"plastered": "plaster", "motoring": "motor", "sing": "sing", "hopping": "hop",
		"tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz", "filing": "file",
		"happy": "happi", "sky": "sky", "relational": "relat", "conditional": "condit",
		"generously": "generous", "communication": "communic", "consignment": "consign",
		"gently": "gentl", "dying": "die", "news": "news", "management": "manag",
		"manager": "manag", "crying": "cri", "by": "by", "it": "it",
		// Our additions: British and American spellings meet, acronym plurals.
		"privatised": "privatis", "privatisation": "privatis", "privatising": "privatis",
		"privatized": "privatis", "privatization": "privatis", "crcs": "crc", "psrs": "psr",
		// Left alone: digits, non-ASCII.
		"e3": "e3", "café": "café",
	}
	for in, want := range cases {
		if got := stemWord(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokensAndCase(t *testing.T) {
	var tz tokenizer
	s := "The CRC’s IT crashed; SFOs rose.\npre-sentence"
	toks := tz.tokenize(s, nil)
	var words, stems []string
	for _, tk := range toks {
		words = append(words, s[tk.start:tk.end])
		stems = append(stems, string(tz.normalise(s[tk.start:tk.end])))
	}
	wantWords := []string{"The", "CRC’s", "IT", "crashed", "SFOs", "rose", "pre", "sentence"}
	if !reflect.DeepEqual(words, wantWords) {
		t.Fatalf("words %q, want %q", words, wantWords)
	}
	wantStems := []string{"the", "crc", "it", "crash", "sfo", "rose", "pre", "sentenc"}
	if !reflect.DeepEqual(stems, wantStems) {
		t.Errorf("stems %q, want %q", stems, wantStems)
	}
	if toks[2].flags&flagUpper == 0 || toks[0].flags&flagTitle == 0 || toks[3].flags&flagLower == 0 {
		t.Errorf("case flags wrong: %v", toks)
	}
	if toks[4].flags&flagBoundary == 0 || toks[6].flags&flagBoundary == 0 || toks[5].flags&flagBoundary != 0 {
		t.Errorf("sentence boundaries wrong: %v", toks)
	}
}

func TestParseGood(t *testing.T) {
	path := filepath.Join("testdata", "good.toml")
	tax, err := loadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Topic{
		{Name: "unions", Label: "Unions", Description: "Trade unions."},
		{Name: "it", Label: "it", Description: "Computers."},
		{Name: "courts", Label: "Courts"},
	}
	if got := tax.Topics(); !reflect.DeepEqual(got, want) {
		t.Errorf("topics %+v, want %+v", got, want)
	}
	data, _ := os.ReadFile(path)
	sum := sha256.Sum256(data)
	if tax.Hash() != hex.EncodeToString(sum[:]) {
		t.Errorf("hash %s is not the sha256 of the file", tax.Hash())
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	head := "[[topic]]\nname = \"unions\"\n\n[topic.terms]\nnapo = 2.0\n"
	cases := []struct {
		name, src, line, text string
	}{
		{"syntax", head + "union = = 1.0\n", "line 6", ""},
		{"two-word term", head + "\"trade union\" = 1.0\n", "line 6", "must be one word"},
		{"one-word phrase", head + "[topic.phrases]\nunion = 1.0\n", "line 7", "two or more words"},
		{"same stem twice", head + "napos = 1.0\n", "line 6", "same stem"},
		{"zero weight", head + "union = 0\n", "line 6", "must be > 0"},
		{"string weight", head + "union = \"high\"\n", "line 6", ""},
		{"unknown key", "[[topic]]\nname = \"unions\"\ntreshold = 2\n[topic.terms]\nnapo = 1\n", "line 3", "unknown key"},
		{"bad threshold", "[[topic]]\nname = \"unions\"\nthreshold = -1\n[topic.terms]\nnapo = 1\n", "line 3", "threshold"},
		{"bad name", "[[topic]]\nname = \"Unions!\"\n[topic.terms]\nnapo = 1\n", "line 2", "name must be"},
		{"no terms", "[[topic]]\nname = \"unions\"\n", "line 1", "no terms"},
		{"rule for unknown term", head + "\n[[topic.rule]]\nmatch = \"branch\"\ncase = \"title\"\n", "line 8", "not one of this topic's"},
		{"bad case", head + "\n[[topic.rule]]\nmatch = \"napo\"\ncase = \"shouty\"\n", "line 9", "case must be"},
		{"bad window", head + "\n[[topic.rule]]\nmatch = \"napo\"\nwindow = 0\n", "line 9", "window"},
		{"duplicate topic", head + "\n[[topic]]\nname = \"unions\"\n[topic.terms]\nunison = 1\n", "line 7", "defined twice"},
		{"no topics", "# nothing\n", "line 1", "no [[topic]]"},
	}
	for _, c := range cases {
		_, err := Parse("bad.toml", []byte(c.src))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.line) || !strings.Contains(msg, c.text) || !strings.Contains(msg, "bad.toml") {
			t.Errorf("%s: error %q, want %q and %q", c.name, msg, c.line, c.text)
		}
	}
	for _, f := range []string{"bad_syntax.toml", "bad_semantic.toml"} {
		_, err := loadFile(filepath.Join("testdata", f))
		if err == nil || !strings.Contains(err.Error(), "line 6") {
			t.Errorf("%s: error %v, want one naming line 6", f, err)
		}
	}
	if _, err := loadFile(filepath.Join("testdata", "absent.toml")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestDefaultTaxonomy(t *testing.T) {
	tax, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tp := range tax.Topics() {
		names = append(names, tp.Name)
		if tp.Label == "" || tp.Description == "" {
			t.Errorf("topic %s lacks a label or description", tp.Name)
		}
	}
	want := []string{"workload", "privatisation", "unions", "it", "management", "wellbeing", "pay", "politics", "courts", "risk", "service_users"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("default topics %v, want %v", names, want)
	}
	if len(tax.Hash()) != 64 {
		t.Errorf("hash %q", tax.Hash())
	}
}

// TestDefaultThemes checks invented comments, one theme each, against the
// default taxonomy: the IT topic in particular has no dev examples.
func TestDefaultThemes(t *testing.T) {
	tg := defaultTagger(t)
	cases := []struct{ text, topic string }{
		{"My caseload is over 70 and we are short staffed again.", "workload"},
		{"Sodexo only bought the CRC to make a profit for shareholders.", "privatisation"},
		{"Napo members voted for strike action in the ballot.", "unions"},
		{"nDelius froze all morning and the IT helpdesk never answered.", "it"},
		{"My new laptop cannot connect to the wifi in the office.", "it"},
		{"Senior managers only care about hitting targets.", "management"},
		{"Half the team are off sick with stress and morale is rock bottom.", "wellbeing"},
		{"We have had a pay freeze for years and now they want to cut our pension.", "pay"},
		{"Grayling pushed TR through Parliament before the election.", "politics"},
		{"Magistrates want a full PSR, not an oral report on the day.", "courts"},
		{"He is a high risk case and MAPPA should have been involved.", "risk"},
		{"Service users need a consistent relationship with one officer.", "service_users"},
	}
	for _, c := range cases {
		got := topicsOf(tg, c.text)
		found := false
		for _, g := range got {
			found = found || g == c.topic
		}
		if !found {
			t.Errorf("%q: got %v, want %s among them", c.text, got, c.topic)
		}
	}
	// Passing or misleading words alone do not tag.
	for _, s := range []string{
		"It is what it is.",
		"LEFT IT ALONE AS IT WAS.",
		"It strikes me that you are right.",
		"The olive branch was refused.",
		"The chief inspector's report was published today.",
		"I think the risk is worth it.",
	} {
		if got := topicsOf(tg, s); len(got) != 0 {
			t.Errorf("%q: got %v, want no topic", s, got)
		}
	}
	// "Someone on my caseload" names a person, not a workload.
	if got := topicsOf(tg, "A man on my caseload won the lottery."); len(got) != 0 {
		t.Errorf("caseload as a person: got %v", got)
	}
}

func TestStemMatching(t *testing.T) {
	tg := mustTagger(t, "[[topic]]\nname = \"privatisation\"\n[topic.terms]\nprivatise = 1.0\n")
	for _, s := range []string{"They privatised it.", "Privatisation failed.", "privatising probation", "the privatization of probation", "PRIVATISE"} {
		m, ok := matchOf(tg, s, "privatisation")
		if !ok || m.Score != 1 {
			t.Errorf("%q: got %+v, want privatisation scored 1", s, m)
		}
	}
	if got := topicsOf(tg, "the private sector"); len(got) != 0 {
		t.Errorf("private: got %v", got)
	}
}

func TestPhraseMatching(t *testing.T) {
	tg := loadGood(t)
	// A hyphen splits words: "pre-sentence report" is the phrase.
	m, ok := matchOf(tg, "She wrote a pre-sentence report.", "courts")
	if !ok || m.Score != 1.5 || !reflect.DeepEqual(m.Evidence, []string{"pre-sentence report"}) {
		t.Errorf("hyphenated phrase: %+v", m)
	}
	// Phrases never span a sentence break.
	// (The court term "report" still counts: "Sentence" is a court word.)
	m, _ = matchOf(tg, "We stopped at pre. Sentence report writing is hard.", "courts")
	if !reflect.DeepEqual(m.Evidence, []string{"report"}) {
		t.Errorf("phrase across a sentence break: %+v", m)
	}
	// Longest match wins: "computer system" scores 1.5, not 1.5 + 0.5.
	m, ok = matchOf(tg, "The computer system is down.", "it")
	if !ok || m.Score != 1.5 || !reflect.DeepEqual(m.Evidence, []string{"computer system"}) {
		t.Errorf("longest match: %+v", m)
	}
	// Plural phrases meet singular ones through stems.
	if _, ok := matchOf(tg, "Both computer systems crashed.", "it"); !ok {
		t.Error("plural phrase not matched")
	}
	// A phrase of a topic covers its words for that topic only.
	m, ok = matchOf(tg, "Napo wants more facility time.", "unions")
	if !ok || m.Score != 3.5 {
		t.Errorf("phrase + term: %+v", m)
	}
}

func TestContextRules(t *testing.T) {
	tg := loadGood(t)
	cases := []struct {
		name, text, topic string
		want              bool
	}{
		{"IT in capitals", "The IT here is dreadful.", "it", true},
		{"it the pronoun", "It is dreadful and it shows.", "it", false},
		{"IT in a shouted sentence", "THEY LEFT IT ALONE AS IT WAS.", "it", false},
		{"It at sentence start", "It crashed.", "it", false},
		{"Branch as a name", "The London Branch met on Monday.", "unions", true},
		{"branch near union words", "our local branch of the union met", "unions", true},
		{"branch of a tree", "a branch fell off the tree in the storm", "unions", false},
		{"excluded olive branch", "Napo offered an olive branch.", "unions", true}, // Napo still counts
		{"strike with ballot", "The strike ballot closes today.", "unions", true},
		{"strike without context", "It may strike you as odd.", "unions", false},
		{"report near court", "The court asked for a report by Friday.", "courts", true},
		{"report far from court words", "The inspector wrote a damning report about the company.", "courts", false},
	}
	for _, c := range cases {
		_, got := matchOf(tg, c.text, c.topic)
		if got != c.want {
			t.Errorf("%s: %q tagged %s = %v, want %v", c.name, c.text, c.topic, got, c.want)
		}
	}
	// The exclude removes the branch evidence but not Napo's.
	m, _ := matchOf(tg, "Napo offered an olive branch.", "unions")
	if !reflect.DeepEqual(m.Evidence, []string{"Napo"}) || m.Score != 2 {
		t.Errorf("exclude: %+v", m)
	}
	if got := topicsOf(tg, "An olive Branch."); len(got) != 0 {
		t.Errorf("excluded title-case Branch: %v", got)
	}
}

func TestEvidenceAndScore(t *testing.T) {
	tg := loadGood(t)
	m, ok := matchOf(tg, "NAPO and the union. napo again, Napo thrice, napo four times; Union!", "unions")
	if !ok {
		t.Fatal("no unions match")
	}
	// Evidence as written, deduplicated ignoring case, weightiest first.
	if want := []string{"NAPO", "union"}; !reflect.DeepEqual(m.Evidence, want) {
		t.Errorf("evidence %q, want %q", m.Evidence, want)
	}
	// napo: 2 * (1 + 0.5*2) = 4 (repeats capped at two); union: 1 * 1.5.
	if math.Abs(m.Score-5.5) > 1e-9 {
		t.Errorf("score %v, want 5.5", m.Score)
	}
	// Topics come back in taxonomy order.
	got := topicsOf(tg, "The court heard that the IT failed and Napo objected.")
	if want := []string{"unions", "it", "courts"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	// Below threshold: one weak word is not a topic.
	if got := topicsOf(tg, "the system"); len(got) != 0 {
		t.Errorf("weak word tagged: %v", got)
	}
	if got := tg.Tag(""); got != nil {
		t.Errorf("empty text: %v", got)
	}
}

func TestTagConcurrent(t *testing.T) {
	tg := loadGood(t)
	texts := []string{"The IT is down.", "Napo branch meeting.", "The court wants a report.", "nothing here"}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = topicsOf(tg, s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				i := k % len(texts)
				if got := topicsOf(tg, texts[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("%q: %v != %v", texts[i], got, want[i])
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

func TestEvaluateArithmetic(t *testing.T) {
	gold, err := readGold(filepath.Join("testdata", "gold.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 4 {
		t.Fatalf("read %d items, want 4", len(gold))
	}
	pred := map[string][]string{
		"alpha": {"pay", "unions"}, // pay TP, unions TP
		"beta":  {"pay"},           // pay FP; unions FN
		"gamma": {},                // it FN
		"delta": {"it"},            // it TP, pay FN
	}
	rep := Evaluate(gold, func(s string) []string { return pred[s] })
	// pay: TP1 FP1 FN1 -> P .5 R .5 F1 .5; unions: TP1 FN1 -> P 1 R .5 F1 2/3;
	// it: TP1 FN1 -> P 1 R .5 F1 2/3. Micro: TP3 FP1 FN3 -> P .75 R .5 F1 .6.
	check := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	pay := rep.Topic("pay")
	if pay.TP != 1 || pay.FP != 1 || pay.FN != 1 || pay.Support != 2 {
		t.Errorf("pay counts %+v", pay)
	}
	check("pay F1", pay.F1, 0.5)
	check("unions P", rep.Topic("unions").Precision, 1)
	check("unions F1", rep.Topic("unions").F1, 2.0/3)
	check("it R", rep.Topic("it").Recall, 0.5)
	check("micro P", rep.MicroP, 0.75)
	check("micro R", rep.MicroR, 0.5)
	check("micro F1", rep.MicroF1, 0.6)
	check("macro F1", rep.MacroF1, (0.5+2.0/3+2.0/3)/3)
	s := rep.String()
	for _, want := range []string{"topic", "pay", "0.500", "micro", "0.600", "macro", "units: 4"} {
		if !strings.Contains(s, want) {
			t.Errorf("report table lacks %q:\n%s", want, s)
		}
	}
	// Bad gold files name the line.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"a\",\"topics\":[]}\n\n{\"text\": \"b\"}\n"), 0o644)
	if _, err := readGold(bad); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("missing topics: %v", err)
	}
	os.WriteFile(bad, []byte("{\"text\":\"a\",\"topics\":[]}\n{nope\n"), 0o644)
	if _, err := readGold(bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad json: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	tg := loadGood(t)
	texts := []string{
		"The hostel was full again so he slept rough.",
		"No hostel places left, and the approved premises are full.",
		"Hostel staff called the police about the approved premises.",
		"Napo says the union will ballot.",
		"The union and Napo disagree.",
		"Another night with no hostel bed.",
		"The approved premises manager quit.",
	}
	got := Suggest(context.Background(), texts, tg, 5)
	if len(got) == 0 {
		t.Fatal("no suggestions")
	}
	terms := map[string]Suggestion{}
	for _, s := range got {
		terms[s.Term] = s
		if s.Keyness <= 0 || len(s.Examples) > 2 || s.Count < 3 {
			t.Errorf("bad suggestion %+v", s)
		}
		for _, w := range []string{"napo", "union", "the", "and"} {
			if s.Term == w {
				t.Errorf("suggested covered or stop word %q", w)
			}
		}
	}
	h, ok := terms["hostel"]
	if !ok || h.Count != 4 {
		t.Errorf("hostel: %+v (all: %+v)", h, got)
	}
	if _, ok := terms["approved premises"]; !ok {
		t.Errorf("two-word phrase missing: %+v", got)
	}
	if got[0].Term != "hostel" && got[0].Term != "approved premises" {
		t.Errorf("top suggestion %q", got[0].Term)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s := Suggest(ctx, texts, tg, 5); s != nil {
		t.Errorf("cancelled: %v", s)
	}
}

// loadFile reads and parses a taxonomy file; the package itself takes
// bytes (callers read through internal/fsread).
func loadFile(path string) (*Taxonomy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// readGold reads and parses a gold file, as loadFile does a taxonomy.
func readGold(path string) ([]GoldItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseGold(path, data)
}
