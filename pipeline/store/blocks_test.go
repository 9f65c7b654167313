package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// rowsOf reads back r's csv and lean rows.
func rowsOf(t *testing.T, b *Blocks, r BlockRef) (string, string) {
	t.Helper()
	csv, err := b.CSV(nil, []BlockRef{r})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := b.Lean(nil, r)
	if err != nil {
		t.Fatal(err)
	}
	return string(csv), string(lean)
}

func openBlocks(t *testing.T, db, ident string) *Blocks {
	t.Helper()
	b, err := OpenBlocks(db, ident)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestBlocksPutCommitReopen(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	b := openBlocks(t, db, "id1")
	if _, ok := b.Get("p1", 7); ok {
		t.Fatal("an empty cache holds p1")
	}
	for i, p := range []string{"p1", "p2", "p3"} {
		if _, err := b.Put(p, int64(i+1), []byte("csv of "+p+"\n"), []byte("lean "+p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit([]PostGen{{"p1", 1}, {"p2", 2}, {"p3", 99}}); err != nil { // p3 changed since
		t.Fatal(err)
	}
	b.Close()

	b = openBlocks(t, db, "id1")
	r, ok := b.Get("p2", 2)
	if !ok {
		t.Fatal("p2 lost across a commit")
	}
	if csv, lean := rowsOf(t, b, r); csv != "csv of p2\n" || lean != "lean p2" {
		t.Errorf("p2 = %q, %q", csv, lean)
	}
	if _, ok := b.Get("p2", 3); ok {
		t.Error("p2 served for another gen")
	}
	if _, ok := b.Get("p3", 3); ok {
		t.Error("p3 kept although its gen changed")
	}

	// Rows put by a run that never commits (killed) are not there next time,
	// and their bytes are dropped from the data file.
	before, _ := os.Stat(b.dataPath(b.n))
	if _, err := b.Put("p4", 4, []byte("orphan"), nil); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b = openBlocks(t, db, "id1")
	if _, ok := b.Get("p4", 4); ok {
		t.Error("an uncommitted put survived")
	}
	after, _ := os.Stat(b.dataPath(b.n))
	if after.Size() != before.Size() {
		t.Errorf("data file %d bytes, want the committed %d", after.Size(), before.Size())
	}

	// Another identity (a new model, topics or version) starts empty.
	b.Close()
	b = openBlocks(t, db, "id2")
	if _, ok := b.Get("p1", 1); ok {
		t.Error("rows served under another identity")
	}
}

func TestBlocksDamagedIndexIsEmpty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	b := openBlocks(t, db, "id")
	b.Put("p", 1, []byte("rows"), []byte("lean"))
	if err := b.Commit([]PostGen{{"p", 1}}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	idx, err := os.ReadFile(db + ".blocks.idx")
	if err != nil {
		t.Fatal(err)
	}
	for _, damage := range [][]byte{idx[:len(idx)-1], append(bytes.Clone(idx[:10]), idx[11:]...), []byte("garbage")} {
		if err := os.WriteFile(db+".blocks.idx", damage, 0o644); err != nil {
			t.Fatal(err)
		}
		b := openBlocks(t, db, "id")
		if _, ok := b.Get("p", 1); ok {
			t.Errorf("a damaged index (%d bytes) was trusted", len(damage))
		}
		b.Close()
	}
}

func TestBlocksCompact(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	b := openBlocks(t, db, "id")
	big := bytes.Repeat([]byte("x"), compactAt/8)
	var posts []PostGen
	for i := range 10 {
		p := fmt.Sprintf("p%d", i)
		b.Put(p, 1, append([]byte(p+":"), big...), []byte("lean-"+p))
		posts = append(posts, PostGen{p, 1})
	}
	if err := b.Commit(posts); err != nil {
		t.Fatal(err)
	}
	first := b.n
	// Nine posts change: most of the file is garbage, so it is compacted.
	for i := 1; i < 10; i++ {
		posts[i].Gen = 2
		b.Put(posts[i].ID, 2, []byte(posts[i].ID+" v2"), []byte("lean2"))
	}
	if err := b.Commit(posts); err != nil {
		t.Fatal(err)
	}
	if b.n == first {
		t.Fatal("a file mostly garbage was not compacted")
	}
	if _, err := os.Stat(b.dataPath(first)); !os.IsNotExist(err) {
		t.Errorf("the old data file is still there: %v", err)
	}
	b.Close()
	b = openBlocks(t, db, "id")
	for _, p := range posts {
		r, ok := b.Get(p.ID, p.Gen)
		if !ok {
			t.Fatalf("%s lost in compaction", p.ID)
		}
		csv, lean := rowsOf(t, b, r)
		if p.Gen == 1 && (!bytes.HasPrefix([]byte(csv), []byte(p.ID+":xxx")) || lean != "lean-"+p.ID) ||
			p.Gen == 2 && (csv != p.ID+" v2" || lean != "lean2") {
			t.Errorf("%s after compaction: %.20q, %q", p.ID, csv, lean)
		}
	}
	if _, err := os.Stat(b.dataPath(first) + ".lean"); !os.IsNotExist(err) {
		t.Errorf("the old lean file is still there: %v", err)
	}
	if fi, _ := os.Stat(b.dataPath(b.n)); fi.Size() > compactAt/8+200 {
		t.Errorf("compacted file is %d bytes", fi.Size())
	}
}

// TestBlocksDamagedBytesClearTheCache checks that a block whose bytes
// changed on disk (a bad sector, a partial restore) is never returned: the
// read fails with ErrBlocksDamaged, for the csv rows and for the lean rows,
// and the cache is cleared so that it reopens empty.
func TestBlocksDamagedBytesClearTheCache(t *testing.T) {
	for _, file := range []string{"csv", "lean"} {
		t.Run(file, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			b := openBlocks(t, db, "id1")
			r1, err := b.Put("p1", 1, []byte("a,Caseloads again\n"), []byte("lean-1"))
			if err != nil {
				t.Fatal(err)
			}
			r2, err := b.Put("p2", 1, []byte("b,second\n"), []byte("lean-2"))
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Commit([]PostGen{{"p1", 1}, {"p2", 1}}); err != nil {
				t.Fatal(err)
			}
			b.Close()
			path, at := db+".blocks.1", r1.Off+2
			if file == "lean" {
				path, at = db+".blocks.1.lean", r1.LeanOff+1
			}
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt([]byte("X"), at); err != nil {
				t.Fatal(err)
			}
			f.Close()

			b = openBlocks(t, db, "id1")
			if _, ok := b.Get("p1", 1); !ok {
				t.Fatal("the damage is in the data, not the index: p1 should still be listed")
			}
			if file == "csv" {
				_, err = b.CSV(nil, []BlockRef{r1, r2})
			} else {
				_, err = b.Lean(nil, r1)
			}
			if !errors.Is(err, ErrBlocksDamaged) {
				t.Fatalf("reading the damaged %s rows: %v, want ErrBlocksDamaged", file, err)
			}
			if _, ok := b.Get("p2", 1); ok {
				t.Error("after the damage the cache still lists p2")
			}
			b.Close()
			if b = openBlocks(t, db, "id1"); len(b.entries) != 0 {
				t.Errorf("reopened after the damage: %d entries, want an empty cache", len(b.entries))
			}
		})
	}
}

// TestBlocksResetRebuildsInFreshBytes checks what a run does after
// ErrBlocksDamaged: Reset empties the files, so the rows put again lie in
// fresh bytes (the damaged ones are not kept as garbage), read back intact,
// and commit into a cache the next open trusts.
func TestBlocksResetRebuildsInFreshBytes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	b := openBlocks(t, db, "id1")
	r1, err := b.Put("p1", 1, []byte("a,Caseloads again\n"), []byte("lean-1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit([]PostGen{{"p1", 1}}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if err := os.WriteFile(db+".blocks.1", []byte("a,CAseloads again\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b = openBlocks(t, db, "id1")
	if _, err := b.CSV(nil, []BlockRef{r1}); !errors.Is(err, ErrBlocksDamaged) {
		t.Fatalf("damaged read: %v, want ErrBlocksDamaged", err)
	}
	if err := b.Reset(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db + ".blocks.1", db + ".blocks.1.lean"} {
		if fi, err := os.Stat(p); err != nil || fi.Size() != 0 {
			t.Fatalf("%s after Reset: %v, want an empty file", p, err)
		}
	}
	rows := "a,Caseloads again\n"
	r, err := b.Put("p1", 1, []byte(rows), []byte("lean-1"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Off != 0 {
		t.Errorf("rows put after Reset at byte %d, want 0", r.Off)
	}
	if err := b.Commit([]PostGen{{"p1", 1}}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b = openBlocks(t, db, "id1")
	r, ok := b.Get("p1", 1)
	if !ok {
		t.Fatal("the cache rebuilt after Reset was not committed")
	}
	if csv, lean := rowsOf(t, b, r); csv != rows || lean != "lean-1" {
		t.Errorf("rows after Reset: %q %q", csv, lean)
	}
}
