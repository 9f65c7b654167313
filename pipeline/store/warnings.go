package store

import (
	"context"
	"database/sql"
	"fmt"

	"chorus/corpus"
)

// writeWarnings replaces the warnings stored for the document at path with
// ws, their texts passed through redact (nil: as given).
func writeWarnings(ctx context.Context, tx *sql.Tx, path string, ws []corpus.Warning, redact func(string) string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM warnings WHERE document = ?`, path); err != nil {
		return fmt.Errorf("clear warnings: %w", err)
	}
	for i, w := range ws {
		text := w.Text
		if redact != nil {
			text = redact(text)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO warnings (document, ord, line, offset, kind, count, text) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			path, i, w.Line, w.Offset, w.Kind, max(w.Count, 1), text); err != nil {
			return fmt.Errorf("write warning: %w", err)
		}
	}
	return nil
}

// WarningRow is one stored warning and the document it belongs to.
type WarningRow struct {
	Document string
	corpus.Warning
}

// Warnings lists the warnings of every document that is current (read, not
// vanished or rejected), by document path, then in the order they were met.
func (s *Store) Warnings(ctx context.Context) ([]WarningRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT w.document, w.line, w.offset, w.kind, w.count, w.text
		FROM warnings w JOIN documents d ON d.path = w.document
		WHERE d.status = 'ok'
		ORDER BY w.document, w.ord`)
	if err != nil {
		return nil, fmt.Errorf("list warnings: %w", err)
	}
	defer rows.Close()
	var out []WarningRow
	for rows.Next() {
		var r WarningRow
		if err := rows.Scan(&r.Document, &r.Line, &r.Offset, &r.Kind, &r.Count, &r.Text); err != nil {
			return nil, fmt.Errorf("list warnings: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list warnings: %w", err)
	}
	return out, nil
}

// StatusCounts counts the stored comments of current documents by status
// (published, deleted, spam, oversize), and the duplicates among the
// published as "duplicate".
//
// The published count is the sum of posts.counted_comments, which the
// store keeps as it writes each post; only the comments not counted are
// read, through the partial index comments_uncounted. A nightly run on a
// large archive so reads a few thousand rows rather than every comment.
func (s *Store) StatusCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	var published sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT sum(p.counted_comments)
		FROM posts p JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok'`).Scan(&published); err != nil {
		return nil, fmt.Errorf("count published comments: %w", err)
	}
	if published.Int64 > 0 {
		out["published"] = int(published.Int64)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.status, c.duplicate_of != '', count(*)
		FROM comments c INDEXED BY comments_uncounted
		JOIN posts p ON p.id = c.post_id JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok' AND NOT (c.status = 'published' AND c.duplicate_of = '')
		GROUP BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("count comments by status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var dup bool
		var n int
		if err := rows.Scan(&status, &dup, &n); err != nil {
			return nil, fmt.Errorf("count comments by status: %w", err)
		}
		if dup {
			status = "duplicate"
		}
		out[status] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count comments by status: %w", err)
	}
	return out, nil
}
