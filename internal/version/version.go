package version

// Version is set at build time by the Makefile from git describe
// (-ldflags -X chorus/internal/version.Version=...). A plain `go build`
// leaves it at the release below.
var Version = "0.1.0-dev"
