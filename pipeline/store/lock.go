package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrLocked is returned (wrapped) by Lock when another process holds the
// lock: another chorus run is using the same database. Test with errors.Is.
var ErrLocked = errors.New("database is locked by another chorus run")

// Lock takes an exclusive, non-blocking lock on path+".lock" and returns
// the function that releases it: flock on Unix (lock_unix.go), LockFileEx
// on Windows (lock_windows.go). The lock belongs to the open file, so the
// system drops it when the process dies however it dies: a killed run never
// leaves a stale lock behind, and nobody has to delete the file (deleting
// it would let two runs lock two different files).
//
// The holder writes its pid into the file, and a refused Lock names it, so
// the message a second run prints says which process to look at.
func Lock(path string) (unlock func() error, err error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errHeld) {
			if pid := holder(name); pid != "" {
				return nil, fmt.Errorf("%w: %s is held by pid %s", ErrLocked, name, pid)
			}
			return nil, fmt.Errorf("%w: %s", ErrLocked, name)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	// The pid is a courtesy for the message above; failing to write it must
	// not fail a run that holds the lock.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	released := false
	return func() error {
		if released {
			return nil
		}
		released = true
		// Empty the pid first so a later reader never names a dead process;
		// closing the file releases the flock.
		f.Truncate(0)
		if err := f.Close(); err != nil {
			return fmt.Errorf("unlock %s: %w", name, err)
		}
		return nil
	}, nil
}

// errHeld is what tryLock returns when another process holds the lock.
var errHeld = errors.New("lock held")

// holder reads the pid the lock holder wrote, or "" when there is none.
func holder(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		return ""
	}
	pid := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(pid); err != nil {
		return ""
	}
	return pid
}
