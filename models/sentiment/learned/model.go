package learned

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"

	"chorus/models/sentiment/domain"
	chorustext "chorus/models/text"
)

// Format is the "format" value of a weights file.
const Format = "chorus-sentiment-learned/1"

// Classes in vector order: the rows of every weight matrix and of the
// confusion matrix.
var Classes = [3]string{"negative", "neutral", "positive"}

// Num is a float64 that JSON-encodes with a fixed number of significant
// digits, so that the same training gives the same bytes (and a file is
// not padded with digits no one can use).
type Num float64

// numDigits is the number of significant digits Num keeps.
const numDigits = 7

// MarshalJSON writes n with numDigits significant digits.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', numDigits, 64), nil
}

// round returns f as it reads back from JSON.
func round(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', numDigits, 64), 64)
	return v
}

// Spec says which features the weights are over and how they were fitted.
type Spec struct {
	Version      string   `json:"version"`
	Dense        []string `json:"dense"`
	HashFunction string   `json:"hash_function"`
	Buckets      int      `json:"buckets"`
	// LambdaLexicon, LambdaDense and LambdaHashed are the L2 penalties on
	// the weight of the lexicon model's compound, on the other
	// (standardised) dense weights and on the hashed weights.
	LambdaLexicon Num `json:"lambda_lexicon"`
	LambdaDense   Num `json:"lambda_dense"`
	LambdaHashed  Num `json:"lambda_hashed"`
	// ClassWeighting is "balanced": each class's items weigh
	// n / (3 · n_class) in the likelihood.
	ClassWeighting string `json:"class_weighting"`
	// LexiconModel is the lexicon model's hash the features were read
	// with (its overlay, rules and thresholds); a different lexicon gives
	// different features, and Score warns through Model.LexiconMatches.
	LexiconModel string `json:"lexicon_model"`
}

// Interval is a figure and its bootstrap 95% interval.
type Interval struct {
	Value Num `json:"value"`
	Low   Num `json:"low"`
	High  Num `json:"high"`
}

// Training describes the labelled file the weights were fitted to.
type Training struct {
	SHA256      string `json:"sha256"`
	Items       int    `json:"items"`
	ClassCounts [3]int `json:"class_counts"`
	Groups      int    `json:"groups"`
	Grouping    string `json:"grouping"` // post_id or source_file
}

// CV holds the cross-validated figures: every item predicted by a model
// fitted on folds that held none of its post's items.
type CV struct {
	Folds     int                 `json:"folds"`
	Method    string              `json:"method"`
	Bootstrap string              `json:"bootstrap"`
	MacroF1   Interval            `json:"macro_f1"`
	Spearman  Interval            `json:"spearman"`
	Accuracy  Interval            `json:"accuracy"`
	Majority  Interval            `json:"majority_baseline_accuracy"`
	Recall    map[string]Interval `json:"recall"`
	// Confusion counts the held-out predictions: rows are the true
	// negative, neutral, positive; columns the predicted ones. Reports
	// use it to adjust label shares for the classifier's error.
	Confusion [3][3]int `json:"confusion"`
}

// File is the JSON form of a trained model.
type File struct {
	Format    string    `json:"format"`
	Features  Spec      `json:"features"`
	Classes   [3]string `json:"classes"`
	Mean      []Num     `json:"dense_mean"`  // standardisation: z = (x - mean) / scale
	Scale     []Num     `json:"dense_scale"` //
	Intercept [3]Num    `json:"intercept"`
	Dense     [3][]Num  `json:"dense_weights"`
	Hashed    [3][]Num  `json:"hashed_weights"`
	Training  Training  `json:"training"`
	CV        CV        `json:"cross_validation"`
}

// Encode writes f as indented JSON with a final newline: the bytes of a
// weights file.
func (f *File) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode weights: %w", err)
	}
	return compactArrays(b.Bytes()), nil
}

