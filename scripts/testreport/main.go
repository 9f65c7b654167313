package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	os.Exit(run())
}

func run() int {
	type key struct{ pkg, test string }
	output := map[key][]string{}
	var skipped []key
	failed := false
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // not an event: a build error, say
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "output":
			output[k] = append(output[k], e.Output)
			if e.Test == "" && (strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") ||
				strings.HasPrefix(e.Output, "?") || strings.HasPrefix(e.Output, "---") || strings.HasPrefix(e.Output, "#")) {
				fmt.Print(e.Output)
			}
		case "fail", "build-fail":
			failed = true
			if e.Test != "" {
				fmt.Print(strings.Join(output[k], ""))
			}
		case "skip":
			if e.Test != "" {
				skipped = append(skipped, k)
			}
		}
	}
	if len(skipped) > 0 {
		sort.Slice(skipped, func(i, j int) bool {
			return skipped[i].pkg+"."+skipped[i].test < skipped[j].pkg+"."+skipped[j].test
		})
		fmt.Printf("\n%d tests skipped:\n", len(skipped))
		for _, k := range skipped {
			fmt.Printf("  %s %s: %s\n", strings.TrimPrefix(k.pkg, "chorus/"), k.test, reason(output[k]))
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// reason is a skipped test's message: its last output line that is not the
// "--- SKIP" line itself.
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "--- SKIP") && !strings.HasPrefix(l, "=== ") {
			if _, after, ok := strings.Cut(l, ".go:"); ok {
				if _, msg, ok := strings.Cut(after, ": "); ok {
					return msg
				}
			}
			return l
		}
	}
	return "(no reason given)"
}
