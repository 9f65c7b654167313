// Package reports turns analysed comments into the files researchers read:
// per-period tables (CSV), trend regressions, PNG charts, a self-contained
// HTML page and a manifest.
//
// It knows nothing of models, files or SQL: the pipeline hands it an Input
// whose comments are already scored, tagged and redacted, and Write streams
// them once, so memory grows with the number of periods, posts and topics,
// never with the number of comments.
package reports

import (
	"encoding/json"
	"io"
	"os"
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
}

// Reject is one input file that was quarantined, and why.
type Reject struct{ Path, SHA256, Reason string }

// Topic is one taxonomy entry: Name is the machine name used in column
// names and Comment.Topics, Label the human-readable name used in charts.
type Topic struct{ Name, Label string }

// Event is a dated event the segmented regression tests for a level and a
// slope change. Date is YYYY-MM-DD.
type Event struct{ Date, Name, Description string }

// Input is everything Write needs. Comments must yield in a deterministic
// order (the pipeline sorts them); comments.csv keeps that order, so the
// same input gives the same bytes.
type Input struct {
	Version string  // chorus version, written in every output
	Period  string  // day | week | month
	Topics  []Topic // taxonomy order
	Events  []Event
	Posts   []Post
	// Comments streams the comments: called once per output pass (Write
	// makes one pass today); it must not be assumed to hold them all.
	Comments func(yield func(Comment) bool)
	// Blocks, when set, is told where each post's rows lie in comments.csv
	// written from Comments: byte offset and length, in file order; a post
	// with no rows is not reported.
	Blocks func(postID string, off, n int64)

	// Lean, Resolve and CommentsCSV, set together, replace the one pass
	// over Comments. Lean yields the comments Comments would, in the same
	// order, with only what aggregates read (ID, PostID, PostDate,
	// DateSource, SourceFile, DuplicateOf, Compound, Label, Topics, Ref);
	// Resolve completes the few the page shows whole, given their Refs, in
	// the same order; CommentsCSV writes the whole of comments.csv (see
	// CommentEncoder) and runs beside the aggregation.
	Lean        func(yield func(Comment) bool)
	Resolve     func(refs []int64) ([]Comment, error)
	CommentsCSV func(w CSVWriter) error

	Rejects  []Reject
	Manifest Manifest // provenance filled by the pipeline; Write adds counts and outputs

	// Confusion is the sentiment model's cross-validated confusion counts
	// (rows: true negative, neutral, positive; columns: predicted), or nil
	// when the model has none (vader, lexicon). With it daily.csv carries
	// label shares adjusted for the classifier's error (adjust.go).
	Confusion *[3][3]int
}

// CSVWriter is where Input.CommentsCSV writes comments.csv. CopyRange
// appends n bytes of src from offset off, letting the kernel copy them
// where it can (copy_file_range on Linux) instead of passing them through
// user space; they are still hashed for the manifest.
type CSVWriter interface {
	io.Writer
	CopyRange(src *os.File, off, n int64) error
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
}

// Stage is the time and item count of one pipeline stage.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"` // wall time; varies between runs (excluded from determinism)
	Items   int     `json:"items"`   // what the stage processed (files, comments, rows)
}