// compactArrays puts arrays of numbers on one line each: a weights file
// stays a few dozen lines a person can read, not thousands.
func compactArrays(b []byte) []byte {
	var out bytes.Buffer
	depth := 0 // nesting of arrays being flattened
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '[':
			depth++
			out.WriteByte(c)
			continue
		case c == ']' && depth > 0:
			depth--
			// drop the white space json put before the bracket
			for out.Len() > 0 && (out.Bytes()[out.Len()-1] == ' ' || out.Bytes()[out.Len()-1] == '\n') {
				out.Truncate(out.Len() - 1)
			}
			out.WriteByte(c)
			continue
		case depth > 0 && (c == '\n' || c == ' '):
			// inside an array: collapse line breaks and indentation to
			// one space after a comma
			if out.Len() > 0 && out.Bytes()[out.Len()-1] == ',' {
				out.WriteByte(' ')
			}
			continue
		}
		out.WriteByte(c)
	}
	return out.Bytes()
}

// Parse reads a weights file. Errors say what is wrong; name is the file
// name used in them.
func Parse(name string, data []byte) (*File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("weights %s: %w", name, err)
	}
	if f.Format != Format {
		return nil, fmt.Errorf("weights %s: format %q, want %q", name, f.Format, Format)
	}
	if f.Features.Version != FeatureVersion {
		return nil, fmt.Errorf("weights %s: features %q, this chorus computes %q: retrain with chorus train sentiment", name, f.Features.Version, FeatureVersion)
	}
	if f.Features.HashFunction != HashFunction || f.Features.Buckets != Buckets {
		return nil, fmt.Errorf("weights %s: hashing %s/%d, want %s/%d", name, f.Features.HashFunction, f.Features.Buckets, HashFunction, Buckets)
	}
	if len(f.Features.Dense) != nDense {
		return nil, fmt.Errorf("weights %s: %d dense features, want %d", name, len(f.Features.Dense), nDense)
	}
	for i, n := range f.Features.Dense {
		if n != denseNames[i] {
			return nil, fmt.Errorf("weights %s: dense feature %d is %q, want %q", name, i, n, denseNames[i])
		}
	}
	if f.Classes != Classes {
		return nil, fmt.Errorf("weights %s: classes %v, want %v", name, f.Classes, Classes)
	}
	if len(f.Mean) != nDense || len(f.Scale) != nDense {
		return nil, fmt.Errorf("weights %s: standardisation has %d/%d values, want %d", name, len(f.Mean), len(f.Scale), nDense)
	}
	for k := range 3 {
		if len(f.Dense[k]) != nDense || len(f.Hashed[k]) != Buckets {
			return nil, fmt.Errorf("weights %s: class %s has %d dense and %d hashed weights, want %d and %d",
				name, Classes[k], len(f.Dense[k]), len(f.Hashed[k]), nDense, Buckets)
		}
	}
	for i, s := range f.Scale {
		if !(s > 0) {
			return nil, fmt.Errorf("weights %s: scale of %s is %v, want > 0", name, denseNames[i], float64(s))
		}
	}
	for _, row := range f.CV.Confusion {
		for _, c := range row {
			if c < 0 {
				return nil, fmt.Errorf("weights %s: negative count in the confusion matrix", name)
			}
		}
	}
	return &f, nil
}

// Result is the model's reading of one comment.
type Result struct {
	// Probabilities of negative, neutral, positive.
	Neg, Neu, Pos float64
	// Compound is Pos - Neg.
	Compound float64
	// Label is the most probable class (ties to the earlier class).
	Label string
	// Evidence is the lexicon model's: the words and rules that moved its
	// score, which the learned model weighs.
	Evidence []domain.Evidence
}

// Model scores comments with trained weights. It is immutable and safe for
// concurrent use.
type Model struct {
	lex  *domain.Model
	file *File
	hash string
	// w[k] are class k's weights: intercept, then dense weights divided
	// by the scale, with the mean folded into the intercept.
	icpt   [3]float64
	wd     [3][]float64
	wh     [3][]float64
	pool   sync.Pool // *scratch
	lexMis bool
	// hashedOn is false when every hashed weight is zero (a model trained
	// without the bag of words): Score then skips the hashing.
	hashedOn bool
}

type scratch struct {
	d    domain.Detail
	x    []float64
	idx  []int32
	scan chorustext.Scan // the comment's scan, when the caller did not scan it
}

