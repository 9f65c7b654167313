package learned

import (
	"math"
	"strings"
	"testing"

	"chorus/models/sentiment/domain"
)

// Every sentence in this file is invented for the test.

func bundledModel(t testing.TB) *Model {
	t.Helper()
	f, raw, ok, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("no bundled weights (%s): run make model", BundledName)
	}
	m, err := New(lexicon(t, domain.Options{}), f, raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScoreIsProbabilities(t *testing.T) {
	m := bundledModel(t)
	for _, s := range []string{"", "Thanks, that helped a lot.", "What a shambles. Nobody listens.", "The meeting is at 10am."} {
		r := m.Score(s)
		if sum := r.Neg + r.Neu + r.Pos; math.Abs(sum-1) > 1e-12 {
			t.Errorf("%q: probabilities sum to %v", s, sum)
		}
		if math.Abs(r.Compound-(r.Pos-r.Neg)) > 1e-15 {
			t.Errorf("%q: compound %v, want pos - neg = %v", s, r.Compound, r.Pos-r.Neg)
		}
		best := map[string]float64{"negative": r.Neg, "neutral": r.Neu, "positive": r.Pos}
		for c, p := range best {
			if p > best[r.Label] {
				t.Errorf("%q: label %s but P(%s) = %v is larger", s, r.Label, c, p)
			}
		}
		if again := m.Score(s); again.Compound != r.Compound {
			t.Errorf("%q: scored %v then %v", s, r.Compound, again.Compound)
		}
	}
	if !m.LexiconMatches() {
		t.Error("the bundled weights were trained with another lexicon model than the default: run make model")
	}
}

// TestScopeFixesLearned checks the sentences of the scope fixes
// with the default model, which reads the lexicon model's evidence.
func TestScopeFixesLearned(t *testing.T) {
	m := bundledModel(t)
	for _, c := range []struct{ text, want string }{
		{"I have never disliked a manager so much", "negative"},
		{"can't stand the new system", "negative"},
		{"I wouldn't mind if they scrapped it", "negative"},
		{"if I didn't need the pay I'd walk", "negative"},
		{"positively ill with stress", "negative"},
		{"The consultation closes on 14 March.", "neutral"},
		{"Details here: https://www.example.org/consultation", "neutral"},
		{"It's on the 3rd of June, room 2.", "neutral"},
		{"Thank you, that is really kind and helpful.", "positive"},
	} {
		if r := m.Score(c.text); r.Label != c.want {
			t.Errorf("%q: %s (neg %.2f neu %.2f pos %.2f), want %s", c.text, r.Label, r.Neg, r.Neu, r.Pos, c.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	_, raw, ok, err := Bundled()
	if err != nil || !ok {
		t.Skip("no bundled weights")
	}
	good := string(raw)
	for name, bad := range map[string]string{
		"format":   strings.Replace(good, Format, "something-else/1", 1),
		"version":  strings.Replace(good, `"version": "`+FeatureVersion, `"version": "learned-0`, 1),
		"buckets":  strings.Replace(good, `"buckets": 1024`, `"buckets": 512`, 1),
		"unknown":  strings.Replace(good, `"format"`, `"extra": 1, "format"`, 1),
		"truncate": good[:len(good)/2],
	} {
		if _, err := Parse("w.json", []byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "w.json") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
	f, err := Parse("w.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != good {
		t.Error("parse then encode changed the bytes")
	}
}

func TestHashedIsStable(t *testing.T) {
	a, _, _ := hashed(nil, "Can't stand it, CAN'T.")
	b, _, _ := hashed(nil, "can't stand it can't")
	if len(a) != len(b) {
		t.Fatalf("%v vs %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] || a[i] < 0 || a[i] >= Buckets {
			t.Fatalf("%v vs %v", a, b)
		}
	}
	// word, then word+bigram per later word
	if len(a) != 4+3 {
		t.Errorf("%d features for 4 words, want 7", len(a))
	}
}

func TestHashedCounts(t *testing.T) {
	_, d, l := hashed(nil, "See https://example.org/a and www.example.org on 14 March, room 2b.")
	if d != 2 || l != 1 {
		t.Errorf("digits %d links %d, want 2 and 1", d, l)
	}
	for _, s := range []string{"", "No digits here.", "Call 0800 or 07700 900123 at 10:30, see http://a.b and https://c.d", "x1y 22 'z3'"} {
		_, hd, hl := hashed(nil, s)
		cd, cl := cueCounts(s)
		if hd != cd || hl != cl {
			t.Errorf("%q: hashed counts %d %d, cueCounts %d %d", s, hd, hl, cd, cl)
		}
	}
}
