package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestPruneAnalyses: the current key and the keep-1 keys used most recently
// keep their analyses; the others lose their analyses and their key row,
// even when the current key is the oldest; keep 0 deletes nothing; a
// cancelled prune changes nothing.
func TestPruneAnalyses(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.ReplaceDocument(ctx, makeDoc("a.jsonl", 2, 3, "v1"), false, nil); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	for _, k := range []string{"current", "k1", "k2", "k3"} { // used in this order
		clock = clock.Add(time.Minute)
		if err := s.DescribeKey(ctx, k, "", "test"); err != nil {
			t.Fatal(err)
		}
		analyseAll(t, s, k)
	}
	rowsOf := func() map[string]int {
		out := map[string]int{}
		rows, err := s.db.QueryContext(ctx, `SELECT k.analysis_key, count(a.comment_seq) FROM analysis_keys k
			LEFT JOIN analyses a ON a.analysis_key = k.analysis_key GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			out[k] = n
		}
		return out
	}
	before := rowsOf()
	if len(before) != 4 || before["k1"] != 6 {
		t.Fatalf("set-up: analyses per key %v", before)
	}
	if dropped, err := s.PruneAnalyses(ctx, "current", 0); err != nil || len(dropped) != 0 || !reflect.DeepEqual(rowsOf(), before) {
		t.Errorf("keep 0 deleted %v (%v)", dropped, err)
	}
	dropped, err := s.PruneAnalyses(ctx, "current", 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"k2", "k1"}; !reflect.DeepEqual(dropped, want) {
		t.Errorf("dropped %v, want %v (all but current and the most recent other, k3)", dropped, want)
	}
	if got, want := rowsOf(), map[string]int{"current": 6, "k3": 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("after pruning: analyses per key %v, want %v", got, want)
	}
	var orphans int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM analyses WHERE analysis_key NOT IN (SELECT analysis_key FROM analysis_keys)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d analyses left without a key (%v)", orphans, err)
	}
	// The current key is still complete: nothing is pending under it.
	if n, err := s.CountPending(ctx, "current"); err != nil || n != 0 {
		t.Errorf("CountPending(current) = %d, %v after pruning", n, err)
	}

	// A prune cancelled before it starts fails and changes nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	kept := rowsOf()
	if _, err := s.PruneAnalyses(cctx, "current", 1); err == nil {
		t.Error("a cancelled prune reported no error")
	}
	if got := rowsOf(); !reflect.DeepEqual(got, kept) {
		t.Errorf("a cancelled prune changed the analyses: %v, want %v", got, kept)
	}
}
