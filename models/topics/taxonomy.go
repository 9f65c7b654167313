package topics

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed default.toml
var defaultTOML []byte

// DefaultName is the name the embedded taxonomy reports in errors and
// manifests.
const DefaultName = "default.toml"

// Topic is a topic as researchers see it: its key, chart label and meaning.
type Topic struct {
	Name        string
	Label       string
	Description string
}

// Taxonomy is a parsed, validated taxonomy file. It is immutable.
type Taxonomy struct {
	name   string
	src    []byte
	topics []topicDef
	// windowScale multiplies every rule's window (window_scale, default
	// 1): the one context setting chorus train topics chooses by
	// cross-validation, as it chooses thresholds.
	windowScale float64
}

// topicDef is one validated topic as written in the file.
type topicDef struct {
	Topic
	threshold float64
	terms     []weighted // single words, sorted by text
	phrases   []weighted // multi-word, sorted by text
	excludes  []string
	rules     []ruleDef
}

type weighted struct {
	text   string
	weight float64
}

// ruleDef is a context rule: the term or phrase it governs only counts where
// the rule holds. Several rules for one term are alternatives.
type ruleDef struct {
	match          string
	caseMode       string // "", "upper", "lower", "title"
	unlessShouting bool
	near, notNear  []string
	window         int
}

// DefaultWindow is the context window, in words either side, of a rule that
// does not set one.
const DefaultWindow = 6

// Window scales outside [MinWindowScale, MaxWindowScale] are refused: a
// quarter of the written window already makes most rules look at the next
// word only, and four times it looks across whole sentences.
const (
	MinWindowScale = 0.25
	MaxWindowScale = 4
)

// scaledWindow is a rule's window written as w under scale f: rounded to
// the nearest word, never under 1 or over 50.
func scaledWindow(w int, f float64) int {
	return max(1, min(50, int(math.Round(float64(w)*f))))
}

// file and fileTopic mirror the TOML layout (documented in doc.go).
type file struct {
	WindowScale *float64    `toml:"window_scale"`
	Topics      []fileTopic `toml:"topic"`
}

type fileTopic struct {
	Name        string             `toml:"name"`
	Label       string             `toml:"label"`
	Description string             `toml:"description"`
	Threshold   *float64           `toml:"threshold"`
	Terms       map[string]float64 `toml:"terms"`
	Phrases     map[string]float64 `toml:"phrases"`
	Excludes    []string           `toml:"excludes"`
	Rules       []fileRule         `toml:"rule"`
}

type fileRule struct {
	Match          string   `toml:"match"`
	Case           string   `toml:"case"`
	UnlessShouting bool     `toml:"unless_shouting"`
	Near           []string `toml:"near"`
	NotNear        []string `toml:"not_near"`
	Window         *int     `toml:"window"`
}

var topicNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Default returns the taxonomy embedded in the binary (default.toml).
func Default() (*Taxonomy, error) {
	return Parse(DefaultName, defaultTOML)
}

// Parse parses and validates taxonomy source; name labels errors. Every
// error names the line of the file it concerns.
func Parse(name string, data []byte) (*Taxonomy, error) {
	var f file
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("taxonomy %s: line %d: %s", name, pe.Position.Line, pe.Message)
		}
		// Type mismatches come back as plain errors that already say
		// "toml: line N (last key ...)".
		return nil, fmt.Errorf("taxonomy %s: %w", name, err)
	}
	loc := locator{src: data}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		last := k[len(k)-1]
		return nil, fmt.Errorf("taxonomy %s: line %d: unknown key %q (known: window_scale, name, label, description, threshold, terms, phrases, excludes, rule.match, rule.case, rule.unless_shouting, rule.near, rule.not_near, rule.window)",
			name, loc.keyLine(last), k.String())
	}
	if len(f.Topics) == 0 {
		return nil, fmt.Errorf("taxonomy %s: line 1: no [[topic]] tables", name)
	}
	t := &Taxonomy{name: name, src: append([]byte(nil), data...), windowScale: 1}
	if f.WindowScale != nil {
		if v := *f.WindowScale; !(v >= MinWindowScale && v <= MaxWindowScale) {
			return nil, fmt.Errorf("taxonomy %s: line %d: window_scale must be %g..%g (got %g)", name, loc.keyLine("window_scale"), float64(MinWindowScale), float64(MaxWindowScale), v)
		}
		t.windowScale = *f.WindowScale
	}
	seen := map[string]bool{}
	for i, ft := range f.Topics {
		def, err := validateTopic(i, ft, &loc)
		if err != nil {
			return nil, fmt.Errorf("taxonomy %s: %w", name, err)
		}
		if seen[def.Name] {
			return nil, fmt.Errorf("taxonomy %s: line %d: topic %q defined twice", name, loc.topicLine(i, ""), def.Name)
		}
		seen[def.Name] = true
		t.topics = append(t.topics, def)
	}
	return t, nil
}

