package label

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chorus/models/evaluate"
	"chorus/models/redact"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldWant is the gold set the three fixture coders imply, worked out by
// hand from testdata/{ann,bo,cy}.jsonl (valences ann, bo, cy; "." for no
// label):
//
//	unit                 ann bo cy  median      mean    label     why
//	forty cases (w1)     -2  -1 -2  -2          -1.667  negative  3 negative
//	team leader (w3)      1   2  .  (1+2)/2->1   1.5    positive  2 positive
//	bidders (w4)          0   1 -1   0           0      neutral   all differ
//	laptop (s1)          -2  -1  0  -1          -1      negative  2 of 3
//	brilliant (s2)        2   2  1   2           1.667  positive  3 positive
//	helpdesk (s3)        -1  -1  .  -1          -1      negative  2 negative
//	kind words (s4)       2   .  -2 (2-2)/2->0   0      neutral   1-1 tie
//	oral reports (m1)    -1   0  .  -1/2->0     -0.5    neutral   1-1 tie
//	we did it (m3)        2   .  .   2           2      positive  one coder
//	scanner (free)        1   0  0   0           0.333  neutral   2 of 3
//	office moving (free)  .   .  -1 -1          -1      negative  one coder
//
// Topics need more than half of the unit's coders: forty cases has
// workload 3/3 and wellbeing 2/3; team leader management 2/2 but unions
// 1/2; bidders privatisation 1/3 (none); laptop it 3/3, wellbeing 1/3.
var goldWant = []struct {
	text      string // a prefix of the unit's text
	valence   int
	mean      float64
	label     string
	topics    string
	n         int
	unanimous bool
	free      bool
}{
	{"Forty cases", -2, -1.667, "negative", "wellbeing workload", 3, true, false},
	{"Our team leader", 1, 1.5, "positive", "management", 2, true, false},
	{"I wonder whether", 0, 0, "neutral", "", 3, false, false},
	{"The laptop froze", -1, -1, "negative", "it", 3, false, false},
	{"Brilliant news", 2, 1.667, "positive", "unions", 3, true, false},
	{"Ring IT and they tell you to write to [email], which", -1, -1, "negative", "it", 2, true, false},
	{"Thanks for the kind words", 0, 0, "neutral", "", 2, false, false},
	{"Oral reports", 0, -0.5, "neutral", "courts", 2, false, false},
	{"We did it", 2, 2, "positive", "courts workload", 1, true, false},
}

// freeWant are the two free units, in the order of their ids (the text
// hash), which the test does not fix by hand.
var freeWant = map[string]struct {
	valence int
	mean    float64
	label   string
	topics  string
	n       int
}{
	"The new scanner in reception works, finally.": {0, 0.333, "neutral", "it", 3},
	"Nobody told us the office was moving.":        {-1, -1, "negative", "management", 1},
}

