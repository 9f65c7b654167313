// Package pipeline runs the nightly job: discover the inputs, read the new
// or changed ones into the store, analyse every comment that lacks an
// analysis under the current models, and publish the reports, rebuilt from
// the store, in one atomic step.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"chorus/corpus"
	"chorus/internal/version"
	"chorus/models/redact"
	"chorus/models/text"
	"chorus/models/topics"
	"chorus/pipeline/store"
	"chorus/reports"
)

// ErrLocked is returned when another run holds the database.
var ErrLocked = store.ErrLocked

// Summary is what a run did, for the closing line and the runs table.
type Summary struct {
	Files, FilesRead, FilesUnchanged, FilesRejected, FilesVanished int
	Posts                                                          int
	Comments                                                       int // stored and not vanished
	New, Updated, Unchanged, Removed                               int // comments, by the files read this run
	Analysed                                                       int
	Undated                                                        int // counted comments whose post has no date
	Out, Database                                                  string
	Elapsed                                                        time.Duration
}

// String is the one-line summary printed at the end of a run.
func (s Summary) String() string {
	return fmt.Sprintf("chorus: %d posts, %d comments (%d new, %d updated, %d unchanged, %d removed); %d files read, %d unchanged, %d rejected, %d vanished; %d analysed; %d undated; reports in %s (%.1fs)",
		s.Posts, s.Comments, s.New, s.Updated, s.Unchanged, s.Removed, s.FilesRead, s.FilesUnchanged, s.FilesRejected, s.FilesVanished,
		s.Analysed, s.Undated, s.Out, s.Elapsed.Seconds())
}

// Runner holds what a run needs besides its configuration.
type Runner struct {
	Log      *slog.Logger
	Progress io.Writer // where a progress line goes; nil for none
}

// Run executes one nightly run. On any error nothing is published: the
// previous reports stay as they were.
func (r *Runner) Run(ctx context.Context, cfg Config) (Summary, error) {
	start := time.Now()
	log := r.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := cfg.Validate(); err != nil {
		return Summary{}, err
	}
	sum := Summary{Out: cfg.Output, Database: cfg.DatabasePath()}
	dbPath := cfg.DatabasePath()
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return sum, fmt.Errorf("create folder for %s: %w", dbPath, err)
	}
	unlock, err := store.Lock(dbPath)
	if err != nil {
		return sum, err
	}
	defer unlock()

	an, err := newAnalyser(cfg)
	if err != nil {
		return sum, err
	}
	if note := an.sentiment.Note(); note != "" {
		log.Warn("sentiment model", "model", an.sentiment.Name(), "note", note)
	}
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return sum, err
	}
	defer st.Close()
	runID, err := st.BeginRun(ctx)
	if err != nil {
		return sum, err
	}
	sum, err = r.run(ctx, cfg, st, an, runID, sum, log)
	sum.Elapsed = time.Since(start)
	status, msg := "ok", ""
	if err != nil {
		status, msg = "failed", err.Error()
		if ctx.Err() != nil {
			status = "interrupted"
		}
	}
	// Record the run even when it failed; a fresh context, so an
	// interrupted run is still written down.
	if ferr := st.FinishRun(context.WithoutCancel(ctx), runID, status, sum, msg); ferr != nil && err == nil {
		err = ferr
	}
	return sum, err
}

func newAnalyser(cfg Config) (*Analyser, error) {
	seg, err := text.NewSegmenter()
	if err != nil {
		return nil, err
	}
	var tax *topics.Taxonomy
	if cfg.Taxonomy != "" {
		tax, err = topics.Load(cfg.Taxonomy)
	} else {
		tax, err = topics.Default()
	}
	if err != nil {
		return nil, err
	}
	tagger, err := topics.NewTagger(tax)
	if err != nil {
		return nil, err
	}
	sent, err := NewSentiment(cfg)
	if err != nil {
		return nil, err
	}
	return &Analyser{seg: seg, sentiment: sent, tagger: tagger, taxonomy: tax}, nil
}

