package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"chorus/pipeline/store"
	"chorus/reports"
)

// The report cache: reusing the previous comments.csv and aggregates.
//
// comments.csv is the concatenation, in post order, of one block of rows
// per post, and a post's block depends only on the post's stored posts and
// comments rows, their analyses under the run's key, the taxonomy's topic
// names and the chorus version. The store gives every document a fresh
// random gen each time its posts and comments are stored again, and
// analyses under a key are only ever added for comments that lack one
// (which a published report rules out) or dropped with their comment. So a
// post whose document has the gen recorded when the file was written, under
// the same key, topics and version, has a byte-identical block, and the
// same "lean" rows (what the aggregates read of each comment). A nightly run
// copies those blocks from the previous file and takes those lean rows from
// the cache, instead of reading a million rows back from SQLite, and reads
// only the other posts' comments from the store.
//
// The cache is the file DB.report-cache, written after each publish:
//
//	lean rows, post after post | meta (JSON) | meta offset (8 bytes) | SHA-256 of all before (32) | magic (8)
//
// A cache whose hash, magic, layout, key, version or topics do not match is
// not used (the run rebuilds everything, as a cold run does). The previous
// comments.csv is hashed whole and checked against the cache before any of
// its bytes are copied; when it does not match (edited by hand, or
// published by a run that died before saving its cache) every row is
// encoded from the store.

// cacheLayout changes whenever comments.csv rows or lean rows are encoded
// differently, so a cache written by an older chorus is not trusted.
const cacheLayout = 1

var cacheMagic = []byte("chorusRC")

// cacheMeta describes one published comments.csv and the lean rows beside it.
type cacheMeta struct {
	// Run and RunStarted name the run that wrote the cache: it must be in
	// the database, finished ok, so a database restored from a backup, or
	// a run that died between saving the cache and finishing, never pairs
	// with a cache written for another state.
	Run        int64  `json:"run"`
	RunStarted string `json:"run_started"`

	Layout  int         `json:"layout"`
	Key     string      `json:"key"`
	Version string      `json:"version"`
	Topics  []string    `json:"topics"`
	SHA256  string      `json:"sha256"` // of comments.csv
	Bytes   int64       `json:"bytes"`  // of comments.csv
	Posts   []cachePost `json:"posts"`  // in file order
}

// cachePost is one post as it was when the file was written: its
// document's gen, its rows' byte range in comments.csv, and its lean rows'
// byte range in the cache.
type cachePost struct {
	ID      string `json:"id"`
	Gen     int64  `json:"gen"`
	Off     int64  `json:"off"`
	Len     int64  `json:"len"`
	LeanOff int64  `json:"lean_off"`
	LeanLen int64  `json:"lean_len"`
}

// csvIdentity is what every block depends on besides its post, and the
// run that writes or reads the cache.
type csvIdentity struct {
	key, version string
	topics       []string
	run          store.RunRow
}

func (id csvIdentity) matches(m *cacheMeta) bool {
	if m.Layout != cacheLayout || m.Key != id.key || m.Version != id.version || len(m.Topics) != len(id.topics) {
		return false
	}
	for i := range m.Topics {
		if m.Topics[i] != id.topics[i] {
			return false
		}
	}
	return true
}

// reportCache is a cache read back.
type reportCache struct {
	meta cacheMeta
	lean []byte
	post map[string]cachePost
}

// reusable tells whether p's block and lean rows can be taken from the
// cache: the cache has it, read when its document had the same gen.
func (c *reportCache) reusable(p store.PostRow) (cachePost, bool) {
	cp, ok := c.post[p.ID]
	return cp, ok && cp.Gen == p.Gen
}

func cachePath(db string) string { return db + ".report-cache" }

// readCache reads and checks the cache file at path: nil when there is
// none or it is damaged (it is then simply not used).
func readCache(path string) (*reportCache, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read report cache %s: %w", path, err)
	}
	tail := 8 + sha256.Size + len(cacheMagic)
	if len(data) < tail || !bytes.Equal(data[len(data)-len(cacheMagic):], cacheMagic) {
		return nil, nil
	}
	body := data[:len(data)-sha256.Size-len(cacheMagic)]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], data[len(body):len(body)+sha256.Size]) {
		return nil, nil
	}
	metaOff := binary.LittleEndian.Uint64(body[len(body)-8:])
	if metaOff > uint64(len(body)-8) {
		return nil, nil
	}
	c := &reportCache{lean: body[:metaOff]}
	if err := json.Unmarshal(body[metaOff:len(body)-8], &c.meta); err != nil {
		return nil, nil
	}
	c.post = make(map[string]cachePost, len(c.meta.Posts))
	for _, p := range c.meta.Posts {
		if p.LeanOff < 0 || p.LeanLen < 0 || p.LeanOff+p.LeanLen > int64(len(c.lean)) || p.Off < 0 || p.Len < 0 {
			return nil, nil
		}
		c.post[p.ID] = p
	}
	return c, nil
}

