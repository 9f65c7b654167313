package reports

import (
	"context"
	"math"

	"chorus/models/evaluate"
)

// adjusted is one period's label shares corrected for the classifier's
// error (adjusted classify-and-count, models/evaluate), each with a 95%
// interval. NaN everywhere when the model has no confusion matrix.
type adjusted struct {
	share, lo, hi [3]float64
}

func nanAdjusted() adjusted {
	n := math.NaN()
	return adjusted{share: [3]float64{n, n, n}, lo: [3]float64{n, n, n}, hi: [3]float64{n, n, n}}
}

// adjustPeriods adjusts every period's label counts with conf. Each
// period's bootstrap is seeded from its start date, so the same input
// gives the same bytes whatever else the archive holds.
func adjustPeriods(ctx context.Context, ps []period, conf *[3][3]int) ([]adjusted, error) {
	out := make([]adjusted, len(ps))
	for i, p := range ps {
		out[i] = nanAdjusted()
		if conf == nil {
			continue
		}
		key := p.start.Format(dateLayout)
		a, ok, err := evaluate.AdjustWithInterval(ctx, p.byLabel, *conf, evaluate.AdjustDraws, evaluate.SeedFor(key))
		if err != nil {
			return nil, err
		}
		if ok {
			out[i] = adjusted{share: a.Share, lo: a.Low, hi: a.High}
		}
	}
	return out, nil
}
