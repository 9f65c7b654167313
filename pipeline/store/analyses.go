package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"chorus/corpus"
	"chorus/internal/analysis"
)

// pendingPage is how many comments PendingRows reads per query.
// Reading a page and closing the query before calling back means the caller
// may save analyses from inside the callback, and the read snapshot never
// pins the write-ahead log for a whole run.
const pendingPage = 2048

// countedSQL is the rule of which comments count (analysis.Counted) for
// the comments table as c: statuses are stored, so an empty one is
// 'published' here. Queries that walk counted comments use it, and the
// partial index comments_counted is built on it (schema.go, migration 3).
// TestCountedRuleMatchesSQL holds the two forms of the rule equal.
const countedSQL = `c.status = 'published' AND c.duplicate_of = ''`

// The queries of one page of PendingRows (a test checks their plans): the
// comments above ?1 in seq order, at most ?2 of them, a range of the
// comments table itself in its own order; then, over the seqs of the page
// (above ?2, up to ?3), the analyses under the key ?1 and those under the
// reuse key, each a range of the analyses table's key. They need no
// common snapshot: the analyses of a page's comments would change only
// under a writer saving analyses of comments the walk has not handed over
// yet, and the walk's callers save those of comments it has.
// Three ranges read in order cost less than a probe of the analyses per
// comment, and fetching the analysis columns only where there are
// analyses spares the driver most of its per-column work (after a model
// change there are none).
const (
	pendingCommentsQuery = `SELECT post_id, seq, id, parent_id, depth, position, section, author,
			text, raw_text, status, duplicate_of, source_id
		FROM comments WHERE seq > ?1 ORDER BY seq LIMIT ?2`
	pendingAnalysesQuery = `SELECT comment_seq, n_tokens, n_sentences, compound, pos, neu, neg,
			label, evidence, topics, topic_scores, topic_evidence
		FROM analyses WHERE analysis_key = ?1 AND comment_seq > ?2 AND comment_seq <= ?3
		ORDER BY comment_seq`
)

// PendingRow is a stored comment met by PendingRows.
type PendingRow struct {
	// CommentRow is the comment as Comments reads it, with its analysis
	// under the key when it has one, except that the post's own fields
	// (PostDate, DateSource, SourceFile, PostSourceID) are empty: Posts
	// has them, once per post.
	CommentRow
	// Pending tells that the comment counts and lacks an analysis under
	// the key: the caller analyses it.
	Pending bool
	// Prior, for a pending comment, is its analysis under the reuse key
	// (counts and sentiment; no topics), nil when it has none.
	Prior *analysis.Analysis
}

// CommentText is the pending comment as an analyser takes it.
func (r *PendingRow) CommentText() analysis.CommentText {
	return analysis.CommentText{Seq: r.Seq, ID: r.ID, PostID: r.PostID, Text: r.Text, Prior: r.Prior}
}

// PendingAnalysis calls fn for every counted comment (published, not a
// duplicate, in a document that has not vanished) that has no analysis under
// key, in storage order. After a model, lexicon or taxonomy change the caller
// passes a new key and gets every counted comment again, from the database,
// without reading a file. It is PendingRows without the comments that have
// their analysis.
func (s *Store) PendingAnalysis(ctx context.Context, key string, fn func(analysis.CommentText) error) error {
	return s.PendingRows(ctx, key, "", func(r *PendingRow) error {
		if !r.Pending {
			return nil
		}
		return fn(r.CommentText())
	})
}

