package reports

import (
	"math"
	"strconv"
)

// Validation is what the store's hand labels say, as the pipeline computed
// it: how well the coders agree, and how the learned sentiment model's
// training procedure does by grouped cross-validation on this archive's
// reconciled labels. reports reads no store, so it gets the figures as
// they are; every string in it (coder and topic names, Error) is already
// redacted. The zero value means no labels: the page then says so in one
// sentence and the manifest records zero labels.
type Validation struct {
	Labels int      `json:"labels"`     // labels stored, by every coder
	Units  int      `json:"units"`      // the reconciled units they make
	Free   int      `json:"free_units"` // of which texts that match no stored comment
	Posts  int      `json:"posts"`      // posts among the units (a unit without a post counts as one)
	Coders []string `json:"coders"`     // sorted

	// Agreement is nil when no unit is labelled by two or more coders.
	Agreement *AgreementFigures `json:"agreement"`
	// CV is nil when there are fewer than MinUnits units or fewer than
	// MinPosts posts (or on Error).
	CV       *CVFigures `json:"cross_validation"`
	MinUnits int        `json:"cv_min_units"`
	MinPosts int        `json:"cv_min_posts"`

	// Error is set when the figures could not be computed; the run went
	// on without them.
	Error string `json:"error,omitempty"`
}

// Figure is an estimate with its bootstrap 95% interval. NaN (undefined,
// e.g. kappa when every label is one class) is written as null in JSON and
// "–" on the page.
type Figure struct{ Value, Low, High float64 }

// MarshalJSON writes {"value":..,"low":..,"high":..}, NaN as null (JSON
// has no NaN, and one would fail the whole manifest).
func (f Figure) MarshalJSON() ([]byte, error) {
	b := []byte(`{"value":`)
	b = appendJSONFloat(b, f.Value)
	b = append(b, `,"low":`...)
	b = appendJSONFloat(b, f.Low)
	b = append(b, `,"high":`...)
	b = appendJSONFloat(b, f.High)
	return append(b, '}'), nil
}

func appendJSONFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// AgreementFigures are `chorus label agree`'s figures over the units two
// or more coders labelled.
type AgreementFigures struct {
	Units    int            `json:"units"`   // units labelled by two or more coders
	Codings  int            `json:"codings"` // their labels
	Coders   int            `json:"coders"`  // coders among them
	Pairs    []PairFigures  `json:"pairs"`
	Nominal  Figure         `json:"alpha_nominal"`  // Krippendorff's alpha on the three classes
	Interval Figure         `json:"alpha_interval"` // on valence as an interval scale
	Topics   []TopicFigures `json:"topics"`
	// Tagged counts the units on which some coder ticked some topic.
	Tagged       int    `json:"tagged"`
	TopicMicroF1 Figure `json:"topic_micro_f1"`
	Reps         int    `json:"bootstrap_reps"`
	Seed         uint64 `json:"seed"`
}

// PairFigures is one pair of coders' agreement on the three classes.
type PairFigures struct {
	A       string `json:"a"`
	B       string `json:"b"`
	N       int    `json:"units"`
	Percent Figure `json:"percent"` // share of units with the same class, 0 to 1
	Kappa   Figure `json:"kappa"`
}

// TopicFigures is the coders' agreement F1 on one topic.
type TopicFigures struct {
	Topic  string `json:"topic"`
	Tagged int    `json:"tagged"` // units on which at least one coder ticked it
	F1     Figure `json:"f1"`
}

// CVFigures are `chorus train sentiment --db`'s held-out figures.
type CVFigures struct {
	N        int           `json:"units"`
	Posts    int           `json:"posts"`
	Folds    int           `json:"folds"`
	Grouping string        `json:"grouping"` // the field the folds are grouped by
	MacroF1  Figure        `json:"macro_f1"`
	Spearman Figure        `json:"spearman"` // compound against the coders' mean valence
	Accuracy Figure        `json:"accuracy"`
	Majority Figure        `json:"majority_baseline_accuracy"` // each fold's training majority class
	Gain     Figure        `json:"accuracy_minus_baseline"`
	Recall   []ClassFigure `json:"recall"`
	Reps     int           `json:"bootstrap_reps"`
	Seed     uint64        `json:"seed"`
}

// ClassFigure is one class's held-out recall.
type ClassFigure struct {
	Class   string `json:"class"`
	Support int    `json:"support"`
	Recall  Figure `json:"recall"`
}

// figText formats a figure as the commands print it: value [low, high], 3
// decimals, "–" where undefined.
func figText(f Figure) string {
	d := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "–"
		}
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return d(f.Value) + " [" + d(f.Low) + ", " + d(f.High) + "]"
}
