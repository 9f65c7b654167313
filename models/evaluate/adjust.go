package evaluate

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Adjusted classify-and-count (Forman 2008; Buonaccorsi 2010, ch. 3): a
// classifier's label shares in a period are biased by its errors. If M is
// its confusion matrix, row-normalised (M[i][j] = P(predicted j | true i)),
// the expected observed shares are q = Mᵀ p for true shares p. AdjustShares
// solves that for p on the simplex (p ≥ 0, Σp = 1) in least squares.
//
// The adjustment assumes the classifier errs on the period's comments as it
// erred on the labelled ones: the same confusion on new data.

// AdjustShares returns the true shares p on the simplex that minimise
// |Mᵀp − q|², with M the row-normalised confusion counts (rows true,
// columns predicted) and q the observed shares. ok is false when a row of
// the confusion has no items (nothing known of that class's errors) or q
// sums to zero.
func AdjustShares(observed [3]float64, confusion [3][3]float64) (p [3]float64, ok bool) {
	var q [3]float64
	var qs float64
	for _, v := range observed {
		qs += v
	}
	if !(qs > 0) {
		return p, false
	}
	for j := range 3 {
		q[j] = observed[j] / qs
	}
	var m [3][3]float64 // m[i][j] = P(pred j | true i)
	for i := range 3 {
		var rs float64
		for j := range 3 {
			rs += confusion[i][j]
		}
		if !(rs > 0) {
			return p, false
		}
		for j := range 3 {
			m[i][j] = confusion[i][j] / rs
		}
	}
	return simplexLS(m, q), true
}

