package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"chorus/internal/version"
	"chorus/models/redact"
	"chorus/models/text"
	"chorus/models/topics"
	"chorus/pipeline/store"
	"chorus/reports"
)

// ErrLocked is returned when another run holds the database.
var ErrLocked = store.ErrLocked

// ErrRefused is returned (wrapped, with the reason) when a run declines to
// publish: it found no input, or would publish far fewer comments than the
// last run did, or the database failed its check. The previous reports stay
// as they were.
var ErrRefused = errors.New("refused to publish")

// Summary is what a run did, for the closing line and the runs table.
type Summary struct {
	Files, FilesRead, FilesUnchanged, FilesRejected, FilesVanished int
	Posts                                                          int
	Comments                                                       int // counted: stored, not vanished, published, not duplicates
	Stored                                                         int // every stored comment of the current files, counted or not
	New, Updated, Unchanged, Removed                               int // comments, by the files read this run
	Analysed                                                       int
	Retagged                                                       int // of Analysed: counts and sentiment kept, topics recomputed (a taxonomy change)
	Undated                                                        int // counted comments whose post has no date
	Out, Database                                                  string
	Elapsed                                                        time.Duration
}

// String is the one-line summary printed at the end of a run. Its counts
// add up: the comments counted are those stored less the duplicates,
// deleted, spam and oversize ones; new, updated, unchanged and removed
// describe the comments of the files this run read.
func (s Summary) String() string {
	analysed := strconv.Itoa(s.Analysed) + " analysed"
	if s.Retagged > 0 {
		analysed += fmt.Sprintf(" (%d of them re-tagged only)", s.Retagged)
	}
	return fmt.Sprintf("chorus: %d posts, %d comments counted (%d stored, %d of them duplicates, deleted or spam); files: %d found, %d read, %d unchanged, %d rejected, %d vanished; in the files read: %d comments new, %d updated, %d unchanged, %d removed; %s; %d undated; reports in %s (%.1fs)",
		s.Posts, s.Comments, s.Stored, s.Stored-s.Comments, s.Files, s.FilesRead, s.FilesUnchanged, s.FilesRejected, s.FilesVanished,
		s.New, s.Updated, s.Unchanged, s.Removed, analysed, s.Undated, s.Out, s.Elapsed.Seconds())
}

// Runner holds what a run needs besides its configuration.
type Runner struct {
	Log      *slog.Logger
	Progress io.Writer // where a progress line goes; nil for none
}

// job is one run's shared state: what every stage reads, and the summary
// they fill in. The stages (see the package comment) take the run's
// context, so cancelling it (SIGINT, SIGTERM) stops whichever is running,
// and report progress through the job.
type job struct {
	cfg    Config
	st     *store.Store
	blocks *store.Blocks
	an     *Analyser
	key    string
	topics []reports.Topic
	red    *redact.Redactor
	log    *slog.Logger
	out    io.Writer // progress line; nil for none
	sum    *Summary
	stages []reports.Stage
	// read is set once the run has listed and read its inputs (Report
	// reads none).
	read bool
	// stamp is the last check's stamp when it still covers the file as
	// the run found it (nil otherwise); check is the run's check, closeErr
	// the store's close: stampCheck records the check from the three.
	stamp    *store.CheckStamp
	check    *dbCheck
	closeErr error
}

// Run executes one nightly run. On any error nothing is published: the
// previous reports stay as they were.
func (r *Runner) Run(ctx context.Context, cfg Config) (Summary, error) {
	return r.execute(ctx, cfg, (*job).run)
}

// Report rebuilds and publishes the reports from the store alone, reading
// no input: after a report folder was deleted or damaged, or to publish
// under another period. Every stored comment must have its analysis under
// the configured models already; otherwise it asks for a run.
func (r *Runner) Report(ctx context.Context, cfg Config) (Summary, error) {
	return r.execute(ctx, cfg, (*job).report)
}

