package store

import (
	"context"
	"database/sql"
	"fmt"
)

// pruneChunk bounds one DELETE of a pruned key's analyses by comment seq,
// so that each statement's share of the write-ahead log stays small and
// the checkpointer can keep up.
const pruneChunk = 50_000

// PruneAnalyses deletes the analyses of every analysis key but current and
// the keep-1 others used most recently, and the keys' rows, and returns the
// keys it deleted. keep <= 0 keeps every key.
//
// A key's mark is cleared before its rows go, so a run killed half way
// leaves a key that claims nothing and is pruned again by the next run;
// no key ever claims analyses it no longer has.
func (s *Store) PruneAnalyses(ctx context.Context, current string, keep int) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	// Keys used within one second (last_used has seconds; fast runs on a
	// small archive do that) are told apart as CurrentKey does: the one
	// first recorded later counts as used later.
	rows, err := s.db.QueryContext(ctx, `SELECT analysis_key FROM analysis_keys WHERE analysis_key != ?
		ORDER BY last_used DESC, rowid DESC LIMIT -1 OFFSET ?`, current, keep-1)
	if err != nil {
		return nil, fmt.Errorf("list analysis keys to prune: %w", err)
	}
	var old []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list analysis keys to prune: %w", err)
		}
		old = append(old, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list analysis keys to prune: %w", err)
	}
	for i, k := range old {
		if err := s.dropKey(ctx, k); err != nil {
			return old[:i], err
		}
	}
	return old, nil
}

// dropKey deletes key's analyses in chunks of comment seqs, then the key.
func (s *Store) dropKey(ctx context.Context, key string) error {
	fail := func(err error) error { return fmt.Errorf("prune analyses of key %s: %w", key, err) }
	if err := s.exec(ctx, `UPDATE analysis_keys SET analysed_upto = 0 WHERE analysis_key = ?`, key); err != nil {
		return fail(err)
	}
	var top sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(comment_seq) FROM analyses WHERE analysis_key = ?`, key).Scan(&top); err != nil {
		return fail(err)
	}
	for lo := int64(0); top.Valid && lo < top.Int64; lo += pruneChunk {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if err := s.exec(ctx, `DELETE FROM analyses WHERE analysis_key = ? AND comment_seq > ? AND comment_seq <= ?`,
			key, lo, lo+pruneChunk); err != nil {
			return fail(err)
		}
	}
	// Seqs start at 1, but a row at seq 0 or below must not survive either.
	if err := s.exec(ctx, `DELETE FROM analyses WHERE analysis_key = ?`, key); err != nil {
		return fail(err)
	}
	if err := s.exec(ctx, `DELETE FROM analysis_keys WHERE analysis_key = ?`, key); err != nil {
		return fail(err)
	}
	return nil
}

// exec runs one write statement under the writer lock and lets the
// checkpointer know.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.db.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	s.wrote()
	return nil
}
