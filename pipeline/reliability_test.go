package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"chorus/corpus"
	"chorus/models/redact"
	"chorus/pipeline/store"
)

// mustWrite writes files (name -> content) under dir.
func mustWrite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runErr runs cfg and returns its error, failing the test on a panic-free
// success it did not expect being impossible to tell apart.
func runErr(cfg Config) error {
	_, err := (&Runner{}).Run(context.Background(), cfg)
	return err
}

// Defect 1: an input folder emptied, unmounted or shrunk must not replace
// last night's reports with empty ones.
func TestShrunkInputRefusesToPublish(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	before := snapshot(t, cfg.Output)

	// Emptied: every file gone.
	for _, f := range []string{"a_2014.txt", "b_2015.txt", "c.jsonl", "bad"} {
		if err := os.RemoveAll(filepath.Join(in, f)); err != nil {
			t.Fatal(err)
		}
	}
	err := runErr(cfg)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "no input file was found") {
		t.Fatalf("run on an emptied folder: err = %v, want ErrRefused naming no input", err)
	}
	if snapshot(t, cfg.Output) != before {
		t.Fatal("a refused run changed the published reports")
	}

	// Shrunk below half: one of the three good files is back (2 of 7 comments).
	writeArchive(t, in)
	for _, f := range []string{"a_2014.txt", "c.jsonl"} {
		os.Remove(filepath.Join(in, f))
	}
	err = runErr(cfg)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "2 comments, under 50% of the 7") {
		t.Fatalf("run on a shrunk folder: err = %v, want ErrRefused with the counts", err)
	}
	if snapshot(t, cfg.Output) != before {
		t.Fatal("a refused run changed the published reports")
	}

	// --allow-shrink publishes it, and the refused runs are on record.
	cfg.AllowShrink = true
	if sum := run(t, cfg); sum.Comments != 2 {
		t.Fatalf("allowed run: %d comments, want 2", sum.Comments)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for _, r := range runs {
		statuses = append(statuses, r.Status)
	}
	if got := strings.Join(statuses, " "); got != "ok refused refused ok" {
		t.Errorf("run statuses %q", got)
	}

	// A first run that finds no file at all refuses too.
	cfg = testConfig(t, t.TempDir())
	if err := runErr(cfg); !errors.Is(err, ErrRefused) {
		t.Errorf("first run on an empty folder: err = %v, want ErrRefused", err)
	}
}

// Defect 2: a named pipe among the inputs, a symlink to one, or one in place
// of dates.tsv once blocked the run forever. It must finish, listing them.
func TestPipesAmongInputsDoNotBlock(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	mkfifo(t, filepath.Join(in, "pipe.txt"))
	if err := os.Symlink(filepath.Join(in, "pipe.txt"), filepath.Join(in, "link.txt")); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(in, "flat")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(sub, "dates.tsv"))
	mustWrite(t, sub, map[string]string{"page.txt": pageB})
	cfg := testConfig(t, in)
	done := make(chan Summary, 1)
	go func() { done <- run(t, cfg) }()
	select {
	case sum := <-done:
		if sum.FilesRead != 4 {
			t.Errorf("read %d files, want the 4 good ones", sum.FilesRead)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the run is blocked on a named pipe")
	}
	reasons := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(cfg.Output, "rejects.csv")) {
		reasons[filepath.Base(r["path"])] = r["reason"]
	}
	for _, f := range []string{"pipe.txt", "link.txt", "dates.tsv"} {
		if !strings.Contains(reasons[f], "named pipe") {
			t.Errorf("rejects.csv: %s reason %q, want it named a named pipe", f, reasons[f])
		}
	}
}

// A cancelled run (SIGTERM and SIGINT cancel the context) returns at once,
// publishes nothing and releases both locks.
func TestCancelReleasesLocks(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Runner{}).Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: err = %v", err)
	}
	if _, err := os.Stat(cfg.Output); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled run published %s", cfg.Output)
	}
	for _, l := range []string{cfg.DatabasePath(), outputLockPath(cfg.Output)} {
		unlock, err := store.Lock(l)
		if err != nil {
			t.Fatalf("lock %s after a cancelled run: %v", l, err)
		}
		unlock()
	}
}

