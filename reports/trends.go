package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// minSegment is the fewest periods the segmented fit accepts on each side of
// an event: fewer and the level and slope change would be fitted to one or
// two points, which says nothing.
const minSegment = 3

// daysPerYear converts day differences to the year units of every slope.
const daysPerYear = 365.25

// trendRow is one row of trends.csv: one coefficient of one model of one
// series.
type trendRow struct {
	series, model, term   string
	event, eventDate      string
	est, se, lo, hi, t, p float64
	n, df                 int
	r2                    float64
	origin, unit, note    string
}

// series is one per-period figure the trends are fitted to.
type trendSeries struct {
	name string // column of daily.csv
	unit string // "compound" or "share"
	y    []float64
}

// eventFit says where an event sits in the data and whether the segmented
// fit uses it.
type eventFit struct {
	Event
	x      float64 // years since origin
	chartX float64 // decimal calendar year, the charts' time axis
	used   bool
	note   string
}

// yearsSince is the time variable of every regression: (d - origin) in
// years of 365.25 days.
func yearsSince(d, origin time.Time) float64 {
	return d.Sub(origin).Hours() / 24 / daysPerYear
}

// placeEvents decides which events the segmented fit uses: in date order,
// an event is used when it falls after the first period and leaves at least
// minSegment periods since the previous used event (or the start) and at
// least minSegment periods from it to the end.
func placeEvents(events []Event, xs []float64, origin time.Time) ([]eventFit, error) {
	out := make([]eventFit, 0, len(events))
	for _, e := range events {
		d, err := time.Parse(dateLayout, e.Date)
		if err != nil {
			return nil, fmt.Errorf("event %q: date %q: %w", e.Name, e.Date, err)
		}
		out = append(out, eventFit{Event: e, x: yearsSince(d, origin), chartX: decYear(d)})
	}
	slices.SortStableFunc(out, func(a, b eventFit) int {
		if a.Date != b.Date {
			if a.Date < b.Date {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	if len(xs) == 0 {
		for k := range out {
			out[k].note = "no dated comments"
		}
		return out, nil
	}
	first, last := xs[0], xs[len(xs)-1]
	prev := math.Inf(-1)
	for k := range out {
		e := &out[k]
		switch {
		case e.x <= first:
			e.note = "event on or before the first period"
			continue
		case e.x > last:
			e.note = "event after the last period"
			continue
		}
		before, after := 0, 0
		for _, x := range xs {
			if x >= prev && x < e.x {
				before++
			}
			if x >= e.x {
				after++
			}
		}
		switch {
		case before < minSegment:
			e.note = fmt.Sprintf("fewer than %d periods since the previous event or the start", minSegment)
		case after < minSegment:
			e.note = fmt.Sprintf("fewer than %d periods after the event", minSegment)
		default:
			e.used = true
			prev = e.x
		}
	}
	return out, nil
}

// segmentedDesign is the design of the interrupted time series model
//
//	y = b0 + b1·x + Σ_k [ c_k·1(x ≥ x_k) + d_k·(x − x_k)·1(x ≥ x_k) ]
//
// with x in years since the origin: c_k is the level change at event k and
// d_k the change in slope (per year) after it.
func segmentedDesign(xs []float64, evs []eventFit) [][]float64 {
	rows := make([][]float64, len(xs))
	for i, x := range xs {
		r := []float64{x}
		for _, e := range evs {
			if !e.used {
				continue
			}
			step, ramp := 0.0, 0.0
			if x >= e.x {
				step, ramp = 1, x-e.x
			}
			r = append(r, step, ramp)
		}
		rows[i] = r
	}
	return rows
}

// fitTrends fits, for every series, the linear trend y = b0 + b1·x and the
// segmented model, and returns the rows of trends.csv and the segmented
// fitted values of mean_compound (for the chart; nil when not fitted).
func fitTrends(ss []trendSeries, xs []float64, origin time.Time, evs []eventFit) (rows []trendRow, linFit, segFit []float64) {
	orig := origin.Format(dateLayout)
	nUsed := 0
	for _, e := range evs {
		if e.used {
			nUsed++
		}
	}
	lin := make([][]float64, len(xs))
	for i, x := range xs {
		lin[i] = []float64{x}
	}
	seg := segmentedDesign(xs, evs)
	for _, s := range ss {
		perYear := s.unit + " per year"
		base := trendRow{series: s.name, origin: orig}
		add := func(model, term string, e *eventFit, f *olsFit, j int, unit string, fitErr error) {
			r := base
			r.model, r.term, r.unit = model, term, unit
			r.est, r.se, r.lo, r.hi, r.t, r.p, r.r2 = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
			r.n = len(xs)
			if e != nil {
				r.event, r.eventDate = e.Name, e.Date
				if !e.used {
					r.note = e.note
				}
			}
			switch {
			case fitErr != nil:
				r.note = fitNote(fitErr)
			case f != nil && j >= 0:
				r.est, r.se = f.coef[j], f.se[j]
				r.lo, r.hi, r.t, r.p = f.coefTest(j)
				r.df, r.r2 = f.df, f.r2
			}
			rows = append(rows, r)
		}
		lf, lerr := fitOLS(lin, s.y)
		var lfp *olsFit
		if lerr == nil {
			lfp = &lf
			if s.name == "mean_compound" {
				linFit = lf.fit
			}
		}
		add("linear", "intercept", nil, lfp, 0, s.unit, lerr)
		add("linear", "slope", nil, lfp, 1, perYear, lerr)

		if nUsed == 0 {
			// Without a usable event the segmented model is the linear one;
			// report the events and why none was used, not a copy of the fit.
			for k := range evs {
				add("segmented", "level_change", &evs[k], nil, -1, s.unit, nil)
				add("segmented", "slope_change", &evs[k], nil, -1, perYear, nil)
			}
			continue
		}
		sf, serr := fitOLS(seg, s.y)
		var sfp *olsFit
		if serr == nil {
			sfp = &sf
			if s.name == "mean_compound" {
				segFit = sf.fit
			}
		}
		add("segmented", "intercept", nil, sfp, 0, s.unit, serr)
		add("segmented", "slope", nil, sfp, 1, perYear, serr)
		j := 2
		for k := range evs {
			e := &evs[k]
			if !e.used {
				add("segmented", "level_change", e, nil, -1, s.unit, nil)
				add("segmented", "slope_change", e, nil, -1, perYear, nil)
				continue
			}
			add("segmented", "level_change", e, sfp, j, s.unit, serr)
			add("segmented", "slope_change", e, sfp, j+1, perYear, serr)
			j += 2
		}
	}
	return rows, linFit, segFit
}

// fitNote shortens a fit error for the note column.
func fitNote(err error) string {
	if errors.Is(err, errTooFew) {
		return "too few periods to fit"
	}
	return err.Error()
}

func trendsTable(rows []trendRow, version string) (table, error) {
	n := len(rows)
	ser, model, term, ev, evd, orig, unit, note := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	est, se, lo, hi, t, p, r2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	nn, df := make([]int, n), make([]int, n)
	for k, r := range rows {
		ser[k], model[k], term[k], ev[k], evd[k], orig[k], unit[k], note[k] = r.series, r.model, r.term, r.event, r.eventDate, r.origin, r.unit, r.note
		est[k], se[k], lo[k], hi[k], t[k], p[k], r2[k] = r.est, r.se, r.lo, r.hi, r.t, r.p, r.r2
		nn[k], df[k] = r.n, r.df
	}
	return newTable(
		strCol("series", ser),
		strCol("model", model),
		strCol("term", term),
		strCol("event", ev),
		strCol("event_date", evd),
		floatCol("estimate", precCoef, est),
		floatCol("std_error", precCoef, se),
		floatCol("ci_low", precCoef, lo),
		floatCol("ci_high", precCoef, hi),
		floatCol("t_value", precCoef, t),
		floatCol("p_value", precCoef, p),
		intCol("n", nn),
		intCol("df", df),
		floatCol("r2", precScore, r2),
		strCol("x_origin", orig),
		strCol("unit", unit),
		strCol("note", note),
		constCol("chorus_version", version, n),
	)
}
