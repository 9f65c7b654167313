package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chorus/corpus/synth"
	"chorus/pipeline/store"
)

// nightly runs cfg and returns how many posts' rows were taken from the
// block cache.
func nightly(t *testing.T, cfg Config) int {
	t.Helper()
	n, _ := copied(t, cfg)
	return n
}

// genArchive generates an archive of n comments from seed into dir/gen.
func genArchive(t *testing.T, dir string, n int, seed uint64) {
	t.Helper()
	opts := synth.DefaultOptions()
	opts.Comments, opts.Seed, opts.Out = n, seed, filepath.Join(dir, "gen")
	if _, err := synth.Generate(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
}

// copied runs cfg and returns how many posts' rows were taken from the
// block cache and how many were encoded from the store.
func copied(t *testing.T, cfg Config) (cached, encoded int) {
	t.Helper()
	_, logs := runLogged(t, cfg)
	m := regexp.MustCompile(`posts_cached=(\d+) posts_encoded=(\d+)`).FindStringSubmatch(logs)
	if m == nil {
		t.Fatalf("the run logged no report rows line:\n%s", logs)
	}
	cached, _ = strconv.Atoi(m[1])
	encoded, _ = strconv.Atoi(m[2])
	return cached, encoded
}

// runLogged runs cfg, failing the test on an error, and returns its
// summary and what it logged.
func runLogged(t *testing.T, cfg Config) (Summary, string) {
	t.Helper()
	var logs bytes.Buffer
	sum, err := (&Runner{Log: slog.New(slog.NewTextHandler(&logs, nil))}).Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum, logs.String()
}

// sameAsFresh runs cfg's inputs from scratch into a fresh database,
// building no rows while storing, so that every report row is read back
// from the store,
// and checks that every CSV is byte-identical to the one in cfg.Output, and
// the manifest too apart from times, stage figures and the paths in the
// config.
func sameAsFresh(t *testing.T, cfg Config, step string) {
	t.Helper()
	fresh := cfg
	fresh.Output = filepath.Join(t.TempDir(), "fresh")
	fresh.Database = ""
	fresh.noWarm = true
	if cached, _ := copied(t, fresh); cached != 0 {
		t.Fatalf("%s: a run into a fresh database, building no rows while storing, found %d posts cached", step, cached)
	}
	names, err := filepath.Glob(filepath.Join(fresh.Output, "*.csv"))
	if err != nil || len(names) < 5 {
		t.Fatalf("%s: fresh CSVs %v (%v)", step, names, err)
	}
	for _, want := range names {
		got := filepath.Join(cfg.Output, filepath.Base(want))
		a, errA := os.ReadFile(got)
		b, errB := os.ReadFile(want)
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v %v", step, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from a fresh run's (%d vs %d bytes)", step, filepath.Base(want), len(a), len(b))
		}
	}
	manifest := func(dir string) map[string]any {
		data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"started_at", "finished_at", "stages", "config"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("manifest has no %s", k)
			}
			delete(m, k)
		}
		// index.html shows the run's time and paths: drop its line.
		var outs []any
		for _, o := range m["outputs"].([]any) {
			if o.(map[string]any)["path"] != "index.html" {
				outs = append(outs, o)
			}
		}
		if len(outs) < 10 {
			t.Fatalf("manifest lists %d outputs besides index.html", len(outs))
		}
		m["outputs"] = outs
		return m
	}
	got, want := manifest(cfg.Output), manifest(fresh.Output)
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			g, _ := json.Marshal(got[k])
			w, _ := json.Marshal(want[k])
			t.Errorf("%s: manifest %s differs from a fresh run's:\n got %.600s\nwant %.600s", step, k, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: manifest has %d keys, a fresh run's %d", step, len(got), len(want))
	}
}

