package fsread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Open opens path for reading when it is a regular file, and only then. A
// named pipe, a socket or a device (or a symlink to one) would block a read
// forever or never end: the file is opened without blocking (openNoBlock)
// and checked with fstat on the open descriptor, so a file swapped for a
// pipe between a stat and the open is caught too. The error names what the
// file is.
func Open(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, refusal{fmt.Sprintf("not a regular file (%s)", Kind(fi.Mode()))}
	}
	return f, fi, nil
}

// ErrRefused is matched (errors.Is) by the errors of Open and Read that
// refuse the file for what it is, not for a failure to reach it: not a
// regular file, or larger than the limit. Reading it again will not help;
// a missing file, a permission or an I/O error might pass.
var ErrRefused = errors.New("file refused")

// refusal is an error matching ErrRefused whose message is its own.
type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == ErrRefused }

// Kind names a file's type for messages ("a named pipe").
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// Read reads at most limit bytes of the regular file at path. A larger file
// is an error found without reading it all. what names the kind of file for
// the message ("file", "date table"). The error never names the path (it
// may hold personal data): the caller wraps it with the name it may show,
// redacted when the path came from an input. A missing file's error still
// matches fs.ErrNotExist.
func Read(path string, limit int64, what string) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", StripPath(err))
	}
	defer f.Close()
	tooLarge := func() error { return refusal{fmt.Sprintf("%s is larger than the limit of %d bytes", what, limit)} }
	// The size fstat gave refuses a large file before a byte is read; the
	// read still stops one byte past the limit, to catch a file that grew
	// since, and to tell "at the limit" from "over it".
	if fi.Size() > limit {
		return nil, tooLarge()
	}
	data, err := readUpTo(f, fi.Size(), limit+1)
	if err != nil {
		return nil, fmt.Errorf("read: %w", StripPath(err))
	}
	if int64(len(data)) > limit {
		return nil, tooLarge()
	}
	return data, nil
}

// readUpTo reads r to its end or to max bytes, whichever comes first,
// into a buffer sized from the size fstat gave (plus one byte, so that the
// read meeting the end of the file has room): a file that is as large as it
// said costs two reads and one allocation, where io.ReadAll's doubling from
// 512 bytes took eight reads and as many copies for a typical 16 KiB
// archive file. A file that grew since, or one whose size fstat does not
// know (0), still reads whole, the buffer growing as io.ReadAll's does.
func readUpTo(r io.Reader, size, max int64) ([]byte, error) {
	n := size + 1
	if n < 512 {
		n = 512
	}
	if n > max {
		n = max
	}
	b := make([]byte, 0, n)
	for int64(len(b)) < max {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):cap(b)]
		if rest := max - int64(len(b)); int64(len(room)) > rest {
			room = room[:rest]
		}
		k, err := r.Read(room)
		b = b[:len(b)+k]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// StripPath drops the path from an *fs.PathError, keeping the operation's
// cause ("no such file or directory"): messages name files through the
// redactor, and the raw path inside the error would slip past it.
func StripPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
