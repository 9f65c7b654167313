package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"chorus/corpus"
	"chorus/internal/fsread"
	"chorus/models/redact"
)

// source is one input file found by discovery.
type source struct {
	// name is the file as the run reports and stores it: its path as given
	// (or sample/NAME), passed through the redactor (see safeName).
	name string
	// legacy are the names an older chorus stored the file under, when
	// they differ from name (see legacyNames).
	legacy []string
	read   func() ([]byte, *corpus.Reject) // reads it within the size limit
	dates  map[string]string               // its date from a dates.tsv, keyed by the base of name; nil for none
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

// safeName is the name under which a file at path p is reported and
// stored. A file may be named after its author ("notes-from-jo@example.org
// .jsonl"), and its name reaches every output (source_file, the manifest,
// rejects.csv, the log, the database): so the name is redacted. Two files
// whose names redact alike would then collide, so a name that redaction
// changed carries the first 8 hex digits of the SHA-256 of the original,
// which tells them apart without saying what was redacted.
func safeName(red *redact.Redactor, p string) string {
	r := red.Text(p)
	if r == p {
		return p
	}
	sum := sha256.Sum256([]byte(p))
	return r + "~" + hex.EncodeToString(sum[:4])
}

// discoverOptions are the rules discovery follows besides the inputs.
type discoverOptions struct {
	limit int64
	red   *redact.Redactor
	// followOutside follows symbolic links that lead out of the input
	// folder they were found in (Config.FollowSymlinks).
	followOutside bool
	// skipDir (absolute, cleaned) is never an input, nor is anything below
	// it: the report folder, so that reports written inside an input folder
	// are not read back as input.
	skipDir string
	// skipPrefix (absolute) starts the name of every file chorus keeps
	// beside its database (DB, DB-wal, DB.lock, DB.report-cache ...): none is
	// an input.
	skipPrefix string
}

// skipped tells whether p (absolute, cleaned) is chorus's own output.
func (o discoverOptions) skipped(p string) bool {
	if o.skipDir != "" && within(p, o.skipDir) {
		return true
	}
	return o.skipPrefix != "" && strings.HasPrefix(p, o.skipPrefix)
}

// sources lists the configured inputs, or the bundled sample when there
// are none, with the rejects discovery found.
func listSources(cfg Config, red *redact.Redactor) ([]source, []corpus.Reject, error) {
	limit := effectiveLimit(cfg.MaxFileBytes)
	if len(cfg.Inputs) == 0 {
		srcs, err := sampleSources(limit)
		return srcs, nil, err
	}
	o := discoverOptions{limit: limit, red: red, followOutside: cfg.FollowSymlinks}
	var err error
	if o.skipDir, err = filepath.Abs(cfg.Output); err != nil {
		return nil, nil, fmt.Errorf("output %s: %w", red.Text(cfg.Output), err)
	}
	if o.skipPrefix, err = filepath.Abs(cfg.DatabasePath()); err != nil {
		return nil, nil, fmt.Errorf("database %s: %w", red.Text(cfg.DatabasePath()), err)
	}
	return discover(cfg.Inputs, o)
}

// discover expands the inputs (files, and folders read recursively in name
// order) into sources. Hidden files and folders are skipped, and so is each
// folder's dates.tsv, which is read as the folder's date table. A dates.tsv
// that cannot be parsed is returned as a reject and its folder read undated.
//
// Inside a folder, only regular files and symbolic links to regular files
// within the same input folder are read; a link that leads out of it is
// refused unless followOutside is set (a link to /etc/passwd in an archive
// must not put a system file into the reports), and a pipe, socket or
// device is refused. A file named as an input itself is the operator's
// explicit choice, and may be a link to anywhere; it must still be a
// regular file (fsread.Open).
func discover(inputs []string, o discoverOptions) ([]source, []corpus.Reject, error) {
	var (
		out     []source
		rejects []corpus.Reject
		tables  = map[string]map[string]string{}
		seen    = map[string]bool{}   // real paths
		names   = map[string]string{} // name -> real path
	)
	// nameOf is the file's name under the current input (see inputName).
	var nameOf func(p string) string
	reject := func(p, reason string) {
		rejects = append(rejects, corpus.Reject{Path: safeName(o.red, nameOf(p)), Reason: o.red.Text(reason)})
	}
	datesOf := func(dir string) map[string]string {
		if t, ok := tables[dir]; ok {
			return t
		}
		p := filepath.Join(dir, corpus.DatesFile)
		var t map[string]string
		if _, err := os.Lstat(p); err == nil {
			var derr error
			t, derr = corpus.ReadDates(p)
			if derr != nil {
				reject(p, derr.Error())
				t = nil
			}
		}
		tables[dir] = t
		return t
	}
	add := func(p string) error {
		if seen[p] {
			return nil
		}
		seen[p] = true
		rel := nameOf(p)
		if other, dup := names[rel]; dup {
			return fmt.Errorf("inputs %s and %s would both be named %s (a file is named by its path below its input folder's parent): rename one of the folders",
				o.red.Text(other), o.red.Text(p), o.red.Text(rel))
		}
		names[rel] = p
		name := safeName(o.red, rel)
		var dates map[string]string
		if d, ok := datesOf(filepath.Dir(p))[filepath.Base(p)]; ok {
			dates = map[string]string{filepath.Base(name): d}
		}
		out = append(out, source{
			name:   name,
			legacy: legacyNames(o.red, p),
			read: func() ([]byte, *corpus.Reject) {
				b, rej := corpus.ReadBytes(p, o.limit)
				if rej != nil {
					rej.Path, rej.Reason = name, o.red.Text(rej.Reason)
				}
				return b, rej
			},
			dates: dates,
			stat:  fileStat(p),
		})
		return nil
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", o.red.Text(in), err)
		}
		if nameOf, err = inputName(in, fi.IsDir()); err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			if err := add(filepath.Clean(in)); err != nil {
				return nil, nil, err
			}
			continue
		}
		root, err := filepath.EvalSymlinks(in)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", o.red.Text(in), err)
		}
		if root, err = filepath.Abs(root); err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", o.red.Text(in), err)
		}
		files, err := walkInput(in, root, o, reject)
		if err != nil {
			return nil, nil, fmt.Errorf("list %s: %w", o.red.Text(in), err)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := add(f); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, rejects, nil
}

