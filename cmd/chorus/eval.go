package main

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"chorus/models/evaluate"
	"chorus/models/topics"
	"chorus/pipeline"
)

func newEvalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure the models against hand labels",
	}
	cmd.AddCommand(newEvalSentimentCmd(), newEvalVaderSetsCmd(), newEvalTopicsCmd())
	return cmd
}

func newEvalSentimentCmd() *cobra.Command {
	cfg := pipeline.DefaultConfig()
	var gold string
	cmd := &cobra.Command{
		Use:   "sentiment --gold FILE.jsonl [--model domain|lexicon|vader]",
		Short: "Macro-F1, per-class F1, accuracy, Spearman rho and confusion matrix, with bootstrap 95% intervals",
		Long: `Score each gold item's text and compare with its hand label ("label":
negative | neutral | positive) and the annotators' mean valence ("mean_valence").
Every figure comes with a 95% percentile bootstrap interval (2000 resamples,
fixed seed), so it can be quoted with its error.

When the gold file is the one the domain model's weights were trained on, the
figures are in-sample and the output says so: quote the cross-validated
figures chorus train sentiment prints instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usagef("--gold is required")
			}
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			items, _, err := readSentimentGold(gold)
			if err != nil {
				return err
			}
			model, err := pipeline.NewSentiment(cfg)
			if err != nil {
				return err
			}
			warnNote(cmd, model)
			var g, p []string
			var val, score []float64
			for _, it := range items {
				r := model.Score(it.Text)
				g, p = append(g, it.Label), append(p, r.Label)
				val, score = append(val, *it.MeanValence), append(score, r.Compound)
			}
			rep, err := evaluate.Sentiment(cmd.Context(), g, p, val, score)
			if err != nil {
				return err
			}
			cmd.Printf("model %s (%s) on %s\n", model.Name(), short(model.Hash()), gold)
			if inSample(model, gold) {
				cmd.Printf("IN-SAMPLE: the model's weights were trained on this file; these figures overstate it. Quote the grouped cross-validated figures of chorus train sentiment.\n")
			}
			cmd.Print(rep.String())
			return nil
		},
	}
	cmd.Flags().StringVar(&gold, "gold", "", "hand labels, JSON Lines with text, label and mean_valence")
	sentimentFlags(cmd.Flags(), &cfg)
	return cmd
}

// inSample reports whether m's weights were trained on the file at path.
func inSample(m pipeline.Sentiment, path string) bool {
	t, ok := m.(interface{ TrainingSHA256() string })
	if !ok {
		return false
	}
	b, err := readRegular(path)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]) == t.TrainingSHA256()
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func newEvalVaderSetsCmd() *cobra.Command {
	cfg := pipeline.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "vader-sets DIR",
		Short: "Pearson r and 3-class accuracy on the VADER ICWSM-2014 ground-truth sets",
		Long: `For each DIR/*_GroundTruth.txt ("id<TAB>mean human valence<TAB>text"), score
each text and print Pearson r between compound and the human mean, and the
3-class accuracy (gold >0 / <0 / =0 against compound >=0.05 / <=-0.05 / between)
beside the majority baseline: the accuracy of always answering the set's most
common gold class.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			files, err := filepath.Glob(filepath.Join(args[0], "*_GroundTruth.txt"))
			if err != nil || len(files) == 0 {
				return usagef("no *_GroundTruth.txt files in %s", args[0])
			}
			sort.Strings(files)
			model, err := pipeline.NewSentiment(cfg)
			if err != nil {
				return err
			}
			warnNote(cmd, model)
			cmd.Printf("model %s (%s)\n%-22s %6s %9s %9s %9s\n", model.Name(), short(model.Hash()), "set", "n", "pearson_r", "accuracy", "majority")
			for _, f := range files {
				data, err := readRegular(f)
				if err != nil {
					return err
				}
				human, texts, err := evaluate.ParseGroundTruth(f, data)
				if err != nil {
					return err
				}
				comp := make([]float64, len(texts))
				right := 0
				var classes [3]int // gold -1, 0, +1
				for i, t := range texts {
					if i%512 == 0 {
						if err := cmd.Context().Err(); err != nil {
							return err
						}
					}
					comp[i] = model.Score(t).Compound
					classes[sign3(human[i], 0)+1]++
					if sign3(human[i], 0) == sign3(comp[i], 0.05) {
						right++
					}
				}
				name := strings.TrimSuffix(filepath.Base(f), "_GroundTruth.txt")
				majority := max(classes[0], classes[1], classes[2])
				cmd.Printf("%-22s %6d %9.3f %9.3f %9.3f\n", name, len(texts), evaluate.Pearson(comp, human),
					float64(right)/float64(len(texts)), float64(majority)/float64(len(texts)))
			}
			return nil
		},
	}
	sentimentFlags(cmd.Flags(), &cfg)
	return cmd
}

func sign3(x, band float64) int {
	switch {
	case x >= band && x > 0:
		return 1
	case x <= -band && x < 0:
		return -1
	}
	return 0
}

func newEvalTopicsCmd() *cobra.Command {
	var gold, taxonomy string
	cmd := &cobra.Command{
		Use:   "topics --gold FILE.jsonl [--taxonomy FILE]",
		Short: "Per-topic precision and recall with bootstrap 95% intervals, F1 and support; micro and macro F1",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usagef("--gold is required")
			}
			items, err := readTopicsGold(gold)
			if err != nil {
				return err
			}
			tax, tg, err := loadTagger(taxonomy)
			if err != nil {
				return err
			}
			pred := make([][]string, len(items))
			for i, it := range items {
				pred[i] = topics.Names(tg.Tag(it.Text))
			}
			next := 0
			rep := topics.Evaluate(items, func(string) []string { next++; return pred[next-1] })
			if err := rep.AddIntervals(cmd.Context(), items, pred, evaluate.BootstrapReps, evaluate.Seed); err != nil {
				return err
			}
			cmd.Printf("taxonomy %s (%s) on %s\n%s", tax.Name(), short(tax.Hash()), gold, rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&gold, "gold", "", "hand labels, JSON Lines with text and topics")
	cmd.Flags().StringVar(&taxonomy, "taxonomy", "", "taxonomy TOML file (default: the built-in one)")
	return cmd
}

// loadTagger is loadTaxonomy compiled into a tagger.
func loadTagger(path string) (*topics.Taxonomy, *topics.Tagger, error) {
	tax, err := loadTaxonomy(path)
	if err != nil {
		return nil, nil, err
	}
	tg, err := topics.NewTagger(tax)
	return tax, tg, err
}

func loadTaxonomy(path string) (*topics.Taxonomy, error) {
	if path == "" {
		return topics.Default()
	}
	return pipeline.ReadTaxonomy(path)
}
