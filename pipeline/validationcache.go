package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"math"
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
// lexicon is the overlay file's bytes (nil for none).
func (a aggregator) validationDigest(units []label.GoldUnit, stats label.GoldStats, lexicon []byte) ([sha256.Size]byte, error) {
	h := sha256.New()
	exe, err := executableDigest()
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	h.Write(exe[:])
	str := func(s string) {
		binary.Write(h, binary.LittleEndian, int64(len(s)))
		io.WriteString(h, s)
	}
	num := func(v float64) { binary.Write(h, binary.LittleEndian, math.Float64bits(v)) }
	num(float64(minCVUnits))
	num(float64(minCVPosts))
	num(float64(evaluate.BootstrapReps))
	num(float64(evaluate.Seed))
	num(float64(stats.Labels))
	num(float64(stats.Units))
	num(float64(stats.Free))
	num(float64(len(a.topics)))
	for _, t := range a.topics {
		str(t.Name)
	}
	num(float64(len(lexicon)))
	h.Write(lexicon)
	num(float64(len(units)))
	for _, u := range units {
		str(u.ID)
		str(u.SourceFile)
		str(u.Section)
		num(float64(u.Valence))
		num(u.MeanValence)
		str(u.Label)
		str(u.Text)
		str(u.PostID)
		num(float64(u.NCoders))
		flags := 0.0
		if u.Unanimous {
			flags++
		}
		if u.Free {
			flags += 2
		}
		num(flags)
		num(float64(len(u.Topics)))
		for _, t := range u.Topics {
			str(t)
		}
		num(float64(len(u.Codings)))
		for _, c := range u.Codings {
			str(c.Coder)
			num(c.Valence)
			num(float64(len(c.Topics)))
			for _, t := range c.Topics {
				str(t)
			}
		}
	}
	var d [sha256.Size]byte
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