// execute runs stages as one recorded run.
func (r *Runner) execute(ctx context.Context, cfg Config, stages func(*job, context.Context, *dbCheck) error) (Summary, error) {
	start := time.Now()
	log := r.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := cfg.Validate(); err != nil {
		return Summary{}, err
	}
	red := redact.New()
	// The summary is printed and stored with the run (runs.counts): its
	// paths pass the redactor, as every other string a run writes does.
	sum := Summary{Out: red.Text(cfg.Output), Database: red.Text(cfg.DatabasePath())}
	j, release, err := openJob(ctx, cfg, red, log)
	if err != nil {
		return sum, err
	}
	defer release()
	j.sum, j.out = &sum, r.Progress
	check := j.startCheck(ctx, start)
	runID, err := j.st.BeginRun(ctx)
	if err != nil {
		return sum, err
	}
	err = stages(j, ctx, check)
	if err != nil && ctx.Err() == nil {
		// A damaged page may have failed a read before the check was
		// consulted: say what is wrong, and how to recover.
		if cerr := check.wait(); errors.Is(cerr, store.ErrDamaged) {
			err = damaged(cerr)
		}
	}
	sum.Elapsed = time.Since(start)
	status, msg := "ok", ""
	if err != nil {
		status, msg = "failed", red.Text(err.Error())
		switch {
		case ctx.Err() != nil:
			status = "interrupted"
		case errors.Is(err, ErrRefused):
			status = "refused"
		}
	}
	// Record the run even when it failed; a fresh context, so an
	// interrupted run is still written down.
	if ferr := j.st.FinishRun(context.WithoutCancel(ctx), runID, status, sum, msg); ferr != nil && err == nil {
		err = ferr
	}
	return sum, err
}

// openJob takes the locks, builds the models and opens the store and its
// block cache; release undoes it all.
func openJob(ctx context.Context, cfg Config, red *redact.Redactor, log *slog.Logger) (_ *job, _ func(), err error) {
	var undo []func() error
	releaseAll := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	defer func() {
		if err != nil {
			releaseAll()
		}
	}()
	dbPath := cfg.DatabasePath()
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return nil, nil, fmt.Errorf("create folder for %s: %w", red.Text(dbPath), err)
	}
	unlock, err := store.Lock(dbPath)
	if err != nil {
		return nil, nil, err
	}
	undo = append(undo, unlock)
	// Two runs with other databases but the same report folder would race
	// on its staging folder and its publication: the folder has a lock too.
	unlockOut, err := store.Lock(outputLockPath(cfg.Output))
	if err != nil {
		return nil, nil, err
	}
	undo = append(undo, unlockOut)
	removeStale(dbPath)
	j := &job{cfg: cfg, red: red, log: log}
	if j.an, err = newAnalyser(cfg); err != nil {
		return nil, nil, err
	}
	if note := j.an.sentiment.Note(); note != "" {
		log.Warn("sentiment model", "model", j.an.sentiment.Name(), "note", red.Text(note))
	}
	j.key = j.an.Key()
	for _, t := range j.an.taxonomy.Topics() {
		j.topics = append(j.topics, reports.Topic{Name: t.Name, Label: t.Label})
	}
	// Whether the last check still covers the file is decided before
	// opening it: the open and the run change it.
	if stamp, ok := store.ReadCheckStamp(dbPath); ok && stamp.Covers(dbPath) {
		j.stamp = &stamp
	}
	if j.st, err = store.Open(ctx, dbPath); err != nil {
		return nil, nil, err
	}
	// Undone in reverse: the store is closed, then the stamp written, and
	// only then are the locks released.
	undo = append(undo, func() error { return j.stampCheck(dbPath) })
	undo = append(undo, func() error {
		j.closeErr = j.st.Close()
		return j.closeErr
	})
	if err := j.st.DescribeKey(ctx, j.key, j.an.SentimentKey(), j.an.Describe()); err != nil {
		return nil, nil, err
	}
	if j.blocks, err = store.OpenBlocks(dbPath, rowsIdentity(j.key, version.Version, j.topics)); err != nil {
		return nil, nil, err
	}
	undo = append(undo, j.blocks.Close)
	return j, releaseAll, nil
}

// dbCheck is the database's quick_check, run while the run reads: a
// damaged page would otherwise go unnoticed for as long as the block cache
// spares the run from reading it. It reads a snapshot of the file as the
// last run left it, on a connection of its own. A file exactly as the last
// checked run left it, checked fewer than db_check_days ago, is not read
// again (store.CheckStamp says why that is safe, and what it trusts).
type dbCheck struct {
	done chan struct{}
	err  error
	// checked is when the file was last found sound: now, once a check
	// passes, or the stamp's time when the check was skipped.
	checked time.Time
}

