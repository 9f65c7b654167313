package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"chorus/corpus/synth"
)

func newGenCmd() *cobra.Command {
	opts := synth.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "gen --comments N --seed S --out DIR [--format blogger|atom|jsonl] [--shape real|short]",
		Short: "Write a deterministic synthetic archive, for benchmarks",
		Long: `Write a synthetic archive of N comments (replies included) into DIR, which must
be empty or missing: posts dated across 2014-2021, threads with replies, a few
duplicate comments and (unless --bad-files=false) a few bad files that a run
must quarantine. The same seed and options give byte-identical files.

--shape real (the default) writes comments shaped like the real blog's: their
lengths, sentences, paragraphs, replies, quoted passages, links and references
to other comments by time follow what was measured on five real dumps, in an
invented vocabulary. --shape short writes the older generator's comments
(sentences of the bundled sample recombined, about 220 bytes each), to
reproduce figures measured on it. The comment lengths are printed beside the
real dumps'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return usagef("--out is required")
			}
			if opts.Comments <= 0 {
				return usagef("--comments must be at least 1")
			}
			if !slices.Contains(synth.Shapes(), opts.Shape) {
				return usagef("--shape must be one of %s, not %q", strings.Join(synth.Shapes(), ", "), opts.Shape)
			}
			st, err := synth.Generate(cmd.Context(), opts)
			if err != nil {
				return err
			}
			cmd.Printf("wrote %d files (%d bad on purpose), %d posts, %d comments, %d bytes to %s\n",
				st.Files, st.BadFiles, st.Posts, st.Comments, st.Bytes, opts.Out)
			printShape(cmd, opts.Shape, st.Shape)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Comments, "comments", "n", 10000, "comments to write, replies included")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed gives the same archive")
	f.StringVarP(&opts.Out, "out", "o", "", "folder to write (created; must be empty)")
	f.StringVar(&opts.Format, "format", opts.Format, "layout, named as chorus run --format names it: "+strings.Join(synth.Formats(), ", "))
	f.BoolVar(&opts.BadFiles, "bad-files", true, "mix in a few files a run must quarantine")
	f.StringVar(&opts.Shape, "shape", opts.Shape, "comments: "+strings.Join(synth.Shapes(), ", ")+" (real: shaped like the real blog's)")
	return cmd
}

// printShape prints the generated comments' length figures beside the
// seed dumps' (synth.SeedShape), and the other shape figures below.
func printShape(cmd *cobra.Command, shape string, gen synth.Shape) {
	seed := synth.SeedShape
	cmd.Printf("%-28s %6s %7s %6s %6s\n", "comment bytes ("+shape+" shape)", "mean", "median", "p90", "p99")
	cmd.Printf("  %-26s %6.0f %7d %6d %6d   (%d comments)\n", "generated", gen.Length.Mean, gen.Length.Median, gen.Length.P90, gen.Length.P99, gen.Comments)
	cmd.Printf("  %-26s %6.0f %7d %6d %6d   (%d comments)\n", "real seeds", seed.Length.Mean, seed.Length.Median, seed.Length.P90, seed.Length.P99, seed.Comments)
	cmd.Printf("per comment: sentences %.2f (seeds %.2f), paragraphs %.2f (%.2f), multi-paragraph %.0f%% (%.0f%%),\n",
		gen.Sentences, seed.Sentences, gen.Paragraphs, seed.Paragraphs, 100*gen.MultiParagraph, 100*seed.MultiParagraph)
	cmd.Printf("  naming another by its time %.0f%% (%.0f%%), quoting %.0f%% (%.0f%%), links %.1f%% (%.1f%%);\n",
		100*gen.TimeRefs, 100*seed.TimeRefs, 100*gen.Quotes, 100*seed.Quotes, 100*gen.URLs, 100*seed.URLs)
	cmd.Printf("  replies %.0f%% of thread comments (%.0f%%), %.1f comments per post (%.1f)\n",
		100*gen.Replies, 100*seed.Replies, gen.PerPost, seed.PerPost)
}
