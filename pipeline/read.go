package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"chorus/corpus"
	"chorus/internal/analysis"
	"chorus/models/redact"
	"chorus/pipeline/store"
)

// The read stage: open, hash and parse one input file, on a worker. The
// analyse stage then runs on the same worker (see store.go), so a file's
// comments are analysed while the store writes the files before it.

// reader reads sources for one run.
type reader struct {
	opts   corpus.Options
	red    *redact.Redactor
	stored map[string]store.DocumentRow // what the store holds, by path
	rehash bool
	// settled is the newest modification time (Unix ns) a file may have for
	// its stat to be recorded: older than the run by more than a coarse file
	// system's clock tick, so that a file rewritten in the same tick as it
	// was read is never mistaken for the one read.
	settled int64
}

func newReader(cfg Config, red *redact.Redactor, docs []store.DocumentRow, start time.Time) *reader {
	format, _ := corpus.ParseFormat(cfg.Format) // checked by Validate
	r := &reader{
		opts:    corpus.Options{Format: format, MaxFileSize: cfg.MaxFileBytes, MaxCommentBytes: cfg.MaxCommentBytes, Encoding: cfg.Encoding},
		red:     red,
		stored:  make(map[string]store.DocumentRow, len(docs)),
		rehash:  cfg.Rehash,
		settled: start.Add(-2 * time.Second).UnixNano(),
	}
	for _, d := range docs {
		r.stored[d.Path] = d
	}
	return r
}

// readResult is what a worker made of one source.
type readResult struct {
	doc       *corpus.Document
	analyses  []analysis.Analysis // of doc's counted comments, by the analyse stage
	rej       *corpus.Reject
	unchanged bool // same SHA-256 (or size and mtime) as stored: not parsed
	// gone: the file was listed but no longer exists when read; it is left
	// out of the files present, so its stored comments are kept and left
	// out of the reports, as any vanished file's are.
	gone bool
	// unreadable is the reason a file stored before could not be read this
	// time (no permission, an I/O error): its stored comments are kept as
	// they are, and the run says so.
	unreadable string
	// stat is what to record of a file read and hashed; nil when the file's
	// mtime is too recent to be trusted, or unknown.
	stat *store.FileStat
	err  error
}

// Read reads one source. A file whose size and modification time are those
// recorded when its stored content was read is taken as unchanged without
// reading it (the rule make and rsync follow; see store.SetStats).
// Otherwise it is read and hashed, and an unchanged SHA-256 still spares
// parsing and storing it. Rehash reads and hashes every file regardless.
func (r *reader) Read(src source) readResult {
	var res readResult
	o := r.opts
	o.Dates = src.dates
	// A file read under other options (another --encoding, a changed
	// dates.tsv entry) is read again.
	d, known := r.stored[src.name]
	sameOptions := !known || d.ReadOptions == o.ReadOptions()
	if src.stat != nil && !r.rehash && sameOptions {
		size, mtime, ok := src.stat()
		if ok && known && d.Status == store.StatusOK && d.MtimeNS != 0 && d.MtimeNS == mtime && d.Size == size {
			return readResult{unchanged: true}
		}
		if ok && mtime < r.settled {
			res.stat = &store.FileStat{Path: src.name, Size: size, MtimeNS: mtime}
		}
	}
	data, rej := src.read()
	if rej != nil {
		// A file that cannot be reached costs nothing it gave before: only
		// what it holds or is (a pipe, too large, bad content) quarantines
		// a file and deletes its comments.
		switch {
		case rej.Gone:
			return readResult{gone: true}
		case rej.Unreadable && known && d.Status == store.StatusOK:
			return readResult{unreadable: rej.Reason}
		}
		return readResult{rej: rej}
	}
	digest := sha256.Sum256(data)
	sum := hex.EncodeToString(digest[:])
	if res.stat != nil {
		res.stat.SHA256 = sum
	}
	if d.SHA256 == sum && sameOptions {
		res.unchanged = true
		return res
	}
	res.doc, res.rej = corpus.ParseDigest(src.name, data, sum, o)
	if res.rej != nil {
		res.rej.Reason = r.red.Text(res.rej.Reason)
	}
	return res
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
