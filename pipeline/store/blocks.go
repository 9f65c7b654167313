package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chorus/internal/binenc"
)

// The block cache: each post's report rows, kept beside the database.
//
// comments.csv is the concatenation, in post order, of one block of rows
// per post, and the aggregates read a few fields ("lean rows") of each
// comment. A post's block and lean rows depend only on its stored rows
// (which its document's gen names: a fresh random gen is written each time
// a document is stored again), their analyses under the analysis key, and
// how rows are encoded (the topic names, the chorus version, the encoding's
// layout), which the cache's identity names. So blocks are immutable facts
// keyed by (post, gen) under one identity: a run copies the blocks of the
// posts it did not store again instead of reading a million rows back from
// SQLite, and encodes only the others. The cache holds its own bytes; no run
// reads a published report back.
//
// On disk, beside the database DB:
//
//	DB.blocks.N       csv rows, each post's block appended after the last
//	DB.blocks.N.lean  lean rows, likewise
//	DB.blocks.idx     the index: identity, data files N and their committed
//	                  lengths, and per post its gen, the byte ranges of its
//	                  rows and their CRC-32C; SHA-256 at the end
//
// The data files are outside SQLite's page checks, so every block carries
// a checksum, checked as it is read (CSV, Lean): a bad sector or a partial
// restore must neither reach comments.csv nor fail every run after it. A
// block that fails clears the cache (the index is removed) and the read
// fails with ErrBlocksDamaged. The run then empties the files (Reset) and
// writes its reports again, encoding every post from the database as a
// first run does; only if that fails too does it publish nothing.
//
// A run appends to the data file and commits by writing a new index (a
// temporary file renamed into place), so a run killed at any point leaves
// the last committed index, which ignores what was appended after it. When
// less than half the data file is live, Commit copies the live blocks into
// a fresh data file N+1. A missing or damaged index, or one of another
// identity, is simply an empty cache; deleting the files is always safe.
type Blocks struct {
	base  string // the database path; files are base+".blocks..."
	ident string

	mu           sync.Mutex
	n            uint64 // number of the data files
	data, lean   *os.File
	size, leanSz int64 // bytes written to each (committed and appended)
	entries      map[string]BlockRef
}

// BlockRef is where one post's rows lie in the data files.
type BlockRef struct {
	Gen             int64
	Off, CSVLen     int64 // in the csv file
	LeanOff, LeanLn int64 // in the lean file
	// CSVSum and LeanSum are the CRC-32C (Castagnoli) of the two ranges.
	CSVSum, LeanSum uint32
}

// ErrBlocksDamaged is returned (wrapped) by a read of the block cache whose
// bytes fail their checksum; the cache has then been cleared.
var ErrBlocksDamaged = errors.New("report block cache damaged")

// castagnoli is CRC-32C, which amd64 and arm64 compute in hardware: a few
// GB/s, so checking every block a nightly run copies costs little.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// blocksLayout changes whenever the index format changes (3: checksums).
const blocksLayout = 3

var blocksMagic = []byte("chorusBK")

// compactAt is the data size from which Commit compacts files that are
// more than half garbage.
const compactAt = 16 << 20

// OpenBlocks opens the block cache of the database at db for rows encoded
// under ident (any string naming the encoding: analysis key, topics,
// version). A cache of another identity, or damaged, starts empty.
func OpenBlocks(db, ident string) (*Blocks, error) {
	b := &Blocks{base: db, ident: ident, entries: map[string]BlockRef{}}
	idx, err := readBlockIndex(b.indexPath())
	if err != nil {
		return nil, err
	}
	switch {
	case idx == nil:
		b.n = 1
	case idx.ident != ident:
		b.n = idx.n + 1 // fresh files: nothing of the old ones is live
	default:
		b.n = idx.n
	}
	b.removeStale()
	if b.data, b.lean, err = openBlockFiles(b.dataPath(b.n), false); err != nil {
		return nil, err
	}
	if idx != nil && idx.ident == ident {
		fi, err1 := b.data.Stat()
		li, err2 := b.lean.Stat()
		if err1 == nil && err2 == nil && fi.Size() >= idx.size && li.Size() >= idx.leanSz {
			b.entries, b.size, b.leanSz = idx.entries, idx.size, idx.leanSz
		}
	}
	// Drop what a killed run appended past the committed lengths.
	err = b.data.Truncate(b.size)
	if err == nil {
		err = b.lean.Truncate(b.leanSz)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("open report block cache: %w", err)
	}
	return b, nil
}

