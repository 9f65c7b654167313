package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"chorus/corpus"
	"chorus/internal/fsread"
	"chorus/models/redact"
	"chorus/reports"
)

// Event is a dated event the trend fits test for a change of level and slope.
type Event struct {
	Date        string `toml:"date" json:"date"` // YYYY-MM-DD
	Name        string `toml:"name" json:"name"`
	Description string `toml:"description" json:"description"`
}

// Config is a run's configuration: a chorus.toml file, then flags on top.
// Relative paths in a config file are relative to the file's folder, so a
// cron job can run from any directory.
type Config struct {
	// Inputs are files or folders (read recursively). Empty: the bundled
	// sample archive.
	Inputs []string `toml:"inputs" json:"inputs"`
	// Output is the report folder, replaced whole at the end of a good run.
	Output string `toml:"output" json:"output"`
	// Database is the SQLite store; "" means OUTPUT.db beside the folder.
	Database string `toml:"database" json:"database"`
	// Format forces one reader for every input: "" or "auto" sniffs.
	Format string `toml:"format" json:"format"`
	// Encoding says how to read files that are not UTF-8 and declare
	// nothing: "" or "auto" (UTF-8, else Windows-1252 with a warning; a
	// mostly-UTF-8 file has only its stray bytes decoded so),
	// "utf-8", "latin1" or "cp1252" (corpus.Options.Encoding).
	Encoding string `toml:"encoding" json:"encoding"`
	// Model is the sentiment model: "domain" (default: the learned model,
	// models/sentiment/learned), "lexicon" (the hand-built overlay model
	// it reads its evidence from) or "vader" (reference VADER).
	Model string `toml:"model" json:"model"`
	// SentimentModel is a weights file written by `chorus train sentiment`
	// for the domain model ("" the bundled weights).
	SentimentModel string `toml:"sentiment_model" json:"sentiment_model"`
	// Lexicon is an extra overlay for the lexicon model, and so for the
	// domain model's features ("" none).
	Lexicon string `toml:"lexicon" json:"lexicon"`
	// Thresholds is a file written by `chorus calibrate` for the lexicon
	// model's labels ("" the built-in ones).
	Thresholds string `toml:"thresholds" json:"thresholds"`
	// Taxonomy is a topic taxonomy file ("" the built-in one).
	Taxonomy string `toml:"taxonomy" json:"taxonomy"`
	// Period rolls daily aggregates up: "day", "week" or "month".
	Period string  `toml:"period" json:"period"`
	Events []Event `toml:"events" json:"events"`
	// KeepRawText stores the unredacted comment text in the database
	// (never in exported files). Off by default.
	KeepRawText bool `toml:"keep_raw_text" json:"keep_raw_text"`
	// MaxFileBytes and MaxCommentBytes bound input sizes (0: defaults).
	MaxFileBytes    int64 `toml:"max_file_bytes" json:"max_file_bytes"`
	MaxCommentBytes int   `toml:"max_comment_bytes" json:"max_comment_bytes"`
	// Rehash reads and hashes every input even when its size and
	// modification time are those recorded when it was last read.
	Rehash bool `toml:"rehash" json:"rehash"`
	// Workers analyse comments in parallel; 0 means one per CPU.
	Workers int `toml:"workers" json:"workers"`
	// FollowSymlinks follows symbolic links that lead out of an input
	// folder; off, such a link is refused (listed in rejects.csv).
	FollowSymlinks bool `toml:"follow_symlinks" json:"follow_symlinks"`
	// ShrinkLimit: a run that would publish fewer counted comments than
	// this share of the last published run's refuses to publish (0.5 by
	// default; see Runner.Run). AllowShrink, a flag only, overrides it for
	// one run.
	ShrinkLimit float64 `toml:"shrink_limit" json:"shrink_limit"`
	AllowShrink bool    `toml:"-" json:"allow_shrink"`
	// OutputMode is the permission of the published folder and, less the
	// execute bits, of its files, as an octal string ("0750"); "" follows
	// the umask, as any program that creates files does.
	OutputMode string `toml:"output_mode" json:"output_mode"`
	// KeepAnalyses is how many analysis keys (model, lexicon, thresholds and
	// taxonomy combinations) keep their analyses in the store: the current
	// one and the most recently used others, so that switching back to a
	// recent model costs nothing (DefaultKeepAnalyses by default). Older
	// keys' analyses are deleted after a run publishes: each key holds a
	// row per comment, and the integrity check before publishing reads
	// every page of the file. 0 keeps every key.
	KeepAnalyses int `toml:"keep_analyses" json:"keep_analyses"`
	// ChartDPI is the charts' resolution: they are 16 x 9 inches, 1600 x
	// 900 pixels at the default of 100; 300 prints sharply on a page.
	// 0 means the default (and is left out of the manifest's config, so
	// that manifests stay as they were before the setting existed).
	ChartDPI int `toml:"chart_dpi" json:"chart_dpi,omitempty"`
	// DBCheckDays is how many days a run may go without SQLite's
	// quick_check of the database when the file is exactly as the last
	// checked run left it (same size and modification time: see
	// store.CheckStamp); any other file is checked. 0 checks on every run.
	// It changes no figure, only when the file is read whole, so it is not
	// in the manifest.
	DBCheckDays int `toml:"db_check_days" json:"-"`

	// source is the config file's bytes, hashed into the manifest.
	source []byte
	// noWarm builds no report rows while storing, so that every post's rows
	// are encoded from the store: tests compare the two.
	noWarm bool
	// removeAll, when set, replaces os.RemoveAll for staging folders and
	// the previous reports: tests make removal fail, which permissions
	// cannot do for root.
	removeAll func(string) error
}