// New builds a model from weights and the lexicon model whose evidence it
// reads. raw are the bytes of the weights file (hashed for the manifest).
func New(lex *domain.Model, f *File, raw []byte) (*Model, error) {
	if lex == nil || f == nil {
		return nil, errors.New("learned: need a lexicon model and weights")
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", FeatureVersion, lex.Hash())
	h.Write(raw)
	m := &Model{lex: lex, file: f, hash: hex.EncodeToString(h.Sum(nil)), lexMis: f.Features.LexiconModel != lex.Hash()}
	for k := range 3 {
		m.icpt[k] = float64(f.Intercept[k])
		m.wd[k] = make([]float64, nDense)
		for j := range nDense {
			w := float64(f.Dense[k][j]) / float64(f.Scale[j])
			m.wd[k][j] = w
			m.icpt[k] -= w * float64(f.Mean[j])
		}
		m.wh[k] = make([]float64, Buckets)
		for j := range Buckets {
			m.wh[k][j] = float64(f.Hashed[k][j])
			m.hashedOn = m.hashedOn || m.wh[k][j] != 0
		}
	}
	m.pool.New = func() any { return &scratch{x: make([]float64, nDense)} }
	return m, nil
}

// Hash identifies the model: the feature version, the lexicon model's hash
// and the weights file's bytes.
func (m *Model) Hash() string { return m.hash }

// File returns the weights the model was built from (do not modify).
func (m *Model) File() *File { return m.file }

// LexiconMatches reports whether the lexicon model in use is the one the
// weights were trained with. A researcher's --lexicon changes the features
// the weights read; the model still runs, and the pipeline says so.
func (m *Model) LexiconMatches() bool { return !m.lexMis }

// Score reads one comment.
func (m *Model) Score(text string) Result {
	sc := m.pool.Get().(*scratch)
	defer m.put(sc)
	sc.scan.Reset(text)
	return m.score(&sc.scan, sc)
}

// put returns sc to the pool without the comment: the text is dropped, and
// so are the scan's buffers after a comment over a mebibyte, which the
// pool would otherwise keep alive (as the lexicon model's put does).
func (m *Model) put(sc *scratch) {
	if cap(sc.scan.Lower) > 1<<20 {
		sc.scan = chorustext.Scan{}
	}
	sc.scan.Text = ""
	m.pool.Put(sc)
}

// ScoreScan is Score for a comment the caller has scanned: the lexicon
// model reads the scan's fields. The bag of words has its own word
// definition (hashed), read from the text.
func (m *Model) ScoreScan(scan *chorustext.Scan) Result {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	return m.score(scan, sc)
}

func (m *Model) score(scan *chorustext.Scan, sc *scratch) Result {
	text := scan.Text
	r := m.lex.ScoreDetailScan(scan, &sc.d)
	sc.idx = sc.idx[:0]
	cues := func() (int, int) { return cueCounts(text) }
	if m.hashedOn {
		var digits, links int
		sc.idx, digits, links = hashed(sc.idx, text)
		cues = func() (int, int) { return digits, links }
	}
	dense(sc.x, r, &sc.d, cues)
	var z [3]float64
	hw := 0.0
	if len(sc.idx) > 0 {
		hw = 1 / math.Sqrt(float64(len(sc.idx)))
	}
	for k := range 3 {
		s := m.icpt[k]
		for j, x := range sc.x {
			s += m.wd[k][j] * x
		}
		h := 0.0
		for _, b := range sc.idx {
			h += m.wh[k][b]
		}
		z[k] = s + h*hw
	}
	p := softmax(z)
	out := Result{Neg: p[0], Neu: p[1], Pos: p[2], Compound: p[2] - p[0], Evidence: r.Evidence}
	out.Label = Classes[argmax(p)]
	return out
}

// softmax of three scores, shifted by the largest for stability.
func softmax(z [3]float64) [3]float64 {
	mx := math.Max(z[0], math.Max(z[1], z[2]))
	var p [3]float64
	var s float64
	for k := range 3 {
		p[k] = math.Exp(z[k] - mx)
		s += p[k]
	}
	for k := range 3 {
		p[k] /= s
	}
	return p
}

func argmax(p [3]float64) int {
	best := 0
	for k := 1; k < 3; k++ {
		if p[k] > p[best] {
			best = k
		}
	}
	return best
}
