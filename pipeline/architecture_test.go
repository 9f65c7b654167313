package pipeline

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// archDoc is the architecture document, relative to this package.
const archDoc = "../docs/architecture.md"

// goDecls is what the module's non-test Go files declare and import.
type goDecls struct {
	funcs   map[string]bool            // every function and method name
	pkgFunc map[string]bool            // "pkg.Func" for top-level functions, by package name
	methods map[string]bool            // "Type.Method"
	imports map[string]map[string]bool // package folder -> chorus packages it imports
}

// parseModule parses every non-test Go file below root (testdata and
// hidden folders left out), on every platform's build tags.
func parseModule(t *testing.T, root string) goDecls {
	t.Helper()
	d := goDecls{funcs: map[string]bool{}, pkgFunc: map[string]bool{}, methods: map[string]bool{}, imports: map[string]map[string]bool{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		if e.IsDir() {
			if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.imports[rel] == nil {
			d.imports[rel] = map[string]bool{}
		}
		for _, im := range f.Imports {
			path, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				return err
			}
			if dep, ok := strings.CutPrefix(path, "chorus/"); ok {
				d.imports[rel][dep] = true
			}
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			d.funcs[fn.Name.Name] = true
			if fn.Recv == nil {
				d.pkgFunc[f.Name.Name+"."+fn.Name.Name] = true
				continue
			}
			typ := fn.Recv.List[0].Type
			if s, ok := typ.(*ast.StarExpr); ok {
				typ = s.X
			}
			switch x := typ.(type) {
			case *ast.IndexExpr:
				typ = x.X
			case *ast.IndexListExpr:
				typ = x.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				d.methods[id.Name+"."+fn.Name.Name] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("parse the module: %v", err)
	}
	return d
}

// docFuncRef is a function named in the document: `name()`, `Type.name()`
// or `pkg.name()`.
var docFuncRef = regexp.MustCompile("`((?:[A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*)\\(\\)`")

// TestArchitectureDoc holds docs/architecture.md to the code: every
// function it names in backticks with "()" is declared (a method under the
// type it names, a function in the package it names), and its package
// graph block is the module's imports.
func TestArchitectureDoc(t *testing.T) {
	doc, err := os.ReadFile(archDoc)
	if err != nil {
		t.Fatalf("read %s: %v", archDoc, err)
	}
	d := parseModule(t, "..")

	refs := docFuncRef.FindAllStringSubmatch(string(doc), -1)
	if len(refs) < 40 {
		t.Fatalf("%s names %d functions; the walk alone names more: is the `name()` convention still used?", archDoc, len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		qual, name, ok := strings.Cut(ref, ".")
		if !ok {
			if !d.funcs[ref] {
				t.Errorf("%s names %s(), which no Go file declares", archDoc, ref)
			}
			continue
		}
		if !d.methods[ref] && !d.pkgFunc[ref] {
			t.Errorf("%s names %s(): no type %s has a method %s, and no package %s a function %s", archDoc, ref, qual, name, qual, name)
		}
	}

	graph := importBlock(t, string(doc))
	for pkg, deps := range d.imports {
		want := slices.Sorted(maps.Keys(deps))
		got, ok := graph[pkg]
		if !ok {
			t.Errorf("%s's package graph has no line for %s (imports %v)", archDoc, pkg, want)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s's package graph says %s imports %v; the code imports %v", archDoc, pkg, got, want)
		}
	}
	for pkg := range graph {
		if d.imports[pkg] == nil {
			t.Errorf("%s's package graph lists %s, which has no Go files", archDoc, pkg)
		}
	}
}

// importBlock reads the fenced block after "Imports between chorus
// packages": one "pkg: dep dep" line per package.
func importBlock(t *testing.T, doc string) map[string][]string {
	t.Helper()
	_, after, ok := strings.Cut(doc, "Imports between chorus packages")
	if !ok {
		t.Fatalf("%s has no \"Imports between chorus packages\" block", archDoc)
	}
	_, after, ok = strings.Cut(after, "```\n")
	block, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatalf("%s: the package graph is not a fenced block", archDoc)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		pkg, deps, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("%s: package graph line %q is not \"pkg: deps\"", archDoc, line)
		}
		ds := strings.Fields(deps)
		slices.Sort(ds)
		graph[strings.TrimSpace(pkg)] = ds
	}
	return graph
}
