package store

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// newGen returns a fresh, non-zero document gen. A random 63-bit number
// rather than a counter: no query for the current maximum, and two values
// meet by chance with odds of one in 2^63.
func newGen() int64 {
	for {
		if g := rand.Int64(); g != 0 {
			return g
		}
	}
}

// commentColumns are the columns of commentsQuery, which scanComment reads.
const commentColumns = `SELECT p.date, p.date_source, p.source_file,
			c.seq, c.id, c.post_id, c.parent_id, c.depth, c.position, c.section, c.author, c.text,
			coalesce(c.raw_text, ''), c.raw_text IS NOT NULL, c.status, c.duplicate_of,
			a.comment_id IS NOT NULL, coalesce(a.n_tokens, 0), coalesce(a.n_sentences, 0),
			coalesce(a.compound, 0), coalesce(a.pos, 0), coalesce(a.neu, 0), coalesce(a.neg, 0),
			coalesce(a.label, ''), coalesce(a.evidence, ''), coalesce(a.topics, ''),
			coalesce(a.topic_scores, ''), coalesce(a.topic_evidence, ''), p.source_id, c.source_id`

// postCommentsQuery is commentsQuery for one post: without the hint on
// posts, which would make it walk every post to find one.
const postCommentsQuery = commentColumns + `
		FROM posts p
		JOIN documents d ON d.path = p.document
		JOIN comments c INDEXED BY comments_post ON c.post_id = p.id
		LEFT JOIN analyses a ON a.comment_seq = c.seq AND a.analysis_key = ?
		WHERE p.id = ? AND d.status = 'ok'
		ORDER BY c.position`

// seqCommentQuery is commentsQuery for one comment, by seq: without the
// index hints, which would make it walk every post.
const seqCommentQuery = commentColumns + `
		FROM comments c
		JOIN posts p ON p.id = c.post_id
		JOIN documents d ON d.path = p.document
		LEFT JOIN analyses a ON a.comment_seq = c.seq AND a.analysis_key = ?
		WHERE c.seq = ? AND d.status = 'ok'`

// PostComments calls fn for every comment of one post, as Comments would
// for that post: same rows, same order. A post of a vanished or rejected
// document has none.
func (s *Store) PostComments(ctx context.Context, key, postID string, fn func(CommentRow) error) error {
	rows, err := s.db.QueryContext(ctx, postCommentsQuery, key, postID)
	if err != nil {
		return fmt.Errorf("read comments of post %s: %w", postID, err)
	}
	defer rows.Close()
	var sc valueScanner
	for rows.Next() {
		r, err := scanComment(&sc, rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read comments of post %s: %w", postID, err)
	}
	return nil
}

// CommentBySeq returns the comment stored at seq, as Comments would give
// it; false when there is none or its document is not current.
func (s *Store) CommentBySeq(ctx context.Context, key string, seq int64) (CommentRow, bool, error) {
	rows, err := s.db.QueryContext(ctx, seqCommentQuery, key, seq)
	if err != nil {
		return CommentRow{}, false, fmt.Errorf("read comment %d: %w", seq, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return CommentRow{}, false, rows.Err()
	}
	var sc valueScanner
	r, err := scanComment(&sc, rows)
	if err != nil {
		return CommentRow{}, false, err
	}
	return r, true, rows.Close()
}