// TestNightlyReuseMatchesFreshRun follows an archive through the changes a
// nightly run meets and checks, after each, that the rows taken from the
// block cache give the bytes of a rebuild from scratch.
func TestNightlyReuseMatchesFreshRun(t *testing.T) {
	if testing.Short() {
		t.Skip("twenty runs over 1,500 comments; skipped in -short (TestRowsBuiltWhileStoringBesideStoredPosts covers the same paths on less)")
	}
	in := t.TempDir()
	genArchive(t, in, 1500, 5)
	writeArchive(t, filepath.Join(in, "fx"))
	gen, err := filepath.Glob(filepath.Join(in, "gen", "*", "*.txt"))
	if err != nil || len(gen) < 20 {
		t.Fatalf("generated files: %v (%v)", len(gen), err)
	}
	cfg := testConfig(t, in)
	// The cold run built every post's rows while storing.
	if cached, encoded := copied(t, cfg); cached <= 0 || encoded != 0 {
		t.Fatalf("cold run: %d posts cached, %d encoded from the store, want all built while storing", cached, encoded)
	}
	sameAsFresh(t, cfg, "cold")

	all := func(t *testing.T, step string, n int) {
		t.Helper()
		if n <= 0 {
			t.Fatalf("%s: no rows were reused (posts_copied %d)", step, n)
		}
		sameAsFresh(t, cfg, step)
	}
	all(t, "unchanged", nightly(t, cfg))

	// A new post, dated in the middle of the archive.
	newPage := strings.Replace(pageB, "Friday 16 October 2015", "Tuesday 1 March 2016", 1)
	newPage = strings.Replace(newPage, "froze four times", "froze five times", 1)
	if err := os.WriteFile(filepath.Join(in, "fx", "d_2016.txt"), []byte(newPage), 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "file added", nightly(t, cfg))

	// An edited file: one comment's text changed.
	edited := strings.Replace(pageB, "IT is a shambles", "IT is a disgrace", 1)
	if err := os.WriteFile(filepath.Join(in, "fx", "b_2015.txt"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "file edited", nightly(t, cfg))

	// A generated file rewritten with a trailing newline: read again, same posts.
	data, err := os.ReadFile(gen[3])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gen[3], append(data, []byte("\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "file touched", nightly(t, cfg))

	// A removed file vanishes from the reports, then comes back.
	moved := filepath.Join(t.TempDir(), "kept.txt")
	if err := os.Rename(gen[7], moved); err != nil {
		t.Fatal(err)
	}
	all(t, "file removed", nightly(t, cfg))
	if err := os.Rename(moved, gen[7]); err != nil {
		t.Fatal(err)
	}
	all(t, "file restored", nightly(t, cfg))

	// The published comments.csv is never read back: one edited by hand is
	// replaced by the right one, and the cache is still used.
	csvPath := filepath.Join(cfg.Output, "comments.csv")
	data, err = os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(csvPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "comments.csv edited", nightly(t, cfg))

	// A damaged block cache is not trusted: every post is encoded again.
	if err := os.WriteFile(cfg.DatabasePath()+".blocks.idx", []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := nightly(t, cfg); n != 0 {
		t.Errorf("damaged cache index: %d posts taken from the cache", n)
	}
	sameAsFresh(t, cfg, "cache damaged")

	// A database restored from a copy taken before the last run: its posts
	// have the gens they had then, so the cache serves the unchanged ones,
	// and the file the copy lacks is read again.
	backup, err := os.ReadFile(cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "fx", "e_2016.txt"), []byte(strings.Replace(newPage, "five times", "six times", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "before the restore", nightly(t, cfg))
	if err := os.WriteFile(cfg.DatabasePath(), backup, 0o644); err != nil {
		t.Fatal(err)
	}
	all(t, "database restored", nightly(t, cfg))

	// Another period aggregates the same cached rows differently.
	cfg.Period = "week"
	all(t, "period changed", nightly(t, cfg))
}

// TestRowsBuiltWhileStoringBesideStoredPosts covers a run with no block
// cache that reads more new files than the store holds: the new posts'
// rows are built while they are stored, and the others are encoded from
// the store.
func TestRowsBuiltWhileStoringBesideStoredPosts(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, filepath.Join(in, "fx"))
	cfg := testConfig(t, in)
	if cached, encoded := copied(t, cfg); cached != 3 || encoded != 0 {
		t.Fatalf("first run: %d posts cached, %d encoded, want 3 built while storing", cached, encoded)
	}
	if err := os.Remove(cfg.DatabasePath() + ".blocks.idx"); err != nil {
		t.Fatal(err)
	}
	genArchive(t, in, 400, 9)
	cached, encoded := copied(t, cfg)
	if cached < 10 || encoded != 3 {
		t.Fatalf("second run: %d posts cached, %d encoded, want the new files' built while storing and the 3 old ones encoded", cached, encoded)
	}
	sameAsFresh(t, cfg, "rows built beside stored posts")
}

// TestUnchangedStatSkipsReading checks the size-and-mtime rule: a file
// whose size and modification time are those recorded when its content was
// read is not read again, and any change of either makes the run read it.
func TestUnchangedStatSkipsReading(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	page := filepath.Join(in, "b_2015.txt")
	old := time.Now().Add(-time.Hour)
	setTimes := func(when time.Time) {
		t.Helper()
		if err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			return os.Chtimes(p, when, when)
		}); err != nil {
			t.Fatal(err)
		}
	}
	setTimes(old)
	cfg := testConfig(t, in)
	first := run(t, cfg)
	if first.FilesRead != 3 {
		t.Fatalf("first run read %d files, want 3", first.FilesRead)
	}
	mtimes := func() map[string]int64 {
		st, err := store.Open(context.Background(), cfg.DatabasePath())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		docs, err := st.Documents(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int64{}
		for _, d := range docs {
			m[filepath.Base(d.Path)] = d.MtimeNS
		}
		return m
	}
	if got := mtimes()["b_2015.txt"]; got != old.UnixNano() {
		t.Fatalf("recorded mtime %d, want %d", got, old.UnixNano())
	}

	// Same size and mtime, different bytes: by the rule, not read.
	edited := strings.Replace(pageB, "shambles", "disgrace", 1)
	if len(edited) != len(pageB) {
		t.Fatal("the edit must keep the size")
	}
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(page, old, old); err != nil {
		t.Fatal(err)
	}
	if sum := run(t, cfg); sum.FilesRead != 0 || sum.Updated != 0 {
		t.Errorf("same size and mtime: %+v, want nothing read", sum)
	}

	// A new mtime: read, and the edit is found.
	newer := old.Add(time.Minute)
	if err := os.Chtimes(page, newer, newer); err != nil {
		t.Fatal(err)
	}
	if sum := run(t, cfg); sum.FilesRead != 1 || sum.Updated != 1 {
		t.Errorf("new mtime: %+v, want one file read, one comment updated", sum)
	}
	if got := mtimes()["b_2015.txt"]; got != newer.UnixNano() {
		t.Errorf("recorded mtime %d, want %d", got, newer.UnixNano())
	}

	// A file modified just now is read but its mtime is not trusted yet.
	if err := os.WriteFile(page, []byte(pageB), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum := run(t, cfg); sum.FilesRead != 1 {
		t.Errorf("fresh file: %+v, want it read", sum)
	}
	if got := mtimes()["b_2015.txt"]; got != 0 {
		t.Errorf("recorded mtime %d for a file modified within the run's clock tick, want 0", got)
	}
	if sum := run(t, cfg); sum.FilesRead != 0 || sum.FilesUnchanged != first.FilesRead+first.FilesRejected {
		t.Errorf("unchanged fresh file: %+v, want it hashed and found unchanged", sum)
	}
	sameAsFresh(t, cfg, "after stat changes")
}

// TestRehashReadsEveryFile checks the escape hatch of the size-and-mtime
// rule: with Rehash, a file rewritten with the same size and mtime is read.
func TestRehashReadsEveryFile(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	old := time.Now().Add(-time.Hour)
	b := filepath.Join(in, "b_2015.txt")
	if err := os.Chtimes(b, old, old); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, in)
	run(t, cfg)
	// Same size, same mtime, other text: the stat rule cannot see it.
	edited := strings.Replace(pageB, "shambles", "disgrace", 1)
	if len(edited) != len(pageB) {
		edited = strings.Replace(pageB, "shambles", "disaster", 1)
	}
	if len(edited) != len(pageB) {
		t.Fatal("test edit changes the size")
	}
	if err := os.WriteFile(b, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(b, old, old); err != nil {
		t.Fatal(err)
	}
	if s := run(t, cfg); s.FilesRead != 0 {
		t.Fatalf("without --rehash the same-size, same-mtime edit was read (%+v); the test assumes the stat rule", s)
	}
	cfg.Rehash = true
	if s := run(t, cfg); s.FilesRead != 1 || s.Updated != 1 {
		t.Errorf("with Rehash: %+v, want the edited file read and 1 comment updated", s)
	}
}

// TestReportMatchesRun: chorus report rebuilds from the store alone the
// reports the run published, and refuses when the models changed since.
func TestReportMatchesRun(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	published := snapshotCSV(t, cfg.Output)
	if err := os.RemoveAll(cfg.Output); err != nil {
		t.Fatal(err)
	}
	// Report reads no input, whatever the configuration names.
	cfg.Inputs = []string{filepath.Join(t.TempDir(), "empty")}
	if _, err := (&Runner{}).Report(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := snapshotCSV(t, cfg.Output); got != published {
		t.Error("chorus report published other CSVs than the run did")
	}
	cfg.Model = "domain" // the run used vader: nothing is analysed under domain
	if _, err := (&Runner{}).Report(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "run chorus run") {
		t.Errorf("report under other models: err = %v, want it to ask for a run", err)
	}
}

// snapshotCSV is snapshot for the CSVs of dir only (the page and the
// manifest carry the run's time).
func snapshotCSV(t *testing.T, dir string) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(names) < 5 {
		t.Fatalf("CSVs in %s: %v %v", dir, names, err)
	}
	var b strings.Builder
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(filepath.Base(n) + "\n" + string(data))
	}
	return b.String()
}

// TestDamagedBlockCacheNeverPublished checks that bytes of the report block
// cache changed on disk never reach comments.csv, and that a damaged cache,
// being only a cache, costs no night's reports: the run that meets it clears
// it, writes the reports again with every post encoded from the database,
// warns and publishes what a run with no cache does; the cache is rebuilt,
// so the run after copies every post from it.
func TestDamagedBlockCacheNeverPublished(t *testing.T) {
	// The csv rows fail as comments.csv is written, the lean rows as the
	// aggregates are folded: both are met before anything is published.
	for _, file := range []string{"csv", "lean"} {
		t.Run(file, func(t *testing.T) {
			in := t.TempDir()
			genArchive(t, in, 300, 3)
			cfg := testConfig(t, in)
			run(t, cfg)
			before, err := os.ReadFile(filepath.Join(cfg.Output, "comments.csv"))
			if err != nil {
				t.Fatal(err)
			}
			data, err := filepath.Glob(cfg.DatabasePath() + ".blocks.[0-9]*")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range data {
				if strings.HasSuffix(p, ".lean") != (file == "lean") {
					continue
				}
				f, err := os.OpenFile(p, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				fi, _ := f.Stat()
				b := make([]byte, 1)
				if _, err := f.ReadAt(b, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
				b[0] ^= 0x20 // "Caseloads" becomes "CAseloads", or the like
				if _, err := f.WriteAt(b, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			sum, logs := runLogged(t, cfg) // rebuilds the rows and publishes
			if !strings.Contains(logs, "report block cache damaged and cleared") {
				t.Errorf("the run logged no warning about the damaged cache:\n%s", logs)
			}
			// Two attempts: the first copied the cached rows and met the damage, the
			// second encoded every post from the database.
			attempts := regexp.MustCompile(`posts_cached=(\d+) posts_encoded=(\d+)`).FindAllStringSubmatch(logs, -1)
			if len(attempts) != 2 || attempts[1][1] != "0" || attempts[1][2] != strconv.Itoa(sum.Posts) {
				t.Errorf("report rows lines %v, want two, the second with all %d posts encoded", attempts, sum.Posts)
			}
			after, err := os.ReadFile(filepath.Join(cfg.Output, "comments.csv"))
			if err != nil || !bytes.Equal(after, before) {
				t.Errorf("comments.csv published over a damaged cache differs from the one before the damage (%v)", err)
			}
			sameAsFresh(t, cfg, "over a damaged cache")
			st, err := store.Open(context.Background(), cfg.DatabasePath())
			if err != nil {
				t.Fatal(err)
			}
			runs, err := st.Runs(context.Background())
			st.Close()
			if err != nil || len(runs) != 2 || runs[1].Status != "ok" {
				t.Errorf("runs %+v (%v), want the second recorded ok", runs, err)
			}
			if cached, encoded := copied(t, cfg); cached != sum.Posts || encoded != 0 {
				t.Errorf("the run after: %d posts cached, %d encoded; want all %d cached (the cache rebuilt)", cached, encoded, sum.Posts)
			}
			sameAsFresh(t, cfg, "after a damaged cache")
		})
	}
}
