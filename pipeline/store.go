package pipeline

import (
	"context"
	"fmt"
	"time"

	"chorus/corpus"
	"chorus/internal/analysis"
	"chorus/pipeline/store"
)

// The store stage: new and changed files are written to the database in
// discovery order, with the analyses their read workers computed, by one
// writer goroutine, in batches of one transaction each (committing is most
// of the cost of storing a small file). The workers parse and analyse the
// next batch while one is written. Files that are gone are marked vanished.

// A batch of documents is stored when it holds this many files or comments.
const (
	storeBatchFiles    = 200
	storeBatchComments = 5000
)

// storer runs the read, analyse and store stages over a run's sources.
type storer struct {
	*job
	read    *reader
	analyse *documentAnalyser
	warm    *warmer // nil: no report rows are built while storing
}

// storeBatch is one transaction's documents and their analyses.
type storeBatch struct {
	docs     []*corpus.Document
	analyses [][]analysis.Analysis
}

// written is what the writer goroutine did; it owns it until it stops.
type written struct {
	files, analysed int
	changes         store.Changes
	busy            time.Duration // inside the store's transactions
}

// Store reads, analyses and stores sources, records the rejects discovery
// found, marks stored files that are no longer among the inputs vanished,
// and fills the summary's file and comment counts.
func (s *storer) Store(ctx context.Context, sources []source, rejects []corpus.Reject) error {
	present := make([]string, 0, len(sources)+len(rejects))
	for _, rj := range rejects {
		if err := s.reject(ctx, rj); err != nil {
			return err
		}
		present = append(present, rj.Path)
	}
	if err := s.rekeyLegacy(ctx, sources); err != nil {
		return err
	}
	workers := s.workers()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading() // an early return stops the feeding goroutine
	results, taken := readAll(readCtx, sources, workers, func(src source) readResult {
		res := s.read.Read(src)
		if res.doc != nil && res.rej == nil {
			res.analyses = s.analyse.Document(res.doc)
		}
		return res
	})
	w := s.startWriter(ctx)
	defer w.finish() // an early return stops the writer before the store closes
	var stats []store.FileStat
	for i, src := range sources {
		present = append(present, src.name)
		s.progress("read", i+1, len(sources))
		var res readResult
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			// A worker may be stuck in a read the kernel will not
			// interrupt (a hung network share): do not wait for it.
			return ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		taken()
		if res.stat != nil && res.rej == nil {
			stats = append(stats, *res.stat)
		}
		switch {
		case res.gone:
			present = present[:len(present)-1]
		case res.unreadable != "":
			s.sum.FilesUnchanged++
			s.log.Warn("input could not be read; its stored comments are kept as they were", "file", src.name, "reason", s.red.Text(res.unreadable))
		case res.unchanged:
			s.sum.FilesUnchanged++
		case res.rej != nil:
			if err := s.reject(ctx, *res.rej); err != nil {
				return err
			}
		default:
			if err := w.add(res.doc, res.analyses); err != nil {
				return err
			}
		}
	}
	done, err := w.finish()
	if err != nil {
		return err
	}
	s.progressDone()
	s.log.Info("files stored", "files", done.files, "write_seconds", fmt.Sprintf("%.2f", done.busy.Seconds()))
	ch := done.changes
	s.sum.FilesRead, s.sum.Analysed = done.files, done.analysed
	s.sum.New, s.sum.Updated, s.sum.Unchanged, s.sum.Removed = ch.Added, ch.Updated, ch.Unchanged, ch.Removed
	return s.finishFiles(ctx, present, stats)
}

// reject records a quarantined file.
func (s *storer) reject(ctx context.Context, rj corpus.Reject) error {
	if err := s.st.RejectDocument(ctx, rj); err != nil {
		return err
	}
	s.sum.FilesRejected++
	s.log.Warn("input rejected", "file", rj.Path, "reason", rj.Reason)
	return nil
}

