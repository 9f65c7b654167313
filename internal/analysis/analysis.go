package analysis

// Status says whether a comment is analysed. Deleted and spam comments are
// counted (a researcher may want to know how many there were) but their text
// is never scored, tagged or exported.
type Status string

const (
	StatusPublished Status = "published"
	StatusDeleted   Status = "deleted"
	StatusSpam      Status = "spam"
	// StatusOversize marks a comment over the per-comment size limit: kept
	// as a count, its text dropped, never analysed.
	StatusOversize Status = "oversize"
)

// Published reports whether a comment of status s was published: an empty
// status is published too (readers that know no status leave it empty, and
// the store writes it as published).
func Published(s Status) bool { return s == "" || s == StatusPublished }

// Counted is the rule of which comments count: a published comment that
// does not duplicate an earlier comment of its post. A counted comment is
// analysed and takes part in every aggregate; a duplicate is exported (its
// row shows what it duplicates) but counted once, as its original; deleted,
// spam and oversize comments are only counted per post. The store keeps the
// same rule in SQL (store.countedSQL), and a test holds the two equal.
func Counted(s Status, duplicateOf string) bool { return Published(s) && duplicateOf == "" }

// Analysis is everything the models said of one comment, as the store keeps
// it under one analysis key.
type Analysis struct {
	// Seq and CommentID name the comment: copy both from its CommentText.
	// Seq is the comment's row in the store, which keys the analyses so
	// that saving them appends rather than scatters; CommentID is checked
	// against it.
	Seq           int64
	CommentID     string
	NTokens       int
	NSentences    int
	Compound      float64
	Pos           float64
	Neu           float64
	Neg           float64
	Label         string             // negative | neutral | positive
	Evidence      string             // what drove the score, as the sentiment model words it
	Topics        []string           // topic names, stored ';'-joined, so names must not contain ';'
	TopicScores   map[string]float64 // per topic, stored as a JSON object with sorted keys
	TopicEvidence string
}

// CommentText is a comment waiting for analysis: where it is stored, its
// id, and its stored (redacted) text.
type CommentText struct {
	Seq    int64 // copy into Analysis.Seq
	ID     string
	PostID string
	Text   string
	// Prior, when set, is the comment's analysis under an earlier key that
	// differs from the current one only in the taxonomy: its token and
	// sentence counts and its sentiment fields stand, and only the topics
	// need computing again. nil otherwise.
	Prior *Analysis
}
