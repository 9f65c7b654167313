package corpus

import (
	"embed"
	"io/fs"
)

// The bundled sample archive: synthetic posts and comments written for
// chorus in every layout the readers know (see sample/README.md). It is
// embedded so that `chorus run` with no flags works from any directory.
//
//go:embed sample
var sampleFS embed.FS

// Sample returns the bundled sample archive, rooted at its folder.
func Sample() fs.FS {
	sub, err := fs.Sub(sampleFS, "sample")
	if err != nil { // cannot happen: the folder is embedded above
		panic(err)
	}
	return sub
}
