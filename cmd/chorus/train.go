package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"chorus/internal/fsread"
	"chorus/models/evaluate"
	"chorus/models/sentiment/domain"
	"chorus/models/sentiment/learned"
	"chorus/models/topics"
	"chorus/pipeline"
	"chorus/pipeline/label"
)

func newTrainCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Fit a model to your hand labels, with cross-validated figures",
	}
	cmd.AddCommand(newTrainSentimentCmd(), newTrainTopicsCmd())
	return cmd
}

func newTrainSentimentCmd() *cobra.Command {
	var gold, db, coder, out, lexicon string
	var maxFolds int
	var withHashed bool
	cmd := &cobra.Command{
		Use:   "sentiment (--gold FILE.jsonl | --db FILE) --out model.json",
		Short: "Train the default (domain) sentiment model; print its grouped cross-validated figures",
		Long: `Train the learned sentiment model (the default, --model domain) on hand labels:
either a JSON Lines file (--gold) with text, label (negative | neutral |
positive), mean_valence, and post_id or source_file; or the labels stored in a
chorus database by chorus label (--db, optionally one --coder), reconciled as
chorus label export writes them. A free unit (a labelled text that matches no
stored comment) has no post and is a group of its own.

Before fitting on every item it cross-validates with folds grouped by post
(post_id when every item has one, else source_file): one post's comments are
never in two folds, and with at most --max-folds posts each post is a fold
(leave-one-post-out). It prints macro-F1, Spearman rho against mean_valence,
accuracy, each class's recall and the majority-class baseline, each with a
bootstrap 95% interval, and the confusion matrix of the held-out predictions.
These are the figures to quote: the model's figures on its own training file
are in-sample.

The weights file records the SHA-256 of the training labels (with --db, of the
gold set as chorus label export would write it), the cross-validated figures
and the confusion counts (which the reports use to adjust label shares). Use
it with chorus run --sentiment-model FILE (or the config key sentiment_model);
chorus score and chorus eval take the same flag.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (gold == "") == (db == "") {
				return usagef("give one of --gold and --db")
			}
			if coder != "" && db == "" {
				return usagef("--coder needs --db")
			}
			if out == "" {
				return usagef("--out is required")
			}
			name, items, data, err := trainingLabels(cmd, gold, db, coder)
			if err != nil {
				return err
			}
			ex, field, err := learned.Examples(items)
			if err != nil {
				return usagef("%s: %v", name, err)
			}
			extra, err := pipeline.ReadLexicon(lexicon)
			if err != nil {
				return err
			}
			lex, err := domain.New(domain.Options{Lexicon: extra})
			if err != nil {
				return err
			}
			f, rep, err := learned.Train(cmd.Context(), lex, ex, data, learned.Options{MaxFolds: maxFolds, Grouping: field, Hashed: withHashed})
			if err != nil {
				return err
			}
			printTrainReport(cmd, name, field, rep)
			b, err := f.Encode()
			if err != nil {
				return err
			}
			if err := writeFileAtomic(out, b); err != nil {
				return err
			}
			cmd.Printf("wrote %s (%d bytes)\n", out, len(b))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&gold, "gold", "", "hand labels, JSON Lines with text, label, mean_valence and post_id or source_file")
	f.StringVar(&db, "db", "", "train on the labels stored in this chorus database (chorus label)")
	f.StringVar(&coder, "coder", "", "with --db: only this coder's labels (default: every coder's, reconciled)")
	f.StringVar(&out, "out", "", "the weights file to write (JSON)")
	f.StringVar(&lexicon, "lexicon", "", "extra overlay lexicon for the lexicon model the features are read with (use the same at run time)")
	f.BoolVar(&withHashed, "hashed", false, "also fit the hashed bag of words and bigrams (off by default: see docs/sentiment.md)")
	f.IntVar(&maxFolds, "max-folds", 10, "most cross-validation folds; with fewer posts each post is a fold")
	return cmd
}

// trainingLabels reads the labels to train on: the --gold file, or the gold
// set of the database's labels. It returns a name for messages, the items,
// and the bytes whose SHA-256 the weights file records.
func trainingLabels(cmd *cobra.Command, gold, db, coder string) (string, []evaluate.SentimentItem, []byte, error) {
	if gold != "" {
		items, data, err := readSentimentGold(gold)
		return gold, items, data, err
	}
	if coder != "" {
		if err := label.ValidCoder(coder); err != nil {
			return "", nil, nil, usageError{err}
		}
	}
	st, err := label.OpenStore(cmd.Context(), db)
	if err != nil {
		return "", nil, nil, err
	}
	defer st.Close()
	units, stats, err := label.Gold(cmd.Context(), st, coder)
	if err != nil {
		return "", nil, nil, err
	}
	if len(units) == 0 {
		return "", nil, nil, fmt.Errorf("%s: no labels stored (label comments with chorus label first)", db)
	}
	items, data, err := label.TrainingItems(units)
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", db, err)
	}
	name := fmt.Sprintf("%s (%d labels, %d units, %d free)", db, stats.Labels, stats.Units, stats.Free)
	return name, items, data, nil
}

func printTrainReport(cmd *cobra.Command, gold, field string, rep learned.Report) {
	s := rep.Sentiment
	how := fmt.Sprintf("%d folds", rep.Folds)
	if rep.Folds == rep.Groups {
		how = fmt.Sprintf("%d folds, leave-one-post-out", rep.Folds)
	}
	cmd.Printf("%s: %d labelled comments in %d posts (grouped by %s); grouped cross-validation, %s\n", gold, rep.N, rep.Groups, field, how)
	cmd.Printf("held-out figures; 95%% intervals from %d bootstrap resamples of comments (seed %d)\n", evaluate.BootstrapReps, evaluate.Seed)
	cmd.Printf("macro-F1            %s\n", s.MacroF1)
	cmd.Printf("Spearman rho        %s  (compound vs mean_valence)\n", s.Spearman)
	cmd.Printf("accuracy            %s\n", s.Accuracy)
	cmd.Printf("majority baseline   %s  (each fold's training majority class)\n", rep.Majority)
	cmd.Printf("accuracy - baseline %s\n", rep.AccuracyGain)
	for _, c := range s.PerClass {
		cmd.Printf("recall %-12s %s  (n=%d)\n", c.Class, s.Recall[c.Class], c.Support)
	}
	cmd.Printf("\nconfusion of the held-out predictions:\n%s", s.Confusion)
	if rep.Folds <= 3 {
		cmd.Printf("note: %d folds from %d posts: every figure rests on few posts; label comments from more posts for a firmer estimate\n", rep.Folds, rep.Groups)
	}
}

// maxGoldBytes bounds a labelled file (a gold set for train, calibrate or
// eval, or a VADER ground-truth file): hand labels are thousands of lines,
// a few MB at most, not gigabytes.
const maxGoldBytes = 256 << 20

// readRegular reads a labelled file the way every input file is read:
// opened without blocking, only if regular, and refused past maxGoldBytes
// (fsread.Read). The error names the file.
func readRegular(path string) ([]byte, error) {
	b, err := fsread.Read(path, maxGoldBytes, "labelled file")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// readSentimentGold reads and parses a sentiment gold file (text, label,
// mean_valence), returning its bytes too for the hash train records.
func readSentimentGold(path string) ([]evaluate.SentimentItem, []byte, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, nil, err
	}
	items, err := evaluate.ParseSentimentGold(path, data)
	return items, data, err
}

// readTopicsGold reads and parses a topics gold file (text, topics).
func readTopicsGold(path string) ([]topics.GoldItem, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, err
	}
	return topics.ParseGold(path, data)
}

// writeFileAtomic writes b to path through a temporary file and a rename,
// so a reader never sees half a file.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".chorus-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
