package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"chorus/internal/sharedtest"
)

// figureDocs are the documents that quote validation figures. Each quotes
// them as transcripts, a fenced "console" block of "$ chorus ..." lines
// each followed by what the command prints, and TestDocFiguresMatchEval
// runs every one of them.
var figureDocs = []string{"../../docs/methods.md", "../../docs/sentiment.md"}

// transcript is one "$ chorus ..." line of a document and the output the
// document says it prints.
type transcript struct {
	doc  string
	line int
	args []string
	want string
}

// docFigures splits a Markdown document into its transcripts and the
// paragraphs of prose outside code blocks (with the line each starts on).
func docFigures(doc, text string) (ts []transcript, prose map[int]string) {
	prose = map[int]string{}
	lines := strings.Split(text, "\n")
	var para []string
	paraStart := 0
	flush := func() {
		if len(para) > 0 {
			prose[paraStart] = strings.Join(para, "\n")
		}
		para = nil
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "```") {
			flush()
			console := strings.TrimSpace(strings.TrimPrefix(l, "```")) == "console"
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				if !console {
					continue
				}
				if cmd, ok := strings.CutPrefix(lines[i], "$ "); ok {
					ts = append(ts, transcript{doc: doc, line: i + 1, args: strings.Fields(cmd)})
					continue
				}
				if len(ts) > 0 {
					ts[len(ts)-1].want += lines[i] + "\n"
				}
			}
			for i := range ts {
				// Blank lines part one transcript from the next.
				ts[i].want = strings.TrimRight(ts[i].want, "\n") + "\n"
			}
			continue
		}
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		if len(para) == 0 {
			paraStart = i + 1
		}
		para = append(para, l)
	}
	flush()
	return ts, prose
}

// figure is how the documents write a validation figure: three decimals.
var figure = regexp.MustCompile(`-?\b[0-9]\.[0-9]{3}\b`)

// fromTest marks prose whose figures come from a Go test it names rather
// than from a chorus command; those are held by the test itself.
var fromTest = regexp.MustCompile("go test|`Test[A-Z][A-Za-z]*`")

// TestDocFiguresMatchEval: every transcript in docs/methods.md and
// docs/sentiment.md is what chorus prints today, byte for byte, on the real
// labelled data; and every figure in their prose (three decimals) appears
// in one of the same document's transcripts, unless the paragraph (or, for
// a table, the paragraph that introduces it) says it comes from a named Go
// test. So the docs cannot drift from `chorus eval`:
// retrain the model or change an evaluation and this fails until the docs
// are brought up to date. It needs ../shared, and skips without it.
func TestDocFiguresMatchEval(t *testing.T) {
	shared := sharedtest.Dir(t, "eval")
	// The transcripts name ../shared as a user beside the clone would:
	// run them from a folder that has a "shared" sibling.
	root := t.TempDir()
	if err := os.Symlink(filepath.Dir(shared), filepath.Join(root, "shared")); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(root, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, doc := range figureDocs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		ts, prose := docFigures(doc, string(text))
		if len(ts) == 0 {
			t.Errorf("%s quotes no chorus transcript", doc)
		}
		printed := map[string]bool{}
		for _, tr := range ts {
			if len(tr.args) == 0 || tr.args[0] != "chorus" {
				t.Errorf("%s:%d: a transcript line that is not a chorus command: %q", tr.doc, tr.line, tr.args)
				continue
			}
			code, stdout, stderr := chorusIn(t, work, tr.args[1:]...)
			if code != 0 {
				t.Errorf("%s:%d: %s: exit %d: %s", tr.doc, tr.line, strings.Join(tr.args, " "), code, stderr)
				continue
			}
			if strings.TrimRight(stdout, "\n")+"\n" != tr.want {
				t.Errorf("%s:%d: %s prints\n%s\nbut the document says\n%s", tr.doc, tr.line, strings.Join(tr.args, " "), stdout, tr.want)
			}
			for _, f := range figure.FindAllString(stdout, -1) {
				printed[f] = true
			}
		}
		starts := make([]int, 0, len(prose))
		for line := range prose {
			starts = append(starts, line)
		}
		sort.Ints(starts)
		exempt := false
		for _, line := range starts {
			p := prose[line]
			// A table takes its source from the paragraph that introduces it.
			table := strings.HasPrefix(p, "|")
			if exempt = fromTest.MatchString(p) || (table && exempt); exempt {
				continue
			}
			for _, f := range figure.FindAllString(p, -1) {
				if !printed[f] && !printed[strings.TrimPrefix(f, "-")] {
					t.Errorf("%s:%d: the figure %s is in no transcript of the document (quote it from one, or name the go test it comes from)", doc, line, f)
				}
			}
		}
	}
}

// The parser itself, on an invented document: a transcript's output runs
// to the next "$ " line or the end of the block, less trailing blank lines; other code blocks are
// neither prose nor transcripts, and prose keeps its first line number.
func TestDocFiguresParse(t *testing.T) {
	doc := "Intro 0.500.\n\n```console\n$ chorus eval x\nline 1\n\n$ chorus eval y --z\nline 2\n```\n\n```go\n$ not a transcript 0.900\n```\nTail 0.700\n"
	ts, prose := docFigures("d.md", doc)
	if len(ts) != 2 || ts[0].want != "line 1\n" || strings.Join(ts[1].args, " ") != "chorus eval y --z" || ts[1].want != "line 2\n" || ts[1].line != 7 {
		t.Errorf("transcripts = %+v", ts)
	}
	if len(prose) != 2 || prose[1] != "Intro 0.500." || prose[14] != "Tail 0.700" {
		t.Errorf("prose = %v", prose)
	}
}