// simplexLS minimises |Mᵀp − q|² over the simplex. With p2 = 1 − p0 − p1
// the residual is A·(p0, p1) − c, A's columns (M row 0 − M row 2) and (M
// row 1 − M row 2), c = q − M row 2. The unconstrained minimum is taken
// when it lies in the triangle; otherwise the minimum lies on an edge, and
// each edge is a one-dimensional problem clamped to [0, 1].
func simplexLS(m [3][3]float64, q [3]float64) [3]float64 {
	var a0, a1, c [3]float64
	for j := range 3 {
		a0[j] = m[0][j] - m[2][j]
		a1[j] = m[1][j] - m[2][j]
		c[j] = q[j] - m[2][j]
	}
	obj := func(p [3]float64) float64 {
		var s float64
		for j := range 3 {
			r := m[0][j]*p[0] + m[1][j]*p[1] + m[2][j]*p[2] - q[j]
			s += r * r
		}
		return s
	}
	d00, d01, d11 := dot3(a0, a0), dot3(a0, a1), dot3(a1, a1)
	b0, b1 := dot3(a0, c), dot3(a1, c)
	if det := d00*d11 - d01*d01; math.Abs(det) > 1e-12 {
		x0 := (b0*d11 - b1*d01) / det
		x1 := (d00*b1 - d01*b0) / det
		if x0 >= 0 && x1 >= 0 && x0+x1 <= 1 {
			return [3]float64{x0, x1, 1 - x0 - x1}
		}
	}
	// Edges: between vertices u and v, p = u + t(v − u), t in [0, 1].
	vert := [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	best, bestObj := vert[0], math.Inf(1)
	for _, e := range [3][2]int{{0, 1}, {0, 2}, {1, 2}} {
		u, v := vert[e[0]], vert[e[1]]
		// residual r(t) = r0 + t·dr
		var r0, dr [3]float64
		for j := range 3 {
			for i := range 3 {
				r0[j] += m[i][j] * u[i]
				dr[j] += m[i][j] * (v[i] - u[i])
			}
			r0[j] -= q[j]
		}
		t := 0.0
		if dd := dot3(dr, dr); dd > 0 {
			t = math.Max(0, math.Min(1, -dot3(r0, dr)/dd))
		}
		var p [3]float64
		for i := range 3 {
			p[i] = u[i] + t*(v[i]-u[i])
		}
		if o := obj(p); o < bestObj-1e-15 {
			best, bestObj = p, o
		}
	}
	return best
}

func dot3(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// AdjustedShares is a period's adjusted shares with 95% intervals.
type AdjustedShares struct {
	Share, Low, High [3]float64
}

// AdjustDraws is the number of bootstrap draws behind each period's
// interval: enough for stable 2.5/97.5 percentiles of a share (they move
// by about 0.01 between seeds), few enough that a run with a hundred
// periods spends milliseconds on them.
const AdjustDraws = 400

// AdjustWithInterval adjusts a period's label counts (negative, neutral,
// positive) with the classifier's confusion counts, and gives each share a
// 95% percentile bootstrap interval that carries both sources of error:
// each draw resamples the period's comments (multinomially, from its
// observed label counts) and each row of the confusion matrix (from its
// counts), then adjusts. draws <= 0 means AdjustDraws. seed fixes the
// draws: the pipeline seeds each period from its key (SeedFor), so the
// same input gives the same bytes. ok is false when the shares cannot be
// adjusted (see AdjustShares).
func AdjustWithInterval(ctx context.Context, counts [3]int, confusion [3][3]int, draws int, seed uint64) (AdjustedShares, bool, error) {
	var out AdjustedShares
	var obs [3]float64
	var conf [3][3]float64
	n := 0
	for j := range 3 {
		obs[j] = float64(counts[j])
		n += counts[j]
		for i := range 3 {
			conf[i][j] = float64(confusion[i][j])
		}
	}
	p, ok := AdjustShares(obs, conf)
	if !ok {
		return out, false, nil
	}
	out.Share = p
	if draws <= 0 {
		draws = AdjustDraws
	}
	src := rand.NewPCG(seed, 0x2545f4914f6cdd1d)
	vals := [3][]float64{make([]float64, 0, draws), make([]float64, 0, draws), make([]float64, 0, draws)}
	for d := 0; d < draws; d++ {
		if d%64 == 0 {
			if err := ctx.Err(); err != nil {
				return out, false, err
			}
		}
		o := multinomial(src, n, obs)
		var c [3][3]float64
		for i := range 3 {
			rs := 0
			for j := range 3 {
				rs += confusion[i][j]
			}
			c[i] = multinomial(src, rs, conf[i])
		}
		pd, ok := AdjustShares(o, c)
		if !ok {
			continue // a resampled row can come out empty only if its count is 0, excluded above
		}
		for k := range 3 {
			vals[k] = append(vals[k], pd[k])
		}
	}
	for k := range 3 {
		if len(vals[k]) == 0 {
			out.Low[k], out.High[k] = math.NaN(), math.NaN()
			continue
		}
		slices.Sort(vals[k])
		out.Low[k] = quantile(vals[k], 0.025)
		out.High[k] = quantile(vals[k], 0.975)
	}
	return out, true, nil
}

// multinomial draws counts of n items over three cells with weights w, as
// a sequence of binomials (gonum's exact sampler), so a draw costs three
// samples whatever n is.
func multinomial(src rand.Source, n int, w [3]float64) [3]float64 {
	var out [3]float64
	total := w[0] + w[1] + w[2]
	left := n
	for k := 0; k < 2 && left > 0; k++ {
		if total <= 0 {
			break
		}
		pk := math.Min(1, math.Max(0, w[k]/total))
		x := 0
		switch pk {
		case 0:
		case 1:
			x = left
		default:
			x = int(distuv.Binomial{N: float64(left), P: pk, Src: src}.Rand())
		}
		out[k] = float64(x)
		left -= x
		total -= w[k]
	}
	out[2] = float64(left)
	return out
}

// SeedFor derives a bootstrap seed from stable data, such as a period's
// start date: FNV-1a 64 of the key.
func SeedFor(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}
