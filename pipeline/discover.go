package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"chorus/corpus"
	"chorus/models/redact"
)

// source is one input file found by discovery.
type source struct {
	name  string                          // path as reported (as given, or sample/NAME)
	read  func() ([]byte, *corpus.Reject) // reads it within the size limit
	dates map[string]string               // the dates.tsv of its folder, if any
	// stat returns the file's size and modification time (Unix ns); false
	// when unknown (the bundled sample, or a failed stat).
	stat func() (size, mtimeNS int64, ok bool)
}

// fileStat is source.stat for a file on disk.
func fileStat(p string) func() (int64, int64, bool) {
	return func() (int64, int64, bool) {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return 0, 0, false
		}
		return fi.Size(), fi.ModTime().UnixNano(), true
	}
}

// discover expands the inputs (files, and folders read recursively in name
// order) into sources. Hidden files and folders are skipped, and so is each
// folder's dates.tsv, which is read as the folder's date table. A dates.tsv
// that cannot be parsed is returned as a reject and its folder read undated.
func discover(inputs []string, limit int64) ([]source, []corpus.Reject, error) {
	var (
		out     []source
		rejects []corpus.Reject
		tables  = map[string]map[string]string{}
		seen    = map[string]bool{}
	)
	datesOf := func(dir string) map[string]string {
		if t, ok := tables[dir]; ok {
			return t
		}
		p := filepath.Join(dir, corpus.DatesFile)
		var t map[string]string
		if _, err := os.Stat(p); err == nil {
			var derr error
			t, derr = corpus.ReadDates(p)
			if derr != nil {
				rejects = append(rejects, corpus.Reject{Path: p, Reason: derr.Error()})
				t = nil
			}
		}
		tables[dir] = t
		return t
	}
	add := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		out = append(out, source{
			name:  p,
			read:  func() ([]byte, *corpus.Reject) { return corpus.ReadBytes(p, limit) },
			dates: datesOf(filepath.Dir(p)),
			stat:  fileStat(p),
		})
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", in, err)
		}
		if !fi.IsDir() {
			add(filepath.Clean(in))
			continue
		}
		var files []string
		err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				rejects = append(rejects, corpus.Reject{Path: p, Reason: fmt.Sprintf("list: %v", err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if p != in && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || name == corpus.DatesFile || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			files = append(files, p)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("list %s: %w", in, err)
		}
		sort.Strings(files)
		for _, f := range files {
			add(f)
		}
	}
	return out, rejects, nil
}

// sampleSources lists the bundled sample archive: every file but its
// README and dates table, named sample/NAME.
func sampleSources(limit int64) ([]source, error) {
	fsys := corpus.Sample()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list sample archive: %w", err)
	}
	var dates map[string]string
	if b, err := fs.ReadFile(fsys, corpus.DatesFile); err == nil {
		if dates, err = corpus.ParseDates("sample/"+corpus.DatesFile, b); err != nil {
			return nil, err
		}
	}
	var out []source
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == corpus.DatesFile || strings.EqualFold(n, "README.md") {
			continue
		}
		out = append(out, source{
			name: path.Join("sample", n),
			read: func() ([]byte, *corpus.Reject) {
				b, err := fs.ReadFile(fsys, n)
				if err != nil {
					return nil, &corpus.Reject{Path: "sample/" + n, Reason: err.Error()}
				}
				if int64(len(b)) > limit {
					return nil, &corpus.Reject{Path: "sample/" + n, Reason: fmt.Sprintf("file is larger than the limit of %d bytes", limit)}
				}
				return b, nil
			},
			dates: dates,
		})
	}
	return out, nil
}

// Texts reads the configured inputs (or the bundled sample) without the
// store and returns the text of every counted comment, redacted, in input
// order. It serves one-off commands such as `chorus topics suggest`.
func Texts(ctx context.Context, cfg Config) ([]string, error) {
	var (
		srcs []source
		err  error
	)
	limit := effectiveLimit(cfg.MaxFileBytes)
	if len(cfg.Inputs) == 0 {
		srcs, err = sampleSources(limit)
	} else {
		srcs, _, err = discover(cfg.Inputs, limit)
	}
	if err != nil {
		return nil, err
	}
	format, err := corpus.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
	red := redact.New()
	var out []string
	for _, s := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, rej := s.read()
		if rej != nil {
			continue
		}
		doc, rej := corpus.Parse(s.name, data, corpus.Options{Format: format, Dates: s.dates, MaxCommentBytes: cfg.MaxCommentBytes})
		if rej != nil {
			continue
		}
		for _, p := range doc.Posts {
			for _, c := range p.Comments {
				if c.Counted() {
					out = append(out, red.Text(c.Text))
				}
			}
		}
	}
	return out, nil
}
