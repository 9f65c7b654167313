// Package version holds the chorus version written into every output.
//
// It is set at build time (make build: -ldflags -X ...Version=...) and read
// everywhere; nothing may write it at run time.
//
// It must not import any chorus package: corpus/fetch, the pipeline and
// cmd/chorus import it, and it has to stay at the bottom of the graph.
package version
