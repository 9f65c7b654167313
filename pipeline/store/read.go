package store

import (
	"context"
	"fmt"

	"chorus/corpus"
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
}

// Posts lists the posts of every document that has not vanished, in report
// order: post date (undated first), source file, post id.
func (s *Store) Posts(ctx context.Context) ([]PostRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.date, p.date_source, p.title, p.source_file, p.document, p.declared_comments,
			(SELECT count(*) FROM comments c WHERE c.post_id = p.id),
			(SELECT count(*) FROM comments c INDEXED BY comments_counted
				WHERE c.post_id = p.id AND c.status = 'published' AND c.duplicate_of = '')
		FROM posts p INDEXED BY posts_order
		JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok'
		ORDER BY p.date, p.source_file, p.id`)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	defer rows.Close()
	var out []PostRow
	for rows.Next() {
		var p PostRow
		if err := rows.Scan(&p.ID, &p.Date, &p.DateSource, &p.Title, &p.SourceFile, &p.Document, &p.DeclaredComments,
			&p.FoundComments, &p.CountedComments); err != nil {
			return nil, fmt.Errorf("list posts: %w", err)
		}
		out = append(out, p)
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
	// Analysis is the comment's analysis under the key asked for; it is the
	// zero value when Analysed is false (deleted, spam and duplicate
	// comments are never analysed, and a fresh key starts empty).
	Analysis Analysis
	Analysed bool
}

// commentsQuery is the read behind Comments (a test checks its plan).
const commentsQuery = `SELECT p.date, p.date_source, p.source_file,
			c.seq, c.id, c.post_id, c.parent_id, c.depth, c.position, c.section, c.author, c.text,
			coalesce(c.raw_text, ''), c.raw_text IS NOT NULL, c.status, c.duplicate_of,
			a.comment_id IS NOT NULL, coalesce(a.n_tokens, 0), coalesce(a.n_sentences, 0),
			coalesce(a.compound, 0), coalesce(a.pos, 0), coalesce(a.neu, 0), coalesce(a.neg, 0),
			coalesce(a.label, ''), coalesce(a.evidence, ''), coalesce(a.topics, ''),
			coalesce(a.topic_scores, ''), coalesce(a.topic_evidence, '')
		FROM posts p INDEXED BY posts_order
		JOIN documents d ON d.path = p.document
		JOIN comments c INDEXED BY comments_post ON c.post_id = p.id
		LEFT JOIN analyses a ON a.comment_seq = c.seq AND a.analysis_key = ?
		WHERE d.status = 'ok'
		ORDER BY p.date, p.source_file, p.id, c.position`

// Comments calls fn for every stored comment of every document that has not
// vanished, in a stable order: post date (undated first), source file, post
// id, position. Each comes joined with its analysis under key. The rows
// stream from one query, so memory does not grow with the store; fn should
// not hold the read open for long, since an open read keeps the write-ahead
// log from being reset. An error from fn stops the walk and is returned.
func (s *Store) Comments(ctx context.Context, key string, fn func(CommentRow) error) error {
	// The planner walks posts_order, probes documents once per post, then
	// comments_post in position order, the comment row by seq and the
	// analyses key once per comment: the order comes from the indexes, with
	// no sort.
	rows, err := s.db.QueryContext(ctx, commentsQuery, key)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r CommentRow
		var topics, scores string
		if err := rows.Scan(&r.PostDate, &r.DateSource, &r.SourceFile,
			&r.Seq, &r.ID, &r.PostID, &r.ParentID, &r.Depth, &r.Position, &r.Section, &r.Author, &r.Text,
			&r.RawText, &r.HasRaw, &r.Status, &r.DuplicateOf,
			&r.Analysed, &r.Analysis.NTokens, &r.Analysis.NSentences,
			&r.Analysis.Compound, &r.Analysis.Pos, &r.Analysis.Neu, &r.Analysis.Neg,
			&r.Analysis.Label, &r.Analysis.Evidence, &topics, &scores, &r.Analysis.TopicEvidence); err != nil {
			return fmt.Errorf("read comments: %w", err)
		}
		if r.Analysed {
			r.Analysis.Seq, r.Analysis.CommentID = r.Seq, r.ID
			r.Analysis.Topics = splitTopics(topics)
			if r.Analysis.TopicScores, err = parseScores(scores); err != nil {
				return fmt.Errorf("read comments: comment %s: %w", r.ID, err)
			}
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
