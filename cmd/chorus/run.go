package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"chorus/corpus"
	"chorus/models/redact"
	"chorus/pipeline"
	"chorus/reports"
)

// runOptions are the flags run and report share, and how they combine
// with a config file.
type runOptions struct {
	configPath, logFormat string
	quiet                 bool
	cpuProfile, traceFile string
	flags                 pipeline.Config
}

// register adds the shared flags; reading adds those only a run that reads
// inputs takes.
func (o *runOptions) register(f *pflag.FlagSet, reading bool) {
	f.StringVar(&o.configPath, "config", "", "TOML config file (see docs/operations.md); flags override it")
	f.StringVarP(&o.flags.Output, "out", "o", "out", "report folder, replaced whole by each good run")
	f.StringVar(&o.flags.Database, "db", "", "SQLite database (default: OUT.db beside the report folder)")
	sentimentFlags(f, &o.flags)
	f.StringVar(&o.flags.Taxonomy, "taxonomy", "", "topic taxonomy TOML file (default: the built-in one)")
	f.StringVar(&o.flags.Period, "period", "month", "aggregation period: day, week or month")
	f.IntVar(&o.flags.ChartDPI, "chart-dpi", reports.DefaultChartDPI, fmt.Sprintf("chart resolution in dots per inch (%d-%d): 16 x 9 inch charts, 1600 x 900 pixels at the default; 300 for print", reports.MinChartDPI, reports.MaxChartDPI))
	f.IntVar(&o.flags.DBCheckDays, "db-check-days", pipeline.DefaultDBCheckDays, "days a database left exactly as the last checked run left it may go unchecked (0: check every run; docs/database.md)")
	f.BoolVar(&o.flags.AllowShrink, "allow-shrink", false, "publish even when this run has no input or far fewer comments than the last (see shrink_limit)")
	f.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "log warnings and errors only")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) of the run to this file")
	f.StringVar(&o.traceFile, "trace", "", "write an execution trace (go tool trace) of the run to this file: where goroutines wait, not only where CPU goes")
	if !reading {
		return
	}
	f.StringArrayVarP(&o.flags.Inputs, "input", "i", nil, "input file or folder (repeatable); default: the bundled sample archive")
	f.StringVar(&o.flags.Format, "format", "auto", formatUsage())
	f.StringVar(&o.flags.Encoding, "encoding", "auto", "how to read files that are not UTF-8 and declare nothing: auto (UTF-8, else Windows-1252, with a warning; a mostly-UTF-8 file has only its stray bytes decoded so), utf-8 (repair with U+FFFD), latin1 or cp1252")
	f.BoolVar(&o.flags.KeepRawText, "keep-raw-text", false, "also keep unredacted comment text in the database (never in exports)")
	f.BoolVar(&o.flags.Rehash, "rehash", false, "read and hash every input, even those whose size and modification time are unchanged")
	f.IntVar(&o.flags.Workers, "workers", 0, "analysis goroutines (default: one per CPU)")
}

// config is the config file's settings (or the defaults), with the flags
// the command line set on top.
func (o *runOptions) config(cmd *cobra.Command) (pipeline.Config, error) {
	cfg := pipeline.DefaultConfig()
	fl := cmd.Flags()
	if o.configPath != "" {
		var err error
		if cfg, err = pipeline.LoadConfig(o.configPath); err != nil {
			return cfg, usageError{err}
		}
		// With no inputs chorus reads its bundled sample: right for a
		// first try with no flags, wrong for a nightly job whose config
		// lost its inputs line.
		if cmd.Name() == "run" && len(cfg.Inputs) == 0 && !fl.Changed("input") {
			return cfg, usagef("config %s names no inputs (inputs = [\"/path/to/archive\"]); chorus runs on its bundled sample only when given no config and no --input", o.configPath)
		}
	}
	set := func(name string, apply func()) {
		if fl.Lookup(name) != nil && fl.Changed(name) {
			apply()
		}
	}
	f := o.flags
	set("input", func() { cfg.Inputs = f.Inputs })
	set("out", func() { cfg.Output = f.Output })
	set("db", func() { cfg.Database = f.Database })
	set("format", func() { cfg.Format = f.Format })
	set("encoding", func() { cfg.Encoding = f.Encoding })
	set("model", func() { cfg.Model = f.Model })
	set("lexicon", func() { cfg.Lexicon = f.Lexicon })
	set("sentiment-model", func() { cfg.SentimentModel = f.SentimentModel })
	set("thresholds", func() { cfg.Thresholds = f.Thresholds })
	set("taxonomy", func() { cfg.Taxonomy = f.Taxonomy })
	set("period", func() { cfg.Period = f.Period })
	set("chart-dpi", func() { cfg.ChartDPI = f.ChartDPI })
	set("db-check-days", func() { cfg.DBCheckDays = f.DBCheckDays })
	set("keep-raw-text", func() { cfg.KeepRawText = f.KeepRawText })
	set("rehash", func() { cfg.Rehash = f.Rehash })
	set("workers", func() { cfg.Workers = f.Workers })
	cfg.AllowShrink = f.AllowShrink
	if err := cfg.Validate(); err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}

