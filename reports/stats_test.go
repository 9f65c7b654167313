package reports

import (
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
)

// TestOLSTextbook: x = 1..5, y = 2,4,5,4,5 worked by hand: b1 = 6/10,
// b0 = 4 - 0.6·3 = 2.2, SSE = 2.4, s² = 2.4/3 = 0.8, Sxx = 10, so
// se(b1) = √(0.8/10), se(b0) = √(0.8·(1/5 + 9/10)), R² = 1 - 2.4/6.
func TestOLSTextbook(t *testing.T) {
	x := [][]float64{{1}, {2}, {3}, {4}, {5}}
	y := []float64{2, 4, 5, 4, 5}
	f, err := fitOLS(x, y)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{
		"b0": {f.coef[0], 2.2}, "b1": {f.coef[1], 0.6},
		"se0": {f.se[0], math.Sqrt(0.8 * 1.1)}, "se1": {f.se[1], math.Sqrt(0.08)},
		"r2": {f.r2, 0.6},
	}
	for name, v := range want {
		if !close(v[0], v[1], 1e-9) {
			t.Errorf("%s = %v, want %v", name, v[0], v[1])
		}
	}
	if f.df != 3 || f.n != 5 {
		t.Errorf("n %d df %d, want 5 and 3", f.n, f.df)
	}
	// 95% CI of b1 with t(0.975, 3) = 3.182446305284263; p from t = 0.6/√0.08.
	lo, hi, tv, p := f.coefTest(1)
	q := 3.182446305284263
	if !close(lo, 0.6-q*math.Sqrt(0.08), 1e-9) || !close(hi, 0.6+q*math.Sqrt(0.08), 1e-9) || !close(tv, 0.6/math.Sqrt(0.08), 1e-9) {
		t.Errorf("CI [%v, %v] t %v", lo, hi, tv)
	}
	if p < 0.12 || p > 0.13 { // two-sided p for t = 2.1213 on 3 df is 0.1240
		t.Errorf("p = %v, want about 0.124", p)
	}
}