// validateTopic checks one topic table and returns its definition.
func validateTopic(i int, ft fileTopic, loc *locator) (topicDef, error) {
	bad := func(needle, format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return fmt.Errorf("line %d: topic %d (%q): %s", loc.topicLine(i, needle), i+1, ft.Name, msg)
	}
	if !topicNameRE.MatchString(ft.Name) {
		return topicDef{}, bad("name", "name must be lower-case letters, digits and _ (got %q)", ft.Name)
	}
	def := topicDef{Topic: Topic{Name: ft.Name, Label: ft.Label, Description: strings.TrimSpace(ft.Description)}, threshold: 1}
	if def.Label == "" {
		def.Label = ft.Name
	}
	if ft.Threshold != nil {
		if *ft.Threshold <= 0 {
			return def, bad("threshold", "threshold must be > 0 (got %g)", *ft.Threshold)
		}
		def.threshold = *ft.Threshold
	}
	if len(ft.Terms)+len(ft.Phrases) == 0 {
		return def, bad("", "no terms and no phrases")
	}
	known := map[string]string{} // stem sequence -> term as written
	// dup rejects a second term with the same stems: it would match the
	// same words twice and its weight would be a silent surprise.
	dup := func(k string) error {
		nk := normKey(k)
		if prev, ok := known[nk]; ok {
			return bad(k, "%q and %q have the same stem %q: keep one", prev, k, nk)
		}
		known[nk] = k
		return nil
	}
	for _, k := range sortedKeys(ft.Terms) {
		w := ft.Terms[k]
		if n := len(wordsOf(k)); n != 1 {
			return def, bad(k, "term %q must be one word (it has %d); put it under phrases", k, n)
		}
		if w <= 0 {
			return def, bad(k, "weight of %q must be > 0 (got %g)", k, w)
		}
		if err := dup(k); err != nil {
			return def, err
		}
		def.terms = append(def.terms, weighted{k, w})
	}
	for _, k := range sortedKeys(ft.Phrases) {
		w := ft.Phrases[k]
		if n := len(wordsOf(k)); n < 2 {
			return def, bad(k, "phrase %q must have two or more words; put it under terms", k)
		}
		if w <= 0 {
			return def, bad(k, "weight of %q must be > 0 (got %g)", k, w)
		}
		if err := dup(k); err != nil {
			return def, err
		}
		def.phrases = append(def.phrases, weighted{k, w})
	}
	for _, x := range ft.Excludes {
		if len(wordsOf(x)) == 0 {
			return def, bad("excludes", "exclude %q has no words", x)
		}
		def.excludes = append(def.excludes, x)
	}
	for j, fr := range ft.Rules {
		r := ruleDef{match: fr.Match, caseMode: fr.Case, unlessShouting: fr.UnlessShouting, window: DefaultWindow}
		badRule := func(key, format string, args ...any) error {
			msg := fmt.Sprintf(format, args...)
			return fmt.Errorf("line %d: topic %d (%q): rule %d: %s", loc.ruleLine(i, j, key), i+1, ft.Name, j+1, msg)
		}
		if fr.Match == "" {
			return def, badRule("", "no match")
		}
		if _, ok := known[normKey(fr.Match)]; !ok {
			return def, badRule("match", "governs %q, which is not one of this topic's terms or phrases", fr.Match)
		}
		switch fr.Case {
		case "", "any":
			r.caseMode = ""
		case "upper", "lower", "title":
		default:
			return def, badRule("case", "case must be upper, lower, title or any (got %q)", fr.Case)
		}
		if fr.Window != nil {
			if *fr.Window < 1 || *fr.Window > 50 {
				return def, badRule("window", "window must be 1..50 (got %d)", *fr.Window)
			}
			r.window = *fr.Window
		}
		for _, key := range []string{"near", "not_near"} {
			lst := fr.Near
			if key == "not_near" {
				lst = fr.NotNear
			}
			for _, w := range lst {
				if len(wordsOf(w)) == 0 {
					return def, badRule(key, "%s entry %q has no words", key, w)
				}
			}
		}
		r.near, r.notNear = fr.Near, fr.NotNear
		def.rules = append(def.rules, r)
	}
	return def, nil
}

