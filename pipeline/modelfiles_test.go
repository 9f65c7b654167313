package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The model files an operator names are read here and parsed by the
// models: a missing file and a malformed line each give an error naming the
// file (and the line), and "" asks for no lexicon.
func TestModelFilesNameTheFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	if _, err := ReadTaxonomy(missing); err == nil || !strings.Contains(err.Error(), "read taxonomy "+missing) {
		t.Errorf("missing taxonomy: %v", err)
	}
	if _, err := ReadLexicon(missing); err == nil || !strings.Contains(err.Error(), "read lexicon "+missing) {
		t.Errorf("missing lexicon: %v", err)
	}
	if _, err := readThresholds(missing); err == nil || !strings.Contains(err.Error(), "read thresholds "+missing) {
		t.Errorf("missing thresholds: %v", err)
	}
	if m, err := ReadLexicon(""); m != nil || err != nil {
		t.Errorf(`ReadLexicon("") = %v, %v; want none`, m, err)
	}

	lex := filepath.Join(dir, "mine.tsv")
	if err := os.WriteFile(lex, []byte("rota\t-1\tgrievance\nbroken line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLexicon(lex); err == nil || !strings.Contains(err.Error(), lex) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("malformed lexicon: %v", err)
	}
	th := filepath.Join(dir, "th.toml")
	if err := os.WriteFile(th, []byte("negative = -0.1\npositive = 0.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := readThresholds(th); err != nil || got.Negative != -0.1 || got.Positive != 0.3 {
		t.Errorf("thresholds: %+v, %v", got, err)
	}
}