// DefaultEvents are the Transforming Rehabilitation milestones the trend
// fits test by default.
func DefaultEvents() []Event {
	return []Event{
		{"2014-06-01", "split", "Probation split into the National Probation Service and 21 Community Rehabilitation Companies"},
		{"2015-02-01", "share sale", "CRCs transferred to their new private and voluntary-sector owners"},
		{"2018-07-27", "early termination", "Ministry of Justice announces CRC contracts will end early, in 2020"},
		{"2019-05-16", "reunification announced", "Government announces offender management will return to the National Probation Service"},
		{"2021-06-26", "reunification", "CRCs' work transferred back into the unified Probation Service"},
	}
}

// DefaultShrinkLimit is the share of the last published run's comments
// below which a run refuses to publish.
const DefaultShrinkLimit = 0.5

// DefaultKeepAnalyses keeps the current analysis key and two earlier ones.
const DefaultKeepAnalyses = 3

// DefaultDBCheckDays: an unchanged database is checked at least weekly.
const DefaultDBCheckDays = 7

// MaxDBCheckDays bounds db_check_days: a year.
const MaxDBCheckDays = 366

// DefaultConfig is what `chorus run` uses with no file and no flags.
func DefaultConfig() Config {
	return Config{Output: "out", Model: "domain", Period: "month", Events: DefaultEvents(), ShrinkLimit: DefaultShrinkLimit, KeepAnalyses: DefaultKeepAnalyses,
		DBCheckDays: DefaultDBCheckDays}
}

// maxConfigBytes bounds a chorus.toml: a full one with every key and a
// long events list is a few KB, so 1 MiB is a wrong file (or a pipe or a
// device, which fsread.Read refuses outright), not a configuration.
const maxConfigBytes = 1 << 20

// LoadConfig reads a chorus.toml over the defaults. Unknown keys are an
// error naming them: a misspelt key silently ignored would run a night's
// job with the wrong settings. Only a regular file of at most
// maxConfigBytes is read.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := fsread.Read(path, maxConfigBytes, "file")
	if err != nil {
		return cfg, fmt.Errorf("read config %s: %w", path, err)
	}
	cfg.Events = nil
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return cfg, fmt.Errorf("config %s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		if m := typeErr.FindStringSubmatch(err.Error()); m != nil {
			return cfg, fmt.Errorf("config %s:%s: %s must be %s, not %s", path, m[1], m[2], tomlType(m[4]), tomlType(m[3]))
		}
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		known := configKeys()
		var keys []string
		for _, k := range und {
			msg := k.String()
			if s := closest(k.String(), known); s != "" {
				msg += " (did you mean " + s + "?)"
			}
			keys = append(keys, msg)
		}
		return cfg, fmt.Errorf("config %s: unknown key(s): %s", path, strings.Join(keys, ", "))
	}
	if !md.IsDefined("events") {
		cfg.Events = DefaultEvents()
	}
	cfg.source = data
	base := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	for i := range cfg.Inputs {
		cfg.Inputs[i] = rel(cfg.Inputs[i])
	}
	cfg.Output, cfg.Database = rel(cfg.Output), rel(cfg.Database)
	cfg.Lexicon, cfg.Thresholds, cfg.Taxonomy = rel(cfg.Lexicon), rel(cfg.Thresholds), rel(cfg.Taxonomy)
	cfg.SentimentModel = rel(cfg.SentimentModel)
	return cfg, nil
}

