package pipeline

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chorus/corpus"
	"chorus/internal/analysis"
	"chorus/internal/binenc"
	"chorus/pipeline/store"
	"chorus/reports"
)

// Report rows: each post's comments.csv rows and lean rows, kept in the
// store's block cache (store.Blocks) and built in one place, here.
//
// A post's rows are encoded from its comments as the store reads them back
// (rowsOf), whether they come from the store (fill) or from a document just
// stored (warmer, which builds them with store.StoredComment from the
// values the store was given: TestStoredCommentMatchesRead holds the two
// equal). So the bytes never depend on which path built them.

// rowsLayout changes whenever comments.csv rows or lean rows are encoded
// differently, so that blocks a chorus of the same version string (a
// developer build) cached before the change are not served after it.
const rowsLayout = 3

// rowsIdentity names what every post's rows depend on besides the post:
// the analysis key, the topics (column names), the chorus version and the
// layout.
func rowsIdentity(key, version string, topics []reports.Topic) string {
	names := make([]string, len(topics))
	for i, t := range topics {
		names[i] = t.Name
	}
	return "rows " + strconv.Itoa(rowsLayout) + "\x00" + key + "\x00" + version + "\x00" + strings.Join(names, ",")
}

// exported tells whether a stored comment is a row of comments.csv: every
// published comment is, the counted ones and their duplicates (which the
// aggregates leave out); deleted, spam and oversize comments are counted in
// posts but never exported as text.
func exported(c store.CommentRow) bool {
	return analysis.Published(c.Status)
}

// reportComment is a stored comment as the reports take it.
func reportComment(c store.CommentRow) reports.Comment {
	a := c.Analysis
	return reports.Comment{
		ID: c.ID, PostID: c.PostID, PostDate: c.PostDate, DateSource: string(c.DateSource), SourceFile: c.SourceFile,
		Section: string(c.Section), ParentID: c.ParentID, Depth: c.Depth,
		NTokens: a.NTokens, NSentences: a.NSentences,
		Compound: a.Compound, Pos: a.Pos, Neu: a.Neu, Neg: a.Neg, Label: a.Label, Evidence: a.Evidence,
		Topics: a.Topics, TopicScores: a.TopicScores, TopicEvidence: a.TopicEvidence,
		DuplicateOf: c.DuplicateOf, Text: c.Text, Ref: c.Seq,
		SourcePostID: c.PostSourceID, SourceCommentID: c.SourceID,
	}
}

// postRows encodes one post's rows: the comments.csv block and the lean
// rows, appended to csv and lean.
type postRows struct {
	enc       *reports.CommentEncoder
	csv, lean []byte
	row       []byte
}

// reset starts a new post.
func (r *postRows) reset() { r.csv, r.lean = r.csv[:0], r.lean[:0] }

// add appends one stored comment, if it is exported.
func (r *postRows) add(c store.CommentRow) error {
	if !exported(c) {
		return nil
	}
	rc := reportComment(c)
	var err error
	if r.row, err = r.enc.Append(r.row[:0], rc); err != nil {
		return err
	}
	r.csv = append(r.csv, r.row...)
	r.lean = appendLean(r.lean, rc)
	return nil
}

// Lean rows: per comment, its seq, id, duplicate_of, compound (IEEE bits),
// label and topics, length-prefixed. The post's date, date source and
// source file come from the post itself.

func appendLean(b []byte, c reports.Comment) []byte {
	b = binary.AppendUvarint(b, uint64(c.Ref))
	b = binenc.AppendStr(b, c.ID)
	b = binenc.AppendStr(b, c.DuplicateOf)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.Compound))
	b = binenc.AppendStr(b, c.Label)
	b = binary.AppendUvarint(b, uint64(len(c.Topics)))
	for _, t := range c.Topics {
		b = binenc.AppendStr(b, t)
	}
	return b
}

var errBadLean = errors.New("report block cache: malformed lean row")

// decodeLean calls yield for each lean row in b, completed with p's fields.
// It returns false when yield asked to stop.
func decodeLean(b []byte, p store.PostRow, yield func(reports.Comment) bool) (bool, error) {
	d := binenc.Decoder{B: b}
	for len(d.B) > 0 {
		c := reports.Comment{PostID: p.ID, PostDate: p.Date, DateSource: string(p.DateSource), SourceFile: p.SourceFile}
		c.Ref = int64(d.Uvarint())
		c.ID = d.Str()
		c.DuplicateOf = d.Str()
		c.Compound = math.Float64frombits(d.U64())
		c.Label = d.Str()
		if n := d.Uvarint(); n > 0 && n <= uint64(len(d.B)) {
			c.Topics = make([]string, n)
			for i := range c.Topics {
				c.Topics[i] = d.Str()
			}
		} else if n > 0 {
			d.Bad = true
		}
		if d.Bad {
			return false, errBadLean
		}
		if !yield(c) {
			return false, nil
		}
	}
	return true, nil
}

