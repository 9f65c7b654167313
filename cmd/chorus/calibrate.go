package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"chorus/models/sentiment/domain"
	"chorus/models/sentiment/learned"
	"chorus/pipeline"
)

func newCalibrateCmd() *cobra.Command {
	cfg := pipeline.DefaultConfig()
	var (
		gold, configPath string
		folds            int
		dryRun           bool
	)
	cmd := &cobra.Command{
		Use:   "calibrate --gold FILE.jsonl [--config FILE | --out DIR | --thresholds FILE]",
		Short: "Choose the lexicon model's label thresholds by grouped cross-validation on your labels",
		Long: `Choose the lexicon model's (--model lexicon) label thresholds (compound <=
negative: negative; >= positive: positive) from your own hand labels (JSON
Lines with text, label, mean_valence, and post_id or source_file), by
cross-validation with folds grouped by post (leave-one-post-out with at most
--folds posts), and print the cross-validated figures: the honest estimate of
how well the chosen thresholds label comments of posts they were not chosen on.

The default model (domain) has no thresholds: it is trained, with the same
grouped folds, by chorus train sentiment.

The thresholds are written to the file chorus run reads: --thresholds FILE, the
config's thresholds key, or else ` + pipeline.ThresholdsFile + ` beside the database
(OUT.db), where chorus run picks it up with no flag. The next run re-labels every
comment, since the thresholds are part of the model's hash.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usagef("--gold is required")
			}
			c := cfg
			if configPath != "" {
				var err error
				if c, err = pipeline.LoadConfig(configPath); err != nil {
					return usageError{err}
				}
				fl := cmd.Flags()
				if fl.Changed("out") {
					c.Output = cfg.Output
				}
				if fl.Changed("db") {
					c.Database = cfg.Database
				}
				if fl.Changed("thresholds") {
					c.Thresholds = cfg.Thresholds
				}
				if fl.Changed("lexicon") {
					c.Lexicon = cfg.Lexicon
				}
			}
			items, _, err := readSentimentGold(gold)
			if err != nil {
				return err
			}
			ex, field, err := learned.Examples(items)
			if err != nil {
				return usagef("%s: %v", gold, err)
			}
			texts := make([]string, len(ex))
			labels := make([]string, len(ex))
			groups := make([]string, len(ex))
			for i, e := range ex {
				texts[i], labels[i], groups[i] = e.Text, e.Label, e.Group
			}
			extra, err := pipeline.ReadLexicon(c.Lexicon)
			if err != nil {
				return err
			}
			th, rep, err := domain.Calibrate(cmd.Context(), texts, labels, groups, domain.Options{Lexicon: extra}, folds)
			if err != nil {
				return err
			}
			cmd.Printf("%d labelled comments, %d folds grouped by %s (a post's comments never in two folds)\n", rep.N, len(rep.Folds), field)
			cmd.Printf("%-5s %5s %9s %9s %9s %9s\n", "fold", "n", "negative", "positive", "macro-F1", "accuracy")
			for _, f := range rep.Folds {
				cmd.Printf("%-5d %5d %9.2f %9.2f %9.3f %9.3f\n", f.Fold, f.N, f.Thresholds.Negative, f.Thresholds.Positive, f.MacroF1, f.Accuracy)
			}
			cmd.Printf("cross-validated (pooled held-out predictions): macro-F1 %.3f, accuracy %.3f\n", rep.MacroF1, rep.Accuracy)
			cmd.Printf("chosen on all %d: negative <= %.2f, positive >= %.2f (built-in: %.2f, %.2f)\n", rep.N, th.Negative, th.Positive,
				domain.DefaultThresholds().Negative, domain.DefaultThresholds().Positive)
			if dryRun {
				return nil
			}
			path := c.ThresholdsPath()
			b, err := domain.FormatThresholds(th)
			if err != nil {
				return fmt.Errorf("write thresholds %s: %w", path, err)
			}
			if err := writeFileAtomic(path, b); err != nil {
				return err
			}
			cmd.Println(fmt.Sprintf("wrote %s; chorus run with this configuration uses it", path))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&gold, "gold", "", "hand labels, JSON Lines with text, label and mean_valence")
	f.IntVar(&folds, "folds", 10, "most cross-validation folds (with no more posts than this: leave-one-post-out)")
	f.StringVar(&configPath, "config", "", "the chorus.toml whose runs should use the thresholds")
	f.StringVarP(&cfg.Output, "out", "o", "out", "report folder of the runs that should use them (the file goes beside OUT.db)")
	f.StringVar(&cfg.Database, "db", "", "database of the runs that should use them (the file goes beside it)")
	f.StringVar(&cfg.Thresholds, "thresholds", "", "write the thresholds to this file instead")
	f.StringVar(&cfg.Lexicon, "lexicon", "", "extra overlay lexicon the runs use")
	f.BoolVar(&dryRun, "dry-run", false, "print the figures, write nothing")
	return cmd
}
