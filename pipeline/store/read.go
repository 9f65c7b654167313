package store

import (
	"context"
	"database/sql"
	"fmt"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// PostRow is a stored post of a document that has not vanished, with the
// number of comments stored for it.
type PostRow struct {
	ID               string
	Date             string // YYYY-MM-DD, or "" when undated
	DateSource       corpus.DateSource
	Title            string // redacted as stored
	SourceFile       string
	Document         string // the documents.path the post was read from
	DeclaredComments int    // as the page states it, -1 when it states none
	FoundComments    int    // every stored comment, deleted, spam and duplicates included
	CountedComments  int    // published and not duplicates: the ones analysed
	SourceID         string // the archive's own id of the post; "" when it has none
	// Gen is its document's gen: it changes whenever the document's posts
	// and comments are stored again (the report cache in pipeline/reuse.go
	// relies on it).
	Gen int64
}

// postsQuery is the read behind Posts. The comment counts are kept on the
// post row by ReplaceDocument: counting them here cost a second per million
// comments.
const postsQuery = `SELECT p.id, p.date, p.date_source, p.title, p.source_file, p.document, p.declared_comments,
		p.found_comments, p.counted_comments, d.gen, p.source_id
	FROM posts p INDEXED BY posts_order
	JOIN documents d ON d.path = p.document
	WHERE d.status = 'ok'
	ORDER BY p.date, p.source_file, p.id`

// Posts lists the posts of every document that has not vanished, in report
// order: post date (undated first), source file, post id.
func (s *Store) Posts(ctx context.Context) ([]PostRow, error) {
	rows, err := s.db.QueryContext(ctx, postsQuery)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	defer rows.Close()
	var out []PostRow
	var sc valueScanner // see Comments: Scan's conversions cost more than the query
	for rows.Next() {
		v, err := sc.scan(rows, 11)
		if err != nil {
			return nil, fmt.Errorf("list posts: %w", err)
		}
		out = append(out, PostRow{
			ID: str(v[0]), Date: str(v[1]), DateSource: corpus.DateSource(str(v[2])), Title: str(v[3]),
			SourceFile: str(v[4]), Document: str(v[5]), DeclaredComments: int(i64(v[6])),
			FoundComments: int(i64(v[7])), CountedComments: int(i64(v[8])), Gen: i64(v[9]), SourceID: str(v[10]),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	return out, nil
}

// CommentRow is a stored comment joined with its post and its analysis
// under one key.
type CommentRow struct {
	// Comment is the comment as stored: Text and Author are redacted.
	// Comment.Counted tells whether it takes part in aggregates.
	corpus.Comment
	Seq        int64  // the comment's row in the store
	RawText    string // the original text, "" unless HasRaw
	HasRaw     bool   // the original was kept (--keep-raw-text)
	PostDate   string // YYYY-MM-DD, or "" when undated
	DateSource corpus.DateSource
	SourceFile string
	// PostSourceID is the archive's own id of the comment's post (the
	// comment's own is Comment.SourceID); "" when it has none.
	PostSourceID string
	// Analysis is the comment's analysis under the key asked for; it is the
	// zero value when Analysed is false (deleted, spam and duplicate
	// comments are never analysed, and a fresh key starts empty).
	Analysis analysis.Analysis
	Analysed bool
}

// commentsQuery is the read behind Comments (a test checks its plan). It
// names each comment's post by p.rowid only: the post's own columns come
// from commentPostsQuery, read beside it, once per post instead of once per
// comment. The analysis columns are not coalesced: a comment without an
// analysis under the key reads as NULLs, and n_tokens, NOT NULL in the
// table, tells the two apart. The posts are those from the PostRow given
// as ?2-?4 (date, source file, id) on.
const commentsQuery = `SELECT p.rowid, c.seq, c.id, c.parent_id, c.depth, c.position, c.section, c.author,
			c.text, c.raw_text, c.status, c.duplicate_of,
			a.n_tokens, a.n_sentences, a.compound, a.pos, a.neu, a.neg,
			a.label, a.evidence, a.topics, a.topic_scores, a.topic_evidence, c.source_id
		FROM posts p INDEXED BY posts_order
		JOIN documents d ON d.path = p.document
		JOIN comments c INDEXED BY comments_post ON c.post_id = p.id
		LEFT JOIN analyses a ON a.comment_seq = c.seq AND a.analysis_key = ?1
		WHERE d.status = 'ok' AND (p.date, p.source_file, p.id) >= (?2, ?3, ?4)`

// commentPostsQuery lists the posts commentsQuery walks, in its order.
const commentPostsQuery = `SELECT p.rowid, p.id, p.date, p.date_source, p.source_file, p.source_id
		FROM posts p INDEXED BY posts_order
		JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok' AND (p.date, p.source_file, p.id) >= (?2, ?3, ?4)`

// commentsOrder and postsOrder end the two queries; before them, upTo
// stops both short of the PostRow given as ?5-?7. posts_order serves the
// range, bounded or not, as one run of the index, in its order.
const (
	upTo          = ` AND (p.date, p.source_file, p.id) < (?5, ?6, ?7)`
	commentsOrder = ` ORDER BY p.date, p.source_file, p.id, c.position`
	postsOrder    = ` ORDER BY p.date, p.source_file, p.id`
)

// Comments calls fn for every stored comment of every document that has not
// vanished, in a stable order: post date (undated first), source file, post
// id, position. Each comes joined with its analysis under key. The rows
// stream from one query, so memory does not grow with the store; fn should
// not hold the read open for long, since an open read keeps the write-ahead
// log from being reset. An error from fn stops the walk and is returned.
func (s *Store) Comments(ctx context.Context, key string, fn func(CommentRow) error) error {
	return s.CommentsBetween(ctx, key, nil, nil, fn)
}

// CommentsBetween is Comments for the posts from from up to, not including,
// to, in report order (nil from: from the first post; nil to: to the last).
// Walks of disjoint ranges may run at once, on connections of their own:
// the report cache is rebuilt so, a range per CPU.
func (s *Store) CommentsBetween(ctx context.Context, key string, from, to *PostRow, fn func(CommentRow) error) error {
	var lo PostRow
	if from != nil {
		lo = *from
	}
	args := []any{key, lo.Date, lo.SourceFile, lo.ID}
	cq, pq := commentsQuery+commentsOrder, commentPostsQuery+postsOrder
	if to != nil {
		args = append(args, to.Date, to.SourceFile, to.ID)
		cq, pq = commentsQuery+upTo+commentsOrder, commentPostsQuery+upTo+postsOrder
	}
	// The planner walks posts_order, probes documents once per post, then
	// comments_post in position order, the comment row by seq and the
	// analyses key once per comment: the order comes from the indexes, with
	// no sort.
	//
	// Each text column costs the driver a copy and an allocation, and each
	// column a few calls into SQLite, per row: reading the three post
	// columns and the post id once per post instead (from a second cursor
	// on the same connection, walking the posts in the same order) and not
	// coalescing NULLs makes the read a fifth cheaper (see
	// BenchmarkComments). Two statements stepped together on one connection
	// read one snapshot: SQLite keeps a read transaction open while any
	// statement of the connection is active, so no write can come between.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, cq, args...)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	defer rows.Close()
	postRows, err := conn.QueryContext(ctx, pq, args...)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	defer postRows.Close()
	// Scanning into interfaces and converting by hand: database/sql's Scan
	// takes its reflection path for int, float64 and named string types,
	// which formatted and reparsed every number and cost more than the
	// query itself (measured: 15 µs a row before, see BenchmarkComments).
	var sc, psc valueScanner
	var post commentPost
	post.rowid = -1
	for rows.Next() {
		v, err := sc.scan(rows, 24)
		if err != nil {
			return fmt.Errorf("read comments: %w", err)
		}
		if rowid := i64(v[0]); rowid != post.rowid {
			if post, err = nextPost(postRows, &psc, rowid); err != nil {
				return err
			}
		}
		r, err := post.comment(v)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	return nil
}

// commentPost is a row of commentPostsQuery.
type commentPost struct {
	rowid                            int64
	id, date, source, file, sourceID string
}

// nextPost advances posts, a walk of commentPostsQuery, to the post with
// the given rowid. Posts without comments are passed over; running out of
// posts means the two cursors disagree, which one snapshot rules out.
func nextPost(posts *sql.Rows, sc *valueScanner, rowid int64) (commentPost, error) {
	for posts.Next() {
		v, err := sc.scan(posts, 6)
		if err != nil {
			return commentPost{}, fmt.Errorf("read comments: %w", err)
		}
		if i64(v[0]) == rowid {
			return commentPost{rowid: rowid, id: str(v[1]), date: str(v[2]), source: str(v[3]), file: str(v[4]), sourceID: str(v[5])}, nil
		}
	}
	if err := posts.Err(); err != nil {
		return commentPost{}, fmt.Errorf("read comments: %w", err)
	}
	return commentPost{}, fmt.Errorf("read comments: post row %d is not among the posts read", rowid)
}

// comment converts one row of commentsQuery, a comment of p, into the
// CommentRow scanComment makes of the same comment.
func (p *commentPost) comment(v []any) (CommentRow, error) {
	var r CommentRow
	r.PostDate, r.DateSource, r.SourceFile, r.PostID, r.PostSourceID = p.date, corpus.DateSource(p.source), p.file, p.id, p.sourceID
	r.Seq, r.ID, r.ParentID, r.SourceID = i64(v[1]), str(v[2]), str(v[3]), str(v[23])
	r.Depth, r.Position, r.Section = int(i64(v[4])), int(i64(v[5])), corpus.Section(str(v[6]))
	r.Author, r.Text, r.RawText, r.HasRaw = str(v[7]), str(v[8]), str(v[9]), v[9] != nil
	r.Status, r.DuplicateOf = corpus.Status(str(v[10])), str(v[11])
	if v[12] == nil {
		return r, nil
	}
	return r, r.readAnalysis(v[12:23])
}

// readAnalysis sets r's analysis from the eleven analyses columns n_tokens
// to topic_evidence, in table order, as a query reads them.
func (r *CommentRow) readAnalysis(v []any) error {
	r.Analysed = true
	a := &r.Analysis
	a.Seq, a.CommentID = r.Seq, r.ID
	a.NTokens, a.NSentences = int(i64(v[0])), int(i64(v[1]))
	a.Compound, a.Pos, a.Neu, a.Neg = f64(v[2]), f64(v[3]), f64(v[4]), f64(v[5])
	a.Label, a.Evidence, a.TopicEvidence = str(v[6]), str(v[7]), str(v[10])
	a.Topics = splitTopics(str(v[8]))
	var err error
	if a.TopicScores, err = parseScores(str(v[9])); err != nil {
		return fmt.Errorf("read comments: comment %s: %w", r.ID, err)
	}
	return nil
}

// scanComment converts one row of a query with commentColumns into a
// CommentRow.
func scanComment(sc *valueScanner, rows *sql.Rows) (CommentRow, error) {
	var r CommentRow
	v, err := sc.scan(rows, 30)
	if err != nil {
		return r, fmt.Errorf("read comments: %w", err)
	}
	r.PostDate, r.DateSource, r.SourceFile = str(v[0]), corpus.DateSource(str(v[1])), str(v[2])
	r.PostSourceID, r.SourceID = str(v[28]), str(v[29])
	r.Seq, r.ID, r.PostID, r.ParentID = i64(v[3]), str(v[4]), str(v[5]), str(v[6])
	r.Depth, r.Position, r.Section = int(i64(v[7])), int(i64(v[8])), corpus.Section(str(v[9]))
	r.Author, r.Text, r.RawText, r.HasRaw = str(v[10]), str(v[11]), str(v[12]), i64(v[13]) != 0
	r.Status, r.DuplicateOf = corpus.Status(str(v[14])), str(v[15])
	r.Analysed = i64(v[16]) != 0
	a := &r.Analysis
	a.NTokens, a.NSentences = int(i64(v[17])), int(i64(v[18]))
	a.Compound, a.Pos, a.Neu, a.Neg = f64(v[19]), f64(v[20]), f64(v[21]), f64(v[22])
	a.Label, a.Evidence, a.TopicEvidence = str(v[23]), str(v[24]), str(v[27])
	topics, scores := str(v[25]), str(v[26])
	if r.Analysed {
		r.Analysis.Seq, r.Analysis.CommentID = r.Seq, r.ID
		r.Analysis.Topics = splitTopics(topics)
		if r.Analysis.TopicScores, err = parseScores(scores); err != nil {
			return r, fmt.Errorf("read comments: comment %s: %w", r.ID, err)
		}
	}
	return r, nil
}

// valueScanner scans a row into reused interface slots, the one Scan
// destination database/sql fills without conversion.
type valueScanner struct {
	vals []any
	ptrs []any
}

func (vs *valueScanner) scan(rows *sql.Rows, n int) ([]any, error) {
	if len(vs.vals) != n {
		vs.vals = make([]any, n)
		vs.ptrs = make([]any, n)
		for i := range vs.vals {
			vs.ptrs[i] = &vs.vals[i]
		}
	}
	clear(vs.vals)
	if err := rows.Scan(vs.ptrs...); err != nil {
		return nil, err
	}
	return vs.vals, nil
}

// str, i64 and f64 convert what the driver returns for TEXT, INTEGER and
// REAL columns; the queries coalesce NULLs, and a value of another type
// (which the schema rules out) reads as the zero value.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func i64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func f64(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}