// pii are the contact details planted below, outside comment text.
var pii = []string{"jo.bloggs@example.com", "al.smith@example.org", "07700 900987", "07700900987", "sam@example.net", "0113 496 0555", "kim@example.co.uk"}

// Defect 3: personal data outside comment text (file and folder names,
// titles, author elements, a rejected file's content, log lines) never
// reaches an output, the log or the database.
func TestPersonalDataOutsideText(t *testing.T) {
	in := t.TempDir()
	mustWrite(t, in, map[string]string{
		"notes-from-jo.bloggs@example.com.jsonl": `{"post_id": "p1", "post_date": "2016-02-01", "title": "Ask al.smith@example.org", "comment_id": "c1", "author": "Sam sam@example.net", "text": "Caseloads again."}` + "\n",
		"ring-07700900987/page.txt":              pageB,
		"bad/first-line.txt":                     "call 0113 496 0555 about this\nno structure here\n",
		"feed.xml": `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><id>tag:blogger.com,1999:blog-1.post-9</id><published>2016-05-01T10:00:00Z</published>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post"/>
<title>Written up by kim@example.co.uk</title><content type="html">A post.</content>
<author><name>Kim</name><email>kim@example.co.uk</email></author></entry></feed>`,
	})
	cfg := testConfig(t, in)
	var logs bytes.Buffer
	r := &Runner{Log: slog.New(redact.NewHandler(slog.NewTextHandler(&logs, nil), redact.New()))}
	if _, err := r.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	// The bare pipeline logger is redacted too: chorus's command wraps
	// its handler, and the pipeline itself hands redacted names to it.
	var raw bytes.Buffer
	cfg2 := cfg
	cfg2.Rehash = true
	if _, err := (&Runner{Log: slog.New(slog.NewTextHandler(&raw, nil))}).Run(context.Background(), cfg2); err != nil {
		t.Fatal(err)
	}
	check := func(where string, b []byte) {
		for _, s := range pii {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s carries %q", where, s)
			}
		}
	}
	check("the log", logs.Bytes())
	check("the unwrapped log", raw.Bytes())
	filepath.WalkDir(cfg.Output, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			check(p, b)
		}
		return nil
	})
	check("the database", dumpDB(t, cfg.DatabasePath()))
	// "notes-from-jo.bloggs@example.com.jsonl" reads as one address (a
	// local part may hold hyphens, a domain end in "jsonl"): the name keeps
	// its folder and a hash that tells it from other redacted names.
	if !strings.Contains(string(dumpDB(t, cfg.DatabasePath())), string(filepath.Separator)+"[email]~") {
		t.Error("the redacted file name is not in the database")
	}
}

// TestEffectiveConfigRedactsEveryString fills every string a config holds
// with an address and checks that the config the manifest records carries
// none: a setting added later (as the sentiment model's path once was)
// cannot be forgotten.
func TestEffectiveConfigRedactsEveryString(t *testing.T) {
	const addr = "jo@home.example.org"
	cfg := DefaultConfig()
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if v.CanSet() {
				v.SetString("/srv/" + addr + "/x")
				n++
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.String {
				v.Set(reflect.ValueOf([]string{"/srv/" + addr + "/in"}))
				n++
			}
			for i := range v.Len() {
				fill(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i))
				}
			}
		}
	}
	fill(reflect.ValueOf(&cfg).Elem())
	if n < 12 {
		t.Fatalf("filled %d strings; the config has more", n)
	}
	b, err := json.Marshal(cfg.effective(redact.New()))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(addr)) {
		t.Errorf("effective config carries %s: %s", addr, b)
	}
	if !bytes.Contains(b, []byte("[email]")) {
		t.Errorf("effective config shows no redaction: %s", b)
	}
	if !strings.Contains(cfg.SentimentModel, addr) || !strings.Contains(cfg.Events[0].Name, addr) {
		t.Error("effective changed the caller's config")
	}
}

