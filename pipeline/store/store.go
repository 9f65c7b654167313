package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Document statuses, as stored in documents.status.
const (
	// StatusOK is a document that was read; its posts and comments are in.
	StatusOK = "ok"
	// StatusRejected is a document that was quarantined; reason says why.
	StatusRejected = "rejected"
	// StatusVanished is a document that was stored once but is no longer
	// among the inputs. Its posts and comments are kept but left out of
	// every read, so a file moved away by mistake costs nothing to restore.
	StatusVanished = "vanished"
)

// IDScheme is the version of the scheme post and comment ids are built by
// that this package records for the documents it stores (documents.
// id_scheme; see corpus/ids.go): 2, ids from the path below the input's
// parent folder and the archive's own ids. Documents stored by an older
// chorus have 1 and are re-keyed by Rekey.
const IDScheme = 2

// idSchemeSQL is IDScheme in SQL.
const idSchemeSQL = "2"

// maxConns bounds the connection pool: one writer plus readers for a
// streaming read that runs while the writer works (PendingAnalysis callers
// save analyses as they go). Each connection has its own page cache.
const maxConns = 4

// cacheKiB is the page cache per connection, in KiB. The writes of a run
// land at the end of their tables and indexes (schema.go, migrations 3 and
// 8) and the big reads walk the file in order, so a large cache buys little:
// with 16 KiB pages, 8 MiB ran a cold 1M-comment load and a re-analysis as
// fast as 32 MiB did, in 60 MiB less memory (BENCHMARKS.md).
const cacheKiB = 8 << 10

// Store is an open chorus database. Its methods are safe for concurrent use;
// writes are serialised (SQLite allows one writer at a time anyway).
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time // the clock for first_seen, last_seen and runs; tests may replace it

	wmu sync.Mutex // serialises write transactions, so they never wait on SQLite's busy loop

	ckpt      chan struct{} // a write committed: time to checkpoint (see checkpointer)
	ckptDone  chan struct{} // closed when the checkpointer has stopped
	walFrames atomic.Int64  // the log's length in frames at the last checkpoint
	stopCkpt  sync.Once

	// Statements prepared once on the pool and bound to each transaction with
	// tx.StmtContext; database/sql keeps one prepared copy per connection.
	stInsertPost     *sql.Stmt
	stUpdatePost     *sql.Stmt
	stInsertComment  *sql.Stmt // one row
	stInsertComments *sql.Stmt // commentChunk rows
	stUpdateComment  *sql.Stmt
	stDeleteComment  *sql.Stmt
	stSaveAnalysis   *sql.Stmt // one row
	stSaveAnalyses   *sql.Stmt // analysisChunk rows
	stUpsertDocument *sql.Stmt
	stLoadPosts      *sql.Stmt
}

// Open opens the database at path, creating the file (but not its folder: a
// missing folder is almost always a typo in --db, and silently creating it
// would scatter databases) and applying any pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	dir := filepath.Dir(abs)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open database %s: folder %s: %w", path, dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open database %s: %s is not a folder", path, dir)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &Store{db: db, path: path, now: time.Now, ckpt: make(chan struct{}, 1), ckptDone: make(chan struct{})}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	go s.checkpointer()
	return s, nil
}

// checkpointer copies the write-ahead log into the database file after
// large writes, on a connection and a goroutine of its own, so that the
// copying runs beside the writer instead of inside its commits, and the log
// stays about one batch long instead of growing with a cold run. A passive
// checkpoint never blocks the writer or a reader; frames it could not copy
// yet are copied next time, or by Close. It stops when Close closes ckpt.
//
// A passive checkpoint that runs while the writer goes on committing is
// seldom complete at the moment a new write begins, and only then does
// SQLite start the log again from its beginning: left alone, the log grew
// to the size of the database (440 MB in a cold run over a million
// comments), and every page the writer looked for was searched for through
// the whole log's index. So the checkpointer records how long the log is,
// and once it holds more than walRestartFrames frames the writer restarts
// it (see wrote and restartLog).
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	for range s.ckpt {
		// An error here (a reader holding an old snapshot, say) only
		// leaves the log longer until the next checkpoint; Close runs the
		// final one and reports its error.
		var busy, frames, copied int
		if err := s.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err == nil {
			s.walFrames.Store(int64(frames))
		}
	}
}

