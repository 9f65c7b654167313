package topics

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

var (
	thresholdLineRE   = regexp.MustCompile(`^(\s*threshold\s*=\s*)([^#\s]+)(.*)$`)
	windowScaleLineRE = regexp.MustCompile(`^(\s*window_scale\s*=\s*)([^#\s]+)(.*)$`)
	nameLineRE        = regexp.MustCompile(`^\s*name\s*=`)
)

// WithChoices returns the taxonomy's source with each topic's threshold
// set to th (in taxonomy order) and its window_scale set to windowScale,
// edited as text so that every comment and the layout researchers wrote
// stay as they are: an existing `threshold =` line of a [[topic]] table
// gets the new value (its comment kept), and a table without one gets a
// line after its name; an existing top-level `window_scale =` line gets
// the new value, and a file without one gets a line before its first
// table unless windowScale is 1, the default. The result is parsed again
// and must give back th, windowScale and, apart from them, the very same
// topics; an edit that would change anything else (say, a multi-line
// string that looks like a table header) is an error, not a silent change.
func (t *Taxonomy) WithChoices(th []float64, windowScale float64) ([]byte, error) {
	if len(th) != len(t.topics) {
		return nil, fmt.Errorf("taxonomy %s: %d thresholds for %d topics", t.name, len(th), len(t.topics))
	}
	for i, v := range th {
		if !(v > 0) {
			return nil, fmt.Errorf("taxonomy %s: topic %s: threshold must be > 0 (got %g)", t.name, t.topics[i].Name, v)
		}
	}
	if !(windowScale >= MinWindowScale && windowScale <= MaxWindowScale) {
		return nil, fmt.Errorf("taxonomy %s: window_scale must be %g..%g (got %g)", t.name, float64(MinWindowScale), float64(MaxWindowScale), windowScale)
	}
	var out []string
	topLevel, scaleDone := true, false // before the first table; window_scale written
	topic := -1
	inMain := false // inside a [[topic]] table, before its sub-tables
	nameAt := 0     // index in out just after the topic's name line
	done := true    // the current topic's threshold is written
	closeTopic := func() {
		if !done { // no threshold line: insert one after the name
			ins := fmt.Sprintf("threshold = %s  # chosen by chorus train topics (grouped cross-validation)\n", tomlFloat(th[topic]))
			out = append(out[:nameAt], append([]string{ins}, out[nameAt:]...)...)
		}
		done = true
	}
	for _, line := range strings.SplitAfter(string(t.src), "\n") {
		body := strings.TrimRight(line, "\r\n")
		if line != "" && body == line { // the last line, without a newline
			line += "\n"
		}
		trim := strings.TrimSpace(body)
		if topLevel && strings.HasPrefix(trim, "[") {
			topLevel = false
			if !scaleDone && windowScale != 1 {
				out = append(out, fmt.Sprintf("window_scale = %s  # every rule's window times this; chosen by chorus train topics (grouped cross-validation)\n\n", tomlFloat(windowScale)))
			}
			scaleDone = true
		}
		switch {
		case topLevel && !scaleDone && windowScaleLineRE.MatchString(body):
			m := windowScaleLineRE.FindStringSubmatch(body)
			out = append(out, m[1]+tomlFloat(windowScale)+m[3]+line[len(body):])
			scaleDone = true
			continue
		case strings.HasPrefix(trim, "[[topic]]"):
			closeTopic()
			topic++
			if topic >= len(th) {
				return nil, fmt.Errorf("taxonomy %s: more [[topic]] headers than topics", t.name)
			}
			inMain, done = true, false
			out = append(out, line)
			nameAt = len(out)
			continue
		case strings.HasPrefix(trim, "["):
			inMain = false
		case inMain && !done && thresholdLineRE.MatchString(body):
			m := thresholdLineRE.FindStringSubmatch(body)
			out = append(out, m[1]+tomlFloat(th[topic])+m[3]+line[len(body):])
			done = true
			continue
		case inMain && nameLineRE.MatchString(body):
			out = append(out, line)
			nameAt = len(out)
			continue
		}
		out = append(out, line)
	}
	closeTopic()
	src := []byte(strings.Join(out, ""))
	back, err := Parse(t.name, src)
	if err != nil {
		return nil, fmt.Errorf("taxonomy %s: setting thresholds broke the file: %w", t.name, err)
	}
	if got := back.Thresholds(); !reflect.DeepEqual(got, th) {
		return nil, fmt.Errorf("taxonomy %s: thresholds read back as %v, want %v", t.name, got, th)
	}
	if back.windowScale != windowScale {
		return nil, fmt.Errorf("taxonomy %s: window_scale read back as %g, want %g", t.name, back.windowScale, windowScale)
	}
	if !sameBut(t, back) {
		return nil, fmt.Errorf("taxonomy %s: setting thresholds changed more than the thresholds and window_scale; edit the file by hand", t.name)
	}
	return src, nil
}

// sameBut reports whether a and b define the same topics apart from their
// thresholds (and the window scale, which is not the topics').
func sameBut(a, b *Taxonomy) bool {
	if len(a.topics) != len(b.topics) {
		return false
	}
	for i := range a.topics {
		x, y := a.topics[i], b.topics[i]
		x.threshold, y.threshold = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// tomlFloat writes v as a TOML float ("1.0", not "1", which is an integer).
func tomlFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