// usable tells whether the cache was written under id by a run that the
// store shows finished ok.
func (c *reportCache) usable(ctx context.Context, st *store.Store, id csvIdentity) (bool, error) {
	if !id.matches(&c.meta) {
		return false, nil
	}
	wrote, ok, err := st.Run(ctx, c.meta.Run)
	if err != nil {
		return false, err
	}
	return ok && wrote.Status == "ok" && wrote.Started == c.meta.RunStarted, nil
}

// cachePrep reads the previous cache and checks the previous comments.csv
// against it on a goroutine of its own, started with the run: neither
// needs the store, and hashing a file of hundreds of megabytes then
// overlaps reading the inputs instead of delaying the reports.
type cachePrep struct {
	done  chan struct{}
	cache *reportCache
	csv   *os.File // the previous comments.csv, open, when it matches the cache
	err   error
}

func prepareCache(ctx context.Context, cachePath, csvPath string) *cachePrep {
	p := &cachePrep{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if p.cache, p.err = readCache(cachePath); p.cache == nil || p.err != nil {
			return
		}
		f, err := os.Open(csvPath)
		if err != nil {
			return // none: every row is encoded from the store
		}
		h := sha256.New()
		n, err := io.Copy(h, ctxReader{ctx, f})
		if err != nil || n != p.cache.meta.Bytes || hex.EncodeToString(h.Sum(nil)) != p.cache.meta.SHA256 {
			f.Close()
			return
		}
		p.csv = f
	}()
	return p
}

// wait returns the cache, and the previous comments.csv when it is the file
// the cache describes (nil otherwise).
func (p *cachePrep) wait() (*reportCache, *os.File, error) {
	<-p.done
	return p.cache, p.csv, p.err
}

// close waits for the goroutine and closes the file it opened.
func (p *cachePrep) close() {
	<-p.done
	if p.csv != nil {
		p.csv.Close()
	}
}

// ctxReader stops a long read when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Lean rows: per comment, its seq, id, duplicate_of, compound (IEEE bits),
// label and topics, length-prefixed. The post's date, date source and
// source file come from the post itself.

func appendLean(b []byte, c reports.Comment) []byte {
	b = binary.AppendUvarint(b, uint64(c.Ref))
	b = appendStr(b, c.ID)
	b = appendStr(b, c.DuplicateOf)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.Compound))
	b = appendStr(b, c.Label)
	b = binary.AppendUvarint(b, uint64(len(c.Topics)))
	for _, t := range c.Topics {
		b = appendStr(b, t)
	}
	return b
}

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errBadLean = errors.New("report cache: malformed lean row")

// decodeLean calls yield for each lean row in b, completed with p's fields.
// It returns false when yield asked to stop.
func decodeLean(b []byte, p store.PostRow, yield func(reports.Comment) bool) (bool, error) {
	d := leanDecoder{b: b}
	for len(d.b) > 0 {
		c := reports.Comment{PostID: p.ID, PostDate: p.Date, DateSource: string(p.DateSource), SourceFile: p.SourceFile}
		c.Ref = int64(d.uvarint())
		c.ID = d.str()
		c.DuplicateOf = d.str()
		c.Compound = math.Float64frombits(d.u64())
		c.Label = d.str()
		if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
			c.Topics = make([]string, n)
			for i := range c.Topics {
				c.Topics[i] = d.str()
			}
		} else if n > 0 {
			d.bad = true
		}
		if d.bad {
			return false, errBadLean
		}
		if !yield(c) {
			return false, nil
		}
	}
	return true, nil
}

type leanDecoder struct {
	b   []byte
	bad bool
}