// finishFiles marks vanished files, records file stats and clears
// originals kept by an earlier --keep-raw-text run.
func (s *storer) finishFiles(ctx context.Context, present []string, stats []store.FileStat) error {
	vanished, err := s.st.MarkVanished(ctx, present)
	if err != nil {
		return err
	}
	for _, v := range vanished {
		s.log.Warn("input vanished: its posts are kept in the database but left out of reports", "file", v)
	}
	s.sum.FilesVanished = len(vanished)
	// After MarkVanished, so that a file restored unchanged is ok again.
	if err := s.st.SetStats(ctx, stats); err != nil {
		return err
	}
	if !s.cfg.KeepRawText {
		// Originals kept by an earlier --keep-raw-text run must not outlive
		// the decision to stop keeping them.
		n, err := s.st.ClearRawText(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			s.log.Info("removed original comment texts kept by earlier runs", "comments", n)
		}
	}
	return nil
}

// batchWriter gathers documents into batches and hands them to the writer
// goroutine.
type batchWriter struct {
	s        *storer
	batch    storeBatch
	comments int
	toWrite  chan storeBatch
	failed   chan struct{} // closed when a write fails
	result   chan writerResult
	writing  bool // until finish
	done     writerResult
}

type writerResult struct {
	written
	err error
}

func (s *storer) startWriter(ctx context.Context) *batchWriter {
	w := &batchWriter{s: s, toWrite: make(chan storeBatch, 1), failed: make(chan struct{}),
		result: make(chan writerResult, 1), writing: true}
	go w.loop(ctx)
	return w
}

// loop is the writer goroutine: one transaction per batch, in order.
func (w *batchWriter) loop(ctx context.Context) {
	s := w.s
	var res writerResult
	for b := range w.toWrite {
		if res.err != nil {
			continue // drain: the run is failing
		}
		t := time.Now()
		sts, saved, err := s.st.ReplaceAnalysed(ctx, b.docs, s.cfg.KeepRawText, s.analyse.storeRedact, s.key, b.analyses)
		res.busy += time.Since(t)
		if err != nil {
			res.err = err
			close(w.failed)
			continue
		}
		res.analysed += saved
		res.files += len(b.docs)
		for i, stored := range sts {
			res.changes = res.changes.Add(stored.Changes)
			if s.warm != nil {
				s.warm.add(b.docs[i], b.analyses[i], stored)
			}
			// The path is redacted already (safeName), and so are the
			// warnings unless originals are kept: redact them here either way.
			for _, wn := range b.docs[i].Warnings {
				if wn.Kind == corpus.WarnLeftOut {
					s.log.Info("input items left out", "file", b.docs[i].Path, "what", s.red.Text(wn.Text))
				} else {
					s.log.Warn("input warning", "file", b.docs[i].Path, "kind", wn.Kind, "warning", s.red.Text(wn.Text))
				}
			}
		}
	}
	w.result <- res
}

// add queues one document, handing the batch over when it is full.
func (w *batchWriter) add(doc *corpus.Document, analyses []analysis.Analysis) error {
	w.batch.docs = append(w.batch.docs, doc)
	w.batch.analyses = append(w.batch.analyses, analyses)
	for _, p := range doc.Posts {
		w.comments += len(p.Comments)
	}
	if len(w.batch.docs) >= storeBatchFiles || w.comments >= storeBatchComments {
		return w.flush()
	}
	return nil
}

func (w *batchWriter) flush() error {
	if len(w.batch.docs) == 0 {
		return nil
	}
	select {
	case w.toWrite <- w.batch:
	case <-w.failed:
		_, err := w.finish()
		return err
	}
	w.batch, w.comments = storeBatch{}, 0
	return nil
}

// finish writes what is queued, stops the writer and returns what it did.
// The writer drains its queue to the end even after a failure, so the last
// batch can always be handed over.
func (w *batchWriter) finish() (written, error) {
	if w.writing {
		w.writing = false
		if len(w.batch.docs) > 0 {
			w.toWrite <- w.batch
			w.batch = storeBatch{}
		}
		close(w.toWrite)
		w.done = <-w.result
	}
	return w.done.written, w.done.err
}