// startCheck starts the run's check, or skips it; start is the run's start.
func (j *job) startCheck(ctx context.Context, start time.Time) *dbCheck {
	c := &dbCheck{done: make(chan struct{})}
	j.check = c
	if st := j.stamp; st != nil && j.cfg.DBCheckDays > 0 &&
		start.Sub(st.Checked) < time.Duration(j.cfg.DBCheckDays)*24*time.Hour && !st.Checked.After(start) {
		c.checked = st.Checked
		close(c.done)
		j.log.Info("database check skipped: the file is as the run checked on "+st.Checked.UTC().Format(time.DateOnly)+" left it",
			"db_check_days", j.cfg.DBCheckDays)
		return c
	}
	go func() {
		defer close(c.done)
		if c.err = j.st.QuickCheck(ctx); c.err == nil {
			c.checked = start
		}
	}()
	return c
}

// stampCheck, once the store is closed, records that the file as it now
// is was found sound, when this run's check passed or was skipped over an
// unchanged file. Otherwise (the check failed, was cut short or never
// started, or the close failed) it removes any stamp, so that the next run
// checks. A stamp that cannot be written costs the next run a check.
func (j *job) stampCheck(db string) error {
	c := j.check
	ok := c != nil && j.closeErr == nil
	if ok {
		select {
		case <-c.done:
			ok = c.err == nil && !c.checked.IsZero()
		default:
			ok = false
		}
	}
	if !ok {
		return store.RemoveCheckStamp(db)
	}
	if err := store.WriteCheckStamp(db, c.checked); err != nil {
		j.log.Warn("database check not recorded: the next run checks the file", "err", j.red.Text(err.Error()))
		return err
	}
	return nil
}

// wait returns the check's result once it is known.
func (c *dbCheck) wait() error {
	<-c.done
	return c.err
}

// damaged is the refusal for a database that failed its check.
func damaged(err error) error {
	return fmt.Errorf("%w: %w (docs/database.md, \"A damaged database\", says how to recover)", ErrRefused, err)
}

// outputLockPath names the lock of a report folder (store.Lock adds
// ".lock"): a hidden file beside the folder, since the folder itself is
// replaced whole.
func outputLockPath(out string) string {
	out = filepath.Clean(out)
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out))
}

// removeStale removes what older chorus versions kept beside the database
// and no longer use: the report cache that pointed into the published
// comments.csv (DB.report-cache, and the temporary files killed runs left
// of it) and report spools (.DB.spool-*); and the temporary files a run
// killed while writing DB.checked or DB.validation left. The caller holds
// the database's lock. Staging folders are removed where they are made, block cache files
// by store.OpenBlocks.
func removeStale(db string) {
	dir, base := filepath.Dir(db), filepath.Base(db)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the run fails soon enough, with a clearer message
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, base+".report-cache") || strings.HasPrefix(n, "."+base+".spool-") ||
			strings.HasPrefix(n, base+".checked.tmp-") || strings.HasPrefix(n, base+".validation.tmp-") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// run wires the stages.
func (j *job) run(ctx context.Context, check *dbCheck) error {
	t0 := time.Now()
	sources, rejects, err := listSources(j.cfg, j.red)
	if err != nil {
		return err
	}
	j.sum.Files, j.read = len(sources), true
	j.stage("discover", t0, len(sources))

	t0 = time.Now()
	docs, err := j.st.Documents(ctx) // one query, not one per file
	if err != nil {
		return err
	}
	s := &storer{job: j, read: newReader(j.cfg, j.red, docs, t0), analyse: newDocumentAnalyser(j.an, j.red, j.cfg.KeepRawText)}
	if !j.cfg.noWarm {
		s.warm = newWarmer(ctx, j.blocks, reports.NewCommentEncoder(j.topics, version.Version), j.cfg.KeepRawText, s.analyse.storeRedact)
	}
	err = s.Store(ctx, sources, rejects)
	if s.warm != nil {
		if werr := s.warm.finish(); err == nil && werr != nil {
			err = fmt.Errorf("build report rows: %w", werr)
		}
	}
	if err != nil {
		return err
	}
	j.stage("read", t0, j.sum.FilesRead)

	t0 = time.Now()
	n, err := pendingAnalyser{j}.Analyse(ctx)
	if err != nil {
		return err
	}
	j.sum.Analysed += n
	j.stage("analyse", t0, n)

	if err := j.publish(ctx, check); err != nil {
		return err
	}
	j.prune(ctx)
	return nil
}