// Hash returns the SHA-256 (hex) of the taxonomy's source bytes, so a run
// manifest records exactly which taxonomy tagged it.
func (t *Taxonomy) Hash() string {
	sum := sha256.Sum256(t.src)
	return hex.EncodeToString(sum[:])
}

// WindowScale returns the factor every rule's window is multiplied by.
func (t *Taxonomy) WindowScale() float64 { return t.windowScale }

// withWindowScale returns a copy of t whose rule windows are scaled by f
// instead: the variants CrossValidate compares. Its source and hash are
// still t's, so it must not tag a run.
func (t *Taxonomy) withWindowScale(f float64) *Taxonomy {
	c := *t
	c.windowScale = f
	return &c
}

// Name returns the file name the taxonomy was parsed as.
func (t *Taxonomy) Name() string { return t.name }

// Topics returns the topics in file order.
func (t *Taxonomy) Topics() []Topic {
	out := make([]Topic, len(t.topics))
	for i, d := range t.topics {
		out[i] = d.Topic
	}
	return out
}

// wordsOf splits a taxonomy string into its stems, exactly as text is
// split at tagging time.
func wordsOf(s string) []string {
	var tz tokenizer
	var out []string
	for _, tk := range tz.tokenize(s, nil) {
		out = append(out, string(tz.normalise(s[tk.start:tk.end])))
	}
	return out
}

// normKey is the stem sequence of s joined by spaces.
func normKey(s string) string { return strings.Join(wordsOf(s), " ") }

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// locator finds the line of a key in taxonomy source, because BurntSushi's
// MetaData keeps key positions private: errors about values (not syntax)
// would otherwise name no line.
type locator struct {
	src   []byte
	lines []string
}

func (l *locator) init() {
	if l.lines == nil {
		l.lines = strings.Split(string(l.src), "\n")
	}
}

// topicLine returns the 1-based line in topic i's section that mentions
// needle (quoted or bare), or the topic's [[topic]] header line.
func (l *locator) topicLine(i int, needle string) int {
	l.init()
	n, header := -1, 1
	for ln, line := range l.lines {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "[[topic]]") {
			n++
			if n == i {
				header = ln + 1
			}
			if n > i {
				break
			}
			continue
		}
		if n == i && needle != "" && mentions(trim, needle) {
			return ln + 1
		}
	}
	return header
}

// keyLine returns the first line mentioning key, or 1.
func (l *locator) keyLine(key string) int {
	l.init()
	for ln, line := range l.lines {
		if mentions(strings.TrimSpace(line), key) {
			return ln + 1
		}
	}
	return 1
}

// mentions reports whether line defines key needle (bare or quoted) or
// holds it as a quoted string, as in a list or a rule's match.
func mentions(line, needle string) bool {
	if strings.HasPrefix(line, "#") {
		return false
	}
	if strings.HasPrefix(needle, "[") {
		return strings.HasPrefix(line, needle)
	}
	return strings.Contains(line, `"`+needle+`"`) || strings.HasPrefix(line, needle+" ") ||
		strings.HasPrefix(line, needle+"=")
}

// ruleLine returns the line of key in rule j of topic i, or the line of
// that rule's [[topic.rule]] header, or the topic's header.
func (l *locator) ruleLine(i, j int, key string) int {
	l.init()
	n, r, at := -1, -1, 0
	for ln, line := range l.lines {
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "[[topic]]"):
			n++
			if n > i {
				return max(at, l.topicLine(i, ""))
			}
		case n == i && strings.HasPrefix(trim, "[[topic.rule]]"):
			r++
			if r == j {
				at = ln + 1
			} else if r > j {
				return at
			}
		case n == i && r == j && strings.HasPrefix(trim, "["):
			return at
		case n == i && r == j && key != "" && mentions(trim, key):
			return ln + 1
		}
	}
	return max(at, l.topicLine(i, ""))
}