// warmer puts the rows of the documents a run stores whole into the block
// cache while they are stored, on a goroutine of its own beside the store's
// writer: a cold run would otherwise store every comment, then read every
// one back out of SQLite to build its rows (a tenth of a cold run's CPU).
// Documents not stored whole (Stored.Seqs nil) are left to fill.
type warmer struct {
	ctx    context.Context
	blocks *store.Blocks
	keep   bool
	red    func(string) string
	rows   postRows
	in     chan warmItem
	closed bool
	done   chan struct{}
	err    error
	posts  int // posts put, for the log
}

// warmItem is one document as stored, with its analyses.
type warmItem struct {
	doc      *corpus.Document
	analyses []analysis.Analysis
	stored   store.Stored
}

func newWarmer(ctx context.Context, blocks *store.Blocks, enc *reports.CommentEncoder, keepRaw bool, redact func(string) string) *warmer {
	w := &warmer{ctx: ctx, blocks: blocks, keep: keepRaw, red: redact, rows: postRows{enc: enc},
		in: make(chan warmItem, 2*storeBatchFiles), done: make(chan struct{})}
	go w.loop()
	return w
}

// add hands a stored document over.
func (w *warmer) add(doc *corpus.Document, analyses []analysis.Analysis, st store.Stored) {
	if st.Seqs != nil {
		w.in <- warmItem{doc, analyses, st} // after an error the loop drains
	}
}

func (w *warmer) loop() {
	defer close(w.done)
	var rows []store.CommentRow
	for it := range w.in {
		if w.err == nil {
			w.err = w.ctx.Err()
		}
		if w.err == nil {
			rows, w.err = w.put(it, rows)
		}
	}
}

// put builds and caches the rows of one document's posts.
func (w *warmer) put(it warmItem, rows []store.CommentRow) ([]store.CommentRow, error) {
	as := it.analyses
	k := 0
	for pi := range it.doc.Posts {
		p := &it.doc.Posts[pi]
		rows = rows[:0]
		for ci := range p.Comments {
			c := &p.Comments[ci]
			var a *analysis.Analysis
			if len(as) > 0 && as[0].CommentID == c.ID {
				a, as = &as[0], as[1:]
			}
			rows = append(rows, store.StoredComment(p, c, it.stored.Seqs[k], a, w.keep, w.red))
			k++
		}
		// The store reads a post's comments by position.
		slices.SortStableFunc(rows, func(a, b store.CommentRow) int { return a.Position - b.Position })
		w.rows.reset()
		for _, r := range rows {
			if err := w.rows.add(r); err != nil {
				return rows, err
			}
		}
		if _, err := w.blocks.Put(p.ID, it.stored.Gen, w.rows.csv, w.rows.lean); err != nil {
			return rows, err
		}
		w.posts++
	}
	return rows, nil
}

// finish waits for what was handed over to be cached.
func (w *warmer) finish() error {
	if !w.closed {
		w.closed = true
		close(w.in)
	}
	<-w.done
	return w.err
}

