package learned

import (
	"context"
	"math"
)

// minimise finds the minimum of a smooth, convex f by L-BFGS (Nocedal &
// Wright, Numerical Optimization, algorithm 7.4) with a backtracking
// Armijo line search. It is written here rather than taken from gonum's
// optimize package because that package pulls golang.org/x/tools into the
// build (and newer x/net and x/term with it) for one set type.
//
// Everything is serial and in a fixed order, so the same problem gives the
// same bits on the same platform: `make model` depends on it.
//
// eval returns f(x) and, when grad is non-nil, stores the gradient in it.
// It stops when the largest gradient component is below gtol, when f stops
// falling (relative change below 1e-12 for 20 iterations), or after
// maxIter iterations.
func minimise(ctx context.Context, x []float64, eval func(grad, x []float64) float64, gtol float64, maxIter int) error {
	const memory = 20
	n := len(x)
	g := make([]float64, n)
	fx := eval(g, x)
	s := make([][]float64, 0, memory)
	y := make([][]float64, 0, memory)
	rho := make([]float64, 0, memory)
	alpha := make([]float64, memory)
	d := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	stall := 0
	for it := 0; it < maxIter; it++ {
		if it%16 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if maxAbs(g) < gtol {
			return nil
		}
		// Two-loop recursion: d = -H g.
		copy(d, g)
		for i := len(s) - 1; i >= 0; i-- {
			alpha[i] = rho[i] * dot(s[i], d)
			axpy(-alpha[i], y[i], d)
		}
		if k := len(s); k > 0 {
			gamma := dot(s[k-1], y[k-1]) / dot(y[k-1], y[k-1])
			scale(gamma, d)
		} else {
			scale(1/math.Max(1, norm(g)), d)
		}
		for i := range s {
			b := rho[i] * dot(y[i], d)
			axpy(alpha[i]-b, s[i], d)
		}
		scale(-1, d)
		slope := dot(g, d)
		if slope >= 0 { // not a descent direction: restart from the gradient
			s, y, rho = s[:0], y[:0], rho[:0]
			copy(d, g)
			scale(-1/math.Max(1, norm(g)), d)
			slope = dot(g, d)
		}
		step := 1.0
		var fn float64
		for tries := 0; ; tries++ {
			for i := range x {
				xn[i] = x[i] + step*d[i]
			}
			fn = eval(gn, xn)
			if fn <= fx+1e-4*step*slope || tries == 60 {
				break
			}
			step /= 2
		}
		// Update the memory with s = xn - x, y = gn - g.
		var sv, yv []float64
		if len(s) == memory {
			sv, yv = s[0], y[0]
			s, y, rho = s[1:], y[1:], rho[1:]
		} else {
			sv, yv = make([]float64, n), make([]float64, n)
		}
		for i := range x {
			sv[i] = xn[i] - x[i]
			yv[i] = gn[i] - g[i]
		}
		if sy := dot(sv, yv); sy > 1e-12 {
			s, y, rho = append(s, sv), append(y, yv), append(rho, 1/sy)
		}
		copy(x, xn)
		copy(g, gn)
		if math.Abs(fx-fn) <= 1e-12*math.Max(1, math.Abs(fx)) {
			stall++
			if stall >= 20 {
				return nil
			}
		} else {
			stall = 0
		}
		fx = fn
	}
	return nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}

func norm(x []float64) float64 { return math.Sqrt(dot(x, x)) }

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
