package topics

import (
	"path/filepath"
	"testing"

	"chorus/internal/sharedtest"
)

// TestDev measures the default taxonomy against the hand-labelled dev set
// and holds it to the figures issue 4 asks for.
func TestDev(t *testing.T) {
	dir := sharedtest.Dir(t, "eval/probation")
	gold, err := readGold(filepath.Join(dir, "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	tg := defaultTagger(t)
	rep := Evaluate(gold, func(s string) []string { return Names(tg.Tag(s)) })
	t.Logf("dev set (%d units), default taxonomy %s:\n%s", len(gold), tg.Taxonomy().Hash()[:12], rep)
	if rep.MicroF1 < 0.80 {
		t.Errorf("micro-F1 %.3f < 0.80", rep.MicroF1)
	}
	for _, name := range []string{"workload", "privatisation", "unions", "it"} {
		s := rep.Topic(name)
		if s.Support == 0 {
			t.Logf("%s: no gold examples in the dev set, not checked", name)
			continue
		}
		if s.F1 < 0.75 {
			t.Errorf("%s F1 %.3f < 0.75", name, s.F1)
		}
	}
}
