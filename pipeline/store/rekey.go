package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Re-keying: a document stored by a chorus before IDScheme 2 was named by
// its path as given and its ids built from that name and positions; read
// from another folder, the same file got other ids. Rekey moves such a
// document to its new name and ids in place, so that its analyses (and
// anything else keyed by comment) stay with their comments.

// RekeyPost is one post of a document to re-key: its id under the old
// scheme and the new, and what the new reading gives it besides.
type RekeyPost struct {
	OldID, NewID         string
	SourceFile, SourceID string // the post's new source_file and source_id
	Comments             []RekeyComment
}

// RekeyComment is one comment of a RekeyPost.
type RekeyComment struct {
	OldID, NewID, SourceID string
}

// Rekey renames the document stored at oldPath (of id scheme 1) to newPath,
// gives its posts and comments the new ids, points replies and duplicates at
// the new ids, moves the comments' analyses, labels and places in the
// labelling queue with them, and records IDScheme, all in
// one transaction. The document gets a fresh gen, since its report rows
// change. posts must list every stored post of the document.
func (s *Store) Rekey(ctx context.Context, oldPath, newPath string, posts []RekeyPost) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("re-key %s: begin: %w", newPath, err)
	}
	defer tx.Rollback()
	fail := func(what string, err error) error { return fmt.Errorf("re-key %s: %s: %w", newPath, what, err) }
	// Rows point at each other by the keys being changed: check the
	// references once, at commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return fail("defer foreign keys", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE documents SET path = ?, id_scheme = `+idSchemeSQL+`, gen = ? WHERE path = ? AND id_scheme < `+idSchemeSQL,
		newPath, newGen(), oldPath)
	if err != nil {
		return fail("rename document", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("re-key %s: no document of an older id scheme is stored at the old name", newPath)
	}
	ids := map[string]string{}
	for _, p := range posts {
		for _, c := range p.Comments {
			ids[c.OldID] = c.NewID
		}
	}
	for _, p := range posts {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET id = ?, document = ?, source_file = ?, source_id = ? WHERE id = ?`,
			p.NewID, newPath, p.SourceFile, p.SourceID, p.OldID); err != nil {
			return fail("post "+p.NewID, err)
		}
		if err := rekeyComments(ctx, tx, p, ids); err != nil {
			return fail("comments of post "+p.NewID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail("commit", err)
	}
	s.wrote()
	return nil
}

// rekeyComments gives the comments of one re-keyed post (already renamed
// to p.NewID) their new ids and references; ids maps every old comment id
// of the document to its new one.
func rekeyComments(ctx context.Context, tx *sql.Tx, p RekeyPost, ids map[string]string) error {
	type stored struct {
		seq               int64
		id, parent, dupOf string
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, id, parent_id, duplicate_of FROM comments WHERE post_id = ?`, p.OldID)
	if err != nil {
		return err
	}
	var cs []stored
	for rows.Next() {
		var c stored
		if err := rows.Scan(&c.seq, &c.id, &c.parent, &c.dupOf); err != nil {
			rows.Close()
			return err
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	source := make(map[string]string, len(p.Comments))
	for _, c := range p.Comments {
		source[c.OldID] = c.SourceID
	}
	newOf := func(old string) string {
		if n, ok := ids[old]; ok {
			return n
		}
		return old
	}
	for _, c := range cs {
		id, ok := ids[c.id]
		if !ok {
			return fmt.Errorf("stored comment %s is not in the file's new reading", c.id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET id = ?, post_id = ?, parent_id = ?, duplicate_of = ?, source_id = ? WHERE seq = ?`,
			id, p.NewID, newOf(c.parent), newOf(c.dupOf), source[c.id], c.seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE analyses SET comment_id = ? WHERE comment_seq = ?`, id, c.seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE labels SET comment_id = ?, post_id = ? WHERE comment_id = ?`, id, p.NewID, c.id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE label_sample SET comment_id = ?, post_id = ? WHERE comment_id = ?`, id, p.NewID, c.id); err != nil {
			return err
		}
	}
	return nil
}
