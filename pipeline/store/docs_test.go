package store

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDatabaseDocQueriesRun runs every SQL example of docs/database.md on a
// populated store, so the documentation cannot drift from the schema, and
// checks that every table and column of the schema is documented.
func TestDatabaseDocQueriesRun(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "database.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	ctx := context.Background()
	s, _ := openTemp(t)
	d := makeDoc("a.txt", 3, 10, "v1")
	d.Posts[0].Date = "2014-05-02"
	if _, err := s.ReplaceDocument(ctx, d, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginRun(ctx); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"KEY_BEFORE", "KEY_AFTER"} {
		if err := s.DescribeKey(ctx, k, "", "test"); err != nil {
			t.Fatal(err)
		}
		analyseAll(t, s, k)
	}
	c := d.Posts[0].Comments[0]
	if _, _, err := s.SaveLabels(ctx, []Label{
		{Coder: "ann", CommentID: c.ID, TextHash: TextHash(c.Text), Text: c.Text, Valence: -1},
		{Coder: "bo", CommentID: c.ID, TextHash: TextHash(c.Text), Text: c.Text, Valence: 0, Topics: []string{"workload"}},
	}); err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(doc, -1)
	if len(blocks) < 6 {
		t.Fatalf("found %d sql examples, want at least 6", len(blocks))
	}
	for _, m := range blocks {
		rows, err := s.db.QueryContext(ctx, m[1])
		if err != nil {
			t.Errorf("example fails: %v\n%s", err, m[1])
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			t.Errorf("example fails: %v\n%s", err, m[1])
		}
		rows.Close()
		if n == 0 && !strings.Contains(m[1], "declared_comments") && !strings.Contains(m[1], "status != 'ok'") {
			t.Errorf("example returns nothing on a populated store:\n%s", m[1])
		}
	}
	if !strings.Contains(doc, "Schema version: "+strconv.Itoa(SchemaVersion)+"**") {
		t.Errorf("docs/database.md does not state schema version %d", SchemaVersion)
	}
	tables, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	for _, table := range names {
		if !strings.Contains(doc, "### "+table) {
			t.Errorf("table %s is not documented", table)
			continue
		}
		if table == "current_comments" {
			continue
		}
		cols, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		section := doc[strings.Index(doc, "### "+table):]
		if i := strings.Index(section[4:], "\n### "); i >= 0 {
			section = section[:i+4]
		}
		for cols.Next() {
			var c string
			cols.Scan(&c)
			if !strings.Contains(section, "| "+c+" |") && !strings.Contains(section, "| "+c+",") && !strings.Contains(section, ", "+c+" |") && !strings.Contains(section, ", "+c+",") {
				t.Errorf("column %s.%s is not documented", table, c)
			}
		}
		cols.Close()
	}
}
