package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"chorus/pipeline"
)

func newScoreCmd() *cobra.Command {
	var cfg = pipeline.DefaultConfig()
	var jsonl bool
	cmd := &cobra.Command{
		Use:   "score [--model domain|lexicon|vader]",
		Short: "Score id<TAB>text lines from stdin; print id, compound, pos, neu, neg, label",
		Long: `Score lines of "id<TAB>text" from standard input and print
"id<TAB>compound<TAB>pos<TAB>neu<TAB>neg<TAB>label" for each, compound to 4
decimals and the proportions to 3, as the reference VADER rounds them. A line
with no tab is scored whole with an empty id. Trailing CR/LF is removed.
With --jsonl each line is instead a JSON object {"id": ..., "text": ...}, so
a text can hold line breaks and tabs (paragraphs change how a comment is
split into sentences); the output is the same.

The default model is the one chorus run uses (domain), so a comment gets the
same label from both. For the domain model pos, neu and neg are the class
probabilities and compound is P(positive) - P(negative); for vader and lexicon
they are VADER-style proportions (docs/sentiment.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			model, err := pipeline.NewSentiment(cfg)
			if err != nil {
				return err
			}
			warnNote(cmd, model)
			in := bufio.NewScanner(cmd.InOrStdin())
			in.Buffer(make([]byte, 1<<20), 64<<20)
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			for n := 1; in.Scan(); n++ {
				if n%1024 == 0 {
					if err := cmd.Context().Err(); err != nil {
						return err
					}
				}
				id, text, err := scoreLine(in.Bytes(), jsonl)
				if err != nil {
					return fmt.Errorf("stdin line %d: %w", n, err)
				}
				r := model.Score(text)
				fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", id, round(r.Compound, 4), round(r.Pos, 3), round(r.Neu, 3), round(r.Neg, 3), r.Label)
			}
			if err := in.Err(); err != nil {
				return fmt.Errorf("read stdin: %w", err)
			}
			return nil
		},
	}
	sentimentFlags(cmd.Flags(), &cfg)
	cmd.Flags().BoolVar(&jsonl, "jsonl", false, "read JSON Lines objects with id and text instead of id<TAB>text")
	return cmd
}

// scoreLine splits one input line of chorus score into its id and text.
func scoreLine(line []byte, jsonl bool) (id, text string, err error) {
	if jsonl {
		var v struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(line, &v); err != nil {
			return "", "", fmt.Errorf("not a JSON object with id and text: %w", err)
		}
		return v.ID, v.Text, nil
	}
	l := strings.TrimRight(string(line), "\r\n")
	id, text, ok := strings.Cut(l, "\t")
	if !ok {
		return "", l, nil
	}
	return id, text, nil
}

// sentimentFlags are the flags that choose and configure the sentiment
// model, the same for run, score and eval.
func sentimentFlags(f *pflag.FlagSet, cfg *pipeline.Config) {
	f.StringVar(&cfg.Model, "model", "domain", "sentiment model: domain (learned weights over the lexicon model's evidence), lexicon (the hand-built overlay model) or vader (reference VADER)")
	f.StringVar(&cfg.SentimentModel, "sentiment-model", "", "weights file written by chorus train sentiment for the domain model (default: the bundled weights)")
	f.StringVar(&cfg.Lexicon, "lexicon", "", "extra overlay lexicon for the lexicon model, and so the domain model's features (TSV: term, valence, reason)")
	f.StringVar(&cfg.Thresholds, "thresholds", "", "label thresholds file written by chorus calibrate (lexicon model)")
}

// warnNote prints the model's note (for example: the domain model's weights
// were missing and the lexicon model ran instead) on stderr.
func warnNote(cmd *cobra.Command, m pipeline.Sentiment) {
	if n := m.Note(); n != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "chorus: warning:", n)
	}
}

// round formats x with d decimals, rounding the exact binary value as
// Python's round() and "%.4f" do. A tiny negative compound prints as
// "-0.0000", as the reference outputs do, so files compare byte for byte.
func round(x float64, d int) string {
	return strconv.FormatFloat(x, 'f', d, 64)
}