// PendingRows calls fn for every stored comment of a document that has not
// vanished above key's analysed_upto mark, in storage order, whether it is
// pending (PendingRow.Pending: it counts and has no analysis under key) or
// not: a caller that analyses the pending ones then has every comment of
// each post stored above the mark in hand, to build the post's report rows
// without reading them back. Each pending comment comes with its analysis
// under reuse, when it has one ("" for none: the key ReusableKey found,
// whose sentiment half is the current key's, so that only the topics need
// computing again).
//
// fn may call SaveAnalyses (or any other method): the comments are read a
// page at a time, and the query closed before fn is called, so no read is
// open while fn writes and the read snapshot never pins the write-ahead
// log for a whole run. Comments saved meanwhile are offered as they were
// read. An error from fn stops the walk and is returned. The *PendingRow
// is fn's only for the call.
//
// The walk starts above the key's mark: every counted comment at or below
// it, in a document that has not vanished, is known to have an analysis
// under the key, because a comment whose text changes, or which starts to
// count, is stored as a new row with a higher seq (seq never goes back:
// AUTOINCREMENT), and a vanished document that comes back lowers every
// key's mark below its comments (MarkVanished). So a nightly run on a
// large store looks only at what was added. The mark is raised to just
// below the first counted comment this walk finds lacking, before fn sees
// it, or to the highest seq when none lacks one. Comments of vanished
// documents do not hold it back: one vanished file used to keep the mark of
// every key made after it at 0, and every nightly count then scanned the
// whole store (1.5 s on 1M comments).
func (s *Store) PendingRows(ctx context.Context, key, reuse string, fn func(*PendingRow) error) error {
	// Posts of vanished documents are few and listed once; filtering them
	// here rather than in SQL keeps the list from being rebuilt for every
	// page.
	hidden, err := s.hiddenPosts(ctx)
	if err != nil {
		return err
	}
	mark, top, err := s.analysedUpto(ctx, key)
	if err != nil {
		return err
	}
	lacking := false
	last := mark
	page := make([]PendingRow, 0, pendingPage)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if page, err = s.pendingPage(ctx, page[:0], key, reuse, last); err != nil {
			return err
		}
		for i := range page {
			r := &page[i]
			if hidden[r.PostID] {
				continue
			}
			if !lacking && !r.Analysed && r.Counted() {
				// Record the new mark before calling back: whatever fn
				// does, everything below this comment was found analysed.
				lacking = true
				if err := s.raiseMark(ctx, key, r.Seq-1); err != nil {
					return err
				}
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < pendingPage {
			break
		}
		last = page[len(page)-1].Seq
	}
	if !lacking {
		// Nothing lacked an analysis up to the highest seq that existed
		// when the walk began.
		return s.raiseMark(ctx, key, top)
	}
	return nil
}

// pendingPage appends to page the comments above seq last, at most
// pendingPage of them, and closes its queries before returning.
func (s *Store) pendingPage(ctx context.Context, page []PendingRow, key, reuse string, last int64) ([]PendingRow, error) {
	rows, err := s.db.QueryContext(ctx, pendingCommentsQuery, last, pendingPage)
	if err != nil {
		return page, fmt.Errorf("list comments pending analysis: %w", err)
	}
	defer rows.Close()
	var sc valueScanner // see Comments
	for rows.Next() {
		v, err := sc.scan(rows, 13)
		if err != nil {
			return page, fmt.Errorf("list comments pending analysis: %w", err)
		}
		var r PendingRow
		r.PostID, r.Seq, r.ID, r.ParentID, r.SourceID = str(v[0]), i64(v[1]), str(v[2]), str(v[3]), str(v[12])
		r.Depth, r.Position, r.Section = int(i64(v[4])), int(i64(v[5])), corpus.Section(str(v[6]))
		r.Author, r.Text, r.RawText, r.HasRaw = str(v[7]), str(v[8]), str(v[9]), v[9] != nil
		r.Status, r.DuplicateOf = corpus.Status(str(v[10])), str(v[11])
		page = append(page, r)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("list comments pending analysis: %w", err)
	}
	rows.Close()
	if len(page) == 0 {
		return page, nil
	}
	hi := page[len(page)-1].Seq
	// Both walks meet the page's comments in seq order: i follows them.
	i := 0
	err = s.pendingAnalyses(ctx, key, last, hi, func(seq int64, v []any) error {
		for page[i].Seq < seq {
			i++
		}
		if page[i].Seq == seq {
			return page[i].readAnalysis(v)
		}
		return nil
	})
	if err != nil {
		return page, err
	}
	for i := range page {
		page[i].Pending = !page[i].Analysed && page[i].Counted()
	}
	if reuse == "" {
		return page, nil
	}
	i = 0
	err = s.pendingAnalyses(ctx, reuse, last, hi, func(seq int64, v []any) error {
		for page[i].Seq < seq {
			i++
		}
		if r := &page[i]; r.Seq == seq && r.Pending {
			r.Prior = &analysis.Analysis{
				Seq: r.Seq, CommentID: r.ID, NTokens: int(i64(v[0])), NSentences: int(i64(v[1])),
				Compound: f64(v[2]), Pos: f64(v[3]), Neu: f64(v[4]), Neg: f64(v[5]),
				Label: str(v[6]), Evidence: str(v[7]),
			}
		}
		return nil
	})
	return page, err
}

// pendingAnalyses calls fn with the seq and the other columns of each
// analysis under key of the comments above seq lo up to hi, in seq order.
func (s *Store) pendingAnalyses(ctx context.Context, key string, lo, hi int64, fn func(int64, []any) error) error {
	rows, err := s.db.QueryContext(ctx, pendingAnalysesQuery, key, lo, hi)
	if err != nil {
		return fmt.Errorf("list comments pending analysis: %w", err)
	}
	defer rows.Close()
	var sc valueScanner
	for rows.Next() {
		v, err := sc.scan(rows, 12)
		if err != nil {
			return fmt.Errorf("list comments pending analysis: %w", err)
		}
		if err := fn(i64(v[0]), v[1:]); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list comments pending analysis: %w", err)
	}
	return nil
}

// ReusableKey returns the most recently used analysis key other than key
// whose sentiment half is sentimentKey, or "" when there is none (or
// sentimentKey is ""). Its analyses differ from key's only in the topics.
func (s *Store) ReusableKey(ctx context.Context, key, sentimentKey string) (string, error) {
	if sentimentKey == "" {
		return "", nil
	}
	var reuse string
	err := s.db.QueryRowContext(ctx, `SELECT analysis_key FROM analysis_keys
		WHERE sentiment_key = ?1 AND analysis_key != ?2
		ORDER BY last_used DESC, analysis_key LIMIT 1`, sentimentKey, key).Scan(&reuse)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find an analysis key to reuse: %w", err)
	}
	return reuse, nil
}

