package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"chorus/pipeline"
)

func newRunCmd() *cobra.Command {
	var (
		configPath string
		logFormat  string
		quiet      bool
		cpuProfile string
		traceFile  string
		flags      pipeline.Config
	)
	cmd := &cobra.Command{
		Use:   "run [--input PATH]... [--out DIR] [--db FILE] [--config FILE]",
		Short: "Run the nightly job: read new input, analyse, publish reports",
		Long: `Run the nightly job. With no flags it analyses the bundled synthetic sample
archive and writes out/ (database: out.db beside it).

Inputs are files or folders (read recursively; hidden files skipped). Each
file's format is sniffed from its content (--format forces one). A folder's
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

Flags override the config file. Exit codes: 0 ok, 1 failed, 2 bad usage,
3 another run holds the database, 130 interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := pipeline.DefaultConfig()
			if configPath != "" {
				var err error
				if cfg, err = pipeline.LoadConfig(configPath); err != nil {
					return usageError{err}
				}
			}
			fl := cmd.Flags()
			if fl.Changed("input") {
				cfg.Inputs = flags.Inputs
			}
			if fl.Changed("out") {
				cfg.Output = flags.Output
			}
			if fl.Changed("db") {
				cfg.Database = flags.Database
			}
			if fl.Changed("format") {
				cfg.Format = flags.Format
			}
			if fl.Changed("model") {
				cfg.Model = flags.Model
			}
			if fl.Changed("lexicon") {
				cfg.Lexicon = flags.Lexicon
			}
			if fl.Changed("sentiment-model") {
				cfg.SentimentModel = flags.SentimentModel
			}
			if fl.Changed("thresholds") {
				cfg.Thresholds = flags.Thresholds
			}
			if fl.Changed("taxonomy") {
				cfg.Taxonomy = flags.Taxonomy
			}
			if fl.Changed("period") {
				cfg.Period = flags.Period
			}
			if fl.Changed("keep-raw-text") {
				cfg.KeepRawText = flags.KeepRawText
			}
			if fl.Changed("rehash") {
				cfg.Rehash = flags.Rehash
			}
			if fl.Changed("workers") {
				cfg.Workers = flags.Workers
			}
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			var handler slog.Handler
			level := slog.LevelInfo
			if quiet {
				level = slog.LevelWarn
			}
			hopts := &slog.HandlerOptions{Level: level}
			switch logFormat {
			case "text":
				handler = slog.NewTextHandler(os.Stderr, hopts)
			case "json":
				handler = slog.NewJSONHandler(os.Stderr, hopts)
			default:
				return usagef("--log-format %q: want text or json", logFormat)
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			if traceFile != "" {
				stop, err := startTrace(traceFile)
				if err != nil {
					return err
				}
				defer stop()
			}
			r := &pipeline.Runner{Log: slog.New(handler)}
			if term.IsTerminal(int(os.Stderr.Fd())) && logFormat == "text" {
				r.Progress = os.Stderr
			}
			sum, err := r.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			cmd.Println(sum.String())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "", "TOML config file (see docs/operations.md); flags override it")
	f.StringArrayVarP(&flags.Inputs, "input", "i", nil, "input file or folder (repeatable); default: the bundled sample archive")
	f.StringVarP(&flags.Output, "out", "o", "out", "report folder, replaced whole by each good run")
	f.StringVar(&flags.Database, "db", "", "SQLite database (default: OUT.db beside the report folder)")
	f.StringVar(&flags.Format, "format", "auto", "input format: auto, atom, jsonl, blogger, flattened")
	sentimentFlags(f, &flags)
	f.StringVar(&flags.Taxonomy, "taxonomy", "", "topic taxonomy TOML file (default: the built-in one)")
	f.StringVar(&flags.Period, "period", "month", "aggregation period: day, week or month")
	f.BoolVar(&flags.KeepRawText, "keep-raw-text", false, "also keep unredacted comment text in the database (never in exports)")
	f.BoolVar(&flags.Rehash, "rehash", false, "read and hash every input, even those whose size and modification time are unchanged")
	f.IntVar(&flags.Workers, "workers", 0, "analysis goroutines (default: one per CPU)")
	f.StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&quiet, "quiet", "q", false, "log warnings and errors only")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) of the run to this file")
	f.StringVar(&traceFile, "trace", "", "write an execution trace (go tool trace) of the run to this file: where goroutines wait, not only where CPU goes")
	return cmd
}
