package label

import (
	"context"
	"fmt"
	"os"
	"regexp"

	"chorus/pipeline/store"
)

// coderRE is what a coder's name may be: it is shown in pages and
// printed in reports, so nothing that needs quoting.
var coderRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// ValidCoder checks a coder's name: 1 to 40 letters, digits, '.', '_' or
// '-', starting with a letter or digit.
func ValidCoder(name string) error {
	if !coderRE.MatchString(name) {
		return fmt.Errorf("coder %q: want 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// OpenStore opens an existing chorus database. Unlike store.Open it does
// not create a missing file: labelling a database that a typo in --db
// conjured up empty would sample nothing and hide the mistake.
//
// The labelling commands do not take the run lock: they write only the
// labels and label_sample tables, which a run never touches, and SQLite
// serialises their short transactions with a run's.
func OpenStore(ctx context.Context, path string) (*store.Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w (run chorus run first, or give --db)", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open database %s: not a regular file", path)
	}
	return store.Open(ctx, path)
}