// openBlockFiles opens (creates; with trunc, empties) the csv and lean
// files of data path p.
func openBlockFiles(p string, trunc bool) (data, lean *os.File, err error) {
	flags := os.O_RDWR | os.O_CREATE
	if trunc {
		flags |= os.O_TRUNC
	}
	if data, err = os.OpenFile(p, flags, 0o644); err != nil {
		return nil, nil, fmt.Errorf("open report block cache: %w", err)
	}
	if lean, err = os.OpenFile(p+".lean", flags, 0o644); err != nil {
		data.Close()
		return nil, nil, fmt.Errorf("open report block cache: %w", err)
	}
	return data, lean, nil
}

func (b *Blocks) indexPath() string        { return b.base + ".blocks.idx" }
func (b *Blocks) dataPath(n uint64) string { return b.base + ".blocks." + strconv.FormatUint(n, 10) }

// removeStale removes data files other than the current ones, and index
// temporaries, that a killed run or a compaction left.
func (b *Blocks) removeStale() {
	dir, prefix := filepath.Dir(b.base), filepath.Base(b.base)+".blocks."
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	keep := strconv.FormatUint(b.n, 10)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		rest := strings.TrimPrefix(name, prefix)
		num := strings.TrimSuffix(rest, ".lean")
		if _, err := strconv.ParseUint(num, 10, 64); err == nil && num != keep || strings.HasPrefix(rest, "idx.tmp-") {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// Get returns where post's rows lie, when the cache holds them for gen.
func (b *Blocks) Get(post string, gen int64) (BlockRef, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.entries[post]
	return r, ok && r.Gen == gen
}

// Put appends post's rows, read when its document had gen, and returns
// where they lie.
func (b *Blocks) Put(post string, gen int64, csv, lean []byte) (BlockRef, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := BlockRef{Gen: gen, Off: b.size, CSVLen: int64(len(csv)), LeanOff: b.leanSz, LeanLn: int64(len(lean)),
		CSVSum: crc32.Checksum(csv, castagnoli), LeanSum: crc32.Checksum(lean, castagnoli)}
	if _, err := b.data.WriteAt(csv, r.Off); err != nil {
		return BlockRef{}, fmt.Errorf("write report block cache: %w", err)
	}
	if _, err := b.lean.WriteAt(lean, r.LeanOff); err != nil {
		return BlockRef{}, fmt.Errorf("write report block cache: %w", err)
	}
	b.size += r.CSVLen
	b.leanSz += r.LeanLn
	b.entries[post] = r
	return r, nil
}

// CSV reads the csv rows of refs, which lie end to end in the csv file
// (refs[i+1].Off == refs[i].Off+refs[i].CSVLen), into dst (resized), and
// checks each block's checksum.
func (b *Blocks) CSV(dst []byte, refs []BlockRef) ([]byte, error) {
	if len(refs) == 0 {
		return dst[:0], nil
	}
	off, n := refs[0].Off, int64(0)
	for i, r := range refs {
		if r.Off != off+n {
			return dst[:0], fmt.Errorf("read report block cache: block %d of %d does not follow the one before", i+1, len(refs))
		}
		n += r.CSVLen
	}
	dst = slices.Grow(dst[:0], int(n))[:n]
	if _, err := b.data.ReadAt(dst, off); err != nil {
		return dst[:0], fmt.Errorf("read report block cache: %w", err)
	}
	at := int64(0)
	for _, r := range refs {
		if crc32.Checksum(dst[at:at+r.CSVLen], castagnoli) != r.CSVSum {
			return dst[:0], b.damaged("csv", r.Off)
		}
		at += r.CSVLen
	}
	return dst, nil
}

// Lean reads r's lean rows into dst (resized) and checks their checksum.
func (b *Blocks) Lean(dst []byte, r BlockRef) ([]byte, error) {
	dst = slices.Grow(dst[:0], int(r.LeanLn))[:r.LeanLn]
	if _, err := b.lean.ReadAt(dst, r.LeanOff); err != nil {
		return dst[:0], fmt.Errorf("read report block cache: %w", err)
	}
	if crc32.Checksum(dst, castagnoli) != r.LeanSum {
		return dst[:0], b.damaged("lean", r.LeanOff)
	}
	return dst, nil
}

// damaged clears the cache after a block failed its checksum: the index
// goes, so the next run starts empty, and so do this run's entries.
func (b *Blocks) damaged(file string, off int64) error {
	b.mu.Lock()
	b.entries = map[string]BlockRef{}
	b.mu.Unlock()
	err := os.Remove(b.indexPath())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: the %s rows at byte %d fail their checksum, and the cache could not be cleared (%v): delete %s.blocks.* and run again", ErrBlocksDamaged, file, off, err, b.base)
	}
	return fmt.Errorf("%w: the %s rows at byte %d fail their checksum; the cache is cleared", ErrBlocksDamaged, file, off)
}

// Reset empties the cache: no entries, no index, and data files truncated
// to nothing, so that the rows put after it lie in fresh bytes and the
// damaged ones are not kept as garbage until a compaction. A run calls it
// after ErrBlocksDamaged, once nothing reads the cache any more.
func (b *Blocks) Reset() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entries = map[string]BlockRef{}
	b.size, b.leanSz = 0, 0
	// The index first, so that none is left naming bytes the truncation
	// took away (or, once new rows are put, other bytes at those offsets).
	if err := os.Remove(b.indexPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clear report block cache: %w", err)
	}
	err := b.data.Truncate(0)
	if err == nil {
		err = b.lean.Truncate(0)
	}
	if err != nil {
		return fmt.Errorf("clear report block cache: %w", err)
	}
	return nil
}

