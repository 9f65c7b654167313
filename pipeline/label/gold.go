package label

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"chorus/models/evaluate"
	"chorus/pipeline/store"
)

// GoldUnit is one unit of the gold set: the coders' labels of one comment
// (or free unit) reconciled. Its JSON fields, in order, are those of the
// hand-labelled files `chorus eval` and `chorus train` read (id,
// source_file, section, valence, mean_valence, label, topics, text), then
// post_id, n_coders and unanimous.
type GoldUnit struct {
	// ID is the comment's id, or "free-" and the first 16 hex digits of
	// the text hash for a free unit.
	ID         string `json:"id"`
	SourceFile string `json:"source_file"` // "" for a free unit
	Section    string `json:"section"`     // thread | excerpt; "" for a free unit
	// Valence is the median of the coders' valences; for an even number
	// of coders the mean of the middle two, rounded half towards zero (so
	// -1 and -2 give -1, 1 and 2 give 1: the gold leans to the milder
	// judgement, symmetrically for both signs).
	Valence int `json:"valence"`
	// MeanValence is the mean of the coders' valences, rounded to 3
	// decimals.
	MeanValence float64 `json:"mean_valence"`
	// Label is the class (negative, neutral, positive) of the most
	// coders' valence signs; when two or more classes tie for most (for
	// three coders: all differ; for two: they differ), neutral.
	Label string `json:"label"`
	// Topics are those ticked by more than half of the coders, sorted.
	Topics []string `json:"topics"`
	Text   string   `json:"text"`
	PostID string   `json:"post_id"` // "" for a free unit
	// NCoders is the number of coders who labelled the unit.
	NCoders int `json:"n_coders"`
	// Unanimous says every coder's valence had the same sign (class);
	// trivially true for one coder.
	Unanimous bool `json:"unanimous"`

	// Free marks a unit that matches no stored comment.
	Free bool `json:"-"`
	// Codings are the coders' labels, by coder name.
	Codings []evaluate.Coding `json:"-"`

	order int // report order of its comment; free units after
}

// GoldStats counts what Gold read.
type GoldStats struct {
	Labels int // labels read
	Units  int // units they make
	Free   int // of which free units
	// Missing counts comment units whose comment is no longer among the
	// current documents (a vanished file, or ids changed): they are kept,
	// with the text the coders saw, but without source file and section.
	Missing int
	// Reattached counts free labels that matched a stored comment at export
	// (their comment was stored after they were imported).
	Reattached int
}

// Gold returns the gold set that `chorus label export` writes: every unit
// labelled by coder ("" for all coders), reconciled, in report order (post
// date, source file, post id, position), then units whose comment is no
// longer stored by id, then free units by text hash. It is what `chorus
// train sentiment --db` trains on.
func Gold(ctx context.Context, st *store.Store, coder string) ([]GoldUnit, GoldStats, error) {
	var stats GoldStats
	labels, err := st.Labels(ctx, coder)
	if err != nil {
		return nil, stats, err
	}
	stats.Labels = len(labels)
	// A free label whose text another coder labelled as a stored comment,
	// or that a stored comment now has, belongs to that comment's unit.
	ids, hashes := map[string]string{}, map[string]bool{} // ids: comment id -> its post, when the label knows it
	byHash := map[string]string{}                         // text hash -> comment id, from comment labels
	for _, l := range labels {
		if l.CommentID != "" {
			if ids[l.CommentID] == "" {
				ids[l.CommentID] = l.PostID
			}
			if _, ok := byHash[l.TextHash]; !ok {
				byHash[l.TextHash] = l.CommentID
			}
		}
	}
	for _, l := range labels {
		if l.CommentID == "" && byHash[l.TextHash] == "" {
			hashes[l.TextHash] = true
		}
	}
	f, err := findComments(ctx, st, ids, hashes)
	if err != nil {
		return nil, stats, err
	}
	units := map[string]*GoldUnit{}
	var keys []string
	texts := map[string]string{}
	for _, l := range labels {
		key := unitKey(l.CommentID, l.TextHash)
		if l.CommentID == "" {
			if id := byHash[l.TextHash]; id != "" {
				key = id
			} else if c, ok := f.byHash[l.TextHash]; ok {
				key = c.id
				f.byID[c.id] = c
				stats.Reattached++
			}
		}
		u := units[key]
		if u == nil {
			u = &GoldUnit{ID: key}
			units[key] = u
			keys = append(keys, key)
			texts[key] = l.Text
		}
		for _, c := range u.Codings {
			if c.Coder == l.Coder {
				return nil, stats, fmt.Errorf("gold: coder %s labelled unit %s twice (once as a free unit): delete one label", l.Coder, key)
			}
		}
		u.Codings = append(u.Codings, evaluate.Coding{Coder: l.Coder, Valence: float64(l.Valence), Topics: l.Topics})
	}
	out := make([]GoldUnit, 0, len(keys))
	for _, key := range keys {
		u := units[key]
		sort.Slice(u.Codings, func(i, j int) bool { return u.Codings[i].Coder < u.Codings[j].Coder })
		u.Text = texts[key]
		switch c, ok := f.byID[key]; {
		case ok:
			u.SourceFile, u.Section, u.PostID, u.order = c.file, c.section, c.post, c.order
		case len(key) > 5 && key[:5] == "text:":
			u.Free = true
			u.ID = "free-" + key[5:21]
			u.order = math.MaxInt
			stats.Free++
		default:
			u.order = math.MaxInt - 1
			stats.Missing++
		}
		reconcile(u)
		out = append(out, *u)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].order != out[j].order {
			return out[i].order < out[j].order
		}
		return out[i].ID < out[j].ID
	})
	stats.Units = len(out)
	return out, stats, nil
}

