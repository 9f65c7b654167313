package vader

import (
	"encoding/binary"
	"math/bits"
)

// wordTable is a read-only open-addressing hash table from lowercase word to
// wordInfo. It exists for speed: the tokeniser lowercases a token in place
// and hashes it eight bytes at a time, so a lookup costs one probe of a compact slot array
// (8 bytes a slot, so it stays in cache) and one short byte compare, about
// twice as fast as a Go map lookup that hashes the key again.
type wordTable struct {
	slots []slot // power-of-two length, at most half full
	mask  uint64
	keys  string // all keys back to back, so a key is had without allocating
	infos []tableEntry
}

type slot struct {
	hash uint32 // high bits of the full hash, to skip most compares
	info int32  // index into infos + 1; 0 marks an empty slot
}

type tableEntry struct {
	wordInfo
	off, n uint32 // key = keys[off : off+n]
	// first holds the key's first eight bytes (zero-padded), so a lookup
	// compares most keys whole, and the rest's start, without reading keys.
	first uint64
}

// The hash reads a word eight bytes at a time: most words take one
// multiply-rotate step and a final mix, cheaper than a per-byte hash.
const (
	hashSeed = 0x9E3779B97F4A7C15
	hashMul  = 0xff51afd7ed558ccd
)

func mixChunk(h, x uint64) uint64 { return bits.RotateLeft64((h^x)*hashSeed, 31) }

func finishHash(h uint64) uint64 {
	h ^= h >> 33
	h *= hashMul
	h ^= h >> 33
	return h
}

// hashKey hashes b; it is the reference definition for hashPadded.
func hashKey(b []byte) uint64 {
	h := uint64(len(b)) * hashSeed
	for len(b) >= 8 {
		h = mixChunk(h, binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	if len(b) > 0 {
		var x uint64
		for k := len(b) - 1; k >= 0; k-- {
			x = x<<8 | uint64(b[k])
		}
		h = mixChunk(h, x)
	}
	return finishHash(h)
}

// hashPadded equals hashKey(buf[off:off+n]) but loads whole eight-byte
// chunks, reading (and masking off) up to seven bytes past the word:
// len(buf) must be at least off+n+7.
func hashPadded(buf []byte, off, n int) uint64 {
	h := uint64(n) * hashSeed
	for k := 0; k < n; k += 8 {
		x := binary.LittleEndian.Uint64(buf[off+k:])
		if rem := n - k; rem < 8 {
			x &= 1<<(8*uint(rem)) - 1
		}
		h = mixChunk(h, x)
	}
	return finishHash(h)
}

func newWordTable(words map[string]wordInfo) *wordTable {
	size := 16
	for size < 2*len(words) {
		size *= 2
	}
	t := &wordTable{slots: make([]slot, size), mask: uint64(size - 1)}
	var keys []byte
	for k, w := range words {
		h := hashKey([]byte(k))
		i := h & t.mask
		for t.slots[i].info != 0 {
			i = (i + 1) & t.mask
		}
		t.infos = append(t.infos, tableEntry{wordInfo: w, off: uint32(len(keys)), n: uint32(len(k)), first: firstWord([]byte(k))})
		t.slots[i] = slot{hash: uint32(h >> 32), info: int32(len(t.infos))}
		keys = append(keys, k...)
	}
	t.keys = string(keys)
	return t
}

// lookup returns the entry number of key (whose hash is h and whose
// firstWord is first), or 0.
func (t *wordTable) lookup(key []byte, h, first uint64) int32 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.info == 0 {
			return 0
		}
		if s.hash != uint32(h>>32) {
			continue
		}
		e := &t.infos[s.info-1]
		if e.first == first && int(e.n) == len(key) && (len(key) <= 8 || t.keys[e.off+8:e.off+e.n] == string(key[8:])) {
			return s.info
		}
	}
}

// firstWord returns the first eight bytes of b (zero-padded) as a
// little-endian word.
func firstWord(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b)
	}
	var x uint64
	for k := len(b) - 1; k >= 0; k-- {
		x = x<<8 | uint64(b[k])
	}
	return x
}

// info returns what entry number i (from lookup, not 0) knows.
func (t *wordTable) info(i int32) *wordInfo { return &t.infos[i-1].wordInfo }

// key returns the word of entry number i (from lookup, not 0).
func (t *wordTable) key(i int32) string {
	e := &t.infos[i-1]
	return t.keys[e.off : e.off+e.n]
}
