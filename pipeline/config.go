package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"chorus/corpus"
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

	// source is the config file's bytes, hashed into the manifest.
	source []byte
	// noSpool makes the reports read every row from the store, as a run
	// without a spool does: tests compare the two.
	noSpool bool
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

// DefaultConfig is what `chorus run` uses with no file and no flags.
func DefaultConfig() Config {
	return Config{Output: "out", Model: "domain", Period: "month", Events: DefaultEvents()}
}

// LoadConfig reads a chorus.toml over the defaults. Unknown keys are an
// error naming them: a misspelt key silently ignored would run a night's
// job with the wrong settings.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := os.ReadFile(path)
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
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var keys []string
		for _, k := range und {
			keys = append(keys, k.String())
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

// Validate checks values a run cannot start with.
func (c *Config) Validate() error {
	if c.Output == "" {
		return errors.New("no output folder")
	}
	if _, err := corpus.ParseFormat(c.Format); err != nil {
		return err
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
