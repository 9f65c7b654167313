package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// Changes counts what ReplaceAnalysed did to a document's comments, by
// comment id and stored (redacted) text: the text is what analyses are
// computed from, so a comment whose text is the same keeps its analyses even
// when other fields, such as its duplicate_of, change.
type Changes struct {
	Added     int // ids that were not stored for this document
	Updated   int // ids stored with a different text; their analyses are dropped
	Unchanged int // ids stored with the same text; their analyses are kept (a comment that only now counts gets a fresh row)
	Removed   int // ids stored for this document that the new version lacks
}

// Add sums c and d, for run totals.
func (c Changes) Add(d Changes) Changes {
	return Changes{c.Added + d.Added, c.Updated + d.Updated, c.Unchanged + d.Unchanged, c.Removed + d.Removed}
}

// DocumentRow is one row of the documents table.
type DocumentRow struct {
	Path      string
	SHA256    string
	Format    corpus.Format
	Size      int64
	Status    string // StatusOK, StatusRejected or StatusVanished
	Reason    string // why it was rejected; "" for a document that was read
	Flags     []string
	FirstSeen string // UTC RFC 3339
	LastSeen  string // UTC RFC 3339
	// MtimeNS is the file's modification time (Unix nanoseconds) when the
	// content with SHA256 was read; 0 when unknown (see SetStats).
	MtimeNS int64
	// IDScheme is the scheme the document's ids were built by (IDScheme).
	IDScheme int
	// ReadOptions are the options it was read under (corpus.Document).
	ReadOptions string
}

