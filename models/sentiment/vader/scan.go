package vader

import (
	"encoding/binary"
	"math/bits"
)

// Token scanning, the innermost loop of the engine. scanToken reads eight
// bytes at a time (SWAR: bit tricks on a uint64), which finds the end of a
// typical word without a branch per byte and lowercases it with one store;
// scanTokenScalar is the plain byte loop it falls back to near the end of
// the text and at non-ASCII bytes, and the oracle it is tested against.

const (
	lo7 = 0x0101010101010101 // 0x01 in every byte
	hi7 = 0x8080808080808080 // 0x80 in every byte
)

// load64 reads s[i:i+8] as a little-endian word (the compiler merges the
// byte loads into one).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// scanTokenScalar scans the token starting at s[i] (not whitespace) to its
// end, writing its ASCII-lowercased bytes to lb[p:]. It returns the end
// index, the new p and the union of the byte classes seen.
func scanTokenScalar(s string, i int, lb []byte, p int) (int, int, uint8) {
	acc := uint8(0)
	for ; i < len(s); i++ {
		c := s[i]
		cl := byteClass[c]
		if cl&(cSpace|cHigh) != 0 && (cl&cSpace != 0 || spaceAt(s, i) > 0) {
			break
		}
		acc |= cl
		lb[p] = lowerASCII[c]
		p++
	}
	return i, p, acc
}

// scanToken is scanTokenScalar eight bytes at a time. Of the classes it
// reports only cUpper, cLower, cApos and cHigh (callers test punctuation at
// the token's two ends). lb must have room for 8 bytes at every p it writes.
func scanToken(s string, i int, lb []byte, p int) (int, int, uint8) {
	var up, low, apos uint64
	for i+8 <= len(s) {
		x := load64(s, i)
		// Flag bytes below 0x21 (whitespace candidates) or above 0x7F.
		// Borrows only run upwards from a flagged byte, so the lowest
		// flag is exact, and that is the only one used.
		special := ((x-0x21*lo7)&^x | x) & hi7
		n := 8
		if special != 0 {
			n = bits.TrailingZeros64(special) >> 3
		}
		y := x
		if n < 8 {
			y &= 1<<(8*uint(n)) - 1 // keep the n word bytes, zero the rest
		}
		// y's bytes are in 0x21..0x7F or zero, so these sums never carry
		// into the next byte: byte+0x3F reaches 0x80 iff byte >= 'A',
		// byte+0x25 iff byte > 'Z'; likewise 0x1F and 0x05 for 'a'..'z'.
		u := (y + 0x3F*lo7) &^ (y + 0x25*lo7) & hi7
		l := (y + 0x1F*lo7) &^ (y + 0x05*lo7) & hi7
		z := y ^ 0x27*lo7 // zero where y has an apostrophe
		up |= u
		low |= l
		apos |= (z - lo7) &^ z & hi7
		binary.LittleEndian.PutUint64(lb[p:], y|u>>2) // +0x20 lowercases A-Z
		p += n
		i += n
		if n == 8 {
			continue
		}
		c := s[i]
		if c >= 0x80 {
			// Non-ASCII: the byte loop handles Unicode whitespace.
			e, np, acc := scanTokenScalar(s, i, lb, p)
			return e, np, acc | swarClasses(up, low, apos)
		}
		if byteClass[c]&cSpace != 0 {
			return i, p, swarClasses(up, low, apos)
		}
		// A control character Python does not split on: part of the word.
		lb[p] = c
		p++
		i++
	}
	e, np, acc := scanTokenScalar(s, i, lb, p)
	return e, np, acc | swarClasses(up, low, apos)
}

func swarClasses(up, low, apos uint64) uint8 {
	var acc uint8
	if up != 0 {
		acc |= cUpper
	}
	if low != 0 {
		acc |= cLower
	}
	if apos != 0 {
		acc |= cApos
	}
	return acc
}
