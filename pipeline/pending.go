package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"chorus/internal/analysis"
	"chorus/internal/version"
	"chorus/pipeline/store"
	"chorus/reports"
)

// Re-analysis: what the store holds without an analysis under the run's
// key (everything, after a model, lexicon, threshold or taxonomy change, or
// what an interrupted run left) is analysed from the stored text, without
// reading any file. The walk (store.PendingRows) hands over every comment
// stored above the key's mark, not only the pending ones, so that each
// post whose comments all come by has them in hand once they are analysed:
// its report rows are encoded into the block cache there and then, as the
// cold run's warmer does for the documents it stores, instead of being read
// back out of SQLite afterwards by fill (at 1M comments that read was a
// third of a re-analysis). Rows built here are those fill would build:
// store.PendingRow is the row Comments reads, and CommentRow.SetAnalysis
// gives it its analysis as it reads back once saved.

// analyseBatch is how many analyses are saved per transaction.
const analyseBatch = 2000

// pendingHeld is how many comments the walk holds at most for posts whose
// comments have not all come by yet. A post's comments lie together in
// storage order unless some of them were stored again later, so this is
// rarely more than one post's; past it, the post held longest is given up
// (fill encodes it), so memory stays bounded however posts are scattered.
const pendingHeld = 16384

// looseBatch is how many pending comments of posts not built here go to a
// worker at once.
const looseBatch = 256

// pendingAnalyser analyses what the store holds without an analysis under
// the run's key, and builds the report rows of the posts whose comments it
// then has.
type pendingAnalyser struct{ *job }

// pendingUnit is one worker's task: the comments of one post, in storage
// order, whose rows it builds (post set), or pending comments to analyse
// only (post nil).
type pendingUnit struct {
	post *store.PostRow
	rows []store.PendingRow
}