// TestOLSAgainstGonum compares a noisy fit with gonum/stat's regression
// and the closed-form standard error of a simple regression slope.
func TestOLSAgainstGonum(t *testing.T) {
	n := 40
	xs, ys := make([]float64, n), make([]float64, n)
	x := make([][]float64, n)
	for i := range n {
		xs[i] = float64(i) / 12
		ys[i] = 0.3 - 0.05*xs[i] + 0.1*math.Sin(float64(i)*1.7)
		x[i] = []float64{xs[i]}
	}
	f, err := fitOLS(x, ys)
	if err != nil {
		t.Fatal(err)
	}
	alpha, beta := stat.LinearRegression(xs, ys, nil, false)
	r2 := stat.RSquared(xs, ys, nil, alpha, beta)
	var sse, sxx float64
	mx := stat.Mean(xs, nil)
	for i := range n {
		r := ys[i] - alpha - beta*xs[i]
		sse += r * r
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	se1 := math.Sqrt(sse / float64(n-2) / sxx)
	se0 := math.Sqrt(sse / float64(n-2) * (1/float64(n) + mx*mx/sxx))
	if !close(f.coef[0], alpha, 1e-10) || !close(f.coef[1], beta, 1e-10) || !close(f.r2, r2, 1e-10) ||
		!close(f.se[1], se1, 1e-10) || !close(f.se[0], se0, 1e-10) {
		t.Errorf("fit %v se %v r2 %v; gonum %v %v se %v %v r2 %v", f.coef, f.se, f.r2, alpha, beta, se0, se1, r2)
	}
}

// TestSegmentedEqualsTwoFits: with one event, the segmented model has a
// free intercept and slope on each side, so its coefficients are those of
// two separate line fits, its residuals their residuals, and
// se(slope change)² = s²·(1/Sxx_before + 1/Sxx_after) with s² pooled over
// n - 4 degrees of freedom.
func TestSegmentedEqualsTwoFits(t *testing.T) {
	origin := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	var xs, ys []float64
	for i := range 30 {
		x := float64(i) / 10
		y := 0.1 - 0.2*x + 0.05*math.Cos(float64(i)*2.3)
		if x >= 1.5 {
			y += -0.3 + 0.4*(x-1.5)
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	evDate := origin.Add(time.Duration(1.5 * daysPerYear * 24 * float64(time.Hour)))
	evs, err := placeEvents([]Event{{Date: evDate.Format(dateLayout), Name: "e"}}, xs, origin)
	if err != nil || len(evs) != 1 || !evs[0].used {
		t.Fatalf("events %+v err %v", evs, err)
	}
	xe := evs[0].x
	f, err := fitOLS(segmentedDesign(xs, evs), ys)
	if err != nil {
		t.Fatal(err)
	}
	var bx, by, ax, ay []float64
	for i, x := range xs {
		if x >= xe {
			ax, ay = append(ax, x), append(ay, ys[i])
		} else {
			bx, by = append(bx, x), append(by, ys[i])
		}
	}
	a0, a1 := stat.LinearRegression(bx, by, nil, false)
	c0, c1 := stat.LinearRegression(ax, ay, nil, false)
	sse := func(x, y []float64, i0, i1 float64) (s, sxx float64) {
		m := stat.Mean(x, nil)
		for k := range x {
			r := y[k] - i0 - i1*x[k]
			s += r * r
			sxx += (x[k] - m) * (x[k] - m)
		}
		return s, sxx
	}
	s1, sxx1 := sse(bx, by, a0, a1)
	s2, sxx2 := sse(ax, ay, c0, c1)
	s2p := (s1 + s2) / float64(len(xs)-4)
	level := (c0 + c1*xe) - (a0 + a1*xe) // jump of the fitted lines at the event
	checks := [][3]float64{
		{f.coef[0], a0, 1e-9}, {f.coef[1], a1, 1e-9},
		{f.coef[2], level, 1e-9}, {f.coef[3], c1 - a1, 1e-9},
		{f.se[1], math.Sqrt(s2p / sxx1), 1e-9},
		{f.se[3], math.Sqrt(s2p * (1/sxx1 + 1/sxx2)), 1e-9},
	}
	for k, c := range checks {
		if !close(c[0], c[1], c[2]) {
			t.Errorf("check %d: got %v, want %v", k, c[0], c[1])
		}
	}
	// The jump built into the data is about -0.3 and the slope change +0.4.
	if math.Abs(f.coef[2]+0.3) > 0.1 || math.Abs(f.coef[3]-0.4) > 0.1 {
		t.Errorf("level change %v slope change %v, want about -0.3 and +0.4", f.coef[2], f.coef[3])
	}
}

func TestPlaceEvents(t *testing.T) {
	origin := time.Date(2015, 1, 5, 0, 0, 0, 0, time.UTC)
	var xs []float64
	for w := range 10 { // ten weekly periods
		xs = append(xs, yearsSince(origin.AddDate(0, 0, 7*w), origin))
	}
	evs, err := placeEvents([]Event{
		{Date: "2015-01-05", Name: "at start"},
		{Date: "2015-01-19", Name: "too early"},     // 2 periods before
		{Date: "2015-01-26", Name: "ok"},            // 3 before, 7 after
		{Date: "2015-02-02", Name: "too close"},     // 1 since "ok"
		{Date: "2015-03-01", Name: "too late"},      // 1 after
		{Date: "2016-01-01", Name: "after the end"}, // beyond the data
	}, xs, origin)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"at start": false, "too early": false, "ok": true, "too close": false, "too late": false, "after the end": false}
	for _, e := range evs {
		if e.used != want[e.Name] {
			t.Errorf("%s: used %v (%s), want %v", e.Name, e.used, e.note, want[e.Name])
		}
		if !e.used && e.note == "" {
			t.Errorf("%s: unused without a reason", e.Name)
		}
	}
}

func TestFitTooFew(t *testing.T) {
	if _, err := fitOLS([][]float64{{0}, {1}}, []float64{1, 2}); err == nil {
		t.Error("fit on two points should fail: no residual degrees of freedom")
	}
}

func TestPeriods(t *testing.T) {
	d := time.Date(2015, 1, 11, 0, 0, 0, 0, time.UTC) // a Sunday
	if got := periodStart(d, PeriodWeek).Format(dateLayout); got != "2015-01-05" {
		t.Errorf("week of Sunday 2015-01-11 starts %s, want Monday 2015-01-05", got)
	}
	if got := periodEnd(periodStart(d, PeriodMonth), PeriodMonth).Format(dateLayout); got != "2015-01-31" {
		t.Errorf("month end %s", got)
	}
	if got := formatFloat(-0.00001, 4); got != "0.0000" {
		t.Errorf("formatFloat(-0.00001) = %q, want 0.0000 without a sign", got)
	}
}
