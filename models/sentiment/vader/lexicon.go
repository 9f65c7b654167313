package vader

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jonreiter/govader/data"
)

// Asset names inside the govader data package. We use only its data: its
// engine differs from the reference in several rules and is slow.
const (
	lexiconAsset = "rawdata/vaderLexicon.txt"
	emojiAsset   = "rawdata/emojiUTF8Lexicon.txt"
)

// missingEntries are in the current reference lexicon but not in the copy the
// govader module ships; without them "heart" and "hearts" (and every emoji
// whose description uses them) would score neutral.
var missingEntries = map[string]float64{"heart": 3.2, "hearts": 3.3}

// Lexicon maps a word, or a multi-word phrase (lowercase, single spaces), to
// its valence on VADER's -4..+4 scale. Words are matched against the
// lowercased, punctuation-stripped token, so a single-word key with capitals
// never matches (as in the reference, whose ":D" entry is dead); phrases are
// normalised by New and match case-insensitively.
type Lexicon map[string]float64

// builtin holds the parsed data, built once on first use and never mutated
// afterwards: parsing costs a few milliseconds and every Analyzer shares it.
var builtin = sync.OnceValues(func() (*builtinData, error) {
	lex, err := parseLexicon()
	if err != nil {
		return nil, err
	}
	emoji, err := parseEmoji()
	if err != nil {
		return nil, err
	}
	return &builtinData{lexicon: lex, emoji: emoji}, nil
})

type builtinData struct {
	lexicon Lexicon
	// emoji maps a single code point to its textual description. The
	// reference walks the text one code point at a time, so entries made of
	// several code points (flags, skin tones, ZWJ sequences) never match and
	// are left out.
	emoji map[rune]string
}

// DefaultLexicon returns the reference VADER lexicon (govader's copy plus the
// two entries it lacks). Each call returns a fresh copy the caller may modify,
// e.g. to lay a domain overlay on top before calling New.
func DefaultLexicon() (Lexicon, error) {
	b, err := builtin()
	if err != nil {
		return nil, err
	}
	return maps.Clone(b.lexicon), nil
}

// parseLexicon reads the lexicon the way the reference make_lex_dict does:
// first two tab-separated fields, later duplicates overriding earlier ones.
func parseLexicon() (Lexicon, error) {
	raw, err := data.Asset(lexiconAsset)
	if err != nil {
		return nil, fmt.Errorf("read vader lexicon asset %s: %w", lexiconAsset, err)
	}
	lex := make(Lexicon, 7600)
	for n, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(strings.TrimSpace(line), "\t")
		if len(fields) < 2 {
			return nil, fmt.Errorf("vader lexicon line %d: want word<TAB>valence, got %q", n+1, line)
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return nil, fmt.Errorf("vader lexicon line %d: valence of %q: %w", n+1, fields[0], err)
		}
		lex[fields[0]] = v
	}
	for w, v := range missingEntries {
		lex[w] = v
	}
	return lex, nil
}

// parseEmoji reads the emoji lexicon (emoji<TAB>description per line).
func parseEmoji() (map[rune]string, error) {
	raw, err := data.Asset(emojiAsset)
	if err != nil {
		return nil, fmt.Errorf("read vader emoji asset %s: %w", emojiAsset, err)
	}
	out := make(map[rune]string, 1300)
	for n, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		fields := strings.Split(strings.TrimSpace(line), "\t")
		if len(fields) < 2 {
			return nil, fmt.Errorf("vader emoji lexicon line %d: want emoji<TAB>description, got %q", n+1, line)
		}
		r, size := utf8.DecodeRuneInString(fields[0])
		if size != len(fields[0]) || r == utf8.RuneError {
			continue // several code points: unreachable in the reference
		}
		out[r] = fields[1]
	}
	return out, nil
}
