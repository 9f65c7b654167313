package pipeline

import (
	"slices"
	"testing"

	"chorus/pipeline/store"
)

// TestCutPosts: the runs cover every post once, in order, at most one per
// worker, and split the comments about evenly.
func TestCutPosts(t *testing.T) {
	posts := func(found ...int) []store.PostRow {
		ps := make([]store.PostRow, len(found))
		for i, n := range found {
			ps[i].FoundComments = n
		}
		return ps
	}
	for _, c := range []struct {
		name    string
		posts   []store.PostRow
		workers int
		want    []int
	}{
		{"one worker", posts(5, 5, 5, 5), 1, []int{0, 4}},
		{"even", posts(5, 5, 5, 5), 2, []int{0, 2, 4}},
		{"a big first post", posts(30, 5, 5, 5, 5), 2, []int{0, 1, 5}},
		{"more workers than posts", posts(3, 3), 8, []int{0, 1, 2}},
		{"no comments", posts(0, 0, 0), 2, []int{0, 3}},
		{"zero workers", posts(1, 1), 0, []int{0, 2}},
	} {
		if got := cutPosts(c.posts, c.workers); !slices.Equal(got, c.want) {
			t.Errorf("%s: cuts %v, want %v", c.name, got, c.want)
		}
	}
}