// typeErr matches the TOML decoder's type errors, which name the line,
// the key and both types in Go's terms.
var typeErr = regexp.MustCompile(`line (\d+) \(last key "([^"]+)"\): incompatible types: TOML value has type (\w+); destination has type (\w+)`)

// tomlType words a type of typeErr for a researcher editing the file.
func tomlType(t string) string {
	switch t {
	case "string":
		return "a string in quotes"
	case "int64", "integer":
		return "a whole number"
	case "float64", "float":
		return "a number"
	case "bool", "boolean":
		return "true or false"
	case "slice", "array":
		return `a list in brackets (["a", "b"])`
	case "map", "struct", "table":
		return "a table"
	}
	return t
}

// configKeys lists the keys a config file may have, from Config's tags and
// Event's (events.date ...).
func configKeys() []string {
	var keys []string
	add := func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			if tag := t.Field(i).Tag.Get("toml"); tag != "" && tag != "-" {
				keys = append(keys, prefix+tag)
			}
		}
	}
	add(reflect.TypeFor[Config](), "")
	add(reflect.TypeFor[Event](), "events.")
	return keys
}

// closest returns the known key nearest to key, within two edits (or the
// known key with the same last part), or "" when none is near.
func closest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Validate checks values a run cannot start with.
func (c *Config) Validate() error {
	if c.Output == "" {
		return errors.New("no output folder")
	}
	if err := checkOutput(c.Output); err != nil {
		return err
	}
	// Publishing replaces the report folder whole: an input or the
	// database inside it would be deleted by the first good run.
	outAbs, err := filepath.Abs(c.Output)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", c.Output, err)
	}
	for _, in := range c.Inputs {
		if a, err := filepath.Abs(in); err == nil && (within(a, outAbs) || insideFolder(a, outAbs)) {
			return fmt.Errorf("input %s lies inside the output folder %s, which every run replaces whole", in, c.Output)
		}
	}
	if a, err := filepath.Abs(c.DatabasePath()); err == nil && (within(a, outAbs) || insideFolder(filepath.Dir(a), outAbs)) {
		return fmt.Errorf("database %s lies inside the output folder %s, which every run replaces whole", c.DatabasePath(), c.Output)
	}
	if c.Workers < 0 {
		return fmt.Errorf("workers %d: want 0 (one per CPU) or more", c.Workers)
	}
	if c.MaxFileBytes < 0 || c.MaxCommentBytes < 0 {
		return fmt.Errorf("max_file_bytes and max_comment_bytes must not be negative (0 means the default)")
	}
	if fi, err := os.Stat(c.Output); err == nil && !fi.IsDir() {
		return fmt.Errorf("output folder %s exists and is not a folder", c.Output)
	}
	if c.KeepAnalyses < 0 {
		return fmt.Errorf("keep_analyses %d: want 0 (keep every key) or more", c.KeepAnalyses)
	}
	if d := c.DBCheckDays; d < 0 || d > MaxDBCheckDays {
		return fmt.Errorf("db_check_days %d: want 0 (check every run) to %d", d, MaxDBCheckDays)
	}
	if d := c.ChartDPI; d != 0 && (d < reports.MinChartDPI || d > reports.MaxChartDPI) {
		return fmt.Errorf("chart_dpi %d: want %d to %d (0 means %d)", d, reports.MinChartDPI, reports.MaxChartDPI, reports.DefaultChartDPI)
	}
	if c.ShrinkLimit < 0 || c.ShrinkLimit > 1 || math.IsNaN(c.ShrinkLimit) {
		return fmt.Errorf("shrink_limit %v: want a share between 0 and 1", c.ShrinkLimit)
	}
	if _, err := c.outputMode(); err != nil {
		return err
	}
	if _, err := corpus.ParseFormat(c.Format); err != nil {
		return err
	}
	if c.Encoding != "" && !slices.Contains(corpus.Encodings(), c.Encoding) {
		return fmt.Errorf("unknown encoding %q (want %s)", c.Encoding, strings.Join(corpus.Encodings(), ", "))
	}
	switch c.Model {
	case "domain", "lexicon", "vader":
	default:
		return fmt.Errorf("unknown model %q (want domain, lexicon or vader)", c.Model)
	}
	switch c.Period {
	case "day", "week", "month":
	default:
		return fmt.Errorf("unknown period %q (want day, week or month)", c.Period)
	}
	for i, e := range c.Events {
		if !corpus.ValidDate(e.Date) {
			return fmt.Errorf("event %d (%q): date %q is not YYYY-MM-DD", i+1, e.Name, e.Date)
		}
	}
	return nil
}

