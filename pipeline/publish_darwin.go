package pipeline

import "golang.org/x/sys/unix"

// exchange swaps the folders a and b in one atomic step (APFS supports it;
// HFS+ does not, and publish then falls back to two renames).
func exchange(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}