func TestImportExportGold(t *testing.T) {
	ctx := context.Background()
	st, _ := fixtureStore(t)
	ann := importFixture(t, st, "ann")
	if ann.Lines != 10 || ann.ByText != 8 || ann.ByID != 1 || ann.Free != 1 || ann.Added != 10 {
		t.Errorf("ann: %+v", ann)
	}
	bo := importFixture(t, st, "bo")
	if bo.Lines != 8 || bo.ByText != 7 || bo.Free != 1 {
		t.Errorf("bo: %+v (the laptop line differs in case and spacing, the helpdesk line carries the raw email)", bo)
	}
	cy := importFixture(t, st, "cy")
	if cy.Lines != 7 || cy.ByID != 1 || cy.Free != 2 {
		t.Errorf("cy: %+v", cy)
	}

	out := filepath.Join(t.TempDir(), "gold.jsonl")
	stats, err := Export(ctx, st, "", out)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Labels != 25 || stats.Units != 11 || stats.Free != 2 || stats.Missing != 0 {
		t.Errorf("stats: %+v", stats)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "gold.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update once to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from %s:\n got:\n%s\nwant:\n%s", golden, got, want)
	}

	// The golden file is checked against the hand-worked table, so that
	// -update cannot bless a wrong answer.
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != len(goldWant)+len(freeWant) {
		t.Fatalf("%d units exported, want %d", len(lines), len(goldWant)+len(freeWant))
	}
	var keys []string
	for i, line := range lines {
		var u map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&u); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if i == 0 {
			for k := range u {
				keys = append(keys, k)
			}
		}
		var ts []string
		for _, x := range u["topics"].([]any) {
			ts = append(ts, x.(string))
		}
		mean, _ := u["mean_valence"].(json.Number).Float64()
		val, _ := u["valence"].(json.Number).Int64()
		nc, _ := u["n_coders"].(json.Number).Int64()
		text := u["text"].(string)
		if i < len(goldWant) {
			w := goldWant[i]
			if !strings.HasPrefix(text, w.text) || int(val) != w.valence || math.Abs(mean-w.mean) > 1e-9 || u["label"] != w.label ||
				strings.Join(ts, " ") != w.topics || int(nc) != w.n || u["unanimous"] != w.unanimous {
				t.Errorf("unit %d:\n got %s\nwant %+v", i+1, line, w)
			}
			if u["source_file"] != "archive.jsonl" || u["post_id"] == "" || u["section"] != "thread" || !strings.HasPrefix(u["id"].(string), "c") {
				t.Errorf("unit %d lacks its comment's place: %s", i+1, line)
			}
			continue
		}
		w, ok := freeWant[text]
		if !ok || int(val) != w.valence || math.Abs(mean-w.mean) > 1e-9 || u["label"] != w.label || strings.Join(ts, " ") != w.topics || int(nc) != w.n {
			t.Errorf("free unit %d:\n got %s\nwant %+v", i+1, line, w)
		}
		if !strings.HasPrefix(u["id"].(string), "free-") || u["source_file"] != "" || u["post_id"] != "" {
			t.Errorf("free unit %d: %s", i+1, line)
		}
	}
	if len(keys) != 11 {
		t.Errorf("fields %v, want the 8 of the gold format plus post_id, n_coders, unanimous", keys)
	}
	for _, k := range []string{`{"id":`, `,"source_file":`, `,"section":`, `,"valence":`, `,"mean_valence":`, `,"label":`, `,"topics":`, `,"text":`, `,"post_id":`, `,"n_coders":`, `,"unanimous":`} {
		if !strings.Contains(lines[0], k) {
			t.Errorf("field %s missing from %s", k, lines[0])
		}
	}
	if strings.Contains(string(got), "example.org") {
		t.Error("the export carries an email address")
	}

	// The gold file is what chorus eval reads.
	items, err := evaluate.ParseSentimentGold(out, got)
	if err != nil || len(items) != 11 {
		t.Errorf("chorus eval cannot read the export: %d items, %v", len(items), err)
	}

	// One coder's export: cy's seven labels as they are.
	one := filepath.Join(t.TempDir(), "cy.jsonl")
	stats, err = Export(ctx, st, "cy", one)
	if err != nil || stats.Units != 7 {
		t.Fatalf("cy export: %+v, %v", stats, err)
	}
	units, _, err := Gold(ctx, st, "cy")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.NCoders != 1 || !u.Unanimous || u.Codings[0].Coder != "cy" {
			t.Errorf("cy's unit %+v", u)
		}
		if strings.HasPrefix(u.Text, "Forty cases") && (u.Valence != -2 || strings.Join(u.Topics, " ") != "wellbeing workload") {
			t.Errorf("cy's forty cases: %+v (repeated topic should count once)", u)
		}
	}
	if _, err := Export(ctx, st, "nobody", filepath.Join(t.TempDir(), "x.jsonl")); err == nil {
		t.Error("an export with no labels succeeded")
	}
}

