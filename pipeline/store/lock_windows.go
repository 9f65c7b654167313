//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the locked byte lies: far past the pid written at
// the start of the file, because a Windows lock is mandatory, and a locked
// first byte would stop a refused run from reading the holder's pid.
const lockOffset = 1 << 30

// tryLock takes an exclusive LockFileEx on one byte of f without waiting;
// errHeld when another process has it. The system releases it when the
// handle closes or the process dies.
func tryLock(f *os.File) error {
	ol := windows.Overlapped{Offset: lockOffset}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errHeld
	}
	return err
}
