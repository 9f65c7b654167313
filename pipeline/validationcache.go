package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"os"

	"chorus/internal/fsread"
	"chorus/models/evaluate"
	"chorus/pipeline/label"
	"chorus/pipeline/store"
	"chorus/reports"
)

// The validation cache: the last validation figures, kept beside the
// database as DB.validation with the digest of everything they were
// computed from.
//
// The figures cross-validate the learned model on the store's hand labels
// and bootstrap every figure: 0.33 CPU-seconds for 120 labels, growing
// with the labels, on every nightly run, although labels change only when
// someone labels. The digest covers the reconciled units (every coding of
// every unit, in order), the topic names, the overlay lexicon's bytes, and
// the chorus executable itself, as Go's build cache names a compiler by
// its own hash: any change to the code that computes the figures is a new
// digest, whatever the version string says. A cache of another digest, or
// one that fails its checksum, is computed again and replaced; deleting
// the file is always safe.

// validationCachePath names the cache of the database db.
func validationCachePath(db string) string { return db + ".validation" }

// maxValidationCacheBytes bounds the read of the cache: figures for a
// thousand coders' pairs are well under 1 MiB.
const maxValidationCacheBytes = 4 << 20

// maxExecutableBytes bounds the read of the executable for its digest.
const maxExecutableBytes = 1 << 30

// validationCache is the cache file's content after its checksum.
type validationCache struct {
	Digest  [sha256.Size]byte
	Figures reports.Validation
}

// validationDigest is the digest of the inputs of the validation figures;
// lexicon is the overlay file's bytes (nil for none). The inputs are gob
// encoded whole, so that a field GoldUnit gains is in the digest without
// anyone remembering to add it (gob writes every exported field; units
// and codings hold no maps, so the encoding is the same for the same
// values).
func (a aggregator) validationDigest(units []label.GoldUnit, stats label.GoldStats, lexicon []byte) ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	exe, err := executableDigest()
	if err != nil {
		return d, err
	}
	topics := make([]string, len(a.topics))
	for i, t := range a.topics {
		topics[i] = t.Name
	}
	h := sha256.New()
	err = gob.NewEncoder(h).Encode(struct {
		Executable               [sha256.Size]byte
		MinUnits, MinPosts, Reps int
		Seed                     uint64
		Stats                    label.GoldStats
		Topics                   []string
		Lexicon                  []byte
		Units                    []label.GoldUnit
	}{exe, minCVUnits, minCVPosts, evaluate.BootstrapReps, uint64(evaluate.Seed), stats, topics, lexicon, units})
	if err != nil {
		return d, fmt.Errorf("digest the validation inputs: %w", err)
	}
	h.Sum(d[:0])
	return d, nil
}

// executableDigest is the SHA-256 of the running executable: the file
// this process runs (runningExecutable), so that a binary replaced while
// the run computes its figures does not lend them its digest.
func executableDigest() ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	path, err := runningExecutable()
	if err != nil {
		return d, fmt.Errorf("find the executable: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return d, fmt.Errorf("read the executable: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return d, fmt.Errorf("read the executable: not a regular file")
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, maxExecutableBytes+1))
	if err != nil {
		return d, fmt.Errorf("read the executable: %w", err)
	}
	if n > maxExecutableBytes {
		return d, fmt.Errorf("read the executable: over %d bytes", maxExecutableBytes)
	}
	h.Sum(d[:0])
	return d, nil
}

// loadValidation returns the cached figures when the cache beside db holds
// figures of digest d and passes its checksum.
func loadValidation(db string, d [sha256.Size]byte) (reports.Validation, bool) {
	// fsread.Open: a named pipe opened as a plain file would block the
	// run, which holds the database's lock, until a writer came.
	f, _, err := fsread.Open(validationCachePath(db))
	if err != nil {
		return reports.Validation{}, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxValidationCacheBytes+1))
	if err != nil || len(b) > maxValidationCacheBytes || len(b) < sha256.Size {
		return reports.Validation{}, false
	}
	sum, body := b[:sha256.Size], b[sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return reports.Validation{}, false
	}
	var c validationCache
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&c); err != nil || c.Digest != d {
		return reports.Validation{}, false
	}
	return c.Figures, true
}

// saveValidation writes v as the figures of digest d beside db: the
// SHA-256 of the gob encoding, then the encoding, into a temporary file
// renamed into place.
func saveValidation(db string, d [sha256.Size]byte, v reports.Validation) error {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(validationCache{Digest: d, Figures: v}); err != nil {
		return fmt.Errorf("save validation figures: %w", err)
	}
	sum := sha256.Sum256(body.Bytes())
	if err := store.WriteFileAtomic(validationCachePath(db), append(sum[:], body.Bytes()...)); err != nil {
		return fmt.Errorf("save validation figures: %w", err)
	}
	return nil
}