// TestAgreeFixture checks `chorus label agree` on the fixture against
// figures worked out by hand. The nine units with two or more coders, as
// classes (N negative, U neutral, P positive) for ann / bo / cy:
//
//	forty cases N N N; bidders U P N; team leader P P .; oral reports N U .;
//	laptop N N U; brilliant P P P; scanner P U U; kind words P . N;
//	helpdesk N N .
//
// ann/bo, 8 units: agree on forty cases, team leader, laptop, brilliant,
// helpdesk: po = 5/8 = 40/64. ann's margins N 4, U 1, P 3; bo's N 3, U 2,
// P 3: pe = (12+2+9)/64 = 23/64; kappa = (40-23)/(64-23) = 17/41.
// ann/cy, 6 units: agree on forty cases and brilliant: po = 2/6 = 12/36;
// ann N 2, U 1, P 3; cy N 3, U 2, P 1: pe = (6+2+3)/36 = 11/36; kappa =
// 1/25. bo/cy, 5 units: agree on forty cases, brilliant, scanner: po = 3/5
// = 15/25; bo N 2, U 1, P 2; cy N 2, U 2, P 1: pe = (4+2+2)/25 = 8/25;
// kappa = 7/17.
//
// Nominal alpha: n = 23 values, n_N = 10, n_U = 5, n_P = 8. Observed
// disagreement: bidders 6 unequal ordered pairs / 2 = 3; oral reports 2/1;
// laptop 4/2; scanner 4/2; kind words 2/1: 11 in all. Expected: 23^2 -
// (100+25+64) = 340. Alpha = 1 - 22*11/340 = 98/340.
//
// Interval alpha on valences: per unit, the squared differences of ordered
// pairs over m_u - 1: forty cases 4/2 = 2, bidders 12/2 = 6, team leader
// 2, oral reports 2, laptop 12/2 = 6, brilliant 4/2 = 2, scanner 4/2 = 2,
// kind words 32, helpdesk 0: 54. Sum v = -2, sum v^2 = 42: expected =
// 2*23*42 - 2*(-2)^2 = 1924. Alpha = 1 - 22*54/1924 = 736/1924.
func TestAgreeFixture(t *testing.T) {
	ctx := context.Background()
	st, _ := fixtureStore(t)
	for _, c := range []string{"ann", "bo", "cy"} {
		importFixture(t, st, c)
	}
	var names []string
	for _, tp := range defaultTaxonomy(t).Topics() {
		names = append(names, tp.Name)
	}
	ag, err := Agreement(ctx, st, names, 5)
	if err != nil {
		t.Fatal(err)
	}
	if ag.Units != 9 || ag.Codings != 23 {
		t.Errorf("units %d codings %d, want 9 and 23", ag.Units, ag.Codings)
	}
	want := map[string][3]float64{
		"ann/bo": {8, 5.0 / 8, 17.0 / 41},
		"ann/cy": {6, 1.0 / 3, 1.0 / 25},
		"bo/cy":  {5, 3.0 / 5, 7.0 / 17},
	}
	for _, p := range ag.Pairs {
		w, ok := want[p.A+"/"+p.B]
		if !ok || float64(p.N) != w[0] || math.Abs(p.Percent.Value-w[1]) > 1e-9 || math.Abs(p.Kappa.Value-w[2]) > 1e-9 {
			t.Errorf("pair %s/%s: n %d, agreement %v, kappa %v; want %v", p.A, p.B, p.N, p.Percent.Value, p.Kappa.Value, w)
		}
	}
	if len(ag.Pairs) != 3 {
		t.Errorf("%d pairs", len(ag.Pairs))
	}
	if math.Abs(ag.AlphaNominal.Value-98.0/340) > 1e-9 {
		t.Errorf("nominal alpha %v, want 98/340 = %v", ag.AlphaNominal.Value, 98.0/340)
	}
	if math.Abs(ag.AlphaInterval.Value-736.0/1924) > 1e-9 {
		t.Errorf("interval alpha %v, want 736/1924 = %v", ag.AlphaInterval.Value, 736.0/1924)
	}
	// The widest disagreement is kind words: +2 against -2.
	if len(ag.MostDisagreed) == 0 || !strings.HasPrefix(ag.MostDisagreed[0].Text, "Thanks for the kind words") || ag.MostDisagreed[0].Range != 4 {
		t.Errorf("most disagreed: %+v", ag.MostDisagreed)
	}
	for _, tp := range ag.Topics {
		if tp.Topic == "workload" && tp.Tagged != 1 {
			t.Errorf("workload tagged on %d multi-coder units, want 1 (forty cases)", tp.Tagged)
		}
	}
}