// prune deletes the analyses of keys beyond cfg.KeepAnalyses, once the
// reports are out. A failure costs nothing published, so it is logged and
// the run still succeeds; the next run tries again.
func (j *job) prune(ctx context.Context) {
	dropped, err := j.st.PruneAnalyses(ctx, j.key, j.cfg.KeepAnalyses)
	if len(dropped) > 0 {
		j.log.Info("deleted the analyses of older analysis keys", "keys", len(dropped), "keep_analyses", j.cfg.KeepAnalyses)
	}
	if err != nil {
		j.log.Warn("could not delete the analyses of older analysis keys; the next run tries again", "error", j.red.Text(err.Error()))
	}
}

// report is the run of Report: the aggregate and publish stages only.
func (j *job) report(ctx context.Context, check *dbCheck) error {
	n, err := j.st.CountPending(ctx, j.key)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d stored comments have no analysis under the configured models: run chorus run (with the same models) first", n)
	}
	return j.publish(ctx, check)
}

// publish runs the aggregate and publish stages. The block cache is only a
// cache: when its bytes fail their checksum (store.ErrBlocksDamaged, met
// while the reports are written, before anything is published), the run
// empties it and assembles and writes the reports again, every post encoded
// from the database as on a first run, into a fresh staging folder (the
// half-written one is gone with the failed attempt). Rows put then are
// checked as they are read, like any others, so a damaged byte is never
// published; a second failure fails the run. On the normal path this costs
// nothing: no read is added.
func (j *job) publish(ctx context.Context, check *dbCheck) error {
	t0 := time.Now()
	err := j.assembleAndPublish(ctx, check)
	if errors.Is(err, store.ErrBlocksDamaged) && ctx.Err() == nil {
		j.log.Warn("report block cache damaged and cleared: writing the reports again with every post encoded from the database",
			"err", j.red.Text(err.Error()))
		if err = j.blocks.Reset(); err == nil {
			err = j.assembleAndPublish(ctx, check)
		}
	}
	if err != nil {
		return err
	}
	j.stage("report", t0, j.sum.Comments)
	return nil
}

// assembleAndPublish is one attempt of publish.
func (j *job) assembleAndPublish(ctx context.Context, check *dbCheck) error {
	a, err := aggregator{j}.Assemble(ctx)
	if err != nil {
		return err
	}
	return publisher{job: j, check: check}.Publish(ctx, a)
}

// stage records that a stage took since t0 and handled items.
// workers is how many goroutines a stage runs its parallel work on:
// Config.Workers, or one per CPU.
func (j *job) workers() int {
	if j.cfg.Workers > 0 {
		return j.cfg.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (j *job) stage(name string, t0 time.Time, items int) {
	secs := time.Since(t0).Seconds()
	j.stages = append(j.stages, reports.Stage{Name: name, Seconds: secs, Items: items})
	j.log.Info("stage done", "stage", name, "items", items, "seconds", fmt.Sprintf("%.2f", secs))
}

func (j *job) progress(stage string, i, n int) {
	if j.out == nil || n == 0 {
		return
	}
	fmt.Fprintf(j.out, "\r%-8s %d/%d (%3.0f%%)", stage, i, n, 100*float64(i)/float64(n))
}

func (j *job) progressDone() {
	if j.out != nil {
		fmt.Fprint(j.out, "\r\033[K")
	}
}

func newAnalyser(cfg Config) (*Analyser, error) {
	seg, err := text.NewSegmenter()
	if err != nil {
		return nil, err
	}
	var tax *topics.Taxonomy
	if cfg.Taxonomy != "" {
		tax, err = ReadTaxonomy(cfg.Taxonomy)
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