// reconcile sets a unit's gold fields from its codings.
func reconcile(u *GoldUnit) {
	n := len(u.Codings)
	u.NCoders = n
	vals := make([]int, n)
	var classes [3]int
	ticks := map[string]int{}
	sum := 0
	for i, c := range u.Codings {
		vals[i] = int(c.Valence)
		sum += vals[i]
		classes[evaluate.ClassOf(c.Valence)]++
		for _, t := range c.Topics {
			ticks[t]++
		}
	}
	slices.Sort(vals)
	if n%2 == 1 {
		u.Valence = vals[n/2]
	} else {
		u.Valence = (vals[n/2-1] + vals[n/2]) / 2 // Go's division truncates: half towards zero
	}
	u.MeanValence = math.Round(float64(sum)/float64(n)*1000) / 1000
	best, tie := 0, false
	for c := 1; c < 3; c++ {
		switch {
		case classes[c] > classes[best]:
			best, tie = c, false
		case classes[c] == classes[best]:
			tie = true
		}
	}
	if tie {
		best = 1
	}
	u.Label = evaluate.Classes()[best]
	u.Unanimous = classes[evaluate.ClassOf(u.Codings[0].Valence)] == n
	u.Topics = []string{}
	for t, k := range ticks {
		if 2*k > n {
			u.Topics = append(u.Topics, t)
		}
	}
	slices.Sort(u.Topics)
}

// WriteGold writes units as JSON Lines, one unit a line, fields in the
// order of GoldUnit. HTML characters are written as they are, not escaped:
// the file is read by people and by JSON readers, never pasted into a page.
func WriteGold(w io.Writer, units []GoldUnit) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, u := range units {
		if err := enc.Encode(u); err != nil {
			return err
		}
	}
	return nil
}

// Export writes the gold set of coder ("" for all) to path, replacing it
// in one step (a temporary file beside it, then a rename), so a reader
// never sees half a file.
func Export(ctx context.Context, st *store.Store, coder, path string) (GoldStats, error) {
	units, stats, err := Gold(ctx, st, coder)
	if err != nil {
		return stats, err
	}
	if len(units) == 0 {
		who := "any coder"
		if coder != "" {
			who = coder
		}
		return stats, fmt.Errorf("export: no labels by %s in the store", who)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := WriteGold(bw, units); err != nil {
		tmp.Close()
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return stats, fmt.Errorf("export %s: %w", path, err)
	}
	return stats, nil
}

// Agreement measures the agreement of every coder over the units two or
// more labelled: per pair, percentage agreement and Cohen's kappa on the
// three classes; Krippendorff's alpha, nominal on the classes and interval
// on valence; per topic of topicNames (then any other topic the labels
// use), agreement F1; each with a bootstrap 95% interval over units; and
// the top units most disagreed on. The run's validation section shows the
// same figures, through AgreementOf (without the units disagreed on).
func Agreement(ctx context.Context, st *store.Store, topicNames []string, top int) (evaluate.Agreement, error) {
	units, _, err := Gold(ctx, st, "")
	if err != nil {
		return evaluate.Agreement{}, err
	}
	return AgreementOf(ctx, units, topicNames, top)
}

// AgreementOf is Agreement on gold units already read (all coders'), so
// a caller that also trains on them reads the store once.
func AgreementOf(ctx context.Context, units []GoldUnit, topicNames []string, top int) (evaluate.Agreement, error) {
	names := slices.Clone(topicNames)
	var extra []string
	for _, u := range units {
		for _, c := range u.Codings {
			for _, t := range c.Topics {
				if !slices.Contains(names, t) && !slices.Contains(extra, t) {
					extra = append(extra, t)
				}
			}
		}
	}
	slices.Sort(extra)
	au := make([]evaluate.AgreementUnit, len(units))
	for i, u := range units {
		au[i] = evaluate.AgreementUnit{ID: u.ID, Text: u.Text, Codings: u.Codings}
	}
	return evaluate.Agree(ctx, au, append(names, extra...), top, evaluate.BootstrapReps, evaluate.Seed)
}

// TrainingItems turns gold units into the items `chorus train sentiment
// --db` trains on and the run's validation section cross-validates, so the
// two can never disagree about what the labels are. A unit without a post
// (a free unit, or one whose comment is gone) has no post to share a fold
// with, so it is a group of its own ("unit:" and its id). It also returns
// the gold set as `chorus label export` writes it, whose SHA-256 a weights
// file records.
func TrainingItems(units []GoldUnit) ([]evaluate.SentimentItem, []byte, error) {
	var buf bytes.Buffer
	if err := WriteGold(&buf, units); err != nil {
		return nil, nil, fmt.Errorf("encode gold set: %w", err)
	}
	items := make([]evaluate.SentimentItem, len(units))
	for i, u := range units {
		mv := u.MeanValence
		post := u.PostID
		if post == "" {
			post = "unit:" + u.ID
		}
		items[i] = evaluate.SentimentItem{Text: u.Text, Label: u.Label, MeanValence: &mv, PostID: post, SourceFile: u.SourceFile}
	}
	return items, buf.Bytes(), nil
}
