package learned

import (
	"chorus/models/evaluate"
)

// Examples turns hand labels into training examples grouped by post: by
// post_id when every item has one, else by source_file. It returns the
// field used. Items without either are an error: grouped cross-validation
// cannot keep a post's comments together without knowing the post.
func Examples(items []evaluate.SentimentItem) ([]Example, string, error) {
	groups, field, err := evaluate.PostGroups(len(items),
		func(i int) string { return items[i].PostID }, func(i int) string { return items[i].SourceFile })
	if err != nil {
		return nil, "", err
	}
	out := make([]Example, len(items))
	for i, it := range items {
		out[i] = Example{Text: it.Text, Label: it.Label, Valence: *it.MeanValence, Group: groups[i]}
	}
	return out, field, nil
}