// runner builds the runner the flags ask for; stop ends the profiles.
func (o *runOptions) runner() (r *pipeline.Runner, stop func(), err error) {
	level := slog.LevelInfo
	if o.quiet {
		level = slog.LevelWarn
	}
	hopts := &slog.HandlerOptions{Level: level}
	var handler slog.Handler
	switch o.logFormat {
	case "text":
		handler = slog.NewTextHandler(os.Stderr, hopts)
	case "json":
		handler = slog.NewJSONHandler(os.Stderr, hopts)
	default:
		return nil, nil, usagef("--log-format %q: want text or json", o.logFormat)
	}
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	for _, p := range []struct {
		path  string
		start func(string) (func(), error)
	}{{o.cpuProfile, startCPUProfile}, {o.traceFile, startTrace}} {
		if p.path == "" {
			continue
		}
		s, err := p.start(p.path)
		if err != nil {
			stop()
			return nil, nil, err
		}
		stops = append(stops, s)
	}
	// Log lines name files and posts: they are redacted on the way out.
	r = &pipeline.Runner{Log: slog.New(redact.NewHandler(handler, redact.New()))}
	if term.IsTerminal(int(os.Stderr.Fd())) && o.logFormat == "text" {
		r.Progress = os.Stderr
	}
	return r, stop, nil
}

// execute runs fn with the configuration and runner the flags give, and
// prints its summary line.
func (o *runOptions) execute(cmd *cobra.Command, fn func(*pipeline.Runner, context.Context, pipeline.Config) (pipeline.Summary, error)) error {
	cfg, err := o.config(cmd)
	if err != nil {
		return err
	}
	r, stop, err := o.runner()
	if err != nil {
		return err
	}
	defer stop()
	sum, err := fn(r, cmd.Context(), cfg)
	if err != nil {
		return err
	}
	cmd.Println(sum.String())
	return nil
}

func newRunCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run [--input PATH]... [--out DIR] [--db FILE] [--config FILE]",
		Short: "Run the nightly job: read new input, analyse, publish reports",
		Long: `Run the nightly job. With no flags it analyses the bundled synthetic sample
archive and writes out/ (database: out.db beside it).

Inputs are files or folders (read recursively; hidden files skipped). Each
file's format is sniffed from its content (--format forces one): Blogger page
text, flattened dumps, Blogger Atom exports, JSON Lines, WordPress exports
(WXR), Disqus exports and Blogger pages saved as HTML (docs/inputs.md). A folder's
dates.tsv ("file name<TAB>YYYY-MM-DD" per line) dates files whose layout has
no date. A file whose size and modification time are those recorded when it was
last read is not read again (as make and rsync decide); any other file is read and
hashed, and one whose SHA-256 is unchanged is not parsed again. --rehash reads
and hashes every file.
Bad files are quarantined to rejects.csv with the reason; the others proceed.

Reports are written to a staging folder and replace DIR in one step only when
complete: a failed or interrupted run leaves the previous reports as they were.
Email addresses and phone numbers are replaced by [email] and [phone] in every
exported file and, unless --keep-raw-text, in the database too.

A run that finds no input file, or would publish fewer than half the comments
of the last published run (shrink_limit), or finds the database damaged,
publishes nothing and exits 4; --allow-shrink publishes a shrunken archive once.

Flags override the config file. Exit codes: 0 ok, 1 failed, 2 bad usage,
3 another run holds the database or the report folder, 4 refused to publish,
130 interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.execute(cmd, (*pipeline.Runner).Run)
		},
	}
	o.register(cmd.Flags(), true)
	return cmd
}

func newReportCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "report [--out DIR] [--db FILE] [--config FILE]",
		Short: "Rebuild and publish the reports from the database alone",
		Long: `Rebuild the reports from the database, reading no input file: after the
report folder was deleted or damaged, or to publish with another --period.
The models must be those the last run used (every stored comment must have
its analysis under them); otherwise run chorus run. The reports are the bytes
chorus run would publish for the same database and settings.

Exit codes as for chorus run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.execute(cmd, (*pipeline.Runner).Report)
		},
	}
	o.register(cmd.Flags(), false)
	return cmd
}

// formatUsage lists the --format values from the readers themselves.
func formatUsage() string {
	names := []string{"auto"}
	for _, f := range corpus.Formats() {
		names = append(names, string(f))
	}
	return "input format: " + strings.Join(names, ", ") + " (docs/inputs.md)"
}