// checkOutput refuses report folders a run must never replace: the root of
// a file system (the database would be "/.db"), the current folder or its
// parent. Publishing swaps the whole folder, so any of these would take
// unrelated files with it.
func checkOutput(out string) error {
	clean := filepath.Clean(out)
	abs, err := filepath.Abs(clean)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", out, err)
	}
	if clean == "." || clean == ".." || strings.HasSuffix(clean, string(filepath.Separator)+"..") || filepath.Dir(abs) == abs {
		return fmt.Errorf("output folder %q: chorus replaces the whole folder on every run; name a folder of its own (such as reports)", out)
	}
	return nil
}

// within tells whether p is dir or lies below it (both absolute, clean).
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// insideFolder reports whether p, or a folder above it, is the existing
// folder dir as the file system sees it: through symbolic links, a case
// that differs on a case-insensitive file system (macOS, Windows), or a
// bind mount, none of which within's comparison of names sees. "state"
// linked to "out" puts state/chorus.db inside out.
func insideFolder(p, dir string) bool {
	di, err := os.Stat(dir)
	if err != nil || !di.IsDir() {
		return false // a folder not made yet: within's comparison is all there is
	}
	for a := p; ; {
		if ai, err := os.Stat(a); err == nil && os.SameFile(ai, di) {
			return true
		}
		up := filepath.Dir(a)
		if up == a {
			return false
		}
		a = up
	}
}

// outputMode parses OutputMode: 0 for the umask's.
func (c *Config) outputMode() (os.FileMode, error) {
	if c.OutputMode == "" {
		return 0, nil
	}
	v, err := strconv.ParseUint(c.OutputMode, 8, 32)
	if err != nil || v == 0 || v > 0o777 {
		return 0, fmt.Errorf("output_mode %q: want an octal permission such as 0755 or 0750", c.OutputMode)
	}
	if v&0o700 != 0o700 {
		return 0, fmt.Errorf("output_mode %q: chorus must keep read, write and search permission on its own folder (0700)", c.OutputMode)
	}
	return os.FileMode(v), nil
}

// effective is the configuration as a run applies it, for the manifest:
// defaults filled in (the database path, the size limits) and every path
// redacted, since a folder may be named after a person.
func (c Config) effective(red *redact.Redactor) Config {
	e := c
	e.Database = c.DatabasePath()
	if e.MaxFileBytes <= 0 {
		e.MaxFileBytes = corpus.DefaultMaxFileSize
	}
	if e.MaxCommentBytes <= 0 {
		e.MaxCommentBytes = corpus.DefaultMaxCommentBytes
	}
	// Every string the config holds passes the redactor, found by
	// reflection so that a setting added later cannot be forgotten (the
	// sentiment model's path once was): paths first of all, and also event
	// names and descriptions, which the config's author wrote.
	redactStrings(reflect.ValueOf(&e).Elem(), red)
	if e.Inputs == nil {
		e.Inputs = []string{} // the manifest has always written [], not null
	}
	return e
}

// redactStrings replaces every exported string in v (a struct, slice or
// string, followed through slices and structs) with its redaction.
func redactStrings(v reflect.Value, red *redact.Redactor) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(red.Text(v.String()))
		}
	case reflect.Slice:
		if v.Len() == 0 || !v.CanSet() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v) // a copy: the caller's config shares the backing array
		for i := range c.Len() {
			redactStrings(c.Index(i), red)
		}
		v.Set(c)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				redactStrings(v.Field(i), red)
			}
		}
	}
}

// DatabasePath is where the store lives: Database, or OUTPUT.db beside the
// output folder. It is not inside the folder because the folder is replaced
// whole when a run publishes its reports.
func (c *Config) DatabasePath() string {
	if c.Database != "" {
		return c.Database
	}
	out := filepath.Clean(c.Output)
	return out + ".db"
}
