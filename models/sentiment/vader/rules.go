package vader

// Constants of the reference implementation (vaderSentiment, current master),
// empirically derived by its authors; changing any breaks parity.
const (
	bIncr   = 0.293  // booster word increment
	bDecr   = -0.293 // dampener word decrement
	cIncr   = 0.733  // ALL-CAPS emphasis of a word when the text has mixed case
	nScalar = -0.74  // negation flips and shrinks a valence
	alpha   = 15.0   // compound normalisation: x / sqrt(x*x + alpha)
	epIncr  = 0.292  // per exclamation mark, at most four
	qmIncr  = 0.18   // per question mark, two or three of them
	qmMax   = 0.96   // four or more question marks
)

// negateWords are the reference NEGATE list; any word containing "n't"
// negates too.
var negateWords = []string{
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
	"ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
	"dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
	"don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
	"neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
	"oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
	"without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
}

// boosters are the reference single-word intensifiers (+) and dampeners (-).
// Its three two-word entries ("just enough", "kind of", "sort of") live in
// boosterBigram because only the idiom check can see them.
var boosters = map[string]float64{
	"absolutely": bIncr, "amazingly": bIncr, "awfully": bIncr,
	"completely": bIncr, "considerable": bIncr, "considerably": bIncr,
	"decidedly": bIncr, "deeply": bIncr, "effing": bIncr, "enormous": bIncr, "enormously": bIncr,
	"entirely": bIncr, "especially": bIncr, "exceptional": bIncr, "exceptionally": bIncr,
	"extreme": bIncr, "extremely": bIncr,
	"fabulously": bIncr, "flipping": bIncr, "flippin": bIncr, "frackin": bIncr, "fracking": bIncr,
	"fricking": bIncr, "frickin": bIncr, "frigging": bIncr, "friggin": bIncr, "fully": bIncr,
	"fuckin": bIncr, "fucking": bIncr, "fuggin": bIncr, "fugging": bIncr,
	"greatly": bIncr, "hella": bIncr, "highly": bIncr, "hugely": bIncr,
	"incredible": bIncr, "incredibly": bIncr, "intensely": bIncr,
	"major": bIncr, "majorly": bIncr, "more": bIncr, "most": bIncr, "particularly": bIncr,
	"purely": bIncr, "quite": bIncr, "really": bIncr, "remarkably": bIncr,
	"so": bIncr, "substantially": bIncr,
	"thoroughly": bIncr, "total": bIncr, "totally": bIncr, "tremendous": bIncr, "tremendously": bIncr,
	"uber": bIncr, "unbelievably": bIncr, "unusually": bIncr, "utter": bIncr, "utterly": bIncr,
	"very":   bIncr,
	"almost": bDecr, "barely": bDecr, "hardly": bDecr,
	"kinda": bDecr, "kindof": bDecr, "kind-of": bDecr,
	"less": bDecr, "little": bDecr, "marginal": bDecr, "marginally": bDecr,
	"occasional": bDecr, "occasionally": bDecr, "partly": bDecr,
	"scarce": bDecr, "scarcely": bDecr, "slight": bDecr, "slightly": bDecr, "somewhat": bDecr,
	"sorta": bDecr, "sortof": bDecr, "sort-of": bDecr,
}

// Word tags: the handful of words the rules test by identity. A tag is
// looked up once per token so the rules compare small integers instead of
// strings.
const (
	tagNone uint8 = iota
	tagNo
	tagOr
	tagNor
	tagNever
	tagSo
	tagThis
	tagWithout
	tagDoubt
	tagLeast
	tagAt
	tagVery
	tagBut
	tagKind
	tagOf
	// words that only occur in idioms and booster bigrams
	tagThe
	tagShit
	tagBomb
	tagBad
	tagAss
	tagBus
	tagStop
	tagYeah
	tagRight
	tagKiss
	tagDeath
	tagTo
	tagDie
	tagFor
	tagBeating
	tagHeart
	tagBroken
	tagJust
	tagEnough
	tagSort
	numTags
)

var tagWords = map[string]uint8{
	"no": tagNo, "or": tagOr, "nor": tagNor, "never": tagNever, "so": tagSo,
	"this": tagThis, "without": tagWithout, "doubt": tagDoubt, "least": tagLeast,
	"at": tagAt, "very": tagVery, "but": tagBut, "kind": tagKind, "of": tagOf,
	"the": tagThe, "shit": tagShit, "bomb": tagBomb, "bad": tagBad, "ass": tagAss,
	"bus": tagBus, "stop": tagStop, "yeah": tagYeah, "right": tagRight, "kiss": tagKiss,
	"death": tagDeath, "to": tagTo, "die": tagDie, "for": tagFor, "beating": tagBeating,
	"heart": tagHeart, "broken": tagBroken, "just": tagJust, "enough": tagEnough, "sort": tagSort,
}

// pair and triple pack word tags into one switchable key.
func pair(a, b uint8) uint32      { return uint32(a)<<8 | uint32(b) }
func triple(a, b, c uint8) uint32 { return uint32(a)<<16 | uint32(b)<<8 | uint32(c) }

// special2 and special3 are the reference SPECIAL_CASES. Its "badass" entry
// is a single word, and the check only ever joins two or three words, so it
// can never fire and is left out. Tags are nonzero, so a pair never equals
// a triple with a leading untagged word.
func special2(a, b uint8) (float64, bool) {
	switch pair(a, b) {
	case pair(tagThe, tagShit), pair(tagThe, tagBomb):
		return 3, true
	case pair(tagBad, tagAss):
		return 1.5, true
	case pair(tagBus, tagStop):
		return 0, true
	case pair(tagYeah, tagRight):
		return -2, true
	case pair(tagBeating, tagHeart):
		return 3.1, true
	case pair(tagBroken, tagHeart):
		return -2.9, true
	}
	return 0, false
}

func special3(a, b, c uint8) (float64, bool) {
	switch triple(a, b, c) {
	case triple(tagKiss, tagOf, tagDeath):
		return -1.5, true
	case triple(tagTo, tagDie, tagFor):
		return 3, true
	}
	return 0, false
}

// boosterBigram is the reference's two-word booster entries ("just
// enough", "kind of", "sort of"), all dampeners.
func boosterBigram(a, b uint8) (float64, bool) {
	switch pair(a, b) {
	case pair(tagJust, tagEnough), pair(tagKind, tagOf), pair(tagSort, tagOf):
		return bDecr, true
	}
	return 0, false
}

// referencePhrases are the lexicon keys with spaces that the reference
// lexicon itself holds. The reference splits text on whitespace before
// looking words up, so these can never match there; New leaves them
// unmatched to stay exact unless Options.ReferencePhrases asks otherwise.
var referencePhrases = map[string]bool{
	"( '}{' )": true, "can't stand": true, "fed up": true, "screwed up": true,
}
