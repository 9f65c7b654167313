package corpus

import "chorus/internal/analysis"

// markDuplicates sets DuplicateOf on every comment of p whose normalised
// text (NormalizeText) equals that of an earlier comment of the same post,
// and returns how many it marked. keys[i] is NormalizeText of comment i's
// text when the text readers found it while reading (nil: work them out).
//
// Real dumps repeat comments (a page saved twice, a comment quoted whole in
// a reply, the flattened layout's repeated paragraphs). Counting each copy
// would weight one writer twice, so copies are kept for the record but left
// out of every aggregate (Comment.Counted). Only comments with text take
// part; deleted ones have none to compare. Duplicates are not flagged as
// problems of the file: they are ordinary in the data, and posts.csv counts
// them per post.
func markDuplicates(p *Post, keys []string) int {
	if len(keys) != len(p.Comments) {
		keys = nil
	}
	n := 0
	seen := make(map[string]string, len(p.Comments))
	for i := range p.Comments {
		c := &p.Comments[i]
		if !analysis.Published(c.Status) {
			continue
		}
		var key string
		if keys != nil {
			key = keys[i]
		} else {
			key = NormalizeText(c.Text)
		}
		if key == "" {
			continue
		}
		if first, ok := seen[key]; ok {
			c.DuplicateOf = first
			n++
			continue
		}
		seen[key] = c.ID
	}
	return n
}
