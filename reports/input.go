package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// Comment is one analysed comment as the pipeline hands it over. Text is already redacted.
type Comment struct {
	ID, PostID, PostDate, DateSource, SourceFile, Section, ParentID string // PostDate "YYYY-MM-DD" or ""
	Depth, NTokens, NSentences                                      int
	Compound, Pos, Neu, Neg                                         float64
	Label                                                           string   // negative | neutral | positive
	Evidence                                                        string   // sentiment evidence, e.g. "shambles(-2.1); well said(+1.8)"
	Topics                                                          []string // topic names, taxonomy order
	TopicScores                                                     map[string]float64
	TopicEvidence                                                   string
	DuplicateOf                                                     string // non-empty: kept in comments.csv but left out of every aggregate
	Text                                                            string
	// SourcePostID and SourceCommentID are the archive's own ids of the
	// comment's post and of the comment ("" where the layout has none).
	SourcePostID, SourceCommentID string
	// Ref is the pipeline's handle on the comment, never written out: a
	// lean comment (see Input.Lean) is completed by Input.Resolve from it.
	Ref int64
}

// Post is one blog post. Declared is the comment count the page states, or
// -1 when the layout states none; Found is what the reader parsed (reports
// recomputes found_comments from the comment stream and does not use it).
type Post struct {
	ID, Date, DateSource, Title, SourceFile string
	Declared, Found                         int
	SourceID                                string // the archive's own id of the post; "" for none
}

// Reject is one input file that was quarantined, and why.
type Reject struct{ Path, SHA256, Reason string }

// Warning is a problem met reading an input file that left the rest of it
// readable (corpus.Warning), already redacted: File is the input's name,
// Line and Offset where it was (0 and -1 for none), Kind a short code,
// Count how many times, Problem what was wrong and Action what chorus did.
type Warning struct {
	File            string
	Line            int
	Offset          int64
	Kind            string
	Count           int
	Problem, Action string
}

// Topic is one taxonomy entry: Name is the machine name used in column
// names and Comment.Topics, Label the human-readable name used in charts.
type Topic struct{ Name, Label string }

// Event is a dated event the segmented regression tests for a level and a
// slope change. Date is YYYY-MM-DD.
type Event struct{ Date, Name, Description string }

// Input is everything Write needs. The comments come in three views of one
// sequence, in a deterministic order (the pipeline sorts them), so the same
// input gives the same bytes:
//   - Lean yields every comments.csv row's comment with only what the
//     aggregates read (ID, PostID, PostDate, DateSource, SourceFile,
//     DuplicateOf, Compound, Label, Topics, Ref);
//   - Resolve completes the few the page shows whole, given their Refs, in
//     the same order;
//   - CommentsCSV writes the whole of comments.csv (header and rows, as
//     CommentEncoder encodes them); it runs beside the aggregation.
//
// Memory then grows with the number of periods, posts and topics, never
// with the number of comments. RowsOf builds the three from a slice.
type Input struct {
	Version string  // chorus version, written in every output
	Period  string  // day | week | month
	Topics  []Topic // taxonomy order
	Events  []Event
	Posts   []Post

	Lean        func(yield func(Comment) bool)
	Resolve     func(refs []int64) ([]Comment, error)
	CommentsCSV func(w io.Writer) error

	Rejects  []Reject
	Warnings []Warning // in file order, then in the order they were met
	Manifest Manifest  // provenance filled by the pipeline; Write adds counts and outputs

	// Confusion is the sentiment model's cross-validated confusion counts
	// (rows: true negative, neutral, positive; columns: predicted), or nil
	// when the model has none (vader, lexicon). With it daily.csv carries
	// label shares adjusted for the classifier's error (adjust.go).
	Confusion *[3][3]int

	// Validation is what the store's hand labels say about agreement and
	// the learned model (the zero value: no labels).
	Validation Validation

	// ChartDPI is the charts' resolution in dots per inch (0:
	// DefaultChartDPI). The charts are 16 x 9 inches at any resolution.
	ChartDPI int
}

func (in Input) chartDPI() int {
	if in.ChartDPI == 0 {
		return DefaultChartDPI
	}
	return in.ChartDPI
}

// RowsOf sets in's comment views from comments held in memory, for callers
// (and tests) with few comments: each comment's Ref is its index.
func RowsOf(in *Input, comments []Comment) {
	cs := make([]Comment, len(comments))
	for i, c := range comments {
		c.Ref = int64(i)
		cs[i] = c
	}
	in.Lean = func(yield func(Comment) bool) {
		for _, c := range cs {
			if !yield(c) {
				return
			}
		}
	}
	in.Resolve = func(refs []int64) ([]Comment, error) {
		out := make([]Comment, len(refs))
		for i, r := range refs {
			if r < 0 || r >= int64(len(cs)) {
				return nil, fmt.Errorf("no comment %d", r)
			}
			out[i] = cs[r]
		}
		return out, nil
	}
	version, topics := in.Version, in.Topics
	in.CommentsCSV = func(w io.Writer) error {
		enc := NewCommentEncoder(topics, version)
		row, err := enc.Header()
		if err != nil {
			return err
		}
		if _, err := w.Write(row); err != nil {
			return err
		}
		for _, c := range cs {
			if row, err = enc.Append(row[:0], c); err != nil {
				return err
			}
			if _, err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	}
}

// Manifest is the provenance of a run. The pipeline fills the fields below;
// Write copies them into manifest.json and adds what it computes itself
// (version, period, counts, the list of output files with their hashes).
type Manifest struct {
	StartedAt  string // RFC 3339, UTC; varies between runs (excluded from determinism)
	FinishedAt string // RFC 3339, UTC; may be empty (the pipeline finishes after Write)

	SentimentModel string // "domain", "lexicon" or "vader"
	SentimentNote  string // why that model ran, when not the one asked for; "" otherwise
	ModelVersion   string // version or description of the sentiment model
	LexiconSHA256  string // SHA-256 of the lexicon bytes the model used
	TaxonomySHA256 string // SHA-256 of the topic taxonomy bytes
	ConfigSHA256   string // SHA-256 of the config file bytes ("" when defaults)
	// Config is the effective configuration as JSON (any shape the pipeline
	// chooses). It is embedded verbatim, after compaction.
	Config json.RawMessage

	Inputs []InputFile
	Stages []Stage // pipeline stages in run order; Write appends its own
	// Counts holds counts the pipeline knows and reports cannot see (files
	// discovered, comments deleted or spam, ...). Keys are snake_case.
	Counts map[string]int
}

// InputFile is one input file as the pipeline read it.
type InputFile struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Format   string `json:"format"`
	Posts    int    `json:"posts"`
	Comments int    `json:"comments"`
	Rejects  int    `json:"rejects"`
	Warnings int    `json:"warnings"` // warnings met reading it, counted (see warnings.csv)
}

// Stage is the time and item count of one pipeline stage.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"` // wall time; varies between runs (excluded from determinism)
	Items   int     `json:"items"`   // what the stage processed (files, comments, rows)
}