// walRestartFrames is the length of the write-ahead log, in frames (pages
// of 4 KiB), past which the checkpointer restarts it: 64 MiB.
const walRestartFrames = 16384

// restartLog runs a RESTART checkpoint, between two write transactions
// (the caller holds wmu): it copies the frames the passive checkpoints
// have not yet copied (about one batch's) and makes the next write start
// the log from its beginning. It waits at most a quarter of a second (for
// a passive checkpoint under way, or a reader of an old snapshot), on a
// connection of its own, so that a researcher's long read costs a late
// restart, never a stalled run.
func (s *Store) restartLog() {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 250"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // drop it rather than pool a changed connection
		return
	}
	conn.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// wrote tells the checkpointer that a write committed, after restarting
// the log if it has grown too long. The caller holds wmu. It never blocks
// on the checkpointer: a checkpoint already waiting covers this write too.
func (s *Store) wrote() {
	if s.walFrames.Load() > walRestartFrames {
		s.walFrames.Store(0)
		s.restartLog()
	}
	select {
	case s.ckpt <- struct{}{}:
	default:
	}
}

// dsn builds the driver name for the file at abs. The path is escaped as a
// file: URI so that '?', '#' or '%' in a folder name cannot be taken for URI
// syntax. Every pooled connection runs the same pragmas: WAL for crash
// safety and readers that never block the writer; synchronous=NORMAL, which
// in WAL mode keeps the file consistent through a process kill or power loss
// and only risks the last commits on power loss; foreign keys for the
// cascades; a busy timeout so a researcher's sqlite3 shell reading the file
// does not fail a run; and BEGIN IMMEDIATE so that a write transaction takes
// the write lock up front instead of failing on upgrade. Automatic
// checkpoints are off: they would run inside the writer's commits, on the
// one goroutine that all writes wait for (measured: a fifth of a cold
// load's store time); the checkpointer goroutine runs them instead (see
// checkpointer).
// pageSize is the page size of a new database file (an existing file
// keeps its own). The big reads of a run (the pending comments, the rebuild
// of the report cache) walk the file in order, and each page is one read
// call: at 16 KiB rather than SQLite's default 4 KiB they cost a quarter of
// the calls (BENCHMARKS.md, "Re-analysis").
const pageSize = 16384

func dsn(abs string) string {
	u := url.URL{Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "wal_autocheckpoint(0)")
	// The driver runs the _pragma list in name order, then journal_mode:
	// page_size must come before WAL makes the file.
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// init checks the pragmas took, migrates, and prepares the hot statements.
func (s *Store) init(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal (is the file on a filesystem without shared memory?)", mode)
	}
	if err := migrate(ctx, s.db, migrations); err != nil {
		return err
	}
	return s.prepare(ctx)
}

// migrate brings the database to len(steps) by applying the steps it lacks,
// each in its own transaction together with the new user_version, so a crash
// mid-migration leaves the previous version intact.
func migrate(ctx context.Context, db *sql.DB, steps []string) error {
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(steps) {
		return fmt.Errorf("schema version %d is newer than this chorus understands (%d): use a newer chorus or another --db", have, len(steps))
	}
	for v := have; v < len(steps); v++ {
		if err := applyMigration(ctx, db, v+1, steps[v]); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, version int, step string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to schema version %d: %w", version, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, step); err != nil {
		return fmt.Errorf("migrate to schema version %d: %w", version, err)
	}
	// PRAGMA takes no bound parameters; version is an int we computed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return fmt.Errorf("migrate to schema version %d: set version: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to schema version %d: commit: %w", version, err)
	}
	return nil
}

