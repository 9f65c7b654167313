package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"chorus/internal/fsread"
	"chorus/models/evaluate"
	"chorus/models/sentiment/domain"
	"chorus/models/sentiment/learned"
	"chorus/pipeline/label"
	"chorus/reports"
)

// The validation figures: what the store's hand labels (chorus label) say
// about the coders and the learned model, for the report's validation
// section and manifest.json.

// The least labels cross-validated. Below 30 units a held-out macro-F1's
// interval spans most of 0 to 1 and says nothing; with one post there is
// no second fold to hold out (folds never split a post). 30 units in 2
// posts gives figures with wide intervals, which the page prints, and a
// note under 4 folds. docs/labelling.md states the same minimum.
const (
	minCVUnits = 30
	minCVPosts = 2
)

// validation computes the validation figures from the store's labels.
// Without labels it does nothing beyond one query. It never fails the run:
// an error (other than the run being cancelled) is logged, redacted, and
// recorded in the figures' Error for the page to say so.
func (a aggregator) validation(ctx context.Context) (reports.Validation, error) {
	v := reports.Validation{MinUnits: minCVUnits, MinPosts: minCVPosts}
	start := time.Now()
	cached, err := a.validate(ctx, &v)
	if err != nil {
		if ctx.Err() != nil {
			return v, ctx.Err()
		}
		msg := strings.TrimSuffix(a.red.Text(err.Error()), ".")
		a.log.Warn("validation figures not computed", "err", msg)
		return reports.Validation{Labels: v.Labels, MinUnits: minCVUnits, MinPosts: minCVPosts, Coders: v.Coders, Error: msg}, nil
	}
	if v.Labels > 0 {
		a.log.Info("validation", "labels", v.Labels, "units", v.Units, "coders", len(v.Coders),
			"agreement", v.Agreement != nil, "cross_validation", v.CV != nil, "cached", cached, "seconds", time.Since(start).Seconds())
	}
	return v, nil
}

// validate fills v, from the validation cache when it holds the figures of
// these labels (cached is then true), and otherwise computes them and
// saves them there (validationcache.go).
func (a aggregator) validate(ctx context.Context, v *reports.Validation) (cached bool, err error) {
	units, stats, err := label.Gold(ctx, a.st, "")
	v.Labels = stats.Labels
	if err != nil {
		return false, err
	}
	v.Units, v.Free = stats.Units, stats.Free
	if len(units) == 0 {
		return false, nil
	}
	var lexicon []byte
	if p := a.cfg.Lexicon; p != "" {
		if lexicon, err = fsread.Read(p, maxLexiconBytes, "file"); err != nil {
			return false, fmt.Errorf("cross-validation: read lexicon %s: %w", p, err)
		}
	}
	db := a.cfg.DatabasePath()
	digest, derr := a.validationDigest(units, stats, lexicon)
	if derr == nil {
		if c, ok := loadValidation(db, digest); ok {
			*v = c
			return true, nil
		}
	} else {
		a.log.Warn("validation figures not cached", "err", a.red.Text(derr.Error()))
	}
	if err := a.computeValidation(ctx, v, units, lexicon); err != nil {
		return false, err
	}
	if derr == nil {
		if err := saveValidation(db, digest, *v); err != nil {
			a.log.Warn("validation figures not cached: the next run computes them again", "err", a.red.Text(err.Error()))
		}
	}
	return false, nil
}

// computeValidation computes v's agreement and cross-validated figures
// from the units; lexicon is the overlay file's bytes (nil for none).
func (a aggregator) computeValidation(ctx context.Context, v *reports.Validation, units []label.GoldUnit, lexicon []byte) error {
	coders := map[string]bool{}
	multi, tagged := 0, 0 // units two or more coders labelled; of them, with a topic ticked
	for _, u := range units {
		ticked := false
		for _, c := range u.Codings {
			if !coders[c.Coder] {
				coders[c.Coder] = true
				v.Coders = append(v.Coders, a.red.Text(c.Coder))
			}
			ticked = ticked || len(c.Topics) > 0
		}
		if u.NCoders >= 2 {
			multi++
			if ticked {
				tagged++
			}
		}
	}
	slices.Sort(v.Coders)
	items, _, err := label.TrainingItems(units)
	if err != nil {
		return err
	}
	posts := map[string]bool{}
	for _, it := range items {
		posts[it.PostID] = true
	}
	v.Posts = len(posts)

	if multi > 0 {
		names := make([]string, len(a.topics))
		for i, t := range a.topics {
			names[i] = t.Name
		}
		ag, err := label.AgreementOf(ctx, units, names, 0)
		if err != nil {
			return fmt.Errorf("agreement: %w", err)
		}
		v.Agreement = a.agreementFigures(ag)
		v.Agreement.Tagged = tagged
	}
	if v.Units < minCVUnits || v.Posts < minCVPosts {
		return nil
	}
	ex, field, err := learned.Examples(items)
	if err != nil {
		return fmt.Errorf("cross-validation: %w", err)
	}
	// The lexicon model `chorus train sentiment --lexicon` builds from the
	// configured overlay, and train's default options (the zero MaxFolds
	// is learned's default of 10, train's --max-folds default): the
	// figures are those that command prints for this store.
	var entries map[string]domain.Entry
	if lexicon != nil {
		if entries, err = domain.ParseLexicon(a.cfg.Lexicon, lexicon); err != nil {
			return fmt.Errorf("cross-validation: %w", err)
		}
	}
	lex, err := domain.New(domain.Options{Lexicon: entries})
	if err != nil {
		return fmt.Errorf("cross-validation: %w", err)
	}
	rep, err := learned.CrossValidate(ctx, lex, ex, learned.Options{Grouping: field})
	if err != nil {
		return fmt.Errorf("cross-validation: %w", err)
	}
	s := rep.Sentiment
	cv := &reports.CVFigures{N: rep.N, Posts: rep.Groups, Folds: rep.Folds, Grouping: field,
		MacroF1: fig(s.MacroF1), Spearman: fig(s.Spearman), Accuracy: fig(s.Accuracy), Majority: fig(rep.Majority),
		Gain: fig(rep.AccuracyGain), Reps: evaluate.BootstrapReps, Seed: evaluate.Seed}
	for _, c := range s.PerClass {
		cv.Recall = append(cv.Recall, reports.ClassFigure{Class: c.Class, Support: c.Support, Recall: fig(s.Recall[c.Class])})
	}
	v.CV = cv
	return nil
}

func (a aggregator) agreementFigures(ag evaluate.Agreement) *reports.AgreementFigures {
	f := &reports.AgreementFigures{Units: ag.Units, Codings: ag.Codings, Coders: len(ag.Coders),
		Nominal: fig(ag.AlphaNominal), Interval: fig(ag.AlphaInterval), TopicMicroF1: fig(ag.TopicMicroF1),
		Reps: ag.Reps, Seed: ag.Seed}
	for _, p := range ag.Pairs {
		f.Pairs = append(f.Pairs, reports.PairFigures{A: a.red.Text(p.A), B: a.red.Text(p.B), N: p.N, Percent: fig(p.Percent), Kappa: fig(p.Kappa)})
	}
	for _, t := range ag.Topics {
		f.Topics = append(f.Topics, reports.TopicFigures{Topic: a.red.Text(t.Topic), Tagged: t.Tagged, F1: fig(t.F1)})
	}
	return f
}

func fig(iv evaluate.Interval) reports.Figure {
	return reports.Figure{Value: iv.Value, Low: iv.Low, High: iv.High}
}
