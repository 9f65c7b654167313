package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"chorus/internal/analysis"
	"chorus/internal/version"
	"chorus/pipeline/store"
	"chorus/reports"
)

// The aggregate stage: the reports' input, assembled from the store alone.
// It is the one place report rows come from, for a cold run, a nightly run
// and `chorus report` alike: every post's comments.csv rows and lean rows
// are taken from the store's block cache (store.Blocks), and the posts the
// cache lacks are encoded from the store and added to it first (fill). The
// reports package then aggregates the lean rows and copies the rows into
// comments.csv; nothing is read from a published folder.

// aggregator assembles one run's reports.Input.
type aggregator struct{ *job }

// assembled is the reports' input and what publishing needs besides.
type assembled struct {
	in    reports.Input
	posts []store.PostRow
	// streamErr reports an error met while streaming lean rows: Write sees
	// only a short stream, so it must be checked before publishing.
	streamErr func() error
}

// Assemble builds the reports' input from the store.
func (a aggregator) Assemble(ctx context.Context) (*assembled, error) {
	posts, err := a.st.Posts(ctx)
	if err != nil {
		return nil, err
	}
	in := reports.Input{Version: version.Version, Period: a.cfg.Period, Topics: a.topics, ChartDPI: a.cfg.ChartDPI}
	for _, e := range a.cfg.Events {
		in.Events = append(in.Events, reports.Event{Date: e.Date, Name: e.Name, Description: e.Description})
	}
	if err := a.describe(ctx, &in, posts); err != nil {
		return nil, err
	}
	if in.Validation, err = a.validation(ctx); err != nil {
		return nil, err
	}
	newEnc := func() *reports.CommentEncoder { return reports.NewCommentEncoder(in.Topics, in.Version) }
	enc := newEnc()
	refs, encoded, err := fill(ctx, a.st, a.blocks, a.key, newEnc, posts, a.workers())
	if err != nil {
		return nil, err
	}
	a.log.Info("report rows", "posts_cached", len(posts)-encoded, "posts_encoded", encoded)
	out := &assembled{in: in, posts: posts}
	var streamErr error
	out.streamErr = func() error { return streamErr }
	out.in.CommentsCSV = func(w io.Writer) error { return writeCSV(ctx, w, a.blocks, enc, refs) }
	out.in.Lean = func(yield func(reports.Comment) bool) {
		streamErr = leanStream(ctx, a.blocks, posts, refs, yield)
	}
	out.in.Resolve = func(refs []int64) ([]reports.Comment, error) {
		cs := make([]reports.Comment, len(refs))
		for i, seq := range refs {
			c, ok, err := a.st.CommentBySeq(ctx, a.key, seq)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("comment row %d is gone", seq)
			}
			cs[i] = reportComment(c)
		}
		return cs, nil
	}
	return out, nil
}

// describe fills the posts, rejects and manifest of in, and the summary's
// post and comment counts.
func (a aggregator) describe(ctx context.Context, in *reports.Input, posts []store.PostRow) error {
	docs, err := a.st.Documents(ctx)
	if err != nil {
		return err
	}
	rejects, err := a.st.Rejects(ctx)
	if err != nil {
		return err
	}
	perDoc := map[string]*reports.InputFile{}
	a.sum.Posts, a.sum.Comments, a.sum.Undated = 0, 0, 0
	for _, p := range posts {
		in.Posts = append(in.Posts, reports.Post{ID: p.ID, Date: p.Date, DateSource: string(p.DateSource), Title: p.Title,
			SourceFile: p.SourceFile, Declared: p.DeclaredComments, Found: p.FoundComments, SourceID: p.SourceID})
		a.sum.Posts++
		a.sum.Comments += p.CountedComments
		if p.Date == "" {
			a.sum.Undated += p.CountedComments
		}
		f := perDoc[p.Document]
		if f == nil {
			f = &reports.InputFile{Path: p.Document}
			perDoc[p.Document] = f
		}
		f.Posts++
		f.Comments += p.CountedComments
	}
	for _, d := range docs {
		if d.Status == store.StatusVanished {
			continue
		}
		f := perDoc[d.Path]
		if f == nil {
			f = &reports.InputFile{Path: d.Path}
		}
		f.SHA256, f.Format = d.SHA256, string(d.Format)
		if d.Status == store.StatusRejected {
			f.Rejects = 1
		}
		in.Manifest.Inputs = append(in.Manifest.Inputs, *f)
	}
	for _, rj := range rejects {
		in.Rejects = append(in.Rejects, reports.Reject{Path: rj.Path, SHA256: rj.SHA256, Reason: rj.Reason})
	}
	if err := a.warnings(ctx, in); err != nil {
		return err
	}
	m := &in.Manifest
	m.SentimentModel = a.an.sentiment.Name()
	m.SentimentNote = a.an.sentiment.Note()
	in.Confusion = a.an.sentiment.Confusion()
	m.LexiconSHA256 = a.an.sentiment.Hash()
	m.TaxonomySHA256 = a.an.taxonomy.Hash()
	m.ModelVersion = "analysis " + analysisVersion + ", key " + a.key
	if a.cfg.source != nil {
		h := sha256.Sum256(a.cfg.source)
		m.ConfigSHA256 = hex.EncodeToString(h[:])
	}
	if m.Config, err = json.Marshal(a.cfg.effective(a.red)); err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	m.StartedAt = time.Now().UTC().Format(time.RFC3339)
	m.Stages = a.stages
	return nil
}

// warnings adds the stored warnings of the current inputs to in (all of
// them, on every run), counts them per input file, and fills the manifest's
// counts of files and comments from the store.
func (a aggregator) warnings(ctx context.Context, in *reports.Input) error {
	ws, err := a.st.Warnings(ctx)
	if err != nil {
		return err
	}
	perFile := map[string]int{}
	for _, w := range ws {
		rw := reports.Warning{File: w.Document, Line: w.Line, Offset: w.Offset, Kind: w.Kind, Count: w.Count,
			Problem: a.red.Text(w.Problem()), Action: a.red.Text(w.Action())}
		in.Warnings = append(in.Warnings, rw)
		perFile[w.Document] += w.Count
	}
	for i := range in.Manifest.Inputs {
		in.Manifest.Inputs[i].Warnings = perFile[in.Manifest.Inputs[i].Path]
	}
	statuses, err := a.st.StatusCounts(ctx)
	if err != nil {
		return err
	}
	a.sum.Stored = 0
	for _, n := range statuses {
		a.sum.Stored += n
	}
	// What the inputs hold, the same whether this run read them or an
	// earlier one did (what this run did is in the runs table).
	in.Manifest.Counts = map[string]int{
		"files": len(in.Manifest.Inputs), "files_rejected": len(in.Rejects),
		"comments_published": statuses[string(analysis.StatusPublished)],
		"comments_duplicate": statuses["duplicate"],
		"comments_deleted":   statuses[string(analysis.StatusDeleted)],
		"comments_spam":      statuses[string(analysis.StatusSpam)],
		"comments_oversize":  statuses[string(analysis.StatusOversize)],
	}
	return nil
}
