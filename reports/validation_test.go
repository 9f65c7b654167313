package reports

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidationSection: the figures reach the page escaped and the
// manifest valid, an undefined figure (NaN) as "–" and null, and an error
// replaces the figures with one sentence.
func TestValidationSection(t *testing.T) {
	const markup = `<img src=x onerror=alert(1)>`
	nan := Figure{math.NaN(), math.NaN(), math.NaN()}
	in := smallInput()
	in.Validation = Validation{Labels: 70, Units: 40, Posts: 5, Coders: []string{"ann", markup}, MinUnits: 30, MinPosts: 2,
		Agreement: &AgreementFigures{Units: 30, Codings: 60, Coders: 2, Tagged: 3,
			Pairs:   []PairFigures{{A: "ann", B: markup, N: 30, Percent: Figure{0.8, 0.7, 0.9}, Kappa: nan}},
			Nominal: Figure{0.61234, 0.4, 0.75}, Interval: Figure{-0.05, -0.3, 0.2},
			Topics: []TopicFigures{{Topic: markup, Tagged: 3, F1: Figure{0.5, 0, 1}}, {Topic: "quiet", Tagged: 0, F1: nan}}, TopicMicroF1: Figure{0.5, 0, 1}},
		CV: &CVFigures{N: 40, Posts: 5, Folds: 5, Grouping: "post_id", MacroF1: Figure{0.55, 0.4, 0.7}, Spearman: nan,
			Accuracy: Figure{0.6, 0.45, 0.75}, Majority: Figure{0.4, 0.25, 0.55}, Gain: Figure{0.2, 0.05, 0.35},
			Recall: []ClassFigure{{Class: "negative", Support: 13, Recall: Figure{0.5, 0.2, 0.8}}}}}
	dir := writeTo(t, in)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if strings.Contains(html, "<img src=x") {
		t.Error("a coder or topic name arrives as markup")
	}
	for _, want := range []string{"&lt;img src=x", "0.612 [0.400, 0.750]", "-0.050 [-0.300, 0.200]", "– [–, –]", "0.550 [0.400, 0.700]",
		"this archive's 40 hand-labelled comments (folds by post)", "60 labels by 2 coders on the 30 units", "recall negative (n=13)"} {
		if !strings.Contains(html, want) {
			t.Errorf("the validation section lacks %q", want)
		}
	}
	if strings.Contains(html, "topic quiet") {
		t.Error("a topic nobody ticked has a row")
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Validation struct {
			Agreement struct {
				Pairs []struct {
					Kappa map[string]*float64 `json:"kappa"`
				} `json:"pairs"`
				Nominal map[string]*float64 `json:"alpha_nominal"`
			} `json:"agreement"`
			CV struct {
				Spearman map[string]*float64 `json:"spearman"`
			} `json:"cross_validation"`
			MinUnits int `json:"cv_min_units"`
		} `json:"validation"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json with NaN figures: %v", err)
	}
	v := m.Validation
	if len(v.Agreement.Pairs) != 1 || v.Agreement.Pairs[0].Kappa["value"] != nil || v.CV.Spearman["low"] != nil {
		t.Errorf("undefined figures are not null: %+v", v)
	}
	if p := v.Agreement.Nominal["value"]; p == nil || *p != 0.61234 || v.MinUnits != 30 {
		t.Errorf("alpha nominal %v, minimum %d: want 0.61234 and 30", p, v.MinUnits)
	}

	in = smallInput()
	in.Validation = Validation{Labels: 3, Error: "gold: coder ann labelled unit " + markup + " twice"}
	page, err = os.ReadFile(filepath.Join(writeTo(t, in), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html = string(page)
	if !strings.Contains(html, "could not be computed") || !strings.Contains(html, "unit &lt;img") || strings.Contains(html, "Agreement between coders") {
		t.Error("an error does not replace the figures with one escaped sentence")
	}
}
