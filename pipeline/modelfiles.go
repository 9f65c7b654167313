package pipeline

import (
	"fmt"

	"chorus/internal/fsread"
	"chorus/models/sentiment/domain"
	"chorus/models/topics"
)

// The files an operator names for the models are read here, each through
// fsread.Read (a regular file only, and no more than its limit), and handed
// to the models as bytes: the models know nothing of files. Each limit is
// far above any real file of its kind and far below what would hurt the
// run; docs/operations.md "Size limits" lists them with the others.
const (
	// maxTaxonomyBytes bounds a taxonomy: the bundled one is about 23 KB
	// for a dozen topics, so 4 MiB is room for well over a thousand.
	maxTaxonomyBytes = 4 << 20
	// maxLexiconBytes bounds a --lexicon overlay: the built-in overlay is
	// about 38 KB and the whole VADER lexicon about 420 KB, so 8 MiB is
	// room for many times the lexicon itself.
	maxLexiconBytes = 8 << 20
	// maxThresholdsBytes bounds a thresholds file: two numbers and two
	// comment lines, some 200 bytes, so 64 KiB is generous.
	maxThresholdsBytes = 64 << 10
)

// ReadTaxonomy reads and parses the taxonomy file at path (the config's
// taxonomy key, `chorus eval topics --taxonomy`, `chorus train topics`).
// Errors name the file.
func ReadTaxonomy(path string) (*topics.Taxonomy, error) {
	data, err := fsread.Read(path, maxTaxonomyBytes, "file")
	if err != nil {
		return nil, fmt.Errorf("read taxonomy %s: %w", path, err)
	}
	return topics.Parse(path, data)
}

// ReadLexicon reads and parses the overlay lexicon at path (--lexicon, the
// config's lexicon key) for domain.Options.Lexicon; "" is none, nil.
// Errors name the file (and the line, for a malformed one).
func ReadLexicon(path string) (map[string]domain.Entry, error) {
	if path == "" {
		return nil, nil
	}
	data, err := fsread.Read(path, maxLexiconBytes, "file")
	if err != nil {
		return nil, fmt.Errorf("read lexicon %s: %w", path, err)
	}
	return domain.ParseLexicon(path, data)
}

// readThresholds reads and parses the thresholds file at path. A missing
// file's error matches fs.ErrNotExist, which newLexiconModel takes for "not
// calibrated yet" when the file is the default one.
func readThresholds(path string) (domain.Thresholds, error) {
	data, err := fsread.Read(path, maxThresholdsBytes, "file")
	if err != nil {
		return domain.Thresholds{}, fmt.Errorf("read thresholds %s: %w", path, err)
	}
	return domain.ParseThresholds(path, data)
}