// Documents lists every stored document, vanished ones included, by path.
func (s *Store) Documents(ctx context.Context) ([]DocumentRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, sha256, format, size, status, reason, flags, first_seen, last_seen, mtime_ns, id_scheme, read_options
		FROM documents ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []DocumentRow
	var sc valueScanner // see Comments: Scan's conversions cost more than the query
	for rows.Next() {
		v, err := sc.scan(rows, 12)
		if err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		out = append(out, DocumentRow{
			Path: str(v[0]), SHA256: str(v[1]), Format: corpus.Format(str(v[2])), Size: i64(v[3]),
			Status: str(v[4]), Reason: str(v[5]), Flags: splitFlags(str(v[6])),
			FirstSeen: str(v[7]), LastSeen: str(v[8]), MtimeNS: i64(v[9]), IDScheme: int(i64(v[10])), ReadOptions: str(v[11]),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return out, nil
}

// The documents.flags column keeps each warning's text, one per line,
// redacted: readable in the sqlite3 shell (the warnings table has them
// whole), and a warning is a one-line message by construction (it may quote
// a title).
func joinFlags(ws []corpus.Warning, redact func(string) string) string {
	clean := make([]string, len(ws))
	for i, w := range ws {
		clean[i] = strings.ReplaceAll(redact(w.Text), "\n", " ")
	}
	return strings.Join(clean, "\n")
}

func splitFlags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// storedComment is a comments row as ReplaceAnalysed compares it.
type storedComment struct {
	postID, parentID string
	depth, position  int
	section, author  string
	text             string
	raw              sql.NullString
	status, dupOf    string
	sourceID         string
}

// counted is the rule of which comments count (analysis.Counted) for a
// stored row.
func (c *storedComment) counted() bool {
	return analysis.Counted(analysis.Status(c.status), c.dupOf)
}

// RedactDocument applies redact to every free-text field of doc that
// ReplaceAnalysed redacts (post titles and body paragraphs, comment authors
// and texts, the archive's own ids, the document's flags), in place. A caller that redacts on its own goroutines, and
// does not keep originals, then stores doc with a nil redact and spares the
// store's single writer the work; the stored rows are the same.
func RedactDocument(doc *corpus.Document, redact func(string) string) {
	for i := range doc.Posts {
		p := &doc.Posts[i]
		p.Title, p.SourceID = redact(p.Title), redact(p.SourceID)
		for j := range p.Body {
			p.Body[j] = redact(p.Body[j])
		}
		for j := range p.Comments {
			c := &p.Comments[j]
			c.Author, c.Text, c.SourceID = redact(c.Author), redact(c.Text), redact(c.SourceID)
		}
	}
	for i := range doc.Warnings {
		doc.Warnings[i].Text = redact(doc.Warnings[i].Text)
	}
}

// asStored is comment c of post p as it is stored: free text redacted,
// defaults filled in.
func asStored(p *corpus.Post, c *corpus.Comment, keepRaw bool, redact func(string) string) storedComment {
	nc := storedComment{
		postID: p.ID, parentID: c.ParentID, depth: c.Depth, position: c.Position,
		section: string(c.Section), author: redact(c.Author), text: redact(c.Text),
		status: string(c.Status), dupOf: c.DuplicateOf, sourceID: redact(c.SourceID),
	}
	if nc.section == "" {
		nc.section = string(corpus.SectionThread)
	}
	if nc.status == "" {
		nc.status = string(corpus.StatusPublished)
	}
	if keepRaw {
		nc.raw = sql.NullString{String: c.Text, Valid: true}
	}
	return nc
}

// StoredComment is comment c of post p as Comments reads it back after
// ReplaceAnalysed stored it at seq with keepRaw and redact, with analysis a
// (nil for none; its Seq and CommentID are set from seq and c). It lets a
// caller that has just stored a document (Stored.Seqs not nil) build report
// rows without reading them back; a test holds the two equal.
func StoredComment(p *corpus.Post, c *corpus.Comment, seq int64, a *analysis.Analysis, keepRaw bool, redact func(string) string) CommentRow {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	nc := asStored(p, c, keepRaw, redact)
	r := CommentRow{
		Comment: corpus.Comment{
			ID: c.ID, PostID: nc.postID, ParentID: nc.parentID, Depth: nc.depth, Position: nc.position,
			Section: corpus.Section(nc.section), Author: nc.author, Text: nc.text,
			Status: corpus.Status(nc.status), DuplicateOf: nc.dupOf, SourceID: nc.sourceID,
		},
		Seq: seq, RawText: nc.raw.String, HasRaw: nc.raw.Valid,
		PostDate: p.Date, DateSource: p.DateSource, SourceFile: p.SourceFile, PostSourceID: redact(p.SourceID),
	}
	if r.DateSource == "" {
		r.DateSource = corpus.DateNone
	}
	if a != nil && nc.counted() {
		r.SetAnalysis(*a)
	}
	return r
}

// SetAnalysis gives r analysis a (its Seq and CommentID set from r) as
// Comments reads it back once SaveAnalyses has stored it: topics and
// scores pass through their stored encodings. A caller that has just
// analysed a comment builds its report row so, without reading it back.
func (r *CommentRow) SetAnalysis(a analysis.Analysis) {
	r.Analysed = true
	r.Analysis = a
	r.Analysis.Seq, r.Analysis.CommentID = r.Seq, r.ID
	// As stored and read back: topics ';'-joined, scores as JSON.
	r.Analysis.Topics = splitTopics(strings.Join(a.Topics, ";"))
	if len(a.TopicScores) == 0 {
		r.Analysis.TopicScores = nil
	}
}

// storedRow is a stored comment and its row number.
type storedRow struct {
	seq int64
	storedComment
}

// storedPost is a posts row as ReplaceAnalysed compares it.
type storedPost struct {
	ord                           int
	date, dateSource, title, body string
	sourceFile                    string
	declared                      int
	found, counted                int
	sourceID                      string
}

// Stored is what ReplaceAnalysed did with one document.
type Stored struct {
	Changes
	// Gen is the document's new gen (documents.gen, on which the block
	// cache of report rows relies): every post of it has this gen until the
	// document is stored again.
	Gen int64
	// Seqs, when every comment of the document was stored as a new row
	// and every counted one with its analysis (always so for a document
	// not stored before), holds each comment's seq in the document's
	// comment order; with StoredComment it gives the rows Comments will
	// read, without reading them. nil otherwise.
	Seqs []int64
}

// ReplaceAnalysed stores each of docs as the current content of its
// Path, all in one transaction (all are stored or none is: a nightly run
// over many small files spends most of its write time committing, and
// batching divides that cost). For each document, the document row is
// written with status ok, the posts and comments the new version has are
// inserted or updated, and those it lacks are deleted with their analyses.
// Nothing else is touched, so a comment whose text did not change keeps its
// analyses and is not analysed again.
//
// redact is applied to every free-text field before it is stored (comment
// text and author, post title and body, flags); nil stores them as given.
// The original comment text is kept in raw_text only when keepRaw is set.
// Analyses are computed from the stored, redacted text, so outputs do not
// depend on keepRaw.
//
// A post id that already belongs to another document, or a comment id that
// appears twice, fails the whole call: ids derive from the source path and
// the position, so either means the input contradicts itself.
//
// The documents' comments may come analysed, which is how a run reads new
// files: the workers that parse a file also analyse its comments, and the
// analyses are saved with the comments, in the same transaction, instead
// of being computed later from text read back out of the database.
//
// analyses[i] (nil, or shorter than docs, for none) holds analyses under
// key of docs[i]'s comments, in the document's comment order (posts in
// order, then comments in order), each computed from the comment's text
// redacted by redact, exactly as it is stored. A comment without one is
// simply skipped. Each comment that this call stores as a new row gets its
// analysis, with Seq filled in; a comment kept as it was keeps the analyses
// it has, and is not given another. saved is the number of analyses
// stored.
//
// When every counted comment stored before the call was analysed under key
// (the key's analysed_upto mark is at the top) and every counted comment
// this call adds got its analysis, the mark is raised to the new top, so
// that PendingAnalysis has nothing to walk afterwards.
func (s *Store) ReplaceAnalysed(ctx context.Context, docs []*corpus.Document, keepRaw bool, redact func(string) string, key string, analyses [][]analysis.Analysis) (sts []Stored, saved int, err error) {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	for _, d := range docs {
		if d == nil {
			return nil, 0, errNilDocument
		}
	}
	if len(docs) == 0 {
		return nil, 0, nil
	}
	if len(analyses) > 0 && key == "" {
		return nil, 0, errors.New("store analyses: no analysis key")
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("store %d documents: begin: %w", len(docs), err)
	}
	defer tx.Rollback()
	// Before the mark is read: lowered, it must not be raised again below.
	if err := lowerMarksForReread(ctx, tx, docs); err != nil {
		return nil, 0, fmt.Errorf("store %d documents (%s ...): %w", len(docs), docs[0].Path, err)
	}
	w := s.newRowWriter(ctx, tx, key)
	var mark, top int64
	if len(analyses) > 0 {
		if mark, top, err = analysedUptoTx(ctx, tx, key); err != nil {
			return nil, 0, err
		}
	}
	out := make([]Stored, len(docs))
	for i, doc := range docs {
		var as []analysis.Analysis
		if i < len(analyses) {
			as = analyses[i]
		}
		if out[i], err = s.replace(ctx, tx, doc, keepRaw, redact, w, as); err != nil {
			return nil, 0, fmt.Errorf("store %s: %w", doc.Path, err)
		}
	}
	if err := w.flush(); err != nil {
		return nil, 0, fmt.Errorf("store %d documents (%s ...): %w", len(docs), docs[0].Path, err)
	}
	if len(analyses) > 0 && mark >= top && w.countedNew == w.analyses.saved {
		if err := raiseMarkTx(ctx, tx, key, timestamp(s.now()), w.comments.lastSeq); err != nil {
			return nil, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("store %d documents (%s ...): commit: %w", len(docs), docs[0].Path, err)
	}
	s.wrote()
	return out, w.analyses.saved, nil
}

// replace stores doc in tx. New comment rows go through w, which inserts
// them in chunks across the documents of a batch: the caller flushes w
// before committing. as are doc's analyses, as ReplaceAnalysed takes them.
func (s *Store) replace(ctx context.Context, tx *sql.Tx, doc *corpus.Document, keepRaw bool, redact func(string) string, w *rowWriter, as []analysis.Analysis) (Stored, error) {
	now := timestamp(s.now())
	gen := newGen()
	// A fresh gen marks every post of the document as possibly changed for
	// the block cache of report rows (Blocks), whatever the new version
	// holds: a random number cannot come back to a value the cache holds.
	if _, err := tx.StmtContext(ctx, s.stUpsertDocument).ExecContext(ctx,
		doc.Path, doc.SHA256, string(doc.Format), doc.Size, joinFlags(doc.Warnings, redact), now, now, gen, doc.ReadOptions); err != nil {
		return Stored{}, fmt.Errorf("write document row: %w", err)
	}
	if err := writeWarnings(ctx, tx, doc.Path, doc.Warnings, redact); err != nil {
		return Stored{}, err
	}
	oldPosts, oldComments, err := s.loadDocument(ctx, tx, doc.Path)
	if err != nil {
		return Stored{}, err
	}
	r := &replacement{ctx: ctx, tx: tx, w: w, as: as, keepRaw: keepRaw, redact: redact, old: oldComments, k: -1,
		insPost: tx.StmtContext(ctx, s.stInsertPost), updPost: tx.StmtContext(ctx, s.stUpdatePost),
		updComment: tx.StmtContext(ctx, s.stUpdateComment), delComment: tx.StmtContext(ctx, s.stDeleteComment)}
	// seqs[k] is the row of the document's k-th comment, filled in when the
	// rows are inserted; whole stays true while every comment is a new row
	// with, when it counts, its analysis.
	if r.whole = len(oldComments) == 0; r.whole {
		n := 0
		for i := range doc.Posts {
			n += len(doc.Posts[i].Comments)
		}
		r.seqs = make([]int64, n)
	}
	// Comments first: deleting the ones the new version lacks before their
	// posts go keeps Removed exact (a post's cascade would hide them).
	if err := r.dropGone(doc, oldPosts); err != nil {
		return Stored{}, err
	}
	for i := range doc.Posts {
		p := &doc.Posts[i]
		if err := r.post(doc.Path, i, p, oldPosts); err != nil {
			return Stored{}, err
		}
		for j := range p.Comments {
			if err := r.comment(p, &p.Comments[j]); err != nil {
				return Stored{}, err
			}
		}
	}
	st := Stored{Changes: r.ch, Gen: gen}
	if r.whole {
		st.Seqs = r.seqs
	}
	return st, nil
}

// replacement is one document's replace under way.
type replacement struct {
	ctx context.Context
	tx  *sql.Tx
	w   *rowWriter
	// The store's prepared statements, bound to tx.
	insPost, updPost, updComment, delComment *sql.Stmt
	as                                       []analysis.Analysis // the analyses not yet matched to a comment
	keepRaw                                  bool
	redact                                   func(string) string
	old                                      map[string]storedRow
	ch                                       Changes
	seqs                                     []int64
	whole                                    bool
	k                                        int // the document's comment being stored
}

// dropGone deletes the stored comments and posts the new version lacks,
// and fails on a comment id that appears twice.
func (r *replacement) dropGone(doc *corpus.Document, oldPosts map[string]storedPost) error {
	keep := make(map[string]bool, len(r.old))
	for i := range doc.Posts {
		for j := range doc.Posts[i].Comments {
			id := doc.Posts[i].Comments[j].ID
			if keep[id] {
				return fmt.Errorf("comment id %s appears twice (post %s)", id, doc.Posts[i].ID)
			}
			keep[id] = true
		}
	}
	if len(r.old) > 0 {
		for id, oc := range r.old {
			if !keep[id] {
				if _, err := r.delComment.ExecContext(r.ctx, oc.seq); err != nil {
					return fmt.Errorf("delete comment %s: %w", id, err)
				}
				r.ch.Removed++
			}
		}
	}
	if len(oldPosts) > 0 {
		newPosts := make(map[string]bool, len(doc.Posts))
		for i := range doc.Posts {
			newPosts[doc.Posts[i].ID] = true
		}
		for id := range oldPosts {
			if !newPosts[id] {
				if _, err := r.tx.ExecContext(r.ctx, `DELETE FROM posts WHERE id = ?`, id); err != nil {
					return fmt.Errorf("delete post %s: %w", id, err)
				}
			}
		}
	}
	return nil
}

// post inserts or updates post i of the document at path.
func (r *replacement) post(path string, i int, p *corpus.Post, oldPosts map[string]storedPost) error {
	np := storedPost{
		ord: i, date: p.Date, dateSource: string(p.DateSource), title: r.redact(p.Title),
		body: redactJoin(p.Body, r.redact), sourceFile: p.SourceFile, declared: p.DeclaredComments,
		found: len(p.Comments), sourceID: r.redact(p.SourceID),
	}
	for j := range p.Comments {
		if p.Comments[j].Counted() {
			np.counted++ // as stored: an empty status is stored as published
		}
	}
	if np.dateSource == "" {
		np.dateSource = string(corpus.DateNone)
	}
	op, ok := oldPosts[p.ID]
	switch {
	case !ok:
		if _, err := r.insPost.ExecContext(r.ctx, p.ID, path, np.ord, np.date, np.dateSource,
			np.title, np.body, np.sourceFile, np.declared, np.found, np.counted, np.sourceID); err != nil {
			return fmt.Errorf("insert post %s: %w", p.ID, err)
		}
	case op != np:
		if _, err := r.updPost.ExecContext(r.ctx, np.ord, np.date, np.dateSource,
			np.title, np.body, np.sourceFile, np.declared, np.found, np.counted, np.sourceID, p.ID); err != nil {
			return fmt.Errorf("update post %s: %w", p.ID, err)
		}
	}
	return nil
}

// comment stores comment c of post p: a new row when it is new, or when
// its text or whether it counts changed (its old analyses go with the old
// row); an update of the row otherwise, when anything else changed.
func (r *replacement) comment(p *corpus.Post, c *corpus.Comment) error {
	r.k++
	nc := asStored(p, c, r.keepRaw, r.redact)
	var an *analysis.Analysis
	if len(r.as) > 0 && r.as[0].CommentID == c.ID {
		an, r.as = &r.as[0], r.as[1:]
	}
	var seq *int64
	if r.whole {
		seq = &r.seqs[r.k]
		r.whole = an != nil || !nc.counted()
	}
	old, ok := r.old[c.ID]
	oc := old.storedComment
	switch {
	case !ok:
		r.ch.Added++
		return r.w.addComment(c.ID, nc, an, seq)
	case oc.text != nc.text || oc.counted() != nc.counted():
		// A new row, hence a new seq above every key's analysed_upto
		// mark, so PendingAnalysis finds it without walking the store.
		if _, err := r.delComment.ExecContext(r.ctx, old.seq); err != nil {
			return fmt.Errorf("replace comment %s: %w", c.ID, err)
		}
		if oc.text != nc.text {
			r.ch.Updated++
		} else {
			r.ch.Unchanged++
		}
		return r.w.addComment(c.ID, nc, an, seq)
	}
	r.ch.Unchanged++
	if oc == nc {
		return nil
	}
	if _, err := r.updComment.ExecContext(r.ctx, nc.postID, nc.parentID, nc.depth, nc.position, nc.section,
		nc.author, nc.text, nc.raw, nc.status, nc.dupOf, nc.sourceID, old.seq); err != nil {
		return fmt.Errorf("update comment %s: %w", c.ID, err)
	}
	return nil
}

// commentChunk is how many comments one INSERT statement carries: one
// statement per row costs as much in statement overhead as the row itself,
// and 128 rows a statement stored a cold batch 14% faster than 32
// (BenchmarkColdStoreAnalysed).
const commentChunk = 128

// commentCols is the number of values bound per comment.
const commentCols = 12

// insertCommentsSQL is the INSERT for n comments.
func insertCommentsSQL(n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", commentCols), ", ") + ")"
	rows := make([]string, n)
	for i := range rows {
		rows[i] = row
	}
	return `INSERT INTO comments (id, post_id, parent_id, depth, position, section, author, text, raw_text, status, duplicate_of, source_id)
		VALUES ` + strings.Join(rows, ", ")
}

// rowWriter buffers the new comment rows of a transaction and the
// analyses that go with them, and inserts each commentChunk (analysisChunk)
// at a time, in the order given, so seq follows reading order: one
// statement per row costs as much in statement overhead as the row itself,
// and a file of one post holds fewer comments than a chunk, so the buffer
// spans the documents of a batch.
type rowWriter struct {
	ctx        context.Context
	comments   commentInserter
	analyses   analysisInserter
	countedNew int // counted comments inserted
}

func (s *Store) newRowWriter(ctx context.Context, tx *sql.Tx, key string) *rowWriter {
	w := &rowWriter{ctx: ctx}
	w.comments = commentInserter{one: tx.StmtContext(ctx, s.stInsertComment), chunk: tx.StmtContext(ctx, s.stInsertComments)}
	w.analyses = analysisInserter{key: key, one: tx.StmtContext(ctx, s.stSaveAnalysis), chunk: tx.StmtContext(ctx, s.stSaveAnalyses)}
	return w
}

// addComment buffers one new comment row and, when it counts and an is not
// nil, its analysis, which is saved once the row's seq is known.
func (w *rowWriter) addComment(id string, c storedComment, an *analysis.Analysis, seq *int64) error {
	if c.counted() {
		w.countedNew++
	} else {
		an = nil // analyses are only ever kept for counted comments
	}
	return w.comments.add(w.ctx, id, c, row{an, seq}, &w.analyses)
}

// row is what a buffered comment row's seq is needed for: its analysis
// and where the caller wants the seq written; either may be nil.
type row struct {
	an  *analysis.Analysis
	seq *int64
}

// flush inserts what is buffered: comments first, so that every analysis
// has its row.
func (w *rowWriter) flush() error {
	if err := w.comments.flush(w.ctx, &w.analyses); err != nil {
		return err
	}
	return w.analyses.flush(w.ctx)
}

// commentInserter buffers new comments and inserts them commentChunk at a
// time. The rows of one INSERT take consecutive seqs (AUTOINCREMENT under
// the write lock), ending at the statement's last insert rowid; that is
// how each buffered analysis learns its comment's seq. The analyses are
// inserted joined to the comment row on seq and id together, so a wrong
// seq would fail loudly rather than file an analysis under another comment.
type commentInserter struct {
	one, chunk *sql.Stmt
	args       []any
	rows       []row  // per buffered row
	first      string // id of the first buffered comment, for errors
	n          int
	lastSeq    int64 // seq of the last row inserted
}

func (ci *commentInserter) add(ctx context.Context, id string, c storedComment, r row, ai *analysisInserter) error {
	if ci.n == 0 {
		ci.first = id
	}
	ci.args = append(ci.args, id, c.postID, c.parentID, c.depth, c.position, c.section, c.author, c.text, c.raw, c.status, c.dupOf, c.sourceID)
	ci.rows = append(ci.rows, r)
	ci.n++
	if ci.n == commentChunk {
		res, err := ci.chunk.ExecContext(ctx, ci.args...)
		if err != nil {
			return fmt.Errorf("insert comments %s...: %w", ci.first, err)
		}
		if err := ci.inserted(ctx, res, ci.rows, ai); err != nil {
			return fmt.Errorf("insert comments %s...: %w", ci.first, err)
		}
		ci.args, ci.rows, ci.n = ci.args[:0], ci.rows[:0], 0
	}
	return nil
}

// inserted gives the rows res inserted their seqs, and hands their
// analyses to ai.
func (ci *commentInserter) inserted(ctx context.Context, res sql.Result, rows []row, ai *analysisInserter) error {
	last, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("read seq: %w", err)
	}
	ci.lastSeq = last
	first := last - int64(len(rows)) + 1
	for i, r := range rows {
		seq := first + int64(i)
		if r.seq != nil {
			*r.seq = seq
		}
		if r.an == nil {
			continue
		}
		r.an.Seq = seq
		if err := ai.add(ctx, r.an); err != nil {
			return err
		}
	}
	return nil
}

func (ci *commentInserter) flush(ctx context.Context, ai *analysisInserter) error {
	for i := 0; i < ci.n; i++ {
		row := ci.args[i*commentCols : (i+1)*commentCols]
		res, err := ci.one.ExecContext(ctx, row...)
		if err == nil {
			err = ci.inserted(ctx, res, ci.rows[i:i+1], ai)
		}
		if err != nil {
			return fmt.Errorf("insert comment %s: %w", row[0], err)
		}
	}
	ci.args, ci.rows, ci.n = ci.args[:0], ci.rows[:0], 0
	return nil
}

// redactJoin redacts body paragraphs and joins them with blank lines, which
// is how a researcher reading the body column expects paragraphs to look.
func redactJoin(paras []string, redact func(string) string) string {
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = redact(p)
	}
	return strings.Join(out, "\n\n")
}

// loadDocument reads what is stored for path, for ReplaceAnalysed to
// compare against. It reads nothing for a new document beyond one index
// probe.
func (s *Store) loadDocument(ctx context.Context, tx *sql.Tx, path string) (map[string]storedPost, map[string]storedRow, error) {
	posts := map[string]storedPost{}
	rows, err := tx.StmtContext(ctx, s.stLoadPosts).QueryContext(ctx, path)
	if err != nil {
		return nil, nil, fmt.Errorf("read stored posts: %w", err)
	}
	for rows.Next() {
		var id string
		var p storedPost
		if err := rows.Scan(&id, &p.ord, &p.date, &p.dateSource, &p.title, &p.body, &p.sourceFile, &p.declared, &p.found, &p.counted, &p.sourceID); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("read stored posts: %w", err)
		}
		posts[id] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read stored posts: %w", err)
	}
	comments := map[string]storedRow{}
	if len(posts) == 0 {
		return posts, comments, nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT c.seq, c.id, c.post_id, c.parent_id, c.depth, c.position, c.section, c.author, c.text, c.raw_text, c.status, c.duplicate_of, c.source_id
		FROM posts p JOIN comments c ON c.post_id = p.id WHERE p.document = ?`, path)
	if err != nil {
		return nil, nil, fmt.Errorf("read stored comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c storedRow
		if err := rows.Scan(&c.seq, &id, &c.postID, &c.parentID, &c.depth, &c.position, &c.section, &c.author, &c.text, &c.raw, &c.status, &c.dupOf, &c.sourceID); err != nil {
			return nil, nil, fmt.Errorf("read stored comments: %w", err)
		}
		comments[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read stored comments: %w", err)
	}
	return posts, comments, nil
}

// RejectDocument records that r.Path was quarantined. Nothing from a
// rejected file is used, so any posts and comments stored for an earlier
// version of it are deleted with their analyses, in the same transaction:
// the reports must describe the inputs as they are now.
func (s *Store) RejectDocument(ctx context.Context, r corpus.Reject) error {
	reason := r.Reason
	if reason == "" {
		// An empty reason is how MarkVanished tells a restored document
		// was read rather than rejected; never store one for a reject.
		reason = "rejected"
	}
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reject %s: begin: %w", r.Path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO documents (path, sha256, format, size, status, reason, flags, first_seen, last_seen)
		VALUES (?, ?, '', 0, 'rejected', ?, '', ?, ?)
		ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, format = '', size = 0, mtime_ns = 0,
			status = 'rejected', reason = excluded.reason, flags = '', last_seen = excluded.last_seen`,
		r.Path, r.SHA256, reason, now, now); err != nil {
		return fmt.Errorf("reject %s: %w", r.Path, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE document = ?`, r.Path); err != nil {
		return fmt.Errorf("reject %s: delete stored posts: %w", r.Path, err)
	}
	if err := writeWarnings(ctx, tx, r.Path, nil, nil); err != nil {
		return fmt.Errorf("reject %s: %w", r.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reject %s: commit: %w", r.Path, err)
	}
	s.wrote()
	return nil
}

// Rejects lists the documents currently rejected, by path. A rejected file
// that has since vanished is not listed.
func (s *Store) Rejects(ctx context.Context) ([]corpus.Reject, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, sha256, reason FROM documents WHERE status = 'rejected' ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list rejects: %w", err)
	}
	defer rows.Close()
	var out []corpus.Reject
	for rows.Next() {
		var r corpus.Reject
		if err := rows.Scan(&r.Path, &r.SHA256, &r.Reason); err != nil {
			return nil, fmt.Errorf("list rejects: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list rejects: %w", err)
	}
	return out, nil
}

// lowerMarksForRestored lowers each analysis key's mark to just below the
// first counted comment, of the vanished documents about to come back (in
// temp.present), that lacks an analysis under the key. Walks pass over
// vanished comments and raise the mark past them (PendingRows); this is
// what brings them back into the next walk. A file restored after being
// analysed lowers nothing.
func lowerMarksForRestored(ctx context.Context, tx *sql.Tx) error {
	if err := lowerMarksBelow(ctx, tx, `SELECT path FROM temp.present`); err != nil {
		return fmt.Errorf("restore present documents: %w", err)
	}
	return nil
}

// lowerMarksForReread is lowerMarksForRestored for the vanished documents
// among docs, which ReplaceAnalysed is about to store as ok: a file that
// comes back changed is read and stored before the run calls MarkVanished,
// which then finds it ok and lowers nothing, while the comments the change
// left alone keep their rows (and lack what the keys made while it was
// away never gave them).
func lowerMarksForReread(ctx context.Context, tx *sql.Tx, docs []*corpus.Document) error {
	paths := make([]string, len(docs))
	for i, d := range docs {
		paths[i] = d.Path
	}
	list, err := json.Marshal(paths)
	if err != nil {
		return fmt.Errorf("lower analysis marks: %w", err)
	}
	var some bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM documents
		WHERE status = 'vanished' AND path IN (SELECT value FROM json_each(?)))`, string(list)).Scan(&some); err != nil {
		return fmt.Errorf("lower analysis marks: %w", err)
	}
	if !some {
		return nil
	}
	return lowerMarksBelow(ctx, tx, `SELECT value FROM json_each(?1)`, string(list))
}

// lowerMarksBelow lowers each analysis key's mark to just below the first
// counted comment lacking an analysis under the key, of the vanished
// documents whose paths the query paths lists.
func lowerMarksBelow(ctx context.Context, tx *sql.Tx, paths string, args ...any) error {
	if _, err := tx.ExecContext(ctx, `UPDATE analysis_keys SET analysed_upto = min(analysed_upto, coalesce((
			SELECT min(c.seq) - 1 FROM documents d
			CROSS JOIN posts p INDEXED BY posts_document ON p.document = d.path
			CROSS JOIN comments c INDEXED BY comments_post ON c.post_id = p.id
			WHERE d.status = 'vanished' AND d.path IN (`+paths+`)
			  AND `+countedSQL+`
			  AND NOT EXISTS (SELECT 1 FROM analyses a
				WHERE a.comment_seq = c.seq AND a.analysis_key = analysis_keys.analysis_key)),
		analysed_upto))`, args...); err != nil {
		return fmt.Errorf("lower analysis marks: %w", err)
	}
	return nil
}

// MarkVanished records which inputs this run was given. Stored documents
// whose path is not in present become vanished (their posts and comments
// are kept but left out of every read) and are returned, sorted. Vanished
// documents whose path is in present come back with the status they had,
// ok or rejected, so a file restored unchanged need not be read again.
// Every document in present has last_seen stamped.
func (s *Store) MarkVanished(ctx context.Context, present []string) (vanished []string, err error) {
	list, err := json.Marshal(present)
	if err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	if present == nil {
		list = []byte("[]")
	}
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("mark vanished documents: begin: %w", err)
	}
	defer tx.Rollback()
	// A temporary table makes the membership test an index probe whatever
	// the number of inputs.
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS present (path TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.present`); err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO temp.present SELECT value FROM json_each(?)`, string(list)); err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `UPDATE documents SET status = 'vanished'
		WHERE status != 'vanished' AND path NOT IN (SELECT path FROM temp.present)
		RETURNING path`)
	if err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("mark vanished documents: %w", err)
		}
		vanished = append(vanished, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	if err := lowerMarksForRestored(ctx, tx); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents
		SET status = CASE WHEN status != 'vanished' THEN status WHEN reason = '' THEN 'ok' ELSE 'rejected' END,
			last_seen = ?
		WHERE path IN (SELECT path FROM temp.present)`, now); err != nil {
		return nil, fmt.Errorf("restore present documents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.present`); err != nil {
		return nil, fmt.Errorf("mark vanished documents: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("mark vanished documents: commit: %w", err)
	}
	s.wrote()
	slices.Sort(vanished)
	return vanished, nil
}

