package corpus

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// OpenRegular opens path for reading when it is a regular file, and only
// then. A named pipe, a socket or a device among the inputs (or a symlink
// to one) would block a read forever or never end: the file is opened
// without blocking (openNoBlock) and checked with fstat on the open
// descriptor, so a file swapped for a pipe between a stat and the open is
// caught too. The error names what the file is.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
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
		return nil, nil, fmt.Errorf("not a regular file (%s)", FileKind(fi.Mode()))
	}
	return f, fi, nil
}

// FileKind names a file's type for messages ("a named pipe").
func FileKind(m fs.FileMode) string {
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

// ReadLimited reads at most limit bytes of the regular file at path. A
// larger file is an error found without reading it all. what names the
// kind of input for the message ("file", "date table"). The error never
// names the path (it may hold personal data): the caller wraps it with the
// redacted name. Every bounded read of a whole input file (archives, the
// date table, weights, hand labels) goes through it, so each is opened the
// same way: without blocking, and only if it is a regular file.
func ReadLimited(path string, limit int64, what string) ([]byte, error) {
	f, _, err := OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", unwrapPath(err))
	}
	defer f.Close()
	// Read one byte past the limit to tell "at the limit" from "over it"
	// without trusting the size fstat gave, which may have changed.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", unwrapPath(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than the limit of %d bytes", what, limit)
	}
	return data, nil
}
