package synth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"chorus/corpus"
)

// Formats names the layouts Generate writes.
func Formats() []string {
	return []string{string(corpus.FormatBlogger), string(corpus.FormatAtom), string(corpus.FormatJSONL)}
}

// Options controls Generate.
type Options struct {
	// Comments is the number of comments (replies included) across all
	// good files.
	Comments int
	// Seed selects the archive; the same seed and options give the same bytes.
	Seed uint64
	// Format is "blogger" (Blogger page text, one post per file; the default
	// when empty), "atom" (classic Blogger Atom export, about 500 comments a
	// file) or "jsonl" (JSON Lines, about 5,000 comments a file).
	Format string
	// Out is the folder to write into. It is created if missing and must be
	// empty: a leftover file from an earlier run would change the archive.
	Out string
	// BadFiles mixes in a few files the readers must quarantine (empty,
	// binary, truncated XML, no structure, no valid JSON line). The zero
	// value writes none; DefaultOptions and `chorus gen` turn it on.
	BadFiles bool
	// Shape is "real" (comments shaped like the seed dumps'; the default
	// when empty) or "short" (the older generator's comments of about 220
	// bytes, for reproducing older benchmark figures). See Shapes.
	Shape string
}

// DefaultOptions returns the options `chorus gen` starts from: Blogger page
// text with bad files mixed in.
func DefaultOptions() Options {
	return Options{Format: string(corpus.FormatBlogger), BadFiles: true, Shape: "real"}
}

// Stats says what Generate wrote.
type Stats struct {
	Files    int // every file written, bad ones included
	BadFiles int // of which quarantinable on purpose
	Posts    int // posts in good files
	Comments int // comments in good files, replies and duplicates included
	Bytes    int // bytes written, bad files included
	// Shape is measured on the comments of the good files as they were
	// generated, leaving out the deliberate duplicates, with the Measurer
	// that measured SeedShape.
	Shape Shape
}

// Comments per file for the multi-post layouts.
const (
	atomFileComments  = 500
	jsonlFileComments = 5000
)

// job is one good file to write: its index in the archive and how many
// comments it holds.
type job struct {
	index    int
	comments int
}

// Generate writes a synthetic archive as opts says and reports what it wrote.
// It stops early, returning ctx's error, when ctx is cancelled; after an
// error the folder holds the files written until then.
func Generate(ctx context.Context, opts Options) (Stats, error) {
	if opts.Format == "" {
		opts.Format = string(corpus.FormatBlogger)
	}
	if opts.Shape == "" {
		opts.Shape = "real"
	}
	if !slices.Contains(Shapes(), opts.Shape) {
		return Stats{}, fmt.Errorf("synth: unknown shape %q (want %s)", opts.Shape, strings.Join(Shapes(), ", "))
	}
	if opts.Comments < 0 {
		return Stats{}, fmt.Errorf("synth: comments must be 0 or more, got %d", opts.Comments)
	}
	if !validFormat(opts.Format) {
		return Stats{}, fmt.Errorf("synth: unknown format %q (want %s)", opts.Format, strings.Join(Formats(), ", "))
	}
	if opts.Out == "" {
		return Stats{}, errors.New("synth: no output folder")
	}
	if err := prepareOut(opts.Out); err != nil {
		return Stats{}, err
	}
	g, err := newGenerator(opts)
	if err != nil {
		return Stats{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		total    Stats
		measured Measurer
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	jobs := make(chan job, 16)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), 8)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			var st Stats
			var m Measurer
			for j := range jobs {
				if ctx.Err() != nil {
					continue // drain
				}
				buf.Reset()
				name, f := g.render(&buf, j)
				if err := g.write(name, buf.Bytes()); err != nil {
					fail(err)
					continue
				}
				for k := range f.posts {
					m.addGenerated(&f.posts[k])
				}
				st.Files++
				st.Posts += len(f.posts)
				st.Comments += j.comments
				st.Bytes += buf.Len()
			}
			mu.Lock()
			total.Files += st.Files
			total.Posts += st.Posts
			total.Comments += st.Comments
			total.Bytes += st.Bytes
			measured.Merge(&m)
			mu.Unlock()
		}()
	}
	g.plan(ctx, func(j job) { jobs <- j })
	close(jobs)
	wg.Wait()
	total.Shape = measured.Shape()
	if firstErr != nil {
		return total, firstErr
	}
	if err := ctx.Err(); err != nil {
		return total, fmt.Errorf("synth: generation stopped: %w", err)
	}
	if opts.BadFiles {
		for _, bf := range g.badFiles() {
			if err := g.write(bf.name, bf.data); err != nil {
				return total, err
			}
			total.Files++
			total.BadFiles++
			total.Bytes += len(bf.data)
		}
	}
	return total, nil
}

func validFormat(f string) bool {
	for _, x := range Formats() {
		if f == x {
			return true
		}
	}
	return false
}

// prepareOut creates dir, or checks that it is an empty folder.
func prepareOut(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("synth: create %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("synth: read %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("synth: %s is not empty (%d entries): the archive must be written into an empty folder", dir, len(entries))
	}
	return nil
}

// generator holds what every worker reads: options, the sentence pool
// (titles, post bodies and the short shape's comments) and the real
// shape's vocabulary.
type generator struct {
	opts    Options
	pool    *pool
	grammar *grammar
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Shape == "" {
		opts.Shape = "real"
	}
	p, err := newPool()
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	gr, err := compiledGrammar()
	if err != nil {
		return nil, err
	}
	return &generator{opts: opts, pool: p, grammar: gr}, nil
}

// plan calls emit for every good file in order. Only the number of comments
// per file is drawn here, from the plan's own stream; everything else about
// a file is drawn from the file's stream, so files can be made in parallel.
func (g *generator) plan(ctx context.Context, emit func(job)) {
	left := g.opts.Comments
	r := newRNG(g.opts.Seed, streamPlan, 0)
	for k := 0; left > 0; k++ {
		if k%64 == 0 && ctx.Err() != nil {
			return
		}
		var n int
		switch g.opts.Format {
		case "atom":
			n = atomFileComments
		case "jsonl":
			n = jsonlFileComments
		default:
			n = g.postSize(r)
		}
		n = min(n, left)
		left -= n
		emit(job{index: k, comments: n})
	}
}

// write writes one file under the output folder, creating its folder.
func (g *generator) write(name string, data []byte) error {
	path := filepath.Join(g.opts.Out, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("synth: create folder for %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return nil
}

// Random streams: the plan and each file draw from independent streams.
const (
	streamPlan = 1
	streamFile = 2
	streamBad  = 3
)

// rng is SplitMix64: tiny, fast, and fixed here, so an archive does not
// change when the standard library's generators do.
type rng struct{ s uint64 }

func newRNG(seed, stream uint64, index int) *rng {
	r := &rng{s: seed ^ stream*0xD1B54A32D192ED03 ^ uint64(index)*0x9E3779B97F4A7C15}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// intn returns a number in [0, n); n > 0. The modulo bias is negligible
// for the small n used here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return float64(r.next()>>11)/(1<<53) < p }

// postSize draws a post's comment count in the generator's shape.
func (g *generator) postSize(r *rng) int {
	if g.opts.Shape == "real" {
		return realPostSize(r)
	}
	return shortPostSize(r)
}

// shortPostSize draws a post's comment count for the short shape: mostly
// 1-40, sometimes a long thread of up to 150.
func shortPostSize(r *rng) int {
	if r.chance(0.05) {
		return 40 + r.intn(111)
	}
	return 1 + r.intn(40)
}

// Posts are dated across 2014-2021.
var (
	firstDay = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
)