func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&s.stInsertPost, `INSERT INTO posts (id, document, ord, date, date_source, title, body, source_file, declared_comments, found_comments, counted_comments, source_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.stUpdatePost, `UPDATE posts SET ord = ?, date = ?, date_source = ?, title = ?, body = ?, source_file = ?, declared_comments = ?, found_comments = ?, counted_comments = ?, source_id = ?
			WHERE id = ?`},
		{&s.stInsertComment, insertCommentsSQL(1)},
		{&s.stInsertComments, insertCommentsSQL(commentChunk)},
		{&s.stUpdateComment, `UPDATE comments SET post_id = ?, parent_id = ?, depth = ?, position = ?, section = ?, author = ?, text = ?, raw_text = ?, status = ?, duplicate_of = ?, source_id = ?
			WHERE seq = ?`},
		{&s.stDeleteComment, `DELETE FROM comments WHERE seq = ?`},
		{&s.stSaveAnalysis, saveAnalysesSQL(1)},
		{&s.stSaveAnalyses, saveAnalysesSQL(analysisChunk)},
		{&s.stUpsertDocument, `INSERT INTO documents (path, sha256, format, size, status, reason, flags, first_seen, last_seen, gen, id_scheme, read_options)
			VALUES (?, ?, ?, ?, 'ok', '', ?, ?, ?, ?, ` + idSchemeSQL + `, ?)
			ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, format = excluded.format, size = excluded.size,
				status = 'ok', reason = '', flags = excluded.flags, last_seen = excluded.last_seen, gen = excluded.gen,
				mtime_ns = 0, id_scheme = excluded.id_scheme, read_options = excluded.read_options`},
		{&s.stLoadPosts, `SELECT id, ord, date, date_source, title, body, source_file, declared_comments, found_comments, counted_comments, source_id
			FROM posts WHERE document = ?`},
	} {
		st, err := s.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %.40q: %w", p.sql, err)
		}
		*p.st = st
	}
	return nil
}

// Close checkpoints the write-ahead log into the main file (so that the
// database is one self-contained file for researchers who copy it) and
// closes it.
func (s *Store) Close() error {
	s.wmu.Lock() // first: writers signal the checkpointer while they hold it
	defer s.wmu.Unlock()
	s.stopCkpt.Do(func() { close(s.ckpt) })
	<-s.ckptDone
	_, cerr := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	if cerr != nil {
		return fmt.Errorf("close database %s: checkpoint: %w", s.path, cerr)
	}
	return nil
}

// ErrDamaged is returned (wrapped) by QuickCheck when SQLite finds the
// database file damaged. docs/database.md says how to recover.
var ErrDamaged = errors.New("the database file is damaged")

// QuickCheck runs SQLite's quick_check: every page and every index entry's
// structure, without the cross-checks of integrity_check (about a tenth of a
// second per 60 MB). It fails, wrapping ErrDamaged, on any problem found.
func (s *Store) QuickCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("check %s: %w: %v", s.path, ErrDamaged, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check %s: %w: %v", s.path, ErrDamaged, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("check %s: %w: %v", s.path, ErrDamaged, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %s: %w: %s", s.path, ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// IntegrityCheck runs SQLite's full integrity check and a foreign key check,
// and fails unless both find nothing wrong.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check %s: %w", s.path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("integrity check %s: %w", s.path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check %s: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check %s: %d problems, first: %s", s.path, len(problems), problems[0])
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&n); err != nil {
		return fmt.Errorf("foreign key check %s: %w", s.path, err)
	}
	if n > 0 {
		return fmt.Errorf("foreign key check %s: %d rows refer to missing parents", s.path, n)
	}
	return nil
}

// timestamp formats t the way every time column is stored: UTC RFC 3339,
// which sorts as text and which SQLite's date functions read.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// errNilDocument is returned for a nil *corpus.Document.
var errNilDocument = errors.New("nil document")