// analysedUpto returns key's mark and the highest comment seq now stored.
func (s *Store) analysedUpto(ctx context.Context, key string) (mark, top int64, err error) {
	return analysedUptoTx(ctx, s.db, key)
}

// analysedUptoTx is analysedUpto on db or in a transaction.
func analysedUptoTx(ctx context.Context, db execer, key string) (mark, top int64, err error) {
	err = db.QueryRowContext(ctx, `SELECT
			coalesce((SELECT analysed_upto FROM analysis_keys WHERE analysis_key = ?), 0),
			coalesce((SELECT max(seq) FROM comments), 0)`, key).Scan(&mark, &top)
	if err != nil {
		return 0, 0, fmt.Errorf("read analysis mark of %s: %w", key, err)
	}
	return mark, top, nil
}

// raiseMark sets key's mark to upto unless it is already higher.
func (s *Store) raiseMark(ctx context.Context, key string, upto int64) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return raiseMarkTx(ctx, s.db, key, timestamp(s.now()), upto)
}

// execer is what a *sql.DB and a *sql.Tx share.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// raiseMarkTx is raiseMark on db or in a transaction; now stamps a key row
// it creates.
func raiseMarkTx(ctx context.Context, db execer, key, now string, upto int64) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO analysis_keys (analysis_key, first_used, last_used, analysed_upto)
		VALUES (?1, ?2, ?2, ?3)
		ON CONFLICT (analysis_key) DO UPDATE SET analysed_upto = max(analysed_upto, excluded.analysed_upto)`,
		key, now, upto); err != nil {
		return fmt.Errorf("record analysis mark of %s: %w", key, err)
	}
	return nil
}

// DescribeKey records what an analysis key stands for (for example the
// model, lexicon and taxonomy versions it hashes) and stamps it as used now,
// so that a researcher can tell the keys in the analyses table apart and find
// the current one. Call it once per run with the key in use.
//
// sentimentKey is the part of key that names the sentiment model and the
// analysis code alone (not the taxonomy), or "": keys that share it can
// lend each other their sentiment (ReusableKey).
func (s *Store) DescribeKey(ctx context.Context, key, sentimentKey, description string) error {
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO analysis_keys (analysis_key, description, first_used, last_used, sentiment_key)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (analysis_key) DO UPDATE SET description = excluded.description, last_used = excluded.last_used,
			sentiment_key = excluded.sentiment_key`,
		key, description, now, now, sentimentKey); err != nil {
		return fmt.Errorf("describe analysis key %s: %w", key, err)
	}
	return nil
}

