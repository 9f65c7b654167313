package synth_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"chorus/corpus/synth"
)

// Generate a small archive of Blogger page text with the usual bad files.
func Example() {
	dir, err := os.MkdirTemp("", "synth-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	opts := synth.DefaultOptions()
	opts.Comments = 1000
	opts.Seed = 42
	opts.Out = filepath.Join(dir, "archive")
	st, err := synth.Generate(context.Background(), opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d comments in %d posts; %d files, %d of them bad\n", st.Comments, st.Posts, st.Files, st.BadFiles)
	// Output:
	// 1000 comments in 27 posts; 32 files, 5 of them bad
}