// PostGen names a post and the gen of the rows it has now.
type PostGen struct {
	ID  string
	Gen int64
}

// Commit makes the rows of posts (in report order) the cache's content:
// it writes them to disk, drops every other entry, and, when most of the
// data is garbage, copies the live rows into fresh files. A post without
// rows in the cache is left out.
func (b *Blocks) Commit(posts []PostGen) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	live := make(map[string]BlockRef, len(posts))
	var liveBytes int64
	for _, p := range posts {
		if r, ok := b.entries[p.ID]; ok && r.Gen == p.Gen {
			live[p.ID] = r
			liveBytes += r.CSVLen + r.LeanLn
		}
	}
	if total := b.size + b.leanSz; total >= compactAt && 2*liveBytes < total {
		if err := b.compact(posts, live); err != nil {
			return err
		}
	} else {
		b.entries = live
	}
	err := b.data.Sync()
	if err == nil {
		err = b.lean.Sync()
	}
	if err != nil {
		return fmt.Errorf("write report block cache: %w", err)
	}
	return b.writeIndex()
}

// compact copies the live rows, in post order, into data files n+1: the
// csv rows of consecutive posts then lie end to end.
func (b *Blocks) compact(posts []PostGen, live map[string]BlockRef) error {
	n := b.n + 1
	data, lean, err := openBlockFiles(b.dataPath(n), true)
	if err != nil {
		return err
	}
	moved := make(map[string]BlockRef, len(live))
	var off, leanOff int64
	for _, p := range posts {
		r, ok := live[p.ID]
		if !ok {
			continue
		}
		err := copyRange(data, b.data, r.Off, r.CSVLen)
		if err == nil {
			err = copyRange(lean, b.lean, r.LeanOff, r.LeanLn)
		}
		if err != nil {
			data.Close()
			lean.Close()
			return fmt.Errorf("compact report block cache: %w", err)
		}
		r.Off, r.LeanOff = off, leanOff
		moved[p.ID] = r
		off += r.CSVLen
		leanOff += r.LeanLn
	}
	b.data.Close()
	b.lean.Close()
	b.data, b.lean, b.n, b.size, b.leanSz, b.entries = data, lean, n, off, leanOff, moved
	// The old files go once the index naming the new ones is in place.
	return nil
}