func (d *leanDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *leanDecoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.bad, d.b = true, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *leanDecoder) u64() uint64 {
	if len(d.b) < 8 {
		d.bad, d.b = true, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// cacheWriter writes the next cache while the reports are written: lean
// rows go to a temporary file as they come, the meta at the end.
type cacheWriter struct {
	path   string // final path
	f      *os.File
	w      *bufio.Writer
	off    int64
	lean   map[string][2]int64 // post id -> lean offset, length
	blocks map[string][2]int64 // post id -> comments.csv offset, length
	err    error
}

func newCacheWriter(path string) (*cacheWriter, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create report cache: %w", err)
	}
	return &cacheWriter{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10),
		lean: map[string][2]int64{}, blocks: map[string][2]int64{}}, nil
}

// addLean records the lean rows of one post; a post is added once.
func (cw *cacheWriter) addLean(postID string, rows []byte) {
	if cw.err != nil {
		return
	}
	if _, err := cw.w.Write(rows); err != nil {
		cw.err = err
		return
	}
	cw.lean[postID] = [2]int64{cw.off, int64(len(rows))}
	cw.off += int64(len(rows))
}

// addBlock records where a post's rows lie in the new comments.csv.
func (cw *cacheWriter) addBlock(postID string, off, n int64) {
	cw.blocks[postID] = [2]int64{off, n}
}

// discard removes the unfinished cache.
func (cw *cacheWriter) discard() {
	cw.f.Close()
	os.Remove(cw.f.Name())
}

// finish writes the meta of the comments.csv published in out and puts the
// cache in place. Posts with no block or no lean rows had no rows.
func (cw *cacheWriter) finish(id csvIdentity, posts []store.PostRow, out string) error {
	defer cw.discard() // a no-op once renamed, but for the close
	if cw.err != nil {
		return fmt.Errorf("write report cache: %w", cw.err)
	}
	sum, size, err := publishedCSV(out)
	if err != nil {
		return err
	}
	m := cacheMeta{Run: id.run.ID, RunStarted: id.run.Started, Layout: cacheLayout, Key: id.key, Version: id.version, Topics: id.topics, SHA256: sum, Bytes: size,
		Posts: make([]cachePost, len(posts))}
	for i, p := range posts {
		b, l := cw.blocks[p.ID], cw.lean[p.ID]
		m.Posts[i] = cachePost{ID: p.ID, Gen: p.Gen, Off: b[0], Len: b[1], LeanOff: l[0], LeanLen: l[1]}
	}
	mj, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	if err := cw.w.Flush(); err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	// The hash covers the whole body: hash the lean rows back from disk
	// rather than keep them in memory.
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(cw.f, 0, cw.off)); err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	tail := binary.LittleEndian.AppendUint64(mj, uint64(cw.off))
	h.Write(tail)
	tail = append(h.Sum(tail), cacheMagic...)
	if _, err := cw.f.WriteAt(tail, cw.off); err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	if err := cw.f.Close(); err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	if err := os.Rename(cw.f.Name(), cw.path); err != nil {
		return fmt.Errorf("write report cache: %w", err)
	}
	return nil
}

