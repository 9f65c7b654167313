package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"chorus/models/topics"
	"chorus/pipeline"
)

func newTopicsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "topics",
		Short: "Work on the topic taxonomy",
	}
	cmd.AddCommand(newTopicsSuggestCmd())
	return cmd
}

func newTopicsSuggestCmd() *cobra.Command {
	cfg := pipeline.DefaultConfig()
	var n int
	cmd := &cobra.Command{
		Use:   "suggest [--input PATH]... [--taxonomy FILE] [-n 30]",
		Short: "Frequent, distinctive terms and phrases that no topic covers yet",
		Long: `Read the inputs (default: the bundled sample archive) and list the terms and
two-word phrases that are frequent in the comments and distinctive of them
(log-likelihood G2 against a general-English reference), leaving out what a
topic of the taxonomy already matches, each with example comments. This is how
a researcher grows the taxonomy: add what fits a topic, run again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tax, err := loadTaxonomy(cfg.Taxonomy)
			if err != nil {
				return err
			}
			tg, err := topics.NewTagger(tax)
			if err != nil {
				return err
			}
			texts, err := pipeline.Texts(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			sugg := topics.Suggest(cmd.Context(), texts, tg, n)
			cmd.Printf("%d comments; taxonomy %s (%s)\n%-4s %-28s %6s %9s  %s\n", len(texts), tax.Name(), short(tax.Hash()), "#", "term", "count", "G2", "example")
			for i, s := range sugg {
				ex := ""
				if len(s.Examples) > 0 {
					ex = clip(s.Examples[0], 90)
				}
				cmd.Printf("%-4d %-28s %6d %9.1f  %s\n", i+1, s.Term, s.Count, s.Keyness, ex)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&cfg.Inputs, "input", "i", nil, "input file or folder (repeatable); default: the bundled sample archive")
	f.StringVar(&cfg.Format, "format", "auto", formatUsage())
	f.StringVar(&cfg.Taxonomy, "taxonomy", "", "taxonomy TOML file (default: the built-in one)")
	f.IntVarP(&n, "n", "n", 30, "how many suggestions")
	return cmd
}

// clip shortens s to at most n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return fmt.Sprintf("%s...", string(r[:n-3]))
}