// TestSummaryPathsRedacted checks that a report folder and database named
// after a person reach neither the printed summary nor the run record.
func TestSummaryPathsRedacted(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	cfg.Output = filepath.Join(t.TempDir(), "jo.bloggs@example.com", "out")
	sum := run(t, cfg)
	for _, s := range []string{sum.String(), sum.Out, sum.Database, string(dumpDB(t, cfg.DatabasePath()))} {
		if strings.Contains(s, "jo.bloggs@example.com") {
			t.Errorf("carries the address: %.300q", s)
		}
	}
}

// dumpDB returns every text value of every table of the database at path.
func dumpDB(t *testing.T, path string) []byte {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var out bytes.Buffer
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case string:
					out.WriteString(x + "\n")
				case []byte:
					out.Write(append(x, '\n'))
				}
			}
		}
		rows.Close()
	}
	return out.Bytes()
}

// Defect 6: a comment or title that starts like a spreadsheet formula is
// written as text in every CSV, and the store keeps it as written.
func TestCSVFormulaCellsNeutralised(t *testing.T) {
	in := t.TempDir()
	mustWrite(t, in, map[string]string{
		"f.jsonl": `{"post_id": "p", "post_date": "2016-02-01", "title": "=HYPERLINK(\"http://x.invalid\",\"click\")", "text": "=1+2 is what they pay us"}
{"post_id": "p", "text": "-5 caseloads a week"}
{"post_id": "p", "text": "@everyone read this"}
{"post_id": "p", "text": "+44 is not a formula here"}
`,
	})
	cfg := testConfig(t, in)
	run(t, cfg)
	texts := map[string]bool{}
	for _, c := range readCSV(t, filepath.Join(cfg.Output, "comments.csv")) {
		texts[c["text"]] = true
		if strings.HasPrefix(c["compound"], "'") {
			t.Errorf("a number was neutralised: %q", c["compound"])
		}
	}
	for _, want := range []string{"'=1+2 is what they pay us", "'-5 caseloads a week", "'@everyone read this", "'+44 is not a formula here"} {
		if !texts[want] {
			t.Errorf("comments.csv lacks the neutralised cell %q (has %v)", want, texts)
		}
	}
	posts := readCSV(t, filepath.Join(cfg.Output, "posts.csv"))
	if len(posts) != 1 || !strings.HasPrefix(posts[0]["title"], "'=HYPERLINK") {
		t.Errorf("posts.csv title = %q", posts[0]["title"])
	}
	if db := dumpDB(t, cfg.DatabasePath()); !bytes.Contains(db, []byte("\n=1+2 is what they pay us\n")) {
		t.Error("the store does not keep the true text")
	}
}

// Defect 7: a symbolic link that leads out of the input folder is not
// followed, and the reject names the rule, not the target's content.
func TestSymlinkOutOfInputNotFollowed(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.jsonl")
	mustWrite(t, outside, map[string]string{"secret.jsonl": `{"post_id": "s", "text": "SECRET-LINE-FROM-OUTSIDE"}` + "\n"})
	in := t.TempDir()
	writeArchive(t, in)
	if err := os.Symlink(secret, filepath.Join(in, "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(in, "c.jsonl"), filepath.Join(in, "inside.jsonl")); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, in)
	sum := run(t, cfg)
	if sum.FilesRead != 4 { // the three files and the link that stays inside
		t.Errorf("read %d files, want 4", sum.FilesRead)
	}
	reasons := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(cfg.Output, "rejects.csv")) {
		reasons[filepath.Base(r["path"])] = r["reason"]
	}
	if !strings.Contains(reasons["link.jsonl"], "leads out of the input folder") {
		t.Errorf("link.jsonl reason %q", reasons["link.jsonl"])
	}
	filepath.WalkDir(cfg.Output, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("SECRET-LINE")) {
				t.Errorf("%s carries the outside file's content", p)
			}
		}
		return nil
	})
	// The config switch allows it.
	cfg.FollowSymlinks = true
	if sum := run(t, cfg); sum.FilesRead != 1 {
		t.Errorf("with follow_symlinks: read %d files, want the link's 1", sum.FilesRead)
	}
}

