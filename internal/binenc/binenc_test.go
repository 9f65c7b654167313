package binenc

import (
	"encoding/binary"
	"testing"
)

func TestRoundTripAndDamage(t *testing.T) {
	var b []byte
	b = binary.AppendUvarint(b, 300)
	b = binary.AppendVarint(b, -7)
	b = binary.LittleEndian.AppendUint64(b, 1<<60)
	b = AppendStr(b, "héllo")
	d := Decoder{B: b}
	if u, v, w, s := d.Uvarint(), d.Varint(), d.U64(), d.Str(); u != 300 || v != -7 || w != 1<<60 || s != "héllo" || d.Bad || len(d.B) != 0 {
		t.Fatalf("read back %d %d %d %q bad=%v rest=%d", u, v, w, s, d.Bad, len(d.B))
	}
	// Every truncation of the record reads as damaged, never panics.
	for n := range len(b) {
		d := Decoder{B: b[:n]}
		d.Uvarint()
		d.Varint()
		d.U64()
		d.Str()
		if !d.Bad {
			t.Errorf("a record cut to %d of %d bytes read as whole", n, len(b))
		}
	}
	d = Decoder{B: AppendStr(nil, "x")[:1]} // a length with no string after it
	if d.Str(); !d.Bad {
		t.Error("a string longer than the record read as whole")
	}
}
