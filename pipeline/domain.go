package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"chorus/internal/fsread"
	"chorus/models/redact"
	"chorus/models/sentiment/domain"
	"chorus/models/sentiment/learned"
	"chorus/models/text"
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

// lexiconModel adapts the hand-built overlay model (models/sentiment/domain),
// run as "--model lexicon" and read by the learned model for its evidence.
type lexiconModel struct {
	m    *domain.Model
	note string // why this model runs when another was asked for
}

// newLexiconModel builds the lexicon model with the configured overlay and
// thresholds. A named thresholds file must exist; the default one is used
// when present.
func newLexiconModel(cfg Config) (*lexiconModel, error) {
	lexicon, err := ReadLexicon(cfg.Lexicon)
	if err != nil {
		return nil, err
	}
	opts := domain.Options{Lexicon: lexicon}
	th, err := readThresholds(cfg.ThresholdsPath())
	switch {
	case err == nil:
		opts.Thresholds = &th
	case cfg.Thresholds == "" && errors.Is(err, fs.ErrNotExist):
		// No calibration yet: the built-in thresholds.
	default:
		return nil, err
	}
	m, err := domain.New(opts)
	if err != nil {
		return nil, err
	}
	return &lexiconModel{m: m}, nil
}

func (d *lexiconModel) Name() string { return "lexicon" }
func (d *lexiconModel) Hash() string { return d.m.Hash() }
func (d *lexiconModel) Note() string { return d.note }

// Confusion is nil: the lexicon model has no cross-validated confusion
// matrix, so reports leave the adjusted shares empty.
func (d *lexiconModel) Confusion() *[3][3]int { return nil }

func (d *lexiconModel) Score(s string) SentimentResult { return lexiconResult(d.m.Score(s)) }

func (d *lexiconModel) ScoreScan(sc *text.Scan) SentimentResult {
	return lexiconResult(d.m.ScoreScan(sc))
}

// lexiconResult is the pipeline's form of the lexicon model's result.
func lexiconResult(r domain.Result) SentimentResult {
	ev := make([]termWeight, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = termWeight{e.Term, e.Weight}
	}
	return SentimentResult{r.Compound, r.Pos, r.Neu, r.Neg, r.Label, formatEvidence(ev, len(ev))}
}

// maxWeightsBytes bounds a weights file (the bundled one is about 45 KB).
const maxWeightsBytes = 64 << 20

// learnedModel adapts the learned model (models/sentiment/learned), run as
// "--model domain", the default.
type learnedModel struct {
	m    *learned.Model
	note string
}

// newDomainModel builds the default model: the learned weights over the
// lexicon model's evidence. The weights are cfg.SentimentModel's, or the
// bundled ones. When the named file is absent, or the binary was built
// without weights, it returns the lexicon model with a note saying so,
// which the run logs and writes into the manifest: a night's run still
// happens, and nobody mistakes its labels for the learned model's.
func newDomainModel(cfg Config) (Sentiment, error) {
	lex, err := newLexiconModel(cfg)
	if err != nil {
		return nil, err
	}
	var f *learned.File
	var raw []byte
	if cfg.SentimentModel != "" {
		raw, err = readWeights(cfg.SentimentModel)
		if errors.Is(err, fs.ErrNotExist) {
			lex.note = fmt.Sprintf("sentiment model %s not found: the lexicon model was used instead of the domain model", redact.New().Text(cfg.SentimentModel))
			return lex, nil
		}
		if err != nil {
			return nil, err
		}
		if f, err = learned.Parse(cfg.SentimentModel, raw); err != nil {
			return nil, err
		}
	} else {
		var ok bool
		if f, raw, ok, err = learned.Bundled(); err != nil {
			return nil, fmt.Errorf("bundled sentiment weights: %w", err)
		} else if !ok {
			lex.note = "this chorus was built without bundled sentiment weights (" + learned.BundledName + "): the lexicon model was used instead of the domain model"
			return lex, nil
		}
	}
	m, err := learned.New(lex.m, f, raw)
	if err != nil {
		return nil, err
	}
	lm := &learnedModel{m: m}
	if !m.LexiconMatches() {
		lm.note = "the sentiment weights were trained with another lexicon model (overlay or thresholds): retrain them with chorus train sentiment --lexicon"
	}
	return lm, nil
}

// readWeights reads a weights file: a regular file of bounded size.
func readWeights(path string) ([]byte, error) {
	b, err := fsread.Read(path, maxWeightsBytes, "weights file")
	if err != nil {
		return nil, fmt.Errorf("sentiment model %s: %w", path, err)
	}
	return b, nil
}

func (d *learnedModel) Name() string { return "domain" }
func (d *learnedModel) Hash() string { return d.m.Hash() }
func (d *learnedModel) Note() string { return d.note }

// Confusion is the weights' cross-validated confusion counts.
func (d *learnedModel) Confusion() *[3][3]int {
	c := d.m.File().CV.Confusion
	return &c
}

// TrainingSHA256 is the SHA-256 of the file the weights were trained on.
func (d *learnedModel) TrainingSHA256() string { return d.m.File().Training.SHA256 }

func (d *learnedModel) Score(s string) SentimentResult { return learnedResult(d.m.Score(s)) }

func (d *learnedModel) ScoreScan(sc *text.Scan) SentimentResult {
	return learnedResult(d.m.ScoreScan(sc))
}

// learnedResult is the pipeline's form of the learned model's result.
func learnedResult(r learned.Result) SentimentResult {
	ev := make([]termWeight, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = termWeight{e.Term, e.Weight}
	}
	return SentimentResult{r.Compound, r.Pos, r.Neu, r.Neg, r.Label, formatEvidence(ev, len(ev))}
}