// umask returns the process's file mode creation mask, found by creating
// a folder with mode 0777.
func umask(t *testing.T) fs.FileMode {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(p, 0o777); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}

// Defect 8: the published folder takes the umask's mode (it was 0700, so
// the researchers' group could not read it), or the configured one.
func TestPublishedFolderMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	want := 0o777 &^ umask(t)
	fi, err := os.Stat(cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("published folder mode %o, want %o (the umask's)", got, want)
	}
	cfg.OutputMode = "0750"
	cfg.Rehash = true
	run(t, cfg)
	filepath.WalkDir(cfg.Output, func(p string, d fs.DirEntry, err error) error {
		fi, _ := d.Info()
		want := fs.FileMode(0o750)
		if !d.IsDir() {
			want = 0o640
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
		return nil
	})
}

// Defect 9: a damaged database is found before publishing even when the
// report cache would spare the run from reading the damaged pages.
func TestDamagedDatabaseRefused(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	writeBigJSONL(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	before := snapshot(t, cfg.Output)
	// Damage the pages of the comments table only: an ordinary nightly
	// run, with the report cache valid and no file changed, reads none of
	// them, so only a check of the whole file finds it.
	damageCommentsPage(t, cfg.DatabasePath())
	err := runErr(cfg)
	if err == nil {
		t.Fatal("a run on a damaged database published")
	}
	if !errors.Is(err, ErrRefused) || !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "docs/database.md") {
		t.Errorf("run on a damaged database: err = %v, want a refusal that points at the recovery steps", err)
	}
	if snapshot(t, cfg.Output) != before {
		t.Fatal("a run on a damaged database changed the published reports")
	}
}

// writeBigJSONL adds 400 long comments to the archive in, enough for the
// comments table to span many pages.
func writeBigJSONL(t *testing.T, in string) {
	t.Helper()
	var big strings.Builder
	for i := range 400 {
		fmt.Fprintf(&big, `{"post_id": "p%d", "post_date": "2016-02-01", "text": "Comment %d: %s"}`+"\n", i%20, i, strings.Repeat("caseloads and targets again ", 20))
	}
	mustWrite(t, in, map[string]string{"big.jsonl": big.String()})
}

// damageCommentsPage overwrites one leaf page in the middle of the comments
// table of the database at path.
func damageCommentsPage(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var pageSize int64
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = 'comments' AND pagetype = 'leaf' ORDER BY pageno")
	if err != nil {
		t.Fatal(err)
	}
	var pages []int64
	for rows.Next() {
		var p int64
		rows.Scan(&p)
		pages = append(pages, p)
	}
	rows.Close()
	db.Close()
	if len(pages) < 10 {
		t.Fatalf("the comments table has %d leaf pages, want many", len(pages))
	}
	pages = pages[len(pages)/2 : len(pages)/2+1] // one page in the middle
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, int(pageSize)), (p-1)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
}

