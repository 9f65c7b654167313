package corpus_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chorus/corpus"
	"chorus/corpus/synth"
)

// BenchmarkParseArchive runs corpus.Parse, as `chorus run` does, over every
// file of a generated archive of Blogger page text (10,000 comments, one
// post a file, bad files included): sniffing, reading, duplicate marking
// and hashing together, on files of the sizes a real archive has.
func BenchmarkParseArchive(b *testing.B) {
	out := filepath.Join(b.TempDir(), "arch")
	opts := synth.DefaultOptions()
	opts.Comments = 10000
	opts.Seed = 1
	opts.Out = out
	if _, err := synth.Generate(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	type file struct {
		name string
		data []byte
	}
	var files []file
	total := 0
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, file{filepath.Base(p), data})
		total += len(data)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			corpus.Parse(f.name, f.data, corpus.Options{})
		}
	}
}
