//go:build !linux

package pipeline

import "os"

// runningExecutable names the file this process runs: its path, as
// os.Executable finds it. A binary replaced at that path during a run
// would lend the figures its digest; Linux avoids it (executable_linux.go).
func runningExecutable() (string, error) { return os.Executable() }
