package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chorus/pipeline"
)

func newScoreCmd() *cobra.Command {
	var cfg = pipeline.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "score [--model vader|domain]",
		Short: "Score id<TAB>text lines from stdin; print id, compound, pos, neu, neg, label",
		Long: `Score lines of "id<TAB>text" from standard input and print
"id<TAB>compound<TAB>pos<TAB>neu<TAB>neg<TAB>label" for each, compound to 4
decimals and the proportions to 3, as the reference VADER rounds them. A line
with no tab is scored whole with an empty id. Trailing CR/LF is removed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			model, err := pipeline.NewSentiment(cfg)
			if err != nil {
				return err
			}
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
				line := strings.TrimRight(in.Text(), "\r\n")
				id, text, ok := strings.Cut(line, "\t")
				if !ok {
					id, text = "", line
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
	cmd.Flags().StringVar(&cfg.Model, "model", "vader", "sentiment model: vader (reference VADER) or domain (probation overlay)")
	cmd.Flags().StringVar(&cfg.Lexicon, "lexicon", "", "extra overlay lexicon for the domain model")
	cmd.Flags().StringVar(&cfg.Thresholds, "thresholds", "", "label thresholds file written by chorus calibrate")
	return cmd
}

// round formats x with d decimals, rounding the exact binary value as
// Python's round() and "%.4f" do. A tiny negative compound prints as
// "-0.0000", as the reference outputs do, so files compare byte for byte.
func round(x float64, d int) string {
	return strconv.FormatFloat(x, 'f', d, 64)
}
