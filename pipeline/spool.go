package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"chorus/corpus"
	"chorus/pipeline/store"
	"chorus/reports"
)

// The spool: a report cache built while reading. It lives beside the
// database, on a disk meant for the run's data (the temporary folder may be
// small).
//
// A cold run (no usable report cache) would otherwise store every comment,
// then read every one back out of SQLite to write comments.csv and the
// aggregates: the read-back was about a tenth of a cold run's CPU time. But the
// documents a run stores whole (every comment a new row, every counted one
// with its analysis, which is every document new to the store) are in
// memory when they are stored, with their seqs and gen known once the
// transaction commits. The spool encodes their comments.csv blocks and
// lean rows from them, on a goroutine of its own beside the store's
// writer, into a file laid out as a previous comments.csv and a report
// cache beside it. The reports then take the nightly path (see reuse.go)
// with the spool as the previous run: posts it holds are copied, any other
// post is read from the store. A post's rows are built with
// store.StoredComment and the same encoder as a read from the store, so
// the bytes are the same (TestStoredCommentMatchesRead holds the rows
// equal, TestNightlyReuseMatchesFreshRun and TestSpoolBesideStoredPosts the
// reports).
type spool struct {
	ctx    context.Context
	f      *os.File
	w      *bufio.Writer
	off    int64
	enc    *reports.CommentEncoder
	header []byte
	id     csvIdentity
	red    func(string) string
	keep   bool

	lean  []byte
	posts []cachePost

	in     chan spoolItem
	closed bool // in is closed (only the run's goroutine touches this)
	done   chan struct{}
	err    error
}

// spoolItem is one document as stored, with its analyses.
type spoolItem struct {
	doc      *corpus.Document
	analyses []store.Analysis
	stored   store.Stored
}

// newSpool starts a spool beside the database at db, in a file named
// .DBNAME.spool-*. The caller holds the database's lock, so any such file
// already there was left by a run that was killed: it is removed first.
func newSpool(ctx context.Context, db string, id csvIdentity, topics []reports.Topic, keepRaw bool, redact func(string) string) (*spool, error) {
	dir, prefix := filepath.Dir(db), "."+filepath.Base(db)+".spool-"
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("create report spool: %w", err)
	}
	s := &spool{ctx: ctx, f: f, w: bufio.NewWriterSize(f, 256<<10), enc: reports.NewCommentEncoder(topics, id.version),
		id: id, red: redact, keep: keepRaw, in: make(chan spoolItem, 2*storeBatchFiles), done: make(chan struct{})}
	if s.header, err = s.enc.Header(); err == nil {
		_, err = s.w.Write(s.header)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create report spool: %w", err)
	}
	s.off = int64(len(s.header))
	go s.loop()
	return s, nil
}

// add hands a stored document to the spool; documents not stored whole
// (Seqs nil) are left to the store.
func (s *spool) add(doc *corpus.Document, analyses []store.Analysis, st store.Stored) {
	if st.Seqs == nil {
		return
	}
	s.in <- spoolItem{doc, analyses, st} // after an error the loop drains
}

func (s *spool) loop() {
	defer close(s.done)
	var row []byte
	var rows []store.CommentRow
	for it := range s.in {
		if s.err != nil {
			continue // drain
		}
		if err := s.ctx.Err(); err != nil {
			s.err = err
			continue
		}
		row, rows = s.encode(it, row, rows)
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
}

// encode writes the blocks and lean rows of one document's posts.
func (s *spool) encode(it spoolItem, row []byte, rows []store.CommentRow) ([]byte, []store.CommentRow) {
	as := it.analyses
	k := 0
	for pi := range it.doc.Posts {
		p := &it.doc.Posts[pi]
		rows = rows[:0]
		for ci := range p.Comments {
			c := &p.Comments[ci]
			var a *store.Analysis
			if len(as) > 0 && as[0].CommentID == c.ID {
				a, as = &as[0], as[1:]
			}
			r := store.StoredComment(p, c, it.stored.Seqs[k], a, s.keep, s.red)
			k++
			if exported(r) {
				rows = append(rows, r)
			}
		}
		// Comments reads a post's comments by position.
		slices.SortStableFunc(rows, func(a, b store.CommentRow) int { return a.Position - b.Position })
		cp := cachePost{ID: p.ID, Gen: it.stored.Gen, Off: s.off, LeanOff: int64(len(s.lean))}
		for _, r := range rows {
			rc := reportComment(r)
			var err error
			if row, err = s.enc.Append(row[:0], rc); err == nil {
				_, err = s.w.Write(row)
			}
			if err != nil {
				s.err = fmt.Errorf("write report spool: %w", err)
				return row, rows
			}
			s.off += int64(len(row))
			s.lean = appendLean(s.lean, rc)
		}
		cp.Len, cp.LeanLen = s.off-cp.Off, int64(len(s.lean))-cp.LeanOff
		s.posts = append(s.posts, cp)
	}
	return row, rows
}

// finish stops the spool and returns it as a report cache and the
// comments.csv it describes, open; nil, nil when it holds no post. The
// caller removes the spool when done with it.
func (s *spool) finish() (*reportCache, *os.File, error) {
	s.stop()
	if s.err != nil {
		return nil, nil, s.err
	}
	if len(s.posts) == 0 {
		return nil, nil, nil
	}
	c := &reportCache{lean: s.lean, post: make(map[string]cachePost, len(s.posts)),
		meta: cacheMeta{Layout: cacheLayout, Key: s.id.key, Version: s.id.version, Topics: s.id.topics, Bytes: s.off, Posts: s.posts}}
	for _, p := range s.posts {
		c.post[p.ID] = p
	}
	return c, s.f, nil
}

// stop ends the loop once it has encoded what it was given.
func (s *spool) stop() {
	if !s.closed {
		s.closed = true
		close(s.in)
	}
	<-s.done
}

// remove stops the spool and deletes its file.
func (s *spool) remove() {
	s.stop()
	s.f.Close()
	os.Remove(s.f.Name())
}
