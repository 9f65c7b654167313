package evaluate

import (
	"strings"
	"testing"
)

func TestParseSentimentGold(t *testing.T) {
	good := `{"text": "Well said.", "label": "positive", "mean_valence": 1.333, "topics": []}

{"text": "What a shambles.", "label": "negative", "mean_valence": -1.0}
`
	items, err := ParseSentimentGold("gold", []byte(good))
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
		if _, err := ParseSentimentGold("gold", []byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSentimentGold(%q) err = %v, want %q", body, err, want)
		}
	}
}

func TestParseGroundTruth(t *testing.T) {
	v, texts, err := ParseGroundTruth("truth", []byte("1\t2.5\tGreat day.\r\n2\t-1\tNot good\tat all\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 2 || v[0] != 2.5 || texts[1] != "Not good\tat all" {
		t.Errorf("got %v %q", v, texts)
	}
	if _, _, err := ParseGroundTruth("truth", []byte("1\tx\ttext\n")); err == nil || !strings.Contains(err.Error(), ":1: valence") {
		t.Errorf("bad valence: %v", err)
	}
}
