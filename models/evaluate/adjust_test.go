package evaluate

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestAdjustSharesExact(t *testing.T) {
	conf := [3][3]float64{{80, 15, 5}, {20, 70, 10}, {5, 15, 80}}
	truth := [3]float64{0.5, 0.3, 0.2}
	var obs [3]float64 // q = Mᵀ p
	for i := range 3 {
		rs := conf[i][0] + conf[i][1] + conf[i][2]
		for j := range 3 {
			obs[j] += conf[i][j] / rs * truth[i]
		}
	}
	p, ok := AdjustShares(obs, conf)
	if !ok {
		t.Fatal("not ok")
	}
	for k := range 3 {
		if math.Abs(p[k]-truth[k]) > 1e-12 {
			t.Errorf("share %d = %v, want %v", k, p[k], truth[k])
		}
	}
	// A perfect classifier changes nothing.
	id := [3][3]float64{{10, 0, 0}, {0, 10, 0}, {0, 0, 10}}
	if p, _ := AdjustShares([3]float64{6, 3, 1}, id); math.Abs(p[0]-0.6) > 1e-12 || math.Abs(p[2]-0.1) > 1e-12 {
		t.Errorf("identity: %v", p)
	}
	// Observed shares outside what the classifier can produce: the answer
	// stays on the simplex (here the vertex "all negative").
	p, _ = AdjustShares([3]float64{1, 0, 0}, conf)
	if p[0] < 0.999 || p[1] < 0 || p[2] < 0 || math.Abs(p[0]+p[1]+p[2]-1) > 1e-12 {
		t.Errorf("clamped: %v", p)
	}
	if _, ok := AdjustShares([3]float64{1, 1, 1}, [3][3]float64{{1, 0, 0}, {0, 0, 0}, {0, 0, 1}}); ok {
		t.Error("a confusion row with no items was accepted")
	}
}

func TestAdjustDeterministic(t *testing.T) {
	conf := [3][3]int{{43, 9, 5}, {6, 14, 4}, {1, 4, 7}}
	a, ok, err := AdjustWithInterval(context.Background(), [3]int{120, 50, 30}, conf, 0, SeedFor("2015-03-01"))
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	b, _, _ := AdjustWithInterval(context.Background(), [3]int{120, 50, 30}, conf, 0, SeedFor("2015-03-01"))
	if a != b {
		t.Errorf("same seed, different intervals: %v vs %v", a, b)
	}
	for k := range 3 {
		if !(a.Low[k] <= a.Share[k]+1e-9 && a.Share[k] <= a.High[k]+1e-9) {
			t.Errorf("share %d: %v outside [%v, %v]", k, a.Share[k], a.Low[k], a.High[k])
		}
	}
}

// TestAdjustCoverage simulates the use the reports make of the adjustment:
// a classifier with a known confusion matrix (the default model's
// cross-validated one) is measured on a labelled set, then labels a period
// of 400 comments whose true shares are known. Over 1,000 simulated periods
// the 95% intervals must cover each true share in 93-97% of them.
//
// Two labelled-set sizes are simulated. With 279 labelled comments (three
// times the dev set) coverage must be 93-97%. With the dev set's own class
// sizes (57, 24, 12) the intervals come out a little conservative for the
// two small classes (about 97%: the error of a 12-comment confusion row
// is not symmetric); the test requires at least 93% there and logs the
// figures, which docs/methods.md quotes. Seeded: the same figures each run.
func TestAdjustCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("2 x 1,000 simulated periods")
	}
	for _, sc := range []struct {
		calib  [3]int
		strict bool
	}{{[3]int{171, 72, 36}, true}, {[3]int{57, 24, 12}, false}} {
		cov := coverage(t, sc.calib)
		for k, c := range cov {
			t.Logf("labelled %v: share %s coverage %.3f", sc.calib, Classes()[k], c)
			if c < 0.93 || (sc.strict && c > 0.97) {
				t.Errorf("labelled %v: share %s: 95%% intervals covered the true share in %.1f%% of periods, want 93-97%%", sc.calib, Classes()[k], 100*c)
			}
		}
	}
}

func coverage(t *testing.T, calib [3]int) [3]float64 {
	trueConf := [3][3]float64{{43, 9, 5}, {6, 14, 4}, {1, 4, 7}}
	var m [3][3]float64
	for i := range 3 {
		rs := trueConf[i][0] + trueConf[i][1] + trueConf[i][2]
		for j := range 3 {
			m[i][j] = trueConf[i][j] / rs
		}
	}
	truth := [3]float64{0.55, 0.30, 0.15}
	const sims, periodN = 1000, 400
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func(p [3]float64) int {
		u := rng.Float64()
		for k := range 2 {
			if u < p[k] {
				return k
			}
			u -= p[k]
		}
		return 2
	}
	var covered [3]int
	for s := 0; s < sims; s++ {
		var conf [3][3]int
		for i := range 3 {
			for range calib[i] {
				conf[i][draw(m[i])]++
			}
		}
		var counts [3]int
		for range periodN {
			counts[draw(m[draw(truth)])]++
		}
		a, ok, err := AdjustWithInterval(context.Background(), counts, conf, 0, uint64(s)+1)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		for k := range 3 {
			if a.Low[k] <= truth[k] && truth[k] <= a.High[k] {
				covered[k]++
			}
		}
	}
	var out [3]float64
	for k := range 3 {
		out[k] = float64(covered[k]) / sims
	}
	return out
}
