package domain

import (
	"slices"
	"testing"
)

// Every sentence here is invented for the test (issue: negation scope and
// intensifiers the lexicon model misread).
func TestScopeFixes(t *testing.T) {
	m := newModel(t, Options{})
	for _, c := range []struct {
		text, want string
	}{
		{"I have never disliked a manager so much", "negative"},           // emphatic negation, not a reversal
		{"Never hated a rota more than this one.", "negative"},            // the same with "more"
		{"can't stand the new system", "negative"},                        // the reference phrase "can't stand"
		{"I cannot stand the new rota either.", "negative"},               // and its spelt-out form via the rule
		{"I wouldn't mind if they scrapped it", "negative"},               // a wish for a change
		{"if I didn't need the pay I'd walk", "negative"},                 // wanting out
		{"positively ill with stress", "negative"},                        // intensifier, not praise
		{"The consultation closes on 14 March.", "neutral"},               // a date only
		{"Details here: https://www.example.org/consultation", "neutral"}, // a link only
		{"I have never been unhappy here.", "positive"},                   // a plain negation still reverses
	} {
		r := m.Score(c.text)
		if r.Label != c.want {
			t.Errorf("%q: label %s (compound %.3f, evidence %+v), want %s", c.text, r.Label, r.Compound, r.Evidence, c.want)
		}
	}
	// "positively" before a scored word adds nothing of its own and
	// strengthens the word after it.
	plain := m.Score("ill with stress")
	boosted := m.Score("positively ill with stress")
	if boosted.Compound >= plain.Compound {
		t.Errorf("positively ill %.3f, plain ill %.3f: want the intensifier to strengthen", boosted.Compound, plain.Compound)
	}
	if slices.ContainsFunc(boosted.Evidence, func(e Evidence) bool { return e.Term == "positively" }) {
		t.Errorf("evidence %+v lists \"positively\" as praise", boosted.Evidence)
	}
	// Alone, "positively" keeps its own meaning.
	if r := m.Score("We left the meeting feeling positively about it."); r.Compound <= 0 {
		t.Errorf("positively alone: compound %.3f, want > 0", r.Compound)
	}
}

func TestContrastAndNegationCues(t *testing.T) {
	for _, c := range []struct {
		w        string
		contrast bool
	}{{"But", true}, {"however,", true}, {"yet", true}, {"(although", true}, {"Whereas", true},
		{"butter", false}, {"though-", true}, {"heather", false}, {"yes", false}} {
		if got := isContrast(c.w); got != c.contrast {
			t.Errorf("isContrast(%q) = %v", c.w, got)
		}
	}
	m := newModel(t, Options{})
	var d Detail
	// Invented: negation before a scored word, a contrast, a question.
	m.ScoreDetail("It is not good at all, but fine. Is it?", &d)
	if len(d.Sentences) != 2 {
		t.Fatalf("%d sentences", len(d.Sentences))
	}
	s := d.Sentences[0]
	if !s.Negation || s.Negated != 1 || !s.Contrast || s.Question {
		t.Errorf("first sentence %+v", s)
	}
	if q := d.Sentences[1]; !q.Question || q.Negation {
		t.Errorf("second sentence %+v", q)
	}
	// With an emoji the engine's tokens are not the text's: the same cues
	// come from the fallback.
	var e Detail
	m.ScoreDetail("It is not good, but fine ❤️. Is it?", &e)
	if e.Sentences[0].Negation != true || e.Sentences[0].Contrast != true {
		t.Errorf("emoji text %+v", e.Sentences[0])
	}
}

// TestScoreDetailSameResult checks ScoreDetail returns what Score does.
func TestScoreDetailSameResult(t *testing.T) {
	m := newModel(t, Options{})
	var d Detail
	for _, s := range []string{"", "What a shambles. \"Innovative\" they say!", "Thanks ☺, well said.", "Why isn't anyone listening?"} {
		a, b := m.Score(s), m.ScoreDetail(s, &d)
		if a.Compound != b.Compound || a.Label != b.Label || len(a.Evidence) != len(b.Evidence) {
			t.Errorf("%q: Score %+v, ScoreDetail %+v", s, a, b)
		}
	}
}