// NewSentiment builds the configured sentiment model.
func NewSentiment(cfg Config) (Sentiment, error) {
	// Each branch returns its own nil on error: a typed nil pointer in the
	// interface would look like a model.
	switch cfg.Model {
	case "vader":
		m, err := newVaderModel()
		if err != nil {
			return nil, err
		}
		return m, nil
	case "lexicon":
		m, err := newLexiconModel(cfg)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	return newDomainModel(cfg)
}

func (r *Runner) run(ctx context.Context, cfg Config, st *store.Store, an *Analyser, runID int64, sum Summary, log *slog.Logger) (Summary, error) {
	var stages []reports.Stage
	stage := func(name string, t0 time.Time, items int) {
		stages = append(stages, reports.Stage{Name: name, Seconds: time.Since(t0).Seconds(), Items: items})
		log.Info("stage done", "stage", name, "items", items, "seconds", fmt.Sprintf("%.2f", time.Since(t0).Seconds()))
	}
	// The previous report cache and comments.csv are checked meanwhile.
	prep := prepareCache(ctx, cachePath(st.Path()), filepath.Join(cfg.Output, "comments.csv"))
	defer prep.close()
	red := redact.New()
	opts := corpus.Options{MaxFileSize: cfg.MaxFileBytes, MaxCommentBytes: cfg.MaxCommentBytes}
	format, _ := corpus.ParseFormat(cfg.Format)
	opts.Format = format

	// 1. Discover.
	t0 := time.Now()
	var (
		sources []source
		rejects []corpus.Reject
		err     error
	)
	if len(cfg.Inputs) == 0 {
		sources, err = sampleSources(effectiveLimit(cfg.MaxFileBytes))
	} else {
		sources, rejects, err = discover(cfg.Inputs, effectiveLimit(cfg.MaxFileBytes))
	}
	if err != nil {
		return sum, err
	}
	sum.Files = len(sources)
	stage("discover", t0, len(sources))

	// The analysis key is needed from the start: new files are analysed as
	// they are read (see readAll's worker below).
	key := an.Key()
	if err := st.DescribeKey(ctx, key, an.Describe()); err != nil {
		return sum, err
	}

	// Unless originals are kept, documents are redacted on the read workers
	// and stored as they are (storeRedact nil); with originals, the store
	// redacts as it writes, keeping the text it was given as raw_text.
	storeRedact := red.Text
	if !cfg.KeepRawText {
		storeRedact = nil
	}

	// The spool encodes the report rows of the files stored whole as they
	// are stored (see spool.go). Without one the reports read the store.
	var sp *spool
	if !cfg.noSpool {
		topics, id := reportIdentity(an, key)
		if sp, err = newSpool(ctx, st.Path(), id, topics, cfg.KeepRawText, storeRedact); err != nil {
			log.Warn("report rows will be read back from the database", "err", err)
			sp = nil
		} else {
			defer sp.remove()
		}
	}

	// 2. Read what is new or changed, and analyse its comments.
	t0 = time.Now()
	present := make([]string, 0, len(sources))
	for _, rj := range rejects {
		if err := st.RejectDocument(ctx, rj); err != nil {
			return sum, err
		}
		present = append(present, rj.Path)
		sum.FilesRejected++
		log.Warn("input rejected", "file", rj.Path, "reason", rj.Reason)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// The stored digest of every known file, read once: one query instead
	// of one per file (41,000 files in a 1M-comment archive).
	docs, err := st.Documents(ctx)
	if err != nil {
		return sum, err
	}
	stored := make(map[string]store.DocumentRow, len(docs))
	for _, d := range docs {
		stored[d.Path] = d
	}
	// A file whose size and modification time are those recorded when its
	// stored content was read is taken as unchanged without reading it (the
	// rule make and rsync follow; see SetStats). Otherwise it is read and
	// hashed, and an unchanged SHA-256 still spares parsing and storing it.
	// A stat is only recorded when the file's mtime is older than the run by
	// more than a coarse file system's clock tick, so a file rewritten in
	// the same tick as it was read is never mistaken for the one read.
	// --rehash (Config.Rehash) reads and hashes every file regardless.
	settled := t0.Add(-2 * time.Second).UnixNano()
	// Files are read, hashed and parsed on the workers, and written to the
	// store here, in discovery order.
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading() // an early return stops the feeding goroutine
	results, taken := readAll(readCtx, sources, workers, func(src source) readResult {
		var res readResult
		if src.stat != nil && !cfg.Rehash {
			size, mtime, ok := src.stat()
			d, known := stored[src.name]
			if ok && known && d.Status == store.StatusOK && d.MtimeNS != 0 && d.MtimeNS == mtime && d.Size == size {
				return readResult{unchanged: true}
			}
			if ok && mtime < settled {
				res.stat = &store.FileStat{Path: src.name, Size: size, MtimeNS: mtime}
			}
		}
		data, rej := src.read()
		if rej != nil {
			return readResult{rej: rej}
		}
		digest := sha256.Sum256(data)
		sum := hex.EncodeToString(digest[:])
		if res.stat != nil {
			res.stat.SHA256 = sum
		}
		if stored[src.name].SHA256 == sum {
			res.unchanged = true
			return res
		}
		o := opts
		o.Dates = src.dates
		res.doc, res.rej = corpus.Parse(src.name, data, o)
		if res.doc != nil && res.rej == nil {
			// Redacted and analysed here, on the workers, while the store
			// writes the files before: the analyses are saved with the
			// comments, so nothing is read back from the database to be
			// analysed, and the single writer has less to do.
			if storeRedact == nil {
				store.RedactDocument(res.doc, red.Text)
			}
			res.analyses = analyseDocument(an, storeRedact, res.doc)
		}
		return res
	})
	var stats []store.FileStat
	// Documents are stored in batches, one transaction each (committing
	// is most of the cost of storing a small file), by a goroutine of their
	// own: the workers parse and analyse the next batch while one is
	// written, instead of waiting for it with their small look-ahead full.
	type storeBatch struct {
		docs     []*corpus.Document
		analyses [][]store.Analysis
	}
	var (
		batch         storeBatch
		batchComments int
		// Owned by the writer goroutine until finishWriting returns.
		written struct {
			files, analysed int
			changes         store.Changes
			busy            time.Duration // inside the store's transactions
		}
	)
	toWrite := make(chan storeBatch, 1)
	failed := make(chan struct{}) // closed when a write fails
	writeErr := make(chan error, 1)
	go func() {
		var err error
		for b := range toWrite {
			if err != nil {
				continue // drain: the run is failing
			}
			t := time.Now()
			sts, saved, e := st.ReplaceAnalysed(ctx, b.docs, cfg.KeepRawText, storeRedact, key, b.analyses)
			written.busy += time.Since(t)
			if e != nil {
				err = e
				close(failed)
				continue
			}
			written.analysed += saved
			written.files += len(b.docs)
			for i, stored := range sts {
				written.changes = written.changes.Add(stored.Changes)
				if sp != nil {
					sp.add(b.docs[i], b.analyses[i], stored)
				}
				for _, f := range b.docs[i].Flags {
					log.Warn("input flagged", "file", b.docs[i].Path, "flag", f)
				}
			}
		}
		writeErr <- err
	}()
	writing := true
	finishWriting := func() error {
		if !writing {
			return nil
		}
		writing = false
		close(toWrite)
		return <-writeErr
	}
	defer finishWriting() // an early return stops the writer before the store closes
	flush := func() error {
		if len(batch.docs) == 0 {
			return nil
		}
		select {
		case toWrite <- batch:
		case <-failed:
			return finishWriting()
		}
		batch, batchComments = storeBatch{}, 0
		return nil
	}
	for i, src := range sources {
		present = append(present, src.name)
		r.progress("read", i+1, len(sources))
		res := <-results[i]
		if res.err != nil {
			return sum, res.err
		}
		taken()
		if res.stat != nil && res.rej == nil {
			stats = append(stats, *res.stat)
		}
		switch {
		case res.unchanged:
			sum.FilesUnchanged++
		case res.rej != nil:
			if err := st.RejectDocument(ctx, *res.rej); err != nil {
				return sum, err
			}
			sum.FilesRejected++
			log.Warn("input rejected", "file", res.rej.Path, "reason", res.rej.Reason)
		default:
			batch.docs = append(batch.docs, res.doc)
			batch.analyses = append(batch.analyses, res.analyses)
			for _, p := range res.doc.Posts {
				batchComments += len(p.Comments)
			}
			if len(batch.docs) >= storeBatchFiles || batchComments >= storeBatchComments {
				if err := flush(); err != nil {
					return sum, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	if err := finishWriting(); err != nil {
		return sum, err
	}
	sum.FilesRead, sum.Analysed = written.files, written.analysed
	changes := written.changes
	// How long the single writer was busy, against the stage's time: the
	// read stage cannot be shorter.
	log.Info("files stored", "files", written.files, "write_seconds", fmt.Sprintf("%.2f", written.busy.Seconds()))
	r.progressDone()
	sum.New, sum.Updated, sum.Unchanged, sum.Removed = changes.Added, changes.Updated, changes.Unchanged, changes.Removed
	vanished, err := st.MarkVanished(ctx, present)
	if err != nil {
		return sum, err
	}
	for _, v := range vanished {
		log.Warn("input vanished: its posts are kept in the database but left out of reports", "file", v)
	}
	// After MarkVanished, so that a file restored unchanged is ok again.
	if err := st.SetStats(ctx, stats); err != nil {
		return sum, err
	}
	sum.FilesVanished = len(vanished)
	var spooled spoolResult
	if sp != nil {
		if spooled.cache, spooled.csv, err = sp.finish(); err != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			log.Warn("report rows will be read back from the database", "err", err)
			spooled = spoolResult{}
		}
	}
	stage("read", t0, sum.FilesRead)

	if !cfg.KeepRawText {
		// Originals kept by an earlier --keep-raw-text run must not outlive
		// the decision to stop keeping them.
		n, err := st.ClearRawText(ctx)
		if err != nil {
			return sum, err
		}
		if n > 0 {
			log.Info("removed original comment texts kept by earlier runs", "comments", n)
		}
	}

	// 3. Analyse every counted comment still lacking an analysis under this
	// key: everything stored before a model, lexicon or taxonomy change, or
	// what an interrupted run left. What this run read was analysed as it
	// was read, so on an ordinary run this finds nothing.
	t0 = time.Now()
	n, err := r.analyse(ctx, cfg, st, an, key)
	if err != nil {
		return sum, err
	}
	sum.Analysed += n
	stage("analyse", t0, n)

	// 4. Reports, from the store, into a staging folder, then published.
	t0 = time.Now()
	in, streamErr, counts, saveCache, err := r.reportInput(ctx, cfg, st, an, key, runID, prep, spooled, log)
	if err != nil {
		return sum, err
	}
	published := false
	defer func() {
		if !published {
			saveCache(false)
		}
	}()
	sum.Posts, sum.Comments, sum.Undated = counts.posts, counts.comments, counts.undated
	in.Manifest.Stages = stages
	staging, err := stagingDir(cfg.Output)
	if err != nil {
		return sum, err
	}
	defer os.RemoveAll(staging) // gone after a good publish; cleans up a failed one
	if err := reports.Write(ctx, staging, in); err != nil {
		return sum, fmt.Errorf("write reports: %w", err)
	}
	if err := streamErr(); err != nil {
		return sum, fmt.Errorf("write reports: %w", err)
	}
	if err := publish(staging, cfg.Output); err != nil {
		return sum, err
	}
	// The reports are out; a cache that fails to save only costs the next
	// run its reuse (the old cache no longer matches comments.csv).
	published = true
	if err := saveCache(true); err != nil {
		log.Warn("report cache not saved: the next run rebuilds the reports whole", "err", err)
	}
	stage("report", t0, sum.Comments)
	return sum, nil
}

// A batch of documents is stored when it holds this many files or comments.
const (
	storeBatchFiles    = 200
	storeBatchComments = 5000
)

// analyseDocument analyses every comment of doc that counts, in the
// document's order, from its text as the store will keep it: passed
// through redact (nil when doc is redacted already); this is the order
// store.ReplaceAnalysed takes them in. A comment counts as the store decides
// it (store.Counted).
func analyseDocument(an *Analyser, redact func(string) string, doc *corpus.Document) []store.Analysis {
	var out []store.Analysis
	for i := range doc.Posts {
		p := &doc.Posts[i]
		for j := range p.Comments {
			c := &p.Comments[j]
			if !store.Counted(c) {
				continue
			}
			text := c.Text
			if redact != nil {
				text = redact(text)
			}
			out = append(out, an.Analyse(store.CommentText{ID: c.ID, PostID: p.ID, Text: text}))
		}
	}
	return out
}

// readResult is what a worker made of one source.
type readResult struct {
	doc       *corpus.Document
	analyses  []store.Analysis // of doc's counted comments, by analyseDocument
	rej       *corpus.Reject
	unchanged bool // same SHA-256 (or size and mtime) as stored: not parsed
	// stat is what to record of a file read and hashed; nil when the file's
	// mtime is too recent to be trusted, or unknown.
	stat *store.FileStat
	err  error
}

// readAll runs fn over sources on workers goroutines and returns one
// channel per source, each receiving its result once, and done, which the
// caller calls after taking each result. At most 4*workers results are
// parsed and not yet taken, so memory stays bounded however many files
// there are and however slow the caller is. Cancelling ctx stops the
// feeding; results already under way still arrive.
func readAll(ctx context.Context, sources []source, workers int, fn func(source) readResult) (results []chan readResult, done func()) {
	out := make([]chan readResult, len(sources))
	for i := range out {
		out[i] = make(chan readResult, 1)
	}
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range sources {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				for j := i; j < len(sources); j++ {
					out[j] <- readResult{err: ctx.Err()}
				}
				return
			}
			jobs <- i
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			for i := range jobs {
				out[i] <- fn(sources[i])
			}
		}()
	}
	return out, func() { <-window }
}

func effectiveLimit(n int64) int64 {
	if n > 0 {
		return n
	}
	return corpus.DefaultMaxFileSize
}

// analyseBatch is how many analyses are saved per transaction.
const analyseBatch = 2000

// analyse runs the models over pending comments on cfg.Workers goroutines
// and saves the results in batches, one transaction each.
func (r *Runner) analyse(ctx context.Context, cfg Config, st *store.Store, an *Analyser, key string) (int, error) {
	total, err := st.CountPending(ctx, key)
	if err != nil {
		return 0, err
	}
	if total == 0 {
		return 0, nil
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan store.CommentText, 4*analyseBatch)
	results := make(chan store.Analysis, 4*analyseBatch)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				select {
				case results <- an.Analyse(j):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	// The saver: one goroutine owns writes, in batches.
	saved := make(chan error, 1)
	done := 0
	go func() {
		batch := make([]store.Analysis, 0, analyseBatch)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if err := st.SaveAnalyses(ctx, key, batch); err != nil {
				return err
			}
			done += len(batch)
			r.progress("analyse", done, total)
			batch = batch[:0]
			return nil
		}
		for a := range results {
			batch = append(batch, a)
			if len(batch) == analyseBatch {
				if err := flush(); err != nil {
					cancel()
					for range results { // let workers finish
					}
					saved <- err
					return
				}
			}
		}
		saved <- flush()
	}()
	// The walk collects pending comments in pages before handing them out,
	// so no read is open while the saver writes.
	walkErr := st.PendingAnalysis(ctx, key, func(c store.CommentText) error {
		select {
		case jobs <- c:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	close(results)
	saveErr := <-saved
	r.progressDone()
	if saveErr != nil {
		return done, fmt.Errorf("save analyses: %w", saveErr)
	}
	if walkErr != nil {
		return done, walkErr
	}
	return done, nil
}

type reportCounts struct{ posts, comments, undated int }

// spoolResult is a finished spool: a report cache of the posts stored whole
// this run and the comments.csv it describes; both nil for none.
type spoolResult struct {
	cache *reportCache
	csv   *os.File
}

// reportIdentity lists the taxonomy's topics for the reports and names
// what every comments.csv block depends on besides its post.
func reportIdentity(an *Analyser, key string) ([]reports.Topic, csvIdentity) {
	var topics []reports.Topic
	id := csvIdentity{key: key, version: version.Version, topics: []string{}}
	for _, t := range an.taxonomy.Topics() {
		topics = append(topics, reports.Topic{Name: t.Name, Label: t.Label})
		id.topics = append(id.topics, t.Name)
	}
	return topics, id
}

// streamChunk is how many comments the database reader hands over at a time.
const streamChunk = 512

// reportInput assembles the reports' input from the store. Comments are
// streamed from the database on each pass; only posts and rejects, which
// are few, are held in memory.
//
// The returned function reports an error met while streaming comments:
// Write sees only a short stream, so the caller must check it before
// publishing.
//
// The returned saveCache must be called once: with true after the reports
// are published, it saves the report cache (see reuse.go) for the next run;
// with false, it drops it.
func (r *Runner) reportInput(ctx context.Context, cfg Config, st *store.Store, an *Analyser, key string, runID int64, prep *cachePrep, spooled spoolResult, log *slog.Logger) (
	in reports.Input, streamErrOf func() error, rc reportCounts, saveCache func(publishedOK bool) error, err error) {
	var streamErr error
	posts, err := st.Posts(ctx)
	if err != nil {
		return in, nil, rc, nil, err
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return in, nil, rc, nil, err
	}
	rejects, err := st.Rejects(ctx)
	if err != nil {
		return in, nil, rc, nil, err
	}
	in = reports.Input{Version: version.Version, Period: cfg.Period}
	var id csvIdentity
	in.Topics, id = reportIdentity(an, key)
	for _, e := range cfg.Events {
		in.Events = append(in.Events, reports.Event{Date: e.Date, Name: e.Name, Description: e.Description})
	}
	perDoc := map[string]*reports.InputFile{}
	for _, p := range posts {
		in.Posts = append(in.Posts, reports.Post{ID: p.ID, Date: p.Date, DateSource: string(p.DateSource), Title: p.Title,
			SourceFile: p.SourceFile, Declared: p.DeclaredComments, Found: p.FoundComments})
		rc.posts++
		rc.comments += p.CountedComments
		if p.Date == "" {
			rc.undated += p.CountedComments
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
		if d.Status == "vanished" {
			continue
		}
		f := perDoc[d.Path]
		if f == nil {
			f = &reports.InputFile{Path: d.Path}
		}
		f.SHA256, f.Format = d.SHA256, string(d.Format)
		if d.Status == "rejected" {
			f.Rejects = 1
		}
		in.Manifest.Inputs = append(in.Manifest.Inputs, *f)
	}
	for _, rj := range rejects {
		in.Rejects = append(in.Rejects, reports.Reject{Path: rj.Path, SHA256: rj.SHA256, Reason: rj.Reason})
	}
	in.Manifest.SentimentModel = an.sentiment.Name()
	in.Manifest.SentimentNote = an.sentiment.Note()
	in.Confusion = an.sentiment.Confusion()
	in.Manifest.LexiconSHA256 = an.sentiment.Hash()
	in.Manifest.TaxonomySHA256 = an.taxonomy.Hash()
	in.Manifest.ModelVersion = "analysis " + analysisVersion + ", key " + key
	if cfg.source != nil {
		h := sha256.Sum256(cfg.source)
		in.Manifest.ConfigSHA256 = hex.EncodeToString(h[:])
	}
	cj, err := json.Marshal(cfg)
	if err != nil {
		return in, nil, rc, nil, fmt.Errorf("encode config: %w", err)
	}
	in.Manifest.Config = cj
	in.Manifest.StartedAt = time.Now().UTC().Format(time.RFC3339)

	run, ok, err := st.Run(ctx, runID)
	if err != nil {
		return in, nil, rc, nil, err
	}
	if !ok {
		return in, nil, rc, nil, fmt.Errorf("run %d is not in the database", runID)
	}
	id.run = run
	// The next report cache is written as the reports are; saveCache puts
	// it in place once they are published.
	next, err := newCacheWriter(cachePath(st.Path()))
	if err != nil {
		return in, nil, rc, nil, err
	}
	saveCache = func(publishedOK bool) error {
		if !publishedOK {
			next.discard()
			return nil
		}
		return next.finish(id, posts, cfg.Output)
	}
	old, prevCSV, err := prep.wait()
	if err == nil && old != nil {
		var ok bool
		if ok, err = old.usable(ctx, st, id); !ok {
			old = nil
		}
	}
	if err != nil {
		next.discard()
		return in, nil, rc, nil, err
	}
	from := "previous"
	if old == nil && spooled.cache != nil && 2*len(spooled.cache.meta.Posts) >= len(posts) {
		// No previous run to reuse, but this run spooled the rows of what
		// it stored: copy those, read the rest from the store, post by
		// post. When the spool holds less than half the posts, one scan of
		// the store (below) is cheaper than a query per post.
		old, prevCSV, from = spooled.cache, spooled.csv, "spool"
	}
	if old != nil {
		// A nightly run: comments.csv from the previous one's unchanged
		// blocks, the aggregates from the cached lean rows of the same
		// posts; only changed posts are read from the store.
		b := &csvBuilder{ctx: ctx, st: st, key: key, enc: reports.NewCommentEncoder(in.Topics, in.Version),
			posts: posts, old: old, prev: prevCSV, next: next}
		in.CommentsCSV = func(w reports.CSVWriter) error {
			err := b.write(w)
			log.Info("comments.csv assembled", "posts_copied", b.reused, "from", from, "posts_encoded", len(posts)-b.reused)
			return err
		}
		in.Lean = func(yield func(reports.Comment) bool) {
			streamErr = leanStream(ctx, st, key, posts, old, yield)
		}
		in.Resolve = func(refs []int64) ([]reports.Comment, error) {
			out := make([]reports.Comment, len(refs))
			for i, seq := range refs {
				c, ok, err := st.CommentBySeq(ctx, key, seq)
				if err != nil {
					return nil, err
				}
				if !ok {
					return nil, fmt.Errorf("comment row %d is gone", seq)
				}
				out[i] = reportComment(c)
			}
			return out, nil
		}
		return in, func() error { return streamErr }, rc, saveCache, nil
	}
	in.Blocks = next.addBlock
	// The database is read on a goroutine of its own, a chunk of rows ahead
	// of the reports: scanning rows and writing them out then run on both
	// cores instead of one after the other. That goroutine also records the
	// lean rows for the next run.
	in.Comments = func(yield func(reports.Comment) bool) {
		rec := recorder{next: next}
		streamErr = streamAhead(ctx, func(emit func(reports.Comment) error) error {
			err := st.Comments(ctx, key, func(c store.CommentRow) error {
				if !exported(c) {
					return nil // deleted, spam, oversize: counted in posts, never exported as text
				}
				rc := reportComment(c)
				rec.add(rc, 0)
				return emit(rc)
			})
			if err == nil {
				rec.end()
			}
			return err
		}, yield)
	}
	return in, func() error { return streamErr }, rc, saveCache, nil
}

// streamAhead runs produce on a goroutine of its own, handing what it
// emits to yield in chunks, so that reading the database and using the rows
// run on both cores. It returns produce's error; a stop from yield is not
// one.
func streamAhead(ctx context.Context, produce func(emit func(reports.Comment) error) error, yield func(reports.Comment) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []reports.Comment, 4)
	errc := make(chan error, 1)
	go func() {
		defer close(chunks)
		chunk := make([]reports.Comment, 0, streamChunk)
		err := produce(func(c reports.Comment) error {
			chunk = append(chunk, c)
			if len(chunk) == streamChunk {
				select {
				case chunks <- chunk:
				case <-ctx.Done():
					return ctx.Err()
				}
				chunk = make([]reports.Comment, 0, streamChunk)
			}
			return nil
		})
		if err == nil && len(chunk) > 0 {
			select {
			case chunks <- chunk:
			case <-ctx.Done():
			}
		}
		errc <- err
	}()
	for chunk := range chunks {
		for _, c := range chunk {
			if !yield(c) {
				cancel()
				for range chunks { // let the reader stop
				}
				<-errc
				return nil
			}
		}
	}
	return <-errc
}

func (r *Runner) progress(stage string, i, n int) {
	if r.Progress == nil || n == 0 {
		return
	}
	fmt.Fprintf(r.Progress, "\r%-8s %d/%d (%3.0f%%)", stage, i, n, 100*float64(i)/float64(n))
}

func (r *Runner) progressDone() {
	if r.Progress != nil {
		fmt.Fprint(r.Progress, "\r\033[K")
	}
}