// inputName returns how the files of input in are named: by their path
// below in's parent folder, with forward slashes ("archive/2015/a.txt" for
// --input archive, --input ./archive and --input /srv/data/archive alike;
// "archive/a.txt" for --input archive/a.txt). The name seeds every post and
// comment id (corpus.PostID), so it must not depend on the folder chorus
// runs from, the way the input was written, or the system.
func inputName(in string, isDir bool) (func(p string) string, error) {
	abs, err := filepath.Abs(in)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", in, err)
	}
	top := filepath.Dir(abs)
	if isDir {
		top = abs
	}
	base := filepath.Base(top)
	if base == string(filepath.Separator) || base == "." {
		base = ""
	}
	return func(p string) string {
		pa, err := filepath.Abs(p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		rel, err := filepath.Rel(top, pa)
		if err != nil {
			rel = filepath.Base(pa)
		}
		return path.Join(base, filepath.ToSlash(rel))
	}, nil
}

// legacyNames are the names a file at path p may be stored under by a
// chorus before version 2 of its id scheme: the path as given to it, and
// that path redacted as safeName does.
func legacyNames(red *redact.Redactor, p string) []string {
	clean := filepath.Clean(p)
	if s := safeName(red, clean); s != clean {
		return []string{clean, s}
	}
	return []string{clean}
}

// walkInput lists the files to read under the input folder in (root is
// its absolute path with links resolved), passing the ones it refuses to
// reject.
func walkInput(in, root string, o discoverOptions, reject func(p, reason string)) ([]string, error) {
	var files []string
	err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			reject(p, fmt.Sprintf("list: %v", err))
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
		if abs, err := filepath.Abs(p); err == nil && o.skipped(abs) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || name == corpus.DatesFile {
			return nil
		}
		switch t := d.Type(); {
		case t.IsRegular():
		case t&fs.ModeSymlink != 0:
			if why := linkProblem(p, root, o); why != "" {
				reject(p, why)
				return nil
			}
		default:
			reject(p, fmt.Sprintf("not a regular file (%s); not read", fsread.Kind(t)))
			return nil
		}
		files = append(files, p)
		return nil
	})
	return files, err
}

// linkProblem says why the symbolic link at p, found under the input
// folder root (absolute, links resolved), is not read; "" when it is.
func linkProblem(p, root string, o discoverOptions) string {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "symbolic link that leads nowhere (" + fsread.StripPath(err).Error() + "); not read"
	}
	if target, err = filepath.Abs(target); err != nil {
		return "symbolic link: " + err.Error()
	}
	if !within(target, root) && !o.followOutside {
		return "symbolic link that leads out of the input folder; not followed (follow_symlinks = true in the config allows it)"
	}
	if o.skipped(target) {
		return "symbolic link into chorus's own output; not read"
	}
	return ""
}

func effectiveLimit(n int64) int64 {
	if n > 0 {
		return n
	}
	return corpus.DefaultMaxFileSize
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
			name:   path.Join("sample", n),
			legacy: []string{path.Join("sample", n)},
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
	red := redact.New()
	srcs, _, err := listSources(cfg, red)
	if err != nil {
		return nil, err
	}
	format, err := corpus.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
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