// ClearRawText deletes every stored original comment text. A run without
// --keep-raw-text calls it so that originals kept by an earlier run do not
// outlive the decision to stop keeping them; it costs an index probe when
// there is nothing to clear.
func (s *Store) ClearRawText(ctx context.Context) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, `UPDATE comments SET raw_text = NULL WHERE raw_text IS NOT NULL`)
	if err != nil {
		return 0, fmt.Errorf("clear raw comment text: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("clear raw comment text: %w", err)
	}
	return n, nil
}

// FileStat is what a run saw of an input file whose content it hashed.
type FileStat struct {
	Path    string
	SHA256  string // of the content read
	Size    int64
	MtimeNS int64 // modification time, Unix nanoseconds
}

// SetStats records the size and modification time each file had when its
// content was read, so that a later run may take a file with the same path,
// size and mtime as unchanged without reading it (the rule make and rsync
// follow). A stat is only kept for a document that is ok and still has the
// given size and SHA-256, so it always describes the stored content.
func (s *Store) SetStats(ctx context.Context, stats []FileStat) error {
	if len(stats) == 0 {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record file stats: begin: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `UPDATE documents SET mtime_ns = ?
		WHERE path = ? AND status = 'ok' AND size = ? AND sha256 = ?`)
	if err != nil {
		return fmt.Errorf("record file stats: %w", err)
	}
	defer st.Close()
	for _, f := range stats {
		if _, err := st.ExecContext(ctx, f.MtimeNS, f.Path, f.Size, f.SHA256); err != nil {
			return fmt.Errorf("record file stats: %s: %w", f.Path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record file stats: commit: %w", err)
	}
	s.wrote()
	return nil
}
