package synth

// The figures in this file were measured on the five real blog dumps in
// shared/corpus/seeds (167 counted comments in 5 posts), read with the
// corpus readers as a run reads them and measured with the Measurer in
// shape.go; the bands come from the same comments sorted by length. Only
// numbers are kept: no text of the seeds is in the repository.
// TestSeedFiguresMatchSeeds measures the seeds afresh and fails when any of
// these differs, so they are re-measured, never edited by hand. Run it with
//
//	go test -run TestSeedFiguresMatchSeeds -v ./corpus/synth/
//
// (it skips when ../shared is absent).

// SeedShape is the seeds' Shape. `chorus gen` prints it beside the
// generated archive's.
var SeedShape = Shape{
	Comments:       167,
	Posts:          5,
	Length:         Lengths{Mean: 468.92, Median: 312, P90: 1008, P99: 2580, Max: 3569},
	Sentences:      5.012,
	MultiParagraph: 0.251,
	Paragraphs:     1.808,
	TimeRefs:       0.132,
	Quotes:         0.096,
	URLs:           0.042,
	Replies:        0.577,
	Excerpts:       0.222,
	PerPost:        33.4,
}

// seedLengthPoints and seedLengths are the nearest-rank quantiles of the
// seeds' comment lengths in bytes: seedLengths[i] is the
// seedLengthPoints[i]-quantile. The real shape draws lengths from the
// piecewise-linear distribution through them.
var (
	seedLengthPoints = []float64{0, .05, .1, .15, .2, .25, .3, .35, .4, .45, .5, .55, .6, .65, .7, .75, .8, .85, .9, .95, .99, 1}
	seedLengths      = []int{13, 44, 69, 88, 112, 143, 182, 227, 243, 264, 312, 397, 434, 486, 524, 610, 701, 829, 1008, 1402, 2580, 3569}
)

// lengthBand is what the seeds' comments of one fifth of the length range
// (sorted by length) look like inside.
type lengthBand struct {
	upTo int // the longest comment of the band, in bytes
	// bytesPerSentence is the band's bytes over its sentences
	// (countSentences), for its single- and its multi-paragraph comments:
	// short comments have short sentences, and a comment of several
	// paragraphs has more, shorter ones (a paragraph may be a line or two).
	single, multiPara float64
	multi             float64 // share with two or more paragraphs
	parasOfMulti      float64 // mean paragraphs of those
}

// seedBands are the seeds' comments in five bands of 33 or 34 comments.
var seedBands = []lengthBand{
	{upTo: 106, single: 38.1, multiPara: 46.0, multi: 0.030, parasOfMulti: 2.00},
	{upTo: 241, single: 84.2, multiPara: 43.1, multi: 0.091, parasOfMulti: 2.67},
	{upTo: 431, single: 88.2, multiPara: 84.8, multi: 0.206, parasOfMulti: 2.86},
	{upTo: 681, single: 106.5, multiPara: 84.1, multi: 0.242, parasOfMulti: 3.75},
	{upTo: 3569, single: 118.9, multiPara: 98.4, multi: 0.676, parasOfMulti: 5.09},
}

// Threads in the seeds: of 55 top-level thread comments, 27 have replies,
// 75 replies among them (2.78 each). The real shape follows a top-level
// comment with a reply with probability seedRepliedShare, and a reply with
// another with seedReplyRun, which gives runs of that mean length.
const (
	seedRepliedShare = 27.0 / 55
	seedReplyRun     = 1 - 27.0/75 // 1 - 1/(mean replies per replied comment)
)

// Links and sign-offs: 7 of the seeds' comments hold a link (hasURL), 6 of
// them on a line of its own; 3 end with a signature the readers take as
// the author.
const (
	seedLinks       = 7
	seedLinksOwn    = 6
	seedSignedOff   = 3
	seedCountedComm = 167
)

// seedPostComments are the counted comments of the five seed posts. Five
// posts show where the bulk lies, not the tails: the real shape draws a
// post's comments from the log-normal with these counts' log mean and log
// standard deviation.
var seedPostComments = []int{49, 23, 31, 20, 44}
