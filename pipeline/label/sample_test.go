package label

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"chorus/pipeline/store"
)

func TestSampleRandomReproducibleAndExcluding(t *testing.T) {
	ctx := context.Background()
	ids := func(seed uint64, n int) []string {
		st, _ := fixtureStore(t)
		res, err := Sample(ctx, st, SampleOptions{N: n, Strategy: Random, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if res.Candidates != 11 || res.Chosen != min(n, 11) || res.Batch != 1 {
			t.Errorf("seed %d: %+v (11 counted comments: 12 less one duplicate)", seed, res)
		}
		q, err := st.Queue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range q {
			out = append(out, u.CommentID)
		}
		return out
	}
	a, b := ids(1, 4), ids(1, 4)
	if !slices.Equal(a, b) {
		t.Errorf("seed 1 twice: %v then %v", a, b)
	}
	if c := ids(2, 4); slices.Equal(a, c) {
		t.Errorf("seeds 1 and 2 chose the same: %v", a)
	}
	// A larger sample under the same seed starts with the smaller one: the
	// order is the seed's, not the store's.
	if d := ids(1, 6); !slices.Equal(d[:4], a) {
		t.Errorf("n=6 %v does not extend n=4 %v", d, a)
	}

	st, _ := fixtureStore(t)
	importFixture(t, st, "cy") // labels 5 stored comments (and 2 free units)
	first, err := Sample(ctx, st, SampleOptions{N: 3, Strategy: Random, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if first.Candidates != 6 || first.Excluded != 5 {
		t.Errorf("after cy's labels: %+v", first)
	}
	second, err := Sample(ctx, st, SampleOptions{N: 10, Strategy: Random, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if second.Batch != 2 || second.Chosen != 3 || second.Excluded != 8 || second.Queued != 6 {
		t.Errorf("second batch: %+v", second)
	}
	third, err := Sample(ctx, st, SampleOptions{N: 10, Strategy: Random, Seed: 9})
	if err != nil || third.Chosen != 0 || third.Batch != 0 {
		t.Errorf("nothing left: %+v, %v", third, err)
	}
	q, _ := st.Queue(ctx)
	seen := map[string]bool{}
	for _, u := range q {
		if seen[u.CommentID] {
			t.Errorf("%s queued twice", u.CommentID)
		}
		seen[u.CommentID] = true
		if u.TextHash != store.TextHash(u.Text) {
			t.Errorf("%s queued with hash %s, not its text's", u.CommentID, u.TextHash)
		}
		if strings.HasPrefix(u.Text, "The new duty rota") && u.ParentText != "" {
			t.Errorf("a top-level comment has a parent: %+v", u)
		}
	}
	if _, err := Sample(ctx, st, SampleOptions{N: 0, Strategy: Random}); err == nil {
		t.Error("n = 0 accepted")
	}
	if _, err := Sample(ctx, st, SampleOptions{N: 1, Strategy: "clever"}); err == nil {
		t.Error("an unknown strategy accepted")
	}
}

func TestSampleStratified(t *testing.T) {
	ctx := context.Background()
	st, _ := fixtureStore(t)
	res, err := Sample(ctx, st, SampleOptions{N: 3, Strategy: Stratified, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Periods != 3 || res.Posts != 3 {
		t.Errorf("3 comments from 3 months of one post each: %+v", res)
	}
	res, err = Sample(ctx, st, SampleOptions{N: 5, Strategy: Stratified, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Periods != 3 || res.Chosen != 5 {
		t.Errorf("next 5: %+v", res)
	}
	// The two batches hold 8 comments from months of 4, 4 and 3 counted
	// comments: taking turns, no month gives two more than another.
	q, _ := st.Queue(ctx)
	per := map[string]int{}
	for _, u := range q {
		per[u.PostDate[:7]]++
	}
	lo, hi := 99, 0
	for _, n := range per {
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(per) != 3 || hi-lo > 1 {
		t.Errorf("per month %v: not spread evenly", per)
	}
}

// TestStratifyTurns checks the turn taking on invented candidates: month
// a has posts p1 (3 comments) and p2 (1), month b one post with 1 comment.
// Six picks: b gives its one, a gives p1, p2, p1, p1 in turn (p2 is out
// after one), then nothing is left.
func TestStratifyTurns(t *testing.T) {
	var cands []candidate
	add := func(period, post string, n int) {
		for i := range n {
			id := fmt.Sprintf("%s-%d", post, i)
			cands = append(cands, candidate{id: id, post: post, period: period, rank: uint64(i)})
		}
	}
	add("2015-01", "p1", 3)
	add("2015-01", "p2", 1)
	add("2015-02", "p3", 1)
	got := stratify(cands, 6, 1)
	if len(got) != 5 {
		t.Fatalf("%d picked, want all 5", len(got))
	}
	var a []string
	nb := 0
	for _, c := range got {
		if c.period == "2015-02" {
			nb++
			continue
		}
		a = append(a, c.post)
	}
	if nb != 1 {
		t.Errorf("month b gave %d", nb)
	}
	// p1 and p2 alternate until p2 runs out; which goes first is the seed's.
	s := strings.Join(a, ",")
	if s != "p1,p2,p1,p1" && s != "p2,p1,p1,p1" {
		t.Errorf("month a gave posts in the order %s", s)
	}
	// Three picks: each month gives before any gives twice.
	got = stratify(cands, 2, 1)
	if got[0].period == got[1].period {
		t.Errorf("two picks from one month: %+v", got)
	}
}

func TestSampleUncertain(t *testing.T) {
	ctx := context.Background()
	st, _ := fixtureStore(t)
	if _, err := Sample(ctx, st, SampleOptions{N: 2, Strategy: Uncertain, Seed: 1}); err == nil || !strings.Contains(err.Error(), "no analyses") {
		t.Errorf("uncertain with no analyses: %v", err)
	}
	// Margins: the comment whose id sorts first gets 0.34/0.33/0.33
	// (margin 0.01), the next 0.5/0.4/0.1 (0.1), the rest 0.9/0.05/0.05.
	var order []string
	analyse(t, st, "k1", func(id string) (float64, float64, float64) {
		order = append(order, id)
		return 0, 0, 0
	})
	slices.Sort(order)
	analyse(t, st, "k2", func(id string) (float64, float64, float64) {
		switch id {
		case order[0]:
			return 0.33, 0.34, 0.33
		case order[1]:
			return 0.1, 0.4, 0.5
		}
		return 0.05, 0.05, 0.9
	})
	res, err := Sample(ctx, st, SampleOptions{N: 2, Strategy: Uncertain, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Key != "k2" {
		t.Errorf("read key %q, want the current k2", res.Key)
	}
	q, _ := st.Queue(ctx)
	if len(q) != 2 || q[0].CommentID != order[0] || q[1].CommentID != order[1] {
		t.Errorf("queue %v, want the two smallest margins %v first", q, order[:2])
	}
}

func TestMargin(t *testing.T) {
	for _, c := range []struct{ a, b, c, want float64 }{
		{0.5, 0.3, 0.2, 0.2}, {0.2, 0.5, 0.3, 0.2}, {0.2, 0.3, 0.5, 0.2}, {0.4, 0.4, 0.2, 0}, {1, 0, 0, 1},
	} {
		if got := margin(c.a, c.b, c.c); !near(got, c.want) {
			t.Errorf("margin(%v, %v, %v) = %v, want %v", c.a, c.b, c.c, got, c.want)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
