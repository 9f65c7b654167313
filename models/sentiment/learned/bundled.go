package learned

import (
	"embed"
	"errors"
	"io/fs"
)

// weights holds the bundled weights file, when the build has one. The
// folder always holds its README, so the build never fails for want of
// model.json; Bundled reports whether it is there.
//
//go:embed weights
var weights embed.FS

// BundledName is the path of the bundled weights inside the repository.
const BundledName = "models/sentiment/learned/weights/model.json"

// Bundled returns the bundled weights and their bytes; ok is false when the
// binary was built without them.
func Bundled() (f *File, raw []byte, ok bool, err error) {
	raw, err = weights.ReadFile("weights/model.json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	f, err = Parse(BundledName, raw)
	if err != nil {
		return nil, nil, false, err
	}
	return f, raw, true, nil
}