// TestImportErrors: every bad line is named FILE:LINE, and nothing of a
// bad file is stored.
func TestImportErrors(t *testing.T) {
	ctx := context.Background()
	st, _ := fixtureStore(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	lines := []string{
		`{"text": "Forty cases each and two people off sick. Nobody upstairs is listening.", "valence": -1, "topics": []}`,
		`{"text": "x", "valence": 3, "topics": []}`,
		`{"text": "x", "valence": 1.5, "topics": []}`,
		`{"text": "x", "topics": []}`,
		`{"text": "x", "valence": 1, "topics": ["weather"]}`,
		`{"valence": 1, "topics": []}`,
		`not json`,
		`{"text": "x", "valence": 1}`,
		`{"comment_id": "c-none", "valence": 1, "topics": []}`,
		`{"text": "  FORTY cases each and two people off sick.  Nobody upstairs is listening.", "valence": 0, "topics": []}`,
		`{"text": "   ", "valence": 0, "topics": []}`,
	}
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Import(ctx, st, "ann", bad, defaultTaxonomy(t), redact.New().Text)
	if err == nil {
		t.Fatal("a bad file was imported")
	}
	msg := err.Error()
	for _, want := range []string{
		"bad.jsonl:2: \"valence\" 3", "bad.jsonl:3: \"valence\" 1.5", "bad.jsonl:4: \"valence\" is missing",
		"bad.jsonl:5: topic \"weather\"", "bad.jsonl:6: needs \"text\" or \"comment_id\"", "bad.jsonl:7: not a JSON object",
		"bad.jsonl:8: \"topics\" is missing", "bad.jsonl:11: \"text\" is empty",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if ls, _ := st.Labels(ctx, ""); len(ls) != 0 {
		t.Errorf("%d labels stored from a bad file", len(ls))
	}
	// The parse errors fixed, matching errors remain: an unknown id and a
	// second label of one unit.
	lines = []string{lines[0], lines[8], lines[9]}
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Import(ctx, st, "ann", bad, defaultTaxonomy(t), redact.New().Text)
	if err == nil || !strings.Contains(err.Error(), `bad.jsonl:2: no stored comment has comment_id "c-none"`) ||
		!strings.Contains(err.Error(), "bad.jsonl:3: labels the same unit as line 1") {
		t.Errorf("matching errors: %v", err)
	}
	if ls, _ := st.Labels(ctx, ""); len(ls) != 0 {
		t.Errorf("%d labels stored from a bad file", len(ls))
	}
	if _, err := Import(ctx, st, "bad name", filepath.Join("testdata", "ann.jsonl"), defaultTaxonomy(t), redact.New().Text); err == nil {
		t.Error("a coder name with a space was accepted")
	}
	if _, err := Import(ctx, st, "ann", dir, defaultTaxonomy(t), redact.New().Text); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder: %v", err)
	}
	// Importing a coder's file twice replaces, it does not add.
	importFixture(t, st, "ann")
	again := importFixture(t, st, "ann")
	if again.Added != 0 || again.Replaced != 10 {
		t.Errorf("second import: %+v", again)
	}
}
