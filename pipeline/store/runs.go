package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Run statuses the store itself writes. FinishRun takes whatever status the
// caller chooses (for example "ok" or "failed").
const (
	// RunRunning is a run that has begun and not finished.
	RunRunning = "running"
	// RunInterrupted is a run that never finished: the process died. The
	// next BeginRun marks it, since holding the lock proves it is gone.
	RunInterrupted = "interrupted"
)

// RunRow is one row of the runs table.
type RunRow struct {
	ID       int64
	Started  string // UTC RFC 3339
	Finished string // "" while running or when interrupted
	Status   string
	Counts   string // JSON, as given to FinishRun
	Message  string
}

// BeginRun records the start of a run and returns its id. The caller must
// hold Lock: any run still marked running is then known to be dead, and is
// marked interrupted in the same transaction.
func (s *Store) BeginRun(ctx context.Context) (int64, error) {
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin run: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?, message = 'the process ended before the run finished'
		WHERE status = ?`, RunInterrupted, RunRunning); err != nil {
		return 0, fmt.Errorf("begin run: mark interrupted runs: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (started, status) VALUES (?, ?)`, now, RunRunning)
	if err != nil {
		return 0, fmt.Errorf("begin run: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("begin run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("begin run: commit: %w", err)
	}
	return id, nil
}

// FinishRun records the end of run id: its status, its counts (any value
// encoding/json can encode, stored as JSON so researchers can query it with
// json_extract) and a message, typically what failed.
func (s *Store) FinishRun(ctx context.Context, id int64, status string, counts any, msg string) error {
	b, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("finish run %d: encode counts: %w", id, err)
	}
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, `UPDATE runs SET finished = ?, status = ?, counts = ?, message = ? WHERE id = ?`,
		now, status, string(b), msg, id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	} else if n != 1 {
		return fmt.Errorf("finish run %d: no such run", id)
	}
	return nil
}

// Runs lists the run log, oldest first.
func (s *Store) Runs(ctx context.Context) ([]RunRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started, finished, status, counts, message FROM runs ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		var r RunRow
		var fin sql.NullString
		if err := rows.Scan(&r.ID, &r.Started, &fin, &r.Status, &r.Counts, &r.Message); err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		r.Finished = fin.String
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// LastPublished returns the number of counted comments the last run that
// finished ok published (its counts' "Comments"); false when no run has.
func (s *Store) LastPublished(ctx context.Context) (int, bool, error) {
	var counts string
	err := s.db.QueryRowContext(ctx, `SELECT counts FROM runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1`).Scan(&counts)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read the last run: %w", err)
	}
	var c struct{ Comments *int }
	if err := json.Unmarshal([]byte(counts), &c); err != nil || c.Comments == nil {
		return 0, false, nil // a run recorded without counts says nothing
	}
	return *c.Comments, true, nil
}
