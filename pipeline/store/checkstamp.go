package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"chorus/internal/fsread"
)

// The check stamp: what the last run that found the database sound left
// beside it, so that the next run can tell whether the file is still the
// one that was checked.
//
// SQLite's quick_check reads every page: 2.3 CPU-seconds on a 2.6 GB store
// of 1M comments under three analysis keys, more than the rest of a nightly
// run. A run closes the database cleanly, so the damage a check exists to
// catch is done to the file from outside: a restore, a copy, another
// program, a failing disk. The first three change the file's size or
// modification time, which the stamp records after the close (as make and
// rsync decide a file is unchanged); a failing disk changes neither, which
// is why the stamp also carries when the file was last checked, and a check
// older than the configured number of days is run again whatever the
// stamp says. Deleting DB.checked forces a check.

// CheckStamp is the content of DB.checked.
type CheckStamp struct {
	// Size and ModTime are the database file's after the run that wrote
	// the stamp closed it.
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
	// Checked is when quick_check last found the file sound.
	Checked time.Time `json:"checked"`
}

// checkStampPath names the stamp of the database db.
func checkStampPath(db string) string { return db + ".checked" }

// maxStampBytes bounds the read of a stamp: one is about 120 bytes.
const maxStampBytes = 4 << 10

// ReadCheckStamp returns the stamp beside db and whether there is a usable
// one. A missing, unreadable, oversized or malformed stamp is no stamp:
// the run checks the file, and writes a new one.
func ReadCheckStamp(db string) (CheckStamp, bool) {
	// fsread.Open: a named pipe opened as a plain file would block the
	// run, which holds the database's lock, until a writer came.
	f, _, err := fsread.Open(checkStampPath(db))
	if err != nil {
		return CheckStamp{}, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxStampBytes+1))
	if err != nil || len(b) > maxStampBytes {
		return CheckStamp{}, false
	}
	var st CheckStamp
	if err := json.Unmarshal(b, &st); err != nil || st.Checked.IsZero() {
		return CheckStamp{}, false
	}
	return st, true
}

// Covers reports whether the stamp still describes db as it is on disk:
// the same size and modification time, and no write-ahead log holding
// frames (a clean close leaves none).
func (st CheckStamp) Covers(db string) bool {
	fi, err := os.Stat(db)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if wal, err := os.Stat(db + "-wal"); err == nil && wal.Size() > 0 {
		return false
	}
	return fi.Size() == st.Size && fi.ModTime().Equal(st.ModTime)
}

// WriteCheckStamp records that db, as it now is on disk, was found sound
// at checked. The caller has closed the database and still holds its lock:
// the stamp must describe the file this run left, not one another run
// changed since. The stamp is written to a temporary file and renamed into
// place, so a reader sees the old stamp or the new.
func WriteCheckStamp(db string, checked time.Time) error {
	fi, err := os.Stat(db)
	if err != nil {
		return fmt.Errorf("stamp database check: %w", err)
	}
	if wal, err := os.Stat(db + "-wal"); err == nil && wal.Size() > 0 {
		return fmt.Errorf("stamp database check: %s-wal still holds %d bytes after the close", filepath.Base(db), wal.Size())
	}
	b, err := json.Marshal(CheckStamp{Size: fi.Size(), ModTime: fi.ModTime(), Checked: checked.UTC()})
	if err != nil {
		return fmt.Errorf("stamp database check: %w", err)
	}
	if err := WriteFileAtomic(checkStampPath(db), append(b, '\n')); err != nil {
		return fmt.Errorf("stamp database check: %w", err)
	}
	return nil
}

// WriteFileAtomic writes data to a temporary file beside path (named
// path+".tmp-*", for a caller's stale-file cleanup to find) and renames it
// over path, so that a reader finds the old content or the new, never
// part of either. A failure removes the temporary file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// RemoveCheckStamp removes the stamp beside db, if any: the next run
// checks the file.
func RemoveCheckStamp(db string) error {
	if err := os.Remove(checkStampPath(db)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove database check stamp: %w", err)
	}
	return nil
}
