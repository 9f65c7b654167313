package reports

import (
	"errors"
	"fmt"
	"math"

	"github.com/sajari/regression"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// acc accumulates a running mean and sum of squared deviations (Welford's
// update), so per-period figures need neither the comments nor a second pass,
// and the variance does not suffer the cancellation of sum-of-squares.
type acc struct {
	n    int
	mean float64
	m2   float64
}

func (a *acc) add(x float64) {
	a.n++
	d := x - a.mean
	a.mean += d / float64(a.n)
	a.m2 += d * (x - a.mean)
}

// sd is the sample standard deviation (n-1 denominator); NaN when n < 2.
func (a acc) sd() float64 {
	if a.n < 2 {
		return math.NaN()
	}
	return math.Sqrt(a.m2 / float64(a.n-1))
}

// Mean returns the mean, or NaN for no observations.
func (a acc) Mean() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.mean
}

// tQuantile is the q quantile of Student's t with df degrees of freedom.
func tQuantile(q float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(q)
}

// meanCI is the two-sided 95% t interval for the mean: mean ± t(0.975, n-1)·s/√n.
// With n < 2 the sample variance is undefined and both bounds are NaN
// (written as empty cells), rather than a zero-width interval that would
// claim certainty a single comment cannot give.
func meanCI(a acc) (lo, hi float64) {
	if a.n < 2 {
		return math.NaN(), math.NaN()
	}
	half := tQuantile(0.975, a.n-1) * a.sd() / math.Sqrt(float64(a.n))
	return a.mean - half, a.mean + half
}

// olsFit is an ordinary least-squares fit with the coefficient standard
// errors sajari/regression does not report.
type olsFit struct {
	coef []float64 // intercept first, then one per column of x
	se   []float64
	r2   float64
	n    int
	df   int // residual degrees of freedom, n - len(coef)
	fit  []float64
}

var errTooFew = errors.New("too few observations")

// fitOLS fits y = b0 + Σ b_j x_j with sajari/regression (QR), then computes
// Var(b) = σ²(XᵀX)⁻¹ with σ² = SSE/(n-p) for the standard errors, and
// R² = 1 - SSE/SST (NaN when y is constant). It needs n > p.
func fitOLS(x [][]float64, y []float64) (olsFit, error) {
	n := len(y)
	if n == 0 || len(x) != n {
		return olsFit{}, errTooFew
	}
	k := len(x[0])
	p := k + 1
	if n <= p || n < 3 {
		return olsFit{}, fmt.Errorf("%w: n=%d for %d coefficients", errTooFew, n, p)
	}
	r := new(regression.Regression)
	for i := range y {
		vars := make([]float64, k)
		copy(vars, x[i])
		r.Train(regression.DataPoint(y[i], vars))
	}
	if err := r.Run(); err != nil {
		return olsFit{}, fmt.Errorf("run regression: %w", err)
	}
	coef := r.GetCoeffs()
	if len(coef) != p {
		return olsFit{}, fmt.Errorf("regression returned %d coefficients, want %d", len(coef), p)
	}
	design := mat.NewDense(n, p, nil)
	for i := range n {
		design.Set(i, 0, 1)
		for j := range k {
			design.Set(i, j+1, x[i][j])
		}
	}
	var xtx, inv mat.Dense
	xtx.Mul(design.T(), design)
	if err := inv.Inverse(&xtx); err != nil {
		return olsFit{}, fmt.Errorf("singular design (an event without data on one side?): %w", err)
	}
	var ybar float64
	for _, v := range y {
		ybar += v
	}
	ybar /= float64(n)
	fit := make([]float64, n)
	var sse, sst float64
	for i := range n {
		f := coef[0]
		for j := range k {
			f += coef[j+1] * x[i][j]
		}
		fit[i] = f
		sse += (y[i] - f) * (y[i] - f)
		sst += (y[i] - ybar) * (y[i] - ybar)
	}
	for _, c := range coef {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return olsFit{}, errors.New("singular design: non-finite coefficient")
		}
	}
	df := n - p
	s2 := sse / float64(df)
	se := make([]float64, p)
	for j := range p {
		se[j] = math.Sqrt(s2 * inv.At(j, j))
	}
	r2 := math.NaN()
	if sst > 0 {
		r2 = 1 - sse/sst
	}
	return olsFit{coef: coef, se: se, r2: r2, n: n, df: df, fit: fit}, nil
}

// coefTest returns the 95% interval, t statistic and two-sided p-value of
// coefficient j under the usual normal-error OLS assumptions.
func (f olsFit) coefTest(j int) (lo, hi, t, p float64) {
	b, se := f.coef[j], f.se[j]
	q := tQuantile(0.975, f.df)
	lo, hi = b-q*se, b+q*se
	if se == 0 {
		return lo, hi, math.NaN(), math.NaN()
	}
	t = b / se
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(f.df)}
	p = 2 * dist.Survival(math.Abs(t))
	return lo, hi, t, p
}
