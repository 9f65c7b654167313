package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"chorus/models/sentiment/domain"
)

// ThresholdsFile is the name `chorus calibrate` writes beside the database
// and `chorus run` picks up from there when no thresholds file is named.
const ThresholdsFile = "chorus-thresholds.toml"

// ThresholdsPath is where this configuration's thresholds live: the named
// file, or ThresholdsFile in the database's folder.
func (c *Config) ThresholdsPath() string {
	if c.Thresholds != "" {
		return c.Thresholds
	}
	return filepath.Join(filepath.Dir(c.DatabasePath()), ThresholdsFile)
}

// domainModel adapts the probation-domain model.
type domainModel struct{ m *domain.Model }

// newDomainModel builds the domain model with the configured overlay and
// thresholds. A named thresholds file must exist; the default one is used
// when present.
func newDomainModel(cfg Config) (*domainModel, error) {
	opts := domain.Options{Lexicon: cfg.Lexicon}
	path := cfg.ThresholdsPath()
	th, err := domain.ReadThresholds(path)
	switch {
	case err == nil:
		opts.Thresholds = &th
	case cfg.Thresholds == "" && errors.Is(err, fs.ErrNotExist):
		// No calibration yet: the built-in thresholds.
	default:
		return nil, fmt.Errorf("thresholds: %w", err)
	}
	m, err := domain.New(opts)
	if err != nil {
		return nil, err
	}
	return &domainModel{m}, nil
}

func (d *domainModel) Name() string { return "domain" }
func (d *domainModel) Hash() string { return d.m.Hash() }

func (d *domainModel) Score(s string) SentimentResult {
	r := d.m.Score(s)
	ev := make([]termWeight, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = termWeight{e.Term, e.Weight}
	}
	return SentimentResult{r.Compound, r.Pos, r.Neu, r.Neg, r.Label, formatEvidence(ev, len(ev))}
}