// fill caches the rows of every post the cache lacks, reading them from the
// store, and returns each post's rows in the order of posts. When most posts
// are missing (a cold start: no cache, or a new model), scanning the store
// is cheaper than a query per post: the posts are cut into one run per
// worker, of about as many comments each, and the runs are read and encoded
// at once (newEnc gives each worker its encoder). Which worker writes a
// block first changes where it lies in the cache files, never the bytes of
// comments.csv, which follows refs.
func fill(ctx context.Context, st *store.Store, blocks *store.Blocks, key string, newEnc func() *reports.CommentEncoder, posts []store.PostRow, workers int) ([]store.BlockRef, int, error) {
	refs := make([]store.BlockRef, len(posts))
	missing := make([]bool, len(posts))
	n := 0
	for i, p := range posts {
		r, ok := blocks.Get(p.ID, p.Gen)
		refs[i], missing[i] = r, !ok
		if !ok {
			n++
		}
	}
	if n == 0 {
		return refs, 0, nil
	}
	if 2*n < len(posts) {
		rows := postRows{enc: newEnc()}
		for i, p := range posts {
			if !missing[i] {
				continue
			}
			rows.reset()
			if err := st.PostComments(ctx, key, p.ID, rows.add); err != nil {
				return nil, 0, err
			}
			var err error
			if refs[i], err = blocks.Put(p.ID, p.Gen, rows.csv, rows.lean); err != nil {
				return nil, 0, err
			}
		}
		return refs, n, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cuts := cutPosts(posts, workers)
	errs := make([]error, len(cuts)-1)
	var wg sync.WaitGroup
	for k := range errs {
		wg.Go(func() {
			if errs[k] = fillRun(ctx, st, blocks, key, newEnc(), posts, cuts[k], cuts[k+1], missing, refs); errs[k] != nil {
				cancel() // the others stop at their next row
			}
		})
	}
	wg.Wait()
	// The error that stopped the others, not the cancellations it caused.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, 0, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	return refs, n, nil
}

// cutPosts cuts posts into at most workers runs of about as many stored
// comments each, as indexes: run k is posts[cuts[k]:cuts[k+1]].
func cutPosts(posts []store.PostRow, workers int) []int {
	total := 0
	for _, p := range posts {
		total += p.FoundComments
	}
	workers = max(1, min(workers, len(posts)))
	cuts := []int{0}
	seen := 0
	for i, p := range posts {
		if len(cuts) < workers && i > cuts[len(cuts)-1] && seen > 0 && seen >= total*len(cuts)/workers {
			cuts = append(cuts, i)
		}
		seen += p.FoundComments
	}
	return append(cuts, len(posts))
}

// fillRun is one worker of fill: it reads the posts posts[lo:hi] in one
// scan, in post order (a post's rows are complete when the next post's
// first comment arrives), and caches those missing. Posts with no comment
// rows get empty blocks at the end.
func fillRun(ctx context.Context, st *store.Store, blocks *store.Blocks, key string, enc *reports.CommentEncoder, posts []store.PostRow, lo, hi int, missing []bool, refs []store.BlockRef) error {
	rows := postRows{enc: enc}
	done := make([]bool, hi-lo)
	cur := -1
	end := func() error {
		if cur < 0 {
			return nil
		}
		var err error
		refs[cur], err = blocks.Put(posts[cur].ID, posts[cur].Gen, rows.csv, rows.lean)
		done[cur-lo], cur = true, -1
		return err
	}
	var to *store.PostRow
	if hi < len(posts) {
		to = &posts[hi]
	}
	next := lo // posts[next:] are those not yet met in the scan
	err := st.CommentsBetween(ctx, key, &posts[lo], to, func(c store.CommentRow) error {
		if cur >= 0 && posts[cur].ID == c.PostID {
			return rows.add(c)
		}
		if err := end(); err != nil {
			return err
		}
		for next < hi && posts[next].ID != c.PostID {
			next++
		}
		if next == hi {
			return fmt.Errorf("read comments: post %s is not among the posts listed", c.PostID)
		}
		i := next
		next++
		if !missing[i] {
			return nil // cached already
		}
		cur = i
		rows.reset()
		return rows.add(c)
	})
	if err == nil {
		err = end()
	}
	for i := lo; i < hi && err == nil; i++ { // posts without a single comment
		if missing[i] && !done[i-lo] {
			rows.reset()
			refs[i], err = blocks.Put(posts[i].ID, posts[i].Gen, rows.csv, rows.lean)
		}
	}
	return err
}

// writeCSV writes comments.csv from the cached blocks: the header, then
// each post's rows in post order, read in runs of adjacent blocks.
func writeCSV(ctx context.Context, w io.Writer, blocks *store.Blocks, enc *reports.CommentEncoder, refs []store.BlockRef) error {
	header, err := enc.Header()
	if err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	var buf []byte
	for i := 0; i < len(refs); {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		// A run of blocks whose rows lie end to end (most of them after a
		// compaction) is read in one go, up to a mebibyte.
		off, n, j := refs[i].Off, refs[i].CSVLen, i+1
		for j < len(refs) && refs[j].Off == off+n && n < 1<<20 {
			n += refs[j].CSVLen
			j++
		}
		if n > 0 {
			if buf, err = blocks.CSV(buf, refs[i:j]); err != nil {
				return err
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// leanStream yields the lean rows of every post in order, from the cache.
func leanStream(ctx context.Context, blocks *store.Blocks, posts []store.PostRow, refs []store.BlockRef, yield func(reports.Comment) bool) error {
	var buf []byte
	for i, p := range posts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var err error
		if buf, err = blocks.Lean(buf, refs[i]); err != nil {
			return err
		}
		more, err := decodeLean(buf, p, yield)
		if err != nil || !more {
			return err
		}
	}
	return nil
}
