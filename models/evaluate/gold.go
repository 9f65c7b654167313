package evaluate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// SentimentItem is one hand-labelled comment: its text, the annotators'
// majority label and their mean valence.
type SentimentItem struct {
	Text        string   `json:"text"`
	Label       string   `json:"label"`
	MeanValence *float64 `json:"mean_valence"`
	// PostID and SourceFile, when present, group items for
	// cross-validation (see PostGroups).
	PostID     string `json:"post_id"`
	SourceFile string `json:"source_file"`
}

// ParseSentimentGold parses hand labels read from path (named in errors):
// JSON Lines with text, label (negative | neutral | positive) and
// mean_valence; other fields are ignored. Errors name the file and line.
// The caller reads the file (cmd/chorus, through internal/fsread).
func ParseSentimentGold(path string, data []byte) ([]SentimentItem, error) {
	var out []SentimentItem
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var g SentimentItem
		if err := json.Unmarshal(line, &g); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		switch g.Label {
		case "negative", "neutral", "positive":
		default:
			return nil, fmt.Errorf("%s:%d: label %q is not negative, neutral or positive", path, n, g.Label)
		}
		if g.MeanValence == nil {
			return nil, fmt.Errorf("%s:%d: mean_valence is missing", path, n)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gold %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no labelled items", path)
	}
	return out, nil
}

// ParseGroundTruth parses a VADER ICWSM-2014 ground-truth file read from
// path (named in errors): "id<TAB>mean human valence<TAB>text" a line, CRLF
// or LF line ends.
func ParseGroundTruth(path string, data []byte) (valence []float64, texts []string, err error) {
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			return nil, nil, fmt.Errorf("%s:%d: want id<TAB>valence<TAB>text", path, n+1)
		}
		v, err := strconv.ParseFloat(parts[1], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: valence %q: %w", path, n+1, parts[1], err)
		}
		valence = append(valence, v)
		texts = append(texts, parts[2])
	}
	return valence, texts, nil
}
