//go:build unix

package fsread

import (
	"os"
	"syscall"
)

// openNoBlock opens path read-only with O_NONBLOCK: opening a named pipe
// that has no writer then returns at once instead of waiting for one. The
// flag changes nothing for reads of a regular file, the only kind that is
// read after the fstat in Open.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
