package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckStamp: a stamp covers the file it was written for, and stops
// covering it when the file's size or time changes or its write-ahead log
// holds frames; an unusable stamp file is no stamp, so the run checks.
func TestCheckStamp(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if err := os.WriteFile(db, []byte("sixteen bytes..."), 0o644); err != nil {
		t.Fatal(err)
	}
	checked := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	if err := WriteCheckStamp(db, checked); err != nil {
		t.Fatal(err)
	}
	st, ok := ReadCheckStamp(db)
	if !ok || !st.Checked.Equal(checked) || !st.Covers(db) {
		t.Fatalf("stamp %+v, %v: want one checked %v covering the file", st, ok, checked)
	}
	fi, _ := os.Stat(db)
	if err := os.Chtimes(db, fi.ModTime(), fi.ModTime().Add(time.Nanosecond)); err != nil {
		t.Fatal(err)
	}
	if st.Covers(db) {
		t.Error("the stamp covers a file whose modification time changed")
	}
	if err := os.Chtimes(db, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if !st.Covers(db) {
		t.Fatal("the stamp no longer covers the file with its time put back")
	}
	if err := os.WriteFile(db+"-wal", []byte("frames"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st.Covers(db) {
		t.Error("the stamp covers a file whose write-ahead log holds frames")
	}
	if err := WriteCheckStamp(db, checked); err == nil {
		t.Error("a stamp was written over a log holding frames")
	}
	os.Remove(db + "-wal")
	if err := os.WriteFile(db, []byte("seventeen bytes.."), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(db, fi.ModTime(), fi.ModTime())
	if st.Covers(db) {
		t.Error("the stamp covers a file whose size changed")
	}

	for name, content := range map[string]string{
		"malformed":    `{"size": 16, "mod_time": "yesterday"`,
		"no check":     `{"size": 16, "mod_time": "2026-12-01T03:00:00Z"}`,
		"oversized":    `{"size": 16, "checked": "2026-12-01T03:00:00Z", "pad": "` + strings.Repeat("x", maxStampBytes) + `"}`,
		"empty":        ``,
		"not a stamp:": `[1, 2, 3]`,
	} {
		if err := os.WriteFile(checkStampPath(db), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if st, ok := ReadCheckStamp(db); ok {
			t.Errorf("%s stamp read as %+v", name, st)
		}
	}
	os.Remove(checkStampPath(db))
	if err := os.Mkdir(checkStampPath(db), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, ok := ReadCheckStamp(db); ok {
		t.Error("a folder read as a stamp")
	}
	os.Remove(checkStampPath(db))
	if err := RemoveCheckStamp(db); err != nil {
		t.Errorf("removing a missing stamp: %v", err)
	}
}
