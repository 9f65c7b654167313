//go:build !linux && !darwin

package pipeline

import "errors"

// exchange has no atomic folder swap to call on this system: publish falls
// back to renaming the old folder aside and the new one in.
func exchange(a, b string) error {
	return errors.New("no atomic folder exchange on this system")
}