// Analyse runs the models over pending comments on cfg.Workers goroutines,
// which also encode the report rows of each complete post, and saves the
// results in batches, one transaction each, by one saver.
func (p pendingAnalyser) Analyse(ctx context.Context) (int, error) {
	total, err := p.st.CountPending(ctx, p.key)
	if err != nil || total == 0 {
		return 0, err
	}
	// After a taxonomy change (only), the analyses under the earlier key
	// lend their counts and sentiment: only the topics are computed.
	reuse, err := p.st.ReusableKey(ctx, p.key, p.an.SentimentKey())
	if err != nil {
		return 0, err
	}
	wanted, err := p.wantedPosts(ctx)
	if err != nil {
		return 0, err
	}
	retagged := 0
	defer func() {
		p.sum.Retagged += retagged
		if retagged > 0 {
			p.log.Info("re-tagged only: counts and sentiment kept from the earlier analysis under the same sentiment model",
				"comments", retagged, "from_key", reuse)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	units := make(chan pendingUnit, 64)
	results := make(chan analysis.Analysis, 4*analyseBatch)
	workErrs := make([]error, p.workers())
	var wg sync.WaitGroup
	for k := range workErrs {
		wg.Go(func() {
			if workErrs[k] = p.work(ctx, units, results); workErrs[k] != nil {
				cancel()
				for range units { // let the walk finish
				}
			}
		})
	}
	saved := make(chan error, 1)
	done := 0
	go func() { saved <- p.save(ctx, cancel, results, total, &done) }()
	g := newPostGrouper(wanted, pendingHeld, func(u pendingUnit) error {
		select {
		case units <- u:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	walkErr := p.st.PendingRows(ctx, p.key, reuse, func(r *store.PendingRow) error {
		if r.Prior != nil {
			retagged++
		}
		return g.add(r)
	})
	if walkErr == nil {
		walkErr = g.finish()
	}
	close(units)
	wg.Wait()
	close(results)
	saveErr := <-saved
	p.progressDone()
	// A worker's failure cancels the rest: it, not the cancellations it
	// caused, is the error.
	for _, err := range workErrs {
		if err != nil {
			return done, fmt.Errorf("build report rows: %w", err)
		}
	}
	if saveErr != nil {
		return done, fmt.Errorf("save analyses: %w", saveErr)
	}
	return done, walkErr
}

// wantedPosts lists the current posts the block cache lacks rows for, by
// id: those whose rows the walk builds. None when rows are not built ahead
// (Config.noWarm).
func (p pendingAnalyser) wantedPosts(ctx context.Context) (map[string]*store.PostRow, error) {
	wanted := map[string]*store.PostRow{}
	if p.cfg.noWarm {
		return wanted, nil
	}
	posts, err := p.st.Posts(ctx)
	if err != nil {
		return nil, err
	}
	for i := range posts {
		if _, ok := p.blocks.Get(posts[i].ID, posts[i].Gen); !ok {
			wanted[posts[i].ID] = &posts[i]
		}
	}
	return wanted, nil
}

// work is one analysis worker: it analyses the pending comments of each
// unit, hands the analyses to the saver, and caches the rows of a unit's
// post. It returns at the first error, or when the run is cancelled.
func (p pendingAnalyser) work(ctx context.Context, units <-chan pendingUnit, results chan<- analysis.Analysis) error {
	rows := postRows{enc: reports.NewCommentEncoder(p.topics, version.Version)}
	for u := range units {
		for i := range u.rows {
			r := &u.rows[i]
			if !r.Pending {
				continue
			}
			analyse := p.an.Analyse
			if r.Prior != nil {
				analyse = p.an.Retag
			}
			a := analyse(r.CommentText())
			select {
			case results <- a:
			case <-ctx.Done():
				return nil // the walk or the saver says why
			}
			r.SetAnalysis(a)
		}
		if u.post != nil {
			if err := p.cache(&rows, u.post, u.rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// cache encodes the rows of post from all its stored comments, cs, and
// puts them in the block cache, as fill would from the store.
func (p pendingAnalyser) cache(rows *postRows, post *store.PostRow, cs []store.PendingRow) error {
	// The store reads a post's comments by position; cs is in storage
	// order, which a stable sort keeps among equal positions.
	slices.SortStableFunc(cs, func(a, b store.PendingRow) int { return a.Position - b.Position })
	rows.reset()
	for i := range cs {
		c := cs[i].CommentRow
		c.PostDate, c.DateSource, c.SourceFile, c.PostSourceID = post.Date, post.DateSource, post.SourceFile, post.SourceID
		if err := rows.add(c); err != nil {
			return err
		}
	}
	_, err := p.blocks.Put(post.ID, post.Gen, rows.csv, rows.lean)
	return err
}

// save is the saver goroutine of Analyse: it stores results in batches
// and counts them in *done; on a failure it cancels the work and drains.
func (p pendingAnalyser) save(ctx context.Context, cancel func(), results <-chan analysis.Analysis, total int, done *int) error {
	batch := make([]analysis.Analysis, 0, analyseBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := p.st.SaveAnalyses(ctx, p.key, batch); err != nil {
			return err
		}
		*done += len(batch)
		p.progress("analyse", *done, total)
		batch = batch[:0]
		return nil
	}
	for a := range results {
		batch = append(batch, a)
		if len(batch) == analyseBatch {
			if err := flush(); err != nil {
				cancel()
				for range results { // let the workers finish
				}
				return err
			}
		}
	}
	return flush()
}

// postGrouper gathers the comments of the walk into units: a wanted post's
// comments once all of them (PostRow.FoundComments) have come by, and the
// other pending comments in batches. A wanted post whose comments do not
// all come by (some lie at or below the mark), or that is given up to keep
// at most held comments, has its pending comments analysed only, and its
// rows are left to fill.
type postGrouper struct {
	wanted map[string]*store.PostRow // deleted once a post is emitted or given up
	open   map[string][]store.PendingRow
	order  []string // open posts, by first comment; closed ones are skipped
	held   int      // comments in open
	limit  int
	loose  []store.PendingRow
	emit   func(pendingUnit) error
}

func newPostGrouper(wanted map[string]*store.PostRow, limit int, emit func(pendingUnit) error) *postGrouper {
	return &postGrouper{wanted: wanted, open: map[string][]store.PendingRow{}, limit: limit, emit: emit}
}

// add takes one comment of the walk (copied: the walk reuses *r).
func (g *postGrouper) add(r *store.PendingRow) error {
	post := g.wanted[r.PostID]
	if post == nil {
		if r.Pending {
			return g.addLoose(*r)
		}
		return nil
	}
	rows, ok := g.open[r.PostID]
	if !ok {
		g.order = append(g.order, r.PostID)
	}
	rows = append(rows, *r)
	g.held++
	if len(rows) < post.FoundComments {
		g.open[r.PostID] = rows
		return g.giveUpBeyond(g.limit)
	}
	delete(g.open, r.PostID)
	delete(g.wanted, r.PostID)
	g.held -= len(rows)
	return g.emit(pendingUnit{post: post, rows: rows})
}

// addLoose queues a pending comment to be analysed only.
func (g *postGrouper) addLoose(r store.PendingRow) error {
	g.loose = append(g.loose, r)
	if len(g.loose) < looseBatch {
		return nil
	}
	u := pendingUnit{rows: g.loose}
	g.loose = nil
	return g.emit(u)
}

// giveUpBeyond gives up open posts, those held longest first, until at
// most n comments are held.
func (g *postGrouper) giveUpBeyond(n int) error {
	for g.held > n && len(g.order) > 0 {
		id := g.order[0]
		g.order = g.order[1:]
		rows, ok := g.open[id]
		if !ok {
			continue // emitted
		}
		delete(g.open, id)
		delete(g.wanted, id)
		g.held -= len(rows)
		for _, r := range rows {
			if r.Pending {
				if err := g.addLoose(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// finish hands over what is left once the walk is over.
func (g *postGrouper) finish() error {
	if err := g.giveUpBeyond(0); err != nil {
		return err
	}
	if len(g.loose) == 0 {
		return nil
	}
	u := pendingUnit{rows: g.loose}
	g.loose = nil
	return g.emit(u)
}
