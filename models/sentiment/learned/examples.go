package learned

import (
	"fmt"

	"chorus/models/evaluate"
)

// Examples turns hand labels into training examples grouped by post: by
// post_id when every item has one, else by source_file. It returns the
// field used. Items without either are an error: grouped cross-validation
// cannot keep a post's comments together without knowing the post.
func Examples(items []evaluate.SentimentItem) ([]Example, string, error) {
	field := "post_id"
	for _, it := range items {
		if it.PostID == "" {
			field = "source_file"
			break
		}
	}
	out := make([]Example, len(items))
	for i, it := range items {
		g := it.PostID
		if field == "source_file" {
			g = it.SourceFile
		}
		if g == "" {
			return nil, "", fmt.Errorf("item %d has neither post_id nor source_file: grouped cross-validation needs one", i+1)
		}
		out[i] = Example{Text: it.Text, Label: it.Label, Valence: *it.MeanValence, Group: g}
	}
	return out, field, nil
}
