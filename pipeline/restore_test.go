package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoredEditedFileUnderNewModels: a file that is away while the
// models change, and comes back with one comment edited, is read and
// stored again; the comment the edit left alone keeps its stored row, and
// must still be analysed under the new models, so the reports are those of
// a fresh database over the same files (not a row with no sentiment).
func TestRestoredEditedFileUnderNewModels(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	c := filepath.Join(in, "c.jsonl")
	if err := os.Remove(c); err != nil {
		t.Fatal(err)
	}
	next := cfg
	next.Model = "lexicon" // a new analysis key
	next.AllowShrink = true
	run(t, next) // analyses what is there under the new key
	run(t, next) // the next night finds nothing pending: the mark goes to the top
	edited := strings.Replace(jsonlC, "for the branch meeting details", "for the details of the branch meeting", 1)
	if edited == jsonlC {
		t.Fatal("the edit changed nothing")
	}
	mustWrite(t, in, map[string]string{"c.jsonl": edited})
	sum := run(t, next)
	if sum.New+sum.Updated+sum.Unchanged == 0 {
		t.Fatalf("the restored file was not read again: %+v", sum)
	}
	sameAsFresh(t, next, "after a file came back edited under new models")
}
