//go:build !unix

package fsread

import "os"

// openNoBlock opens path read-only. Outside Unix there are no named pipes
// in the file system to block an open (Windows pipes live under \\.\pipe\),
// and Open's fstat still refuses anything but a regular file.
func openNoBlock(path string) (*os.File, error) {
	return os.Open(path)
}
