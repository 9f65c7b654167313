package fsread

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// Read returns a file of up to limit bytes whole, refuses one byte more
// with a message saying what was over the limit, refuses a folder, and
// keeps fs.ErrNotExist for a missing file (callers treat an absent default
// file as "none"). No message names the path.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at-limit-jo.bloggs@example.com")
	if err := os.WriteFile(at, []byte("12345678"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Read(at, 8, "thing")
	if err != nil || string(b) != "12345678" {
		t.Fatalf("at the limit: %q, %v", b, err)
	}
	_, err = Read(at, 7, "thing")
	if err == nil || err.Error() != "thing is larger than the limit of 7 bytes" {
		t.Errorf("over the limit: %v", err)
	}
	_, err = Read(dir, 1<<20, "thing")
	if err == nil || !strings.Contains(err.Error(), "not a regular file (a folder)") {
		t.Errorf("folder: %v", err)
	}
	_, err = Read(filepath.Join(dir, "missing-jo.bloggs@example.com"), 1, "thing")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
	if err != nil && strings.Contains(err.Error(), "bloggs") {
		t.Errorf("the error names the path: %v", err)
	}
}

// readUpTo returns what io.ReadAll of a LimitReader returned: the whole
// input when it fits in max, max bytes when it does not, whatever size the
// caller believed the input to have (a file that grew or shrank since
// fstat, or one fstat gives no size for).
func TestReadUpToMatchesReadAll(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 70000} {
		data := []byte(strings.Repeat("x", n))
		for _, size := range []int64{0, int64(n) - 1, int64(n), int64(n) + 1, 10} {
			for _, max := range []int64{1, int64(n), int64(n) + 1, 1 << 20} {
				if max < 1 {
					continue
				}
				want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), max))
				got, err := readUpTo(iotest.OneByteReader(bytes.NewReader(data)), size, max)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("n=%d size=%d max=%d: %d bytes, %v; want %d", n, size, max, len(got), err, len(want))
				}
				if got, _ := readUpTo(bytes.NewReader(data), size, max); !bytes.Equal(got, want) {
					t.Errorf("n=%d size=%d max=%d (whole reads): %d bytes; want %d", n, size, max, len(got), len(want))
				}
			}
		}
	}
}

// BenchmarkRead reads a file of the size typical of an archive's (16 KiB).
func BenchmarkRead(b *testing.B) {
	p := filepath.Join(b.TempDir(), "post.txt")
	if err := os.WriteFile(p, []byte(strings.Repeat("comment text\n", 1260)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(p, 1<<20, "file"); err != nil {
			b.Fatal(err)
		}
	}
}
