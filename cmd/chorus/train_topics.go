package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"chorus/models/redact"
	"chorus/models/topics"
	"chorus/pipeline"
)

func newTrainTopicsCmd() *cobra.Command {
	var gold, taxonomy, out string
	var maxFolds int
	cmd := &cobra.Command{
		Use:   "topics --gold FILE.jsonl [--taxonomy FILE] [--folds K] [--out FILE.toml]",
		Short: "Choose the topics' thresholds and the rules' window scale by grouped cross-validation; print held-out precision and recall",
		Long: `Choose each topic's threshold (the score a comment needs to be tagged) from
hand labels: a JSON Lines file with text, topics, and post_id or source_file.

It cross-validates with folds grouped by post (post_id when every item has
one, else source_file): one post's comments are never in two folds, and with
at most --folds posts each post is a fold (leave-one-post-out). On the other
folds it chooses each topic's threshold from a fixed grid (` + gridText() + `)
by that topic's F1, ties going to the taxonomy's own threshold; a topic with no
labelled comment in the training folds keeps the taxonomy's. It does so under
each window scale of {` + scaleText() + `} (every context rule's window times
it) and keeps the scale whose thresholds give the best micro-F1 on those
folds, ties going to the taxonomy's own (window_scale, default 1): one setting
for all rules, not one per rule, which a few dozen comments could not choose
without fitting them. The held-out fold is tagged with that scale and its
thresholds, and the pooled held-out predictions give
micro- and macro-F1 and each topic's precision and recall with bootstrap 95%
intervals: the figures to quote. The taxonomy's own thresholds on the same
comments are printed for comparison, marked in-sample (a taxonomy is written
looking at its labelled comments), and so is the held-out micro-F1 with the
scale fixed at each value, to show how much the choice matters. Only thresholds
and the window scale are chosen: weights, phrases and rules stay as written.

The thresholds and scale to use are chosen on every comment. --out writes a
copy of the taxonomy (the --taxonomy file, or the built-in one) with them set,
every comment kept; pass it to chorus run, eval or label with --taxonomy.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usagef("--gold is required")
			}
			if maxFolds < 2 {
				return usagef("--folds must be at least 2 (got %d)", maxFolds)
			}
			red := redact.New()
			items, err := readTopicsGold(gold)
			if err != nil {
				return err
			}
			if len(items) == 0 {
				return fmt.Errorf("%s: no labelled items", gold)
			}
			tax, tg, err := loadTagger(taxonomy)
			if err != nil {
				return err
			}
			res, err := topics.CrossValidate(cmd.Context(), tg, items, topics.CVOptions{MaxFolds: maxFolds})
			if err != nil {
				return usagef("%s: %v", gold, err)
			}
			var src []byte
			if out != "" {
				// Before printing, so a taxonomy that cannot be rewritten
				// fails without a report that looks finished.
				if src, err = tax.WithChoices(res.Thresholds, res.WindowScale); err != nil {
					return err
				}
			}
			printTopicsCV(cmd, red.Text(gold), red.Text(tax.Name()), short(tax.Hash()), res)
			if out == "" {
				return nil
			}
			if err := writeFileAtomic(out, src); err != nil {
				return err
			}
			back, err := pipeline.ReadTaxonomy(out)
			if err != nil {
				return fmt.Errorf("read back %s: %w", out, err)
			}
			for i, v := range back.Thresholds() {
				if !topics.Reaches(v, res.Thresholds[i]) || !topics.Reaches(res.Thresholds[i], v) {
					return fmt.Errorf("read back %s: topic %s threshold %g, want %g", out, res.Topics[i], v, res.Thresholds[i])
				}
			}
			if back.WindowScale() != res.WindowScale {
				return fmt.Errorf("read back %s: window_scale %g, want %g", out, back.WindowScale(), res.WindowScale)
			}
			cmd.Printf("wrote %s (%d bytes): the taxonomy with the chosen thresholds and window scale; use it with --taxonomy\n", red.Text(out), len(src))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&gold, "gold", "", "hand labels, JSON Lines with text, topics and post_id or source_file")
	f.StringVar(&taxonomy, "taxonomy", "", "taxonomy TOML file (default: the built-in one)")
	f.IntVar(&maxFolds, "folds", 10, "most cross-validation folds; with fewer posts each post is a fold")
	f.StringVar(&out, "out", "", "write the taxonomy with the chosen thresholds to this TOML file")
	return cmd
}

func gridText() string { return joinFloats(topics.ThresholdGrid()) }

func scaleText() string { return joinFloats(topics.WindowScaleGrid()) }

func joinFloats(v []float64) string {
	var s []string
	for _, x := range v {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

func printTopicsCV(cmd *cobra.Command, gold, taxName, taxHash string, res topics.CVResult) {
	how := fmt.Sprintf("%d folds", res.Folds)
	if res.Folds == res.Groups {
		how = fmt.Sprintf("%d folds, leave-one-post-out", res.Folds)
	}
	cmd.Printf("%s: %d labelled comments in %d posts (grouped by %s); grouped cross-validation, %s\n", gold, res.Items, res.Groups, res.Grouping, how)
	cmd.Printf("taxonomy %s (%s); thresholds chosen per topic on the training folds from {%s} by F1,\n", taxName, taxHash, gridText())
	cmd.Printf("under the window scale chosen there from {%s} by micro-F1 (the taxonomy's: %g)\n\n", joinFloats(res.WindowScales), res.TaxonomyWindowScale)
	cmd.Printf("HELD-OUT (grouped cross-validation): the figures to quote\n%s", res.Held)
	var none []string
	for _, name := range res.Topics {
		if res.Held.Topic(name).Support == 0 {
			none = append(none, name)
		}
	}
	if len(none) > 0 {
		cmd.Printf("macro-F1 leaves out %d of the taxonomy's %d topics, which no comment is labelled with: %s\n", len(none), len(res.Topics), strings.Join(none, ", "))
	}
	if iv := res.Held.Intervals; iv != nil && iv.Resampled != "posts" {
		cmd.Printf("note: %d posts are too few to resample posts (fewer than %d), so the intervals resample comments; thread-mates are alike, so they are too narrow\n", res.Groups, topics.MinBootstrapGroups)
	}
	if res.Folds <= 3 {
		cmd.Printf("note: %d folds from %d posts: every held-out figure rests on few posts; label comments from more posts for a firmer estimate\n", res.Folds, res.Groups)
	}
	cmd.Printf("\nthresholds (taxonomy's; chosen on each fold's training posts; chosen on all: the ones --out writes)\n%-14s %8s", "topic", "taxonomy")
	for f := range res.Folds {
		cmd.Printf(" %7s", fmt.Sprintf("fold%d", f+1))
	}
	cmd.Printf(" %7s\n", "all")
	for t, name := range res.Topics {
		cmd.Printf("%-14s %8g", name, res.Taxonomy[t])
		for f := range res.Folds {
			cmd.Printf(" %7g", res.FoldThresholds[f][t])
		}
		cmd.Printf(" %7g\n", res.Thresholds[t])
	}
	cmd.Printf("%-14s %8g", "window scale", res.TaxonomyWindowScale)
	for f := range res.Folds {
		cmd.Printf(" %7g", res.FoldWindowScale[f])
	}
	cmd.Printf(" %7g\n", res.WindowScale)
	cmd.Printf("\nheld-out micro-F1 with the window scale fixed (thresholds still chosen per fold):")
	for s, v := range res.WindowScales {
		cmd.Printf(" %g: %.3f", v, res.WindowHeld[s])
		if s < len(res.WindowScales)-1 {
			cmd.Printf(";")
		}
	}
	cmd.Printf("\n")
	cmd.Printf("\nIN-SAMPLE, for comparison only: the taxonomy's own thresholds on the same comments (overstates it when the taxonomy was written looking at them)\n%s", res.Fixed)
}