// The check schedule (db_check_days): a database exactly as the last
// checked run left it is not read whole again until the days run out; one
// changed since (damaged here, which changes its modification time) is
// checked and refused; and a check older than db_check_days is run again
// even over a file whose size and time look untouched.
func TestDatabaseCheckSchedule(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	writeBigJSONL(t, in)
	cfg := testConfig(t, in)
	cfg.DBCheckDays = 7
	db := cfg.DatabasePath()
	run(t, cfg)
	first, ok := store.ReadCheckStamp(db)
	if !ok || !first.Covers(db) {
		t.Fatalf("no stamp covering the database after a checked run: %+v, %v", first, ok)
	}
	run(t, cfg)
	second, ok := store.ReadCheckStamp(db)
	if !ok || !second.Covers(db) {
		t.Fatalf("no stamp covering the database after the second run: %+v, %v", second, ok)
	}
	if !second.Checked.Equal(first.Checked) {
		t.Errorf("the second run over an unchanged file checked it again (checked %v, then %v)", first.Checked, second.Checked)
	}

	t.Run("a changed file is checked", func(t *testing.T) {
		before := snapshot(t, cfg.Output)
		fi, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		damageCommentsPage(t, db)
		// The same size; make sure the time moved, as any write moves it
		// on a file system with a coarse clock too.
		if err := os.Chtimes(db, fi.ModTime().Add(time.Second), fi.ModTime().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := runErr(cfg); !errors.Is(err, store.ErrDamaged) {
			t.Fatalf("run on a database damaged since its check: %v, want ErrDamaged", err)
		}
		if _, ok := store.ReadCheckStamp(db); ok {
			t.Error("a failed check left its stamp")
		}
		if snapshot(t, cfg.Output) != before {
			t.Error("a run on a damaged database changed the published reports")
		}
	})

	t.Run("an old check is run again", func(t *testing.T) {
		// The damaged file, with a stamp that covers it but is 8 days old.
		if err := store.WriteCheckStamp(db, time.Now().Add(-8*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if st, ok := store.ReadCheckStamp(db); !ok || !st.Covers(db) {
			t.Fatal("the planted stamp does not cover the file")
		}
		if err := runErr(cfg); !errors.Is(err, store.ErrDamaged) {
			t.Fatalf("run with an 8-day-old check: %v, want ErrDamaged", err)
		}
	})
}

// Defect 10, smaller ones.
func TestSmallerDefects(t *testing.T) {
	t.Run("stale cache files are removed", func(t *testing.T) {
		in := t.TempDir()
		writeArchive(t, in)
		cfg := testConfig(t, in)
		db := cfg.DatabasePath()
		stale := []string{db + ".blocks.idx.tmp-12345", db + ".blocks.99", db + ".blocks.99.lean",
			db + ".report-cache", db + ".report-cache.tmp-1"}
		for _, p := range stale {
			mustWrite(t, filepath.Dir(p), map[string]string{filepath.Base(p): "left by a kill"})
		}
		run(t, cfg)
		for _, p := range stale {
			if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s is still there", p)
			}
		}
	})
	t.Run("two runs with one report folder", func(t *testing.T) {
		in := t.TempDir()
		writeArchive(t, in)
		cfg := testConfig(t, in)
		cfg.Database = filepath.Join(t.TempDir(), "other.db")
		unlock, err := store.Lock(outputLockPath(cfg.Output))
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		if err := runErr(cfg); !errors.Is(err, ErrLocked) {
			t.Errorf("run on a report folder in use: err = %v, want ErrLocked", err)
		}
	})
	t.Run("report folders that must not be replaced", func(t *testing.T) {
		for _, out := range []string{"/", ".", "..", "a/.."} {
			cfg := DefaultConfig()
			cfg.Output = out
			if err := cfg.Validate(); err == nil {
				t.Errorf("--out %q accepted", out)
			}
		}
		cfg := DefaultConfig()
		dir := t.TempDir()
		cfg.Output = dir
		cfg.Inputs = []string{filepath.Join(dir, "archive")}
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "inside the output folder") {
			t.Errorf("input inside the output: %v", err)
		}
		cfg.Inputs = nil
		cfg.Database = filepath.Join(dir, "x.db")
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "inside the output folder") {
			t.Errorf("database inside the output: %v", err)
		}
	})
	t.Run("a report folder inside the input folder is not read back", func(t *testing.T) {
		in := t.TempDir()
		writeArchive(t, in)
		cfg := testConfig(t, in)
		cfg.Output = filepath.Join(in, "reports")
		first := run(t, cfg)
		cfg.Rehash = true
		second := run(t, cfg)
		if second.Files != first.Files || second.FilesVanished != 0 {
			t.Errorf("second run saw %d files, the first %d", second.Files, first.Files)
		}
	})
	t.Run("bidi controls are stripped from the page", func(t *testing.T) {
		in := t.TempDir()
		mustWrite(t, in, map[string]string{"b.jsonl": `{"post_id": "p", "post_date": "2016-02-01", "title": "Title \u202eexe.txt", "text": "Shambles \u2066isolated\u2069 and \u202aembedded\u202c."}` + "\n"})
		cfg := testConfig(t, in)
		run(t, cfg)
		page, err := os.ReadFile(filepath.Join(cfg.Output, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []rune{'\u202a', '\u202c', '\u202e', '\u2066', '\u2069'} {
			if bytes.ContainsRune(page, r) {
				t.Errorf("index.html carries %U", r)
			}
		}
		if !bytes.Contains(page, []byte("Shambles isolated and embedded.")) {
			t.Error("the comment's text is not on the page")
		}
	})
}

// storeWith runs the read-and-store stage once with the source named
// victim's read replaced by read, as when a file is deleted or fails
// between the listing and the read (a sync tool replacing it, a network
// share's I/O error).
func storeWith(t *testing.T, cfg Config, victim string, read func() ([]byte, *corpus.Reject)) Summary {
	t.Helper()
	ctx := context.Background()
	red := redact.New()
	j, release, err := openJob(ctx, cfg, red, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	var sum Summary
	j.sum = &sum
	sources, rejects, err := listSources(j.cfg, j.red)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i := range sources {
		if name := sources[i].name; strings.HasSuffix(name, victim) {
			sources[i].stat, found = nil, true
			sources[i].read = func() ([]byte, *corpus.Reject) {
				b, rej := read()
				if rej != nil {
					rej.Path = name
				}
				return b, rej
			}
		}
	}
	if !found {
		t.Fatalf("no source named %s", victim)
	}
	docs, err := j.st.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := &storer{job: j, read: newReader(j.cfg, j.red, docs, time.Now()), analyse: newDocumentAnalyser(j.an, j.red, j.cfg.KeepRawText)}
	if err := s.Store(ctx, sources, rejects); err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestUnreachableFileKeepsItsComments checks that a file which vanishes or
// cannot be read between the listing and the read costs none of what it
// gave before: only a file refused for what it holds is quarantined and
// loses its comments. Gone, it is a vanished file (kept, left out of the
// reports); unreadable, its comments stay as they were, with a warning;
// either way the next run finds it unchanged and analyses nothing.
func TestUnreachableFileKeepsItsComments(t *testing.T) {
	for _, c := range []struct {
		name   string
		reason func(path string) *corpus.Reject
		vanish int
	}{
		{"gone", func(path string) *corpus.Reject {
			_, rej := corpus.ReadBytes(path+".not-there", 0)
			return rej
		}, 1},
		{"io error", func(path string) *corpus.Reject {
			return &corpus.Reject{Path: path, Reason: "read: input/output error", Unreadable: true}
		}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := t.TempDir()
			writeArchive(t, in)
			cfg := testConfig(t, in)
			first := run(t, cfg)
			victim := filepath.Join(in, "a_2014.txt")
			rej := c.reason(victim)
			if !rej.Unreadable {
				t.Fatalf("reject %+v is not marked unreadable", rej)
			}
			cfg.Rehash = true // read every file, as after any change
			sum := storeWith(t, cfg, "a_2014.txt", func() ([]byte, *corpus.Reject) { return nil, rej })
			if sum.FilesRejected != 0 || sum.FilesVanished != c.vanish {
				t.Errorf("rejected %d, vanished %d; want 0 and %d", sum.FilesRejected, sum.FilesVanished, c.vanish)
			}
			cfg.Rehash = false
			again := run(t, cfg)
			if again.Comments != first.Comments || again.Analysed != 0 || again.FilesRejected != 0 {
				t.Errorf("next run: %d comments (first run %d), %d analysed, %d rejected; want the first run's comments, none analysed or rejected",
					again.Comments, first.Comments, again.Analysed, again.FilesRejected)
			}
		})
	}
	// A file that is refused for what it is still loses its comments.
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	first := run(t, cfg)
	sum := storeWith(t, cfg, "a_2014.txt", func() ([]byte, *corpus.Reject) {
		return nil, &corpus.Reject{Path: "a_2014.txt", Reason: "file is larger than the limit of 10 bytes"}
	})
	if sum.FilesRejected != 1 {
		t.Errorf("a refused file: rejected %d, want 1", sum.FilesRejected)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	posts, err := st.Posts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range posts {
		n += p.CountedComments
	}
	if n >= first.Comments {
		t.Errorf("a refused file's comments are still stored: %d of %d", n, first.Comments)
	}
}

// TestReadOptionChangesReachTheReports checks that what changes a parse
// without changing a file's bytes makes the next run parse it again: a
// date added to or corrected in dates.tsv, and a raised max_comment_bytes
// (docs/operations.md tells researchers to do both), and that an unchanged
// option does not.
func TestReadOptionChangesReachTheReports(t *testing.T) {
	t.Run("dates.tsv", func(t *testing.T) {
		in := t.TempDir()
		sub := filepath.Join(in, "arch")
		mustWrite(t, sub, map[string]string{
			"undated.jsonl": `{"post_id": "a", "title": "T", "comment_id": "1", "text": "The rota is a mess again."}` + "\n",
		})
		cfg := testConfig(t, in)
		date := func() string {
			rows := readCSV(t, filepath.Join(cfg.Output, "posts.csv"))
			if len(rows) != 1 {
				t.Fatalf("posts.csv: %d rows", len(rows))
			}
			return rows[0]["post_date"]
		}
		run(t, cfg)
		if d := date(); d != "" {
			t.Fatalf("first run: date %q, want undated", d)
		}
		for _, want := range []string{"2016-02-03", "2017-05-06"} { // added, then corrected
			if err := os.WriteFile(filepath.Join(sub, "dates.tsv"), []byte("undated.jsonl\t"+want+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if s := run(t, cfg); s.FilesRead != 1 {
				t.Errorf("dates.tsv says %s: %d files read, want 1", want, s.FilesRead)
			}
			if d := date(); d != want {
				t.Errorf("dates.tsv says %s: date %q", want, d)
			}
		}
		if s := run(t, cfg); s.FilesRead != 0 || date() != "2017-05-06" {
			t.Errorf("dates.tsv unchanged: %d files read, date %q; want 0 and 2017-05-06", s.FilesRead, date())
		}
	})
	t.Run("max_comment_bytes", func(t *testing.T) {
		in := t.TempDir()
		long := strings.Repeat("The caseload keeps rising and nobody listens. ", 60)
		mustWrite(t, filepath.Join(in, "a"), map[string]string{
			"c.jsonl": `{"post_id": "p", "post_date": "2016-02-01", "title": "T", "comment_id": "1", "text": "Short one."}` + "\n" +
				`{"post_id": "p", "comment_id": "2", "text": "` + long + `"}` + "\n",
		})
		cfg := testConfig(t, in)
		cfg.MaxCommentBytes = 1024
		if s := run(t, cfg); s.Comments != 1 {
			t.Fatalf("1 KiB limit: %d comments counted, want 1", s.Comments)
		}
		cfg.MaxCommentBytes = 1 << 20
		if s := run(t, cfg); s.Comments != 2 {
			t.Errorf("limit raised to 1 MiB: %d comments counted, want 2", s.Comments)
		}
		if s := run(t, cfg); s.FilesRead != 0 || s.Comments != 2 {
			t.Errorf("limit unchanged: %d files read, %d comments; want 0 and 2", s.FilesRead, s.Comments)
		}
	})
}
