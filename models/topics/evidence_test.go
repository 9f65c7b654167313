package topics

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestSingleSpaced checks the fast path of evidence: whenever singleSpaced
// says a phrase's text needs no normalising, strings.Join(strings.Fields(s),
// " ") is indeed s; and it says so for plain phrases.
func TestSingleSpaced(t *testing.T) {
	parts := []string{"a", "tick", "box", " ", " ", "  ", "\t", "\n", "\r", "\v", "\f", "\x1c", "\x85", "\u00a0", "\u2003", "\u00e9", "-", "'"}
	r := rand.New(rand.NewPCG(5, 6))
	fast := 0
	for range 200000 {
		var b strings.Builder
		for k := r.IntN(8); k >= 0; k-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		s := b.String()
		if singleSpaced(s) {
			fast++
			if want := strings.Join(strings.Fields(s), " "); want != s {
				t.Fatalf("singleSpaced(%q) but it normalises to %q", s, want)
			}
		}
	}
	if fast < 1000 {
		t.Fatalf("only %d random phrases took the fast path", fast)
	}
	for _, s := range []string{"tick box", "not fit for purpose", "so-called 'reform'"} {
		if !singleSpaced(s) {
			t.Errorf("singleSpaced(%q) = false", s)
		}
	}
}

// TestTagAppend checks that TagAppend appends Tag's matches after what dst
// holds and leaves that alone.
func TestTagAppend(t *testing.T) {
	tg := defaultTagger(t)
	var texts []string
	for w := range tg.vocab {
		texts = append(texts, w+" and "+w+", the caseload, the pay offer, "+w)
	}
	texts = append(texts, "", "nothing to see", "Caseloads are too high and the pay offer is an insult.")
	tagged := 0
	for _, text := range texts {
		want := tg.Tag(text)
		head := Match{Topic: "head", Score: 1}
		got := tg.TagAppend([]Match{head}, text)
		if len(got) != 1+len(want) || !reflect.DeepEqual(got[0], head) || len(want) > 0 && !reflect.DeepEqual(got[1:], want) {
			t.Fatalf("TagAppend(%q) = %+v, want head then %+v", text, got, want)
		}
		if len(want) > 0 {
			tagged++
		}
	}
	if tagged == 0 {
		t.Fatal("no text was tagged: the test checks nothing")
	}
}
