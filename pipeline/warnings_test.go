package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWarningsReachOutputs: a Latin-1 file, a JSON Lines line with a wrong
// key, one with a fractional post_id and a date written the British way each
// appear in warnings.csv, the manifest's counts and the page, on the run
// that read them and on later runs that do not read them again; and
// --encoding reads a stored file again.
func TestWarningsReachOutputs(t *testing.T) {
	in := t.TempDir()
	mustWrite(t, in, map[string]string{
		"latin1.jsonl": "{\"post_id\": \"p\", \"post_date\": \"2016-02-01\", \"text\": \"Caf\xe9 talk about caseloads.\"}\n",
		"keys.jsonl": `{"post_id": "q", "post_date": "2016-03-01", "text": "A good line."}
{"post_id": "q", "body": "The text under the wrong key."}
{"post_id": 7.5, "text": "A fractional post id."}
{"post_id": "r", "post_date": "15/06/2015", "text": "A British date."}
`,
	})
	cfg := testConfig(t, in)
	check := func(step string) {
		t.Helper()
		rows := readCSV(t, filepath.Join(cfg.Output, "warnings.csv"))
		found := map[string]map[string]string{}
		for _, r := range rows {
			found[r["kind"]+" "+filepath.Base(r["file"])+":"+r["line"]] = r
		}
		for key, problem := range map[string]string{
			"encoding latin1.jsonl:":    "not valid UTF-8",
			"dropped_line keys.jsonl:2": `text is missing (the line has the unknown key "body")`,
			"dropped_line keys.jsonl:3": "post_id is the JSON number 7.5, not a string or an integer",
			"date keys.jsonl:4":         `post_date "15/06/2015" is not YYYY-MM-DD`,
		} {
			r := found[key]
			if r == nil || !strings.Contains(r["problem"], problem) || r["action"] == "" {
				t.Errorf("%s: warnings.csv lacks %s %q (has %v)", step, key, problem, rows)
			}
		}
		var m struct {
			Counts       map[string]int `json:"counts"`
			ReportCounts struct {
				BadDates int `json:"bad_dates"`
			} `json:"report_counts"`
			Inputs []struct {
				Path     string `json:"path"`
				Warnings int    `json:"warnings"`
			} `json:"inputs"`
		}
		data, err := os.ReadFile(filepath.Join(cfg.Output, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Counts["warnings_encoding"] != 1 || m.Counts["warnings_dropped_line"] != 2 || m.Counts["warnings_date"] != 1 ||
			m.ReportCounts.BadDates != 1 || m.Counts["comments_published"] != 3 {
			t.Errorf("%s: manifest counts %v, bad_dates %d", step, m.Counts, m.ReportCounts.BadDates)
		}
		per := map[string]int{}
		for _, f := range m.Inputs {
			per[filepath.Base(f.Path)] = f.Warnings
		}
		if per["latin1.jsonl"] != 1 || per["keys.jsonl"] != 3 {
			t.Errorf("%s: per-input warnings %v", step, per)
		}
		page, _ := os.ReadFile(filepath.Join(cfg.Output, "index.html"))
		if !strings.Contains(string(page), `id="quality"`) || !strings.Contains(string(page), "dropped_line 2") {
			t.Errorf("%s: the page's data quality box does not count the warnings", step)
		}
	}
	run(t, cfg)
	check("first run")
	if sum := run(t, cfg); sum.FilesRead != 0 {
		t.Fatalf("the second run read %d files", sum.FilesRead)
	}
	check("second run")

	// --encoding reads the stored files again, under the new reading.
	cfg.Encoding = "latin1"
	if sum := run(t, cfg); sum.FilesRead != 2 {
		t.Errorf("a new encoding read %d files again, want 2", sum.FilesRead)
	}
	for _, c := range readCSV(t, filepath.Join(cfg.Output, "comments.csv")) {
		if strings.HasPrefix(c["text"], "Caf") && c["text"] != "Café talk about caseloads." {
			t.Errorf("latin1: text %q", c["text"])
		}
	}
}
