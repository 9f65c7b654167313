package pipeline

// runningExecutable names the file this process runs. On Linux that is
// /proc/self/exe, which opens the running binary itself even after
// `go install` or a package upgrade renamed another file over its path
// (os.Executable would give the path, and so the new file).
func runningExecutable() (string, error) { return "/proc/self/exe", nil }