// copyRange appends n bytes of src at off to dst.
func copyRange(dst, src *os.File, off, n int64) error {
	buf := make([]byte, n)
	if _, err := src.ReadAt(buf, off); err != nil {
		return err
	}
	_, err := dst.Write(buf)
	return err
}

// writeIndex writes the index for the data files' committed state.
func (b *Blocks) writeIndex() error {
	var buf []byte
	buf = append(buf, blocksMagic...)
	buf = binary.AppendUvarint(buf, blocksLayout)
	buf = binenc.AppendStr(buf, b.ident)
	buf = binary.AppendUvarint(buf, b.n)
	buf = binary.AppendUvarint(buf, uint64(b.size))
	buf = binary.AppendUvarint(buf, uint64(b.leanSz))
	buf = binary.AppendUvarint(buf, uint64(len(b.entries)))
	for post, r := range b.entries {
		buf = binenc.AppendStr(buf, post)
		buf = binary.AppendVarint(buf, r.Gen)
		for _, v := range []int64{r.Off, r.CSVLen, r.LeanOff, r.LeanLn} {
			buf = binary.AppendUvarint(buf, uint64(v))
		}
		buf = binary.LittleEndian.AppendUint32(buf, r.CSVSum)
		buf = binary.LittleEndian.AppendUint32(buf, r.LeanSum)
	}
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	tmp, err := os.CreateTemp(filepath.Dir(b.base), filepath.Base(b.base)+".blocks.idx.tmp-*")
	if err != nil {
		return fmt.Errorf("write report block cache index: %w", err)
	}
	_, err = tmp.Write(buf)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), b.indexPath())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write report block cache index: %w", err)
	}
	b.removeStale()
	return nil
}

// Close closes the data files. What was put since the last Commit is not
// part of the cache the next OpenBlocks sees.
func (b *Blocks) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var err error
	for _, f := range []**os.File{&b.data, &b.lean} {
		if *f != nil {
			if e := (*f).Close(); err == nil {
				err = e
			}
			*f = nil
		}
	}
	return err
}

// blockIndex is an index read back.
type blockIndex struct {
	ident        string
	n            uint64
	size, leanSz int64
	entries      map[string]BlockRef
}

// maxBlockIndex bounds the index read: about 60 bytes a post.
const maxBlockIndex = 1 << 30

// readBlockIndex reads the index at path: nil when there is none or it is
// damaged (the cache then starts empty).
func readBlockIndex(path string) (*blockIndex, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read report block cache index: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBlockIndex))
	if err != nil {
		return nil, fmt.Errorf("read report block cache index %s: %w", path, err)
	}
	if len(data) < len(blocksMagic)+sha256.Size || !bytes.HasPrefix(data, blocksMagic) {
		return nil, nil
	}
	body := data[:len(data)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, nil
	}
	d := binenc.Decoder{B: body[len(blocksMagic):]}
	if d.Uvarint() != blocksLayout {
		return nil, nil
	}
	idx := &blockIndex{ident: d.Str(), n: d.Uvarint(), size: int64(d.Uvarint()), leanSz: int64(d.Uvarint())}
	count := d.Uvarint()
	if d.Bad || count > uint64(len(d.B)) {
		return nil, nil
	}
	idx.entries = make(map[string]BlockRef, count)
	for range count {
		post := d.Str()
		r := BlockRef{Gen: d.Varint(), Off: int64(d.Uvarint()), CSVLen: int64(d.Uvarint()), LeanOff: int64(d.Uvarint()), LeanLn: int64(d.Uvarint()),
			CSVSum: d.U32(), LeanSum: d.U32()}
		if d.Bad || r.Off < 0 || r.CSVLen < 0 || r.LeanOff < 0 || r.LeanLn < 0 || r.Off+r.CSVLen > idx.size || r.LeanOff+r.LeanLn > idx.leanSz {
			return nil, nil
		}
		idx.entries[post] = r
	}
	if d.Bad || len(d.B) != 0 || idx.n == 0 {
		return nil, nil
	}
	return idx, nil
}
