package evaluate

import (
	"errors"
	"fmt"
	"slices"
)

// PostGroups gives n hand-labelled items their cross-validation groups by
// the one rule every model's training uses: by post_id when every item has
// one, else by source_file (a post's file), and returns the field used. An
// item with neither is an error: without it, folds could split a post.
// post and file give item i's two fields.
func PostGroups(n int, post, file func(i int) string) ([]string, string, error) {
	field, noPost := "post_id", 0
	for i := range n {
		if post(i) == "" {
			field, noPost = "source_file", i+1
			break
		}
	}
	out := make([]string, n)
	for i := range n {
		out[i] = post(i)
		if field == "source_file" {
			out[i] = file(i)
		}
		if out[i] == "" {
			return nil, "", fmt.Errorf("item %d has no post_id, and item %d no source_file: grouped cross-validation needs one of them on every item", noPost, i+1)
		}
	}
	return out, field, nil
}

// GroupFolds deals items into cross-validation folds so that the items of
// one group (one post) never fall in two folds: a model is never tested on
// a comment whose thread-mates it was trained on, which would flatter it
// (replies echo the words and the mood of the comments they answer).
//
// Groups are taken in sorted order. With at most maxFolds groups every
// group is a fold (leave-one-group-out); otherwise each group in turn goes
// to the fold with the fewest items so far (ties to the lower fold), which
// is deterministic and keeps folds of similar size. It returns each item's
// fold and the number of folds.
func GroupFolds(groups []string, maxFolds int) ([]int, int, error) {
	if maxFolds < 2 {
		return nil, 0, fmt.Errorf("group folds: max folds %d, want at least 2", maxFolds)
	}
	size := map[string]int{}
	for _, g := range groups {
		size[g]++
	}
	names := make([]string, 0, len(size))
	for g := range size {
		names = append(names, g)
	}
	slices.Sort(names)
	if len(names) < 2 {
		return nil, 0, errors.New("grouped cross-validation needs items from at least two groups (posts)")
	}
	k := min(len(names), maxFolds)
	foldOf := make(map[string]int, len(names))
	if len(names) <= maxFolds {
		for i, g := range names {
			foldOf[g] = i
		}
	} else {
		load := make([]int, k)
		for _, g := range names {
			best := 0
			for f := 1; f < k; f++ {
				if load[f] < load[best] {
					best = f
				}
			}
			foldOf[g] = best
			load[best] += size[g]
		}
	}
	fold := make([]int, len(groups))
	for i, g := range groups {
		fold[i] = foldOf[g]
	}
	return fold, k, nil
}

// CountGroups is the number of distinct groups.
func CountGroups(groups []string) int {
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g] = true
	}
	return len(seen)
}
