package topics

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

var (
	thresholdLineRE = regexp.MustCompile(`^(\s*threshold\s*=\s*)([^#\s]+)(.*)$`)
	nameLineRE      = regexp.MustCompile(`^\s*name\s*=`)
)

// WithThresholds returns the taxonomy's source with each topic's threshold
// set to th (in taxonomy order), edited as text so that every comment and
// the layout researchers wrote stay as they are: an existing `threshold =`
// line of a [[topic]] table gets the new value (its comment kept), and a
// table without one gets a line after its name. The result is parsed again
// and must give back th and, apart from the thresholds, the very same
// topics; an edit that would change anything else (say, a multi-line
// string that looks like a table header) is an error, not a silent change.
func (t *Taxonomy) WithThresholds(th []float64) ([]byte, error) {
	if len(th) != len(t.topics) {
		return nil, fmt.Errorf("taxonomy %s: %d thresholds for %d topics", t.name, len(th), len(t.topics))
	}
	for i, v := range th {
		if !(v > 0) {
			return nil, fmt.Errorf("taxonomy %s: topic %s: threshold must be > 0 (got %g)", t.name, t.topics[i].Name, v)
		}
	}
	var out []string
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
		switch {
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
	if !sameBut(t, back) {
		return nil, fmt.Errorf("taxonomy %s: setting thresholds changed more than the thresholds; edit the file by hand", t.name)
	}
	return src, nil
}

// sameBut reports whether a and b define the same topics apart from their
// thresholds.
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