// hiddenPosts lists the posts of documents that are not ok: vanished ones
// (rejected documents have none).
func (s *Store) hiddenPosts(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id FROM documents d CROSS JOIN posts p INDEXED BY posts_document
		ON p.document = d.path WHERE d.status != 'ok'`)
	if err != nil {
		return nil, fmt.Errorf("list posts of vanished documents: %w", err)
	}
	defer rows.Close()
	hidden := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list posts of vanished documents: %w", err)
		}
		hidden[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list posts of vanished documents: %w", err)
	}
	return hidden, nil
}

// CountPending returns how many comments PendingAnalysis would offer under
// key, for a progress bar's total. When there are none it records so,
// raising the key's analysed_upto mark to the highest seq stored, as a walk
// that found nothing would: otherwise a nightly run that analyses nothing
// never walks, the mark never moves, and every later count scans the whole
// store above it (1.5 s a night on 1M comments).
func (s *Store) CountPending(ctx context.Context, key string) (int, error) {
	mark, top, err := s.analysedUpto(ctx, key)
	if err != nil {
		return 0, err
	}
	if mark >= top {
		return 0, nil
	}
	// Comments of vanished documents are not pending (PendingAnalysis
	// passes them over) and do not hold the mark back: MarkVanished lowers
	// it again if their file comes back.
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*)
		FROM comments c INDEXED BY comments_counted
		WHERE `+countedSQL+` AND c.seq > ?2
		  AND NOT EXISTS (SELECT 1 FROM analyses a WHERE a.comment_seq = c.seq AND a.analysis_key = ?1)
		  AND c.post_id NOT IN (SELECT p.id FROM documents d CROSS JOIN posts p INDEXED BY posts_document
			ON p.document = d.path WHERE d.status != 'ok')`,
		key, mark).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count comments pending analysis: %w", err)
	}
	if n == 0 {
		return 0, s.raiseMark(ctx, key, top)
	}
	return n, nil
}

// SaveAnalyses stores batch under key in one transaction, replacing any
// analysis a comment already had under that key. Batches of a few thousand
// amortise the commit; a crash loses at most the batch in flight, which the
// next run finds pending again. A comment id that is not stored fails the
// whole batch, and so does a Seq that does not hold the CommentID.
func (s *Store) SaveAnalyses(ctx context.Context, key string, batch []analysis.Analysis) error {
	if len(batch) == 0 {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save analyses: begin: %w", err)
	}
	defer tx.Rollback()
	ai := analysisInserter{key: key, one: tx.StmtContext(ctx, s.stSaveAnalysis), chunk: tx.StmtContext(ctx, s.stSaveAnalyses)}
	for i := range batch {
		if err := ai.add(ctx, &batch[i]); err != nil {
			return err
		}
	}
	if err := ai.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save analyses: commit: %w", err)
	}
	s.wrote()
	return nil
}

// analysisInserter buffers analyses under one key and inserts them
// analysisChunk at a time within a transaction.
type analysisInserter struct {
	key        string
	one, chunk *sql.Stmt
	buf        []*analysis.Analysis
	args       []any
	scores     []byte
	saved      int
}

func (ai *analysisInserter) add(ctx context.Context, a *analysis.Analysis) error {
	ai.buf = append(ai.buf, a)
	if len(ai.buf) == analysisChunk {
		if err := ai.exec(ctx, ai.chunk, ai.buf); err != nil {
			return err
		}
		ai.buf = ai.buf[:0]
	}
	return nil
}

// flush inserts what is buffered, one row per statement.
func (ai *analysisInserter) flush(ctx context.Context) error {
	for i := range ai.buf {
		if err := ai.exec(ctx, ai.one, ai.buf[i:i+1]); err != nil {
			return err
		}
	}
	ai.buf = ai.buf[:0]
	return nil
}

