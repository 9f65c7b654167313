package pipeline

import (
	"database/sql"
	"reflect"
	"testing"
)

// TestRunKeepsRecentAnalysisKeys: after runs under three models with
// keep_analyses = 2, the store holds the analyses of the last two only, and
// going back to the second model analyses nothing again.
func TestRunKeepsRecentAnalysisKeys(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	cfg.KeepAnalyses = 2
	for _, m := range []string{"vader", "lexicon", "domain"} {
		cfg.Model = m
		run(t, cfg)
	}
	db, err := sql.Open("sqlite", "file:"+cfg.DatabasePath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT k.description LIKE '%vader%', count(a.comment_seq) > 0 FROM analysis_keys k
		LEFT JOIN analyses a ON a.analysis_key = k.analysis_key GROUP BY k.analysis_key ORDER BY k.last_used`)
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]bool
	for rows.Next() {
		var v [2]bool
		if err := rows.Scan(&v[0], &v[1]); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	rows.Close()
	if want := [][2]bool{{false, true}, {false, true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys (is vader, has analyses) by last use: %v, want two non-vader keys with analyses", got)
	}
	var orphans int
	if err := db.QueryRow(`SELECT count(*) FROM analyses WHERE analysis_key NOT IN (SELECT analysis_key FROM analysis_keys)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d analyses without a key (%v)", orphans, err)
	}
	cfg.Model = "lexicon"
	if sum := run(t, cfg); sum.Analysed != 0 {
		t.Errorf("back to a kept model: %d comments analysed again, want 0", sum.Analysed)
	}
}