// publishedCSV reads the hash and size of comments.csv from the manifest
// published in out.
func publishedCSV(out string) (string, int64, error) {
	path := filepath.Join(out, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	var m struct {
		Outputs []reports.OutputFile `json:"outputs"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	for _, o := range m.Outputs {
		if o.Path == "comments.csv" {
			return o.SHA256, o.Bytes, nil
		}
	}
	return "", 0, fmt.Errorf("read %s: comments.csv is not listed", path)
}

// leanStream yields the lean rows of every post in order: from the cache
// for posts it can reuse, from the store for the others.
func leanStream(ctx context.Context, st *store.Store, key string, posts []store.PostRow, old *reportCache, yield func(reports.Comment) bool) error {
	for i, p := range posts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if cp, ok := old.reusable(p); ok {
			more, err := decodeLean(old.lean[cp.LeanOff:cp.LeanOff+cp.LeanLen], p, yield)
			if err != nil || !more {
				return err
			}
			continue
		}
		stop := errors.New("stop")
		err := st.PostComments(ctx, key, p.ID, func(c store.CommentRow) error {
			if exported(c) && !yield(reportComment(c)) {
				return stop
			}
			return nil
		})
		if err == stop {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// csvBuilder writes comments.csv from the previous file's unchanged blocks
// and the store's rows for the rest, and the next cache beside it.
type csvBuilder struct {
	ctx    context.Context
	st     *store.Store
	key    string
	enc    *reports.CommentEncoder
	posts  []store.PostRow
	old    *reportCache
	prev   *os.File // the previous comments.csv, checked against old; nil when it is not that file
	next   *cacheWriter
	reused int // posts copied, for the log
}

// write is Input.CommentsCSV. When the previous file is missing or is not
// the file the cache describes, every row is encoded from the store instead.
func (b *csvBuilder) write(w reports.CSVWriter) error {
	f := b.prev
	if f == nil {
		return b.encodeAll(w)
	}
	header, err := b.enc.Header()
	if err != nil {
		return err
	}
	if head := make([]byte, len(header)); readAt(f, head, 0) != nil || !bytes.Equal(head, header) {
		return b.encodeAll(w)
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	off := int64(len(header))
	// Unchanged blocks that follow each other in the old file are copied
	// in one go.
	var runOff, runLen int64
	flush := func() error {
		if runLen == 0 {
			return nil
		}
		if err := w.CopyRange(f, runOff, runLen); err != nil {
			return err
		}
		runLen = 0
		return nil
	}
	var row, lean []byte
	for i, p := range b.posts {
		if i%256 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		if cp, ok := b.old.reusable(p); ok && cp.Off+cp.Len <= b.old.meta.Bytes {
			if runLen > 0 && runOff+runLen != cp.Off {
				if err := flush(); err != nil {
					return err
				}
			}
			if runLen == 0 {
				runOff = cp.Off
			}
			runLen += cp.Len
			b.next.addBlock(p.ID, off, cp.Len)
			b.next.addLean(p.ID, b.old.lean[cp.LeanOff:cp.LeanOff+cp.LeanLen])
			off += cp.Len
			b.reused++
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		start := off
		lean = lean[:0]
		err := b.st.PostComments(b.ctx, b.key, p.ID, func(c store.CommentRow) error {
			if !exported(c) {
				return nil
			}
			rc := reportComment(c)
			lean = appendLean(lean, rc)
			var err error
			if row, err = b.enc.Append(row[:0], rc); err != nil {
				return err
			}
			_, err = w.Write(row)
			off += int64(len(row))
			return err
		})
		if err != nil {
			return err
		}
		b.next.addBlock(p.ID, start, off-start)
		b.next.addLean(p.ID, lean)
	}
	return flush()
}

// encodeAll writes every row from the store, as a full rebuild would.
func (b *csvBuilder) encodeAll(w io.Writer) error {
	b.reused = 0
	header, err := b.enc.Header()
	if err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	rec := recorder{next: b.next, off: int64(len(header))}
	var row []byte
	err = b.st.Comments(b.ctx, b.key, func(c store.CommentRow) error {
		if !exported(c) {
			return nil
		}
		rc := reportComment(c)
		var err error
		if row, err = b.enc.Append(row[:0], rc); err != nil {
			return err
		}
		rec.add(rc, int64(len(row)))
		_, err = w.Write(row)
		return err
	})
	if err != nil {
		return err
	}
	rec.end()
	return nil
}

// recorder feeds a cacheWriter from a stream of comments in post order:
// each post's lean rows, and its block when the row sizes are known (n >= 0).
type recorder struct {
	next       *cacheWriter
	post       string
	lean       []byte
	off, start int64
	any        bool
}

func (r *recorder) add(c reports.Comment, n int64) {
	if r.any && c.PostID != r.post {
		r.end()
	}
	if !r.any || c.PostID != r.post {
		r.post, r.start, r.lean, r.any = c.PostID, r.off, r.lean[:0], true
	}
	r.lean = appendLean(r.lean, c)
	if n > 0 {
		r.off += n
	}
}

func (r *recorder) end() {
	if !r.any {
		return
	}
	r.next.addLean(r.post, r.lean)
	if r.off > r.start {
		r.next.addBlock(r.post, r.start, r.off-r.start)
	}
	r.any = false
}

func readAt(f *os.File, p []byte, off int64) error {
	_, err := f.ReadAt(p, off)
	return err
}

// exported tells whether a stored comment is a row of comments.csv:
// deleted, spam and oversize comments are counted in posts but never
// exported as text; duplicates are exported and left out of aggregates.
func exported(c store.CommentRow) bool {
	return c.Counted() || c.DuplicateOf != ""
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
	}
}
