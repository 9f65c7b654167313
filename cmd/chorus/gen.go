package main

import (
	"strings"

	"github.com/spf13/cobra"

	"chorus/corpus/synth"
)

func newGenCmd() *cobra.Command {
	opts := synth.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "gen --comments N --seed S --out DIR [--format text|atom|jsonl]",
		Short: "Write a deterministic synthetic archive, for benchmarks",
		Long: `Write a synthetic archive of N comments (replies included) into DIR, which must
be empty or missing: posts dated across 2014-2021, threads with replies, a few
duplicate comments and (unless --bad-files=false) a few bad files that a run
must quarantine. Sentences are recombined from the bundled synthetic sample
archive. The same seed and options give byte-identical files.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return usagef("--out is required")
			}
			if opts.Comments <= 0 {
				return usagef("--comments must be at least 1")
			}
			st, err := synth.Generate(cmd.Context(), opts)
			if err != nil {
				return err
			}
			cmd.Printf("wrote %d files (%d bad on purpose), %d posts, %d comments, %d bytes to %s\n",
				st.Files, st.BadFiles, st.Posts, st.Comments, st.Bytes, opts.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Comments, "comments", "n", 10000, "comments to write, replies included")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed gives the same archive")
	f.StringVarP(&opts.Out, "out", "o", "", "folder to write (created; must be empty)")
	f.StringVar(&opts.Format, "format", "text", "layout: "+strings.Join(synth.Formats(), ", "))
	f.BoolVar(&opts.BadFiles, "bad-files", true, "mix in a few files a run must quarantine")
	return cmd
}
