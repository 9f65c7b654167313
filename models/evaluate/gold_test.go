package evaluate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gold")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadSentimentGold(t *testing.T) {
	good := `{"text": "Well said.", "label": "positive", "mean_valence": 1.333, "topics": []}

{"text": "What a shambles.", "label": "negative", "mean_valence": -1.0}
`
	items, err := ReadSentimentGold(write(t, good))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Label != "positive" || *items[1].MeanValence != -1 {
		t.Errorf("items = %+v", items)
	}
	bad := map[string]string{
		`{"text": "x", "label": "angry", "mean_valence": 0}`:                    ":1: label \"angry\"",
		`{"text": "x", "label": "neutral"}`:                                     ":1: mean_valence is missing",
		"{\"text\": \"x\", \"label\": \"neutral\", \"mean_valence\": 0}\n{oops": ":2:",
		"": "no labelled items",
	}
	for body, want := range bad {
		if _, err := ReadSentimentGold(write(t, body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadSentimentGold(%q) err = %v, want %q", body, err, want)
		}
	}
}

func TestReadGroundTruth(t *testing.T) {
	v, texts, err := ReadGroundTruth(write(t, "1\t2.5\tGreat day.\r\n2\t-1\tNot good\tat all\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 2 || v[0] != 2.5 || texts[1] != "Not good\tat all" {
		t.Errorf("got %v %q", v, texts)
	}
	if _, _, err := ReadGroundTruth(write(t, "1\tx\ttext\n")); err == nil || !strings.Contains(err.Error(), ":1: valence") {
		t.Errorf("bad valence: %v", err)
	}
}
