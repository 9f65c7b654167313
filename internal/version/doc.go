// Package version holds the chorus version written into every output.
//
// It is set at build time (make build: -ldflags -X ...Version=...) and read
// everywhere; nothing may write it at run time.
package version
