//go:build !unix

package corpus

import "testing"

// mkfifo skips: there are no named pipes in this system's file system.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	t.Skip("no named pipes in this file system")
}
