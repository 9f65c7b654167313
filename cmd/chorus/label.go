package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"chorus/models/redact"
	"chorus/models/topics"
	"chorus/pipeline/label"
	"chorus/pipeline/store"
)

// defaultLabelDB is the database `chorus run` writes with no flags.
const defaultLabelDB = "out.db"

func newLabelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "label",
		Short: "Hand-label comments: sample, label in the browser, import, agree, export the gold set",
		Long: `The labelling workbench (docs/labelling.md): choose comments to label, label
them one at a time in a local web page, import labels made elsewhere, measure
the agreement between coders, and export the gold set that chorus eval and
chorus train read. Labels live in the database (tables labels and
label_sample) and survive every later run.`,
	}
	cmd.AddCommand(newLabelSampleCmd(), newLabelServeCmd(), newLabelImportCmd(), newLabelExportCmd(), newLabelAgreeCmd())
	return cmd
}

func newLabelSampleCmd() *cobra.Command {
	var (
		db   string
		opts label.SampleOptions
	)
	cmd := &cobra.Command{
		Use:   "sample [--db DB] [--n 100] [--strategy stratified] [--seed 1]",
		Short: "Choose comments to label and add them to the labelling queue",
		Long: `Choose up to --n counted comments that are neither queued nor labelled by
anyone, and append them to the queue that chorus label serve shows.

  random      uniformly at random
  stratified  evenly over months (of the post date) and, within a month, over posts
  uncertain   the smallest margin between the two largest of the current
              analysis's pos, neu and neg (the model's class probabilities)

The same store, strategy, --n and --seed choose the same comments.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := label.OpenStore(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := label.Sample(cmd.Context(), st, opts)
			if err != nil {
				return usageOr(err, "sample: n must", "sample: strategy")
			}
			cmd.Printf("sampled %d of %d candidate comments (%s, seed %d; %d left out as queued or labelled already)\n",
				res.Chosen, res.Candidates, opts.Strategy, opts.Seed, res.Excluded)
			if res.Chosen > 0 {
				cmd.Printf("batch %d spans %d months and %d posts; the queue now holds %d comments\n", res.Batch, res.Periods, res.Posts, res.Queued)
			}
			if res.Key != "" {
				cmd.Printf("margins read from analysis key %s\n", short(res.Key))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&db, "db", defaultLabelDB, "chorus database")
	f.IntVarP(&opts.N, "n", "n", 100, "how many comments")
	f.StringVar(&opts.Strategy, "strategy", label.Stratified, "random, stratified or uncertain")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed chooses the same comments")
	f.StringVar(&opts.Key, "key", "", "analysis key for uncertain (default: the current one)")
	return cmd
}

func newLabelServeCmd() *cobra.Command {
	var (
		db, addr, taxonomy string
		opts               label.ServerOptions
	)
	cmd := &cobra.Command{
		Use:   "serve --coder NAME [--db DB] [--addr 127.0.0.1:0] [--guide GUIDE.md]",
		Short: "Label the queue in the browser, one comment at a time",
		Long: `Serve the labelling page on this machine and print its address, which carries
a random token: open it in a browser. Keys 1-5 set the valence (-2 .. +2) and
move on, letters tick topics, arrows go back and skip. Labels are saved as you
go; each coder sees only their own. Ctrl-C stops the server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tax, st, err := openForCoder(cmd, opts.Coder, taxonomy, db)
			if err != nil {
				return err
			}
			defer st.Close()
			opts.Taxonomy, opts.Redact = tax, redact.New().Text
			opts.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
			s, err := label.NewServer(cmd.Context(), st, opts)
			if err != nil {
				return err
			}
			if !label.IsLoopback(addr) {
				fmt.Fprintf(os.Stderr, "chorus: warning: %s is reachable from other machines; anyone with the address can label as %s\n", addr, opts.Coder)
			}
			if s.Missing() > 0 {
				fmt.Fprintf(os.Stderr, "chorus: %d queued comments are no longer in the store and are left out\n", s.Missing())
			}
			return label.Serve(cmd.Context(), s, addr, func(url string) {
				cmd.Printf("labelling %d comments as %s: open\n  %s\n(Ctrl-C to stop; labels are saved as you go)\n", s.Units(), opts.Coder, url)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Coder, "coder", "", "your name as a coder (letters, digits, . _ -)")
	f.StringVar(&db, "db", defaultLabelDB, "chorus database")
	f.StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	f.StringVar(&opts.Guide, "guide", "", "the coding guide, a Markdown file, one click away on every page")
	f.StringVar(&taxonomy, "taxonomy", "", "taxonomy TOML file whose topics coders tick (default: the built-in one)")
	return cmd
}

func newLabelImportCmd() *cobra.Command {
	var db, coder, taxonomy string
	cmd := &cobra.Command{
		Use:   "import --coder NAME FILE.jsonl",
		Short: "Import one coder's labels from JSON Lines",
		Long: `Each line is an object with "text" (or "comment_id"), "valence" (-2..2) and
"topics" (names from the taxonomy, [] for none), and optionally "note". A line
is matched to a stored comment by comment_id, or by its text compared as
duplicates are (case and white space aside); a text that matches none is kept
as a free unit. A bad line fails the whole import, naming FILE:LINE, and
nothing is stored. Importing again replaces the coder's earlier labels.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tax, st, err := openForCoder(cmd, coder, taxonomy, db)
			if err != nil {
				return err
			}
			defer st.Close()
			sum, err := label.Import(cmd.Context(), st, coder, args[0], tax, redact.New().Text)
			if err != nil {
				return err
			}
			cmd.Println(sum.String())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&coder, "coder", "", "whose labels these are")
	f.StringVar(&db, "db", defaultLabelDB, "chorus database")
	f.StringVar(&taxonomy, "taxonomy", "", "taxonomy TOML file the topics must come from (default: the built-in one)")
	return cmd
}

func newLabelExportCmd() *cobra.Command {
	var db, coder, out string
	cmd := &cobra.Command{
		Use:   "export --out FILE.jsonl [--coder NAME]",
		Short: "Write the gold set: the coders' labels reconciled, in the format chorus eval reads",
		Long: `One line per unit: id, source_file, section, valence (the median), mean_valence
(the mean, 3 decimals), label (the class most coders' valences fall in; a tie:
neutral), topics (those ticked by more than half the coders), text, post_id,
n_coders and unanimous. --coder exports one coder's labels as they are. Free
units are exported too, with empty source_file, section and post_id.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required")
			}
			if coder != "" {
				if err := label.ValidCoder(coder); err != nil {
					return usageError{err}
				}
			}
			st, err := label.OpenStore(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			stats, err := label.Export(cmd.Context(), st, coder, out)
			if err != nil {
				return err
			}
			cmd.Printf("wrote %s: %d units from %d labels (%d free units", out, stats.Units, stats.Labels, stats.Free)
			if stats.Missing > 0 {
				cmd.Printf(", %d whose comment is no longer stored", stats.Missing)
			}
			if stats.Reattached > 0 {
				cmd.Printf(", %d free labels matched to comments stored since", stats.Reattached)
			}
			cmd.Println(")")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "the gold file to write (JSON Lines)")
	f.StringVar(&coder, "coder", "", "export only this coder's labels")
	f.StringVar(&db, "db", defaultLabelDB, "chorus database")
	return cmd
}

func newLabelAgreeCmd() *cobra.Command {
	var (
		db, taxonomy string
		top          int
	)
	cmd := &cobra.Command{
		Use:   "agree [--db DB] [--top 10]",
		Short: "Agreement between coders: percent, Cohen's kappa, Krippendorff's alpha, topic F1",
		Long: `For the units two or more coders labelled: per pair of coders, percentage
agreement and Cohen's kappa on the three classes; Krippendorff's alpha,
nominal on the classes and interval on valence; per topic, agreement F1; each
with a bootstrap 95% interval over units; then the units the coders disagree
on most, for adjudication.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tax, err := loadTaxonomy(taxonomy)
			if err != nil {
				return err
			}
			st, err := label.OpenStore(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			var names []string
			for _, t := range tax.Topics() {
				names = append(names, t.Name)
			}
			ag, err := label.Agreement(cmd.Context(), st, names, top)
			if err != nil {
				return err
			}
			cmd.Print(ag.String())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&db, "db", defaultLabelDB, "chorus database")
	f.StringVar(&taxonomy, "taxonomy", "", "taxonomy TOML file whose topics to report (default: the built-in one)")
	f.IntVar(&top, "top", 10, "how many of the most disagreed units to list")
	return cmd
}

// openForCoder checks --coder (required) and loads the taxonomy and the
// store, as the commands that write one coder's labels need.
func openForCoder(cmd *cobra.Command, coder, taxonomy, db string) (*topics.Taxonomy, *store.Store, error) {
	if coder == "" {
		return nil, nil, usagef("--coder is required")
	}
	if err := label.ValidCoder(coder); err != nil {
		return nil, nil, usageError{err}
	}
	tax, err := loadTaxonomy(taxonomy)
	if err != nil {
		return nil, nil, err
	}
	st, err := label.OpenStore(cmd.Context(), db)
	if err != nil {
		return nil, nil, err
	}
	return tax, st, nil
}

// usageOr marks err as a usage error (exit 2) when its message starts with
// one of prefixes: a bad flag value found by the package, not a failure.
func usageOr(err error, prefixes ...string) error {
	for _, p := range prefixes {
		if strings.HasPrefix(err.Error(), p) {
			return usageError{err}
		}
	}
	return err
}