func (ai *analysisInserter) exec(ctx context.Context, st *sql.Stmt, batch []*analysis.Analysis) error {
	ai.args = ai.args[:0]
	var err error
	for _, a := range batch {
		ai.scores, err = appendScores(ai.scores[:0], a.TopicScores)
		if err != nil {
			return fmt.Errorf("save analysis of comment %s: %w", a.CommentID, err)
		}
		ai.args = append(ai.args, a.Seq, a.CommentID, ai.key, a.NTokens, a.NSentences, a.Compound, a.Pos, a.Neu, a.Neg,
			a.Label, a.Evidence, strings.Join(a.Topics, ";"), string(ai.scores), a.TopicEvidence)
	}
	res, err := st.ExecContext(ctx, ai.args...)
	if err != nil {
		return fmt.Errorf("save analyses of comments %s...: %w", batch[0].CommentID, err)
	}
	if got, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save analyses of comments %s...: %w", batch[0].CommentID, err)
	} else if got != int64(len(batch)) {
		return fmt.Errorf("save analyses: %s", missingComment(batch))
	}
	ai.saved += len(batch)
	return nil
}

// analysisChunk is how many analyses one INSERT statement carries (see
// commentChunk).
const analysisChunk = 128

// analysisCols is the number of values bound per analysis.
const analysisCols = 14

// saveAnalysesSQL is the INSERT for n analyses. Each row is matched to its
// comment by seq and id together, and the comment id stored comes from the
// comment row, so a stale or mistyped Seq inserts nothing (and is reported)
// instead of filing an analysis under another comment.
func saveAnalysesSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR REPLACE INTO analyses (comment_seq, analysis_key, comment_id, n_tokens, n_sentences,
		compound, pos, neu, neg, label, evidence, topics, topic_scores, topic_evidence)
	SELECT c.seq, v.column3, c.id, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9,
		v.column10, v.column11, v.column12, v.column13, v.column14
	FROM (VALUES `)
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", analysisCols), ", ") + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(`) AS v JOIN comments c ON c.seq = v.column1 AND c.id = v.column2`)
	return b.String()
}

// missingComment names the first analysis in batch whose Seq and CommentID
// do not match a stored comment, for the error message.
func missingComment(batch []*analysis.Analysis) string {
	for _, a := range batch {
		if a.Seq <= 0 {
			return fmt.Sprintf("analysis of comment %s has no Seq (copy it from analysis.CommentText)", a.CommentID)
		}
	}
	return fmt.Sprintf("one of the comments %s..%s is not stored at the Seq given (copy Seq from analysis.CommentText)",
		batch[0].CommentID, batch[len(batch)-1].CommentID)
}

// appendScores encodes scores as a JSON object with sorted keys, so that
// equal maps give equal bytes and sqlite3's json functions can read it. It
// is written by hand because encoding/json's reflection and allocations
// cost as much as the rest of saving an analysis.
func appendScores(dst []byte, scores map[string]float64) ([]byte, error) {
	if len(scores) == 0 {
		return append(dst, "{}"...), nil
	}
	var stack [16]string
	keys := stack[:0]
	for k := range scores {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		v := scores[k]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, fmt.Errorf("encode topic scores: %q is %v, which JSON cannot hold", k, v)
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	return append(dst, '}'), nil
}

// appendJSONString quotes s as a JSON string. Valid UTF-8 passes through;
// quotes, backslashes and control characters are escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == '"' || b == '\\':
			dst = append(dst, '\\', b)
		case b < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&15])
		default:
			dst = append(dst, b)
		}
	}
	return append(dst, '"')
}

// parseScores decodes what appendScores wrote. Keys without escapes (all of
// them, in practice) take a fast path; anything else goes to encoding/json,
// so a value edited by hand in the sqlite3 shell still reads correctly.
func parseScores(s string) (map[string]float64, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	if m, ok := parseScoresFast(s); ok {
		return m, nil
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("decode topic scores %.40q: %w", s, err)
	}
	return m, nil
}

// parseScoresFast handles {"key":number,...} with no whitespace and no
// escapes in keys; ok is false for anything else.
func parseScoresFast(s string) (map[string]float64, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	m := make(map[string]float64, strings.Count(body, ",")+1)
	for body != "" {
		if body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		key := body[1 : 1+end]
		if strings.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		body = body[2+end:]
		if body == "" || body[0] != ':' {
			return nil, false
		}
		body = body[1:]
		num := body
		if i := strings.IndexByte(body, ','); i >= 0 {
			num, body = body[:i], body[i+1:]
			if body == "" {
				return nil, false
			}
		} else {
			body = ""
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return nil, false
		}
		m[key] = v
	}
	return m, true
}

// splitTopics undoes the ';' join of Analysis.Topics.
func splitTopics(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}
