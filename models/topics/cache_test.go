package topics

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestWordCache checks the resolver's cache against stemming every word
// afresh, over more distinct words than the cache holds (so it is reset
// on the way) and many repeats.
func TestWordCache(t *testing.T) {
	tg := defaultTagger(t)
	var vocab []string
	for w := range tg.vocab {
		vocab = append(vocab, w)
	}
	r := resolver{vocab: tg.vocab}
	rng := rand.New(rand.NewPCG(1, 2))
	resets := 0
	for i := 0; i < 3*maxCache; i++ {
		var w string
		switch rng.IntN(4) {
		case 0:
			w = vocab[rng.IntN(len(vocab))]
		case 1:
			w = vocab[rng.IntN(len(vocab))] + []string{"s", "ing", "ed", "ation", "'s"}[rng.IntN(5)]
		case 2:
			w = fmt.Sprintf("w%dx%d", rng.IntN(2*maxCache), i%3)
		default:
			w = fmt.Sprintf("%x", rng.Uint64()>>uint(rng.IntN(64)))
		}
		want, ok := tg.vocab[string(stemBytes([]byte(w)))]
		if !ok {
			want = -1
		}
		n := r.cache.n
		if got := r.id([]byte(w)); got != want {
			t.Fatalf("id(%q) = %d, want %d", w, got, want)
		}
		if r.cache.n < n {
			resets++
		}
	}
	if resets == 0 {
		t.Error("the cache was never reset: the test does not reach maxCache")
	}
}
