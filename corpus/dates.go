package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"
)

// DatesFile is the name of the optional table of post dates that sits
// beside the inputs, for layouts that carry no date (the flattened dump).
const DatesFile = "dates.tsv"

// ReadDates reads a dates.tsv: one "file name<TAB>YYYY-MM-DD" per line;
// blank lines and lines starting with # are ignored. File names are matched
// on their base name. A malformed line is an error naming the line, since a
// silently wrong date would move comments in every time series.
func ReadDates(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return ParseDates(path, data)
}

// ParseDates parses the content of a dates.tsv named name.
func ParseDates(name string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		file, date, ok := strings.Cut(line, "\t")
		file, date = strings.TrimSpace(file), strings.TrimSpace(date)
		if !ok || file == "" {
			return nil, fmt.Errorf("%s:%d: want \"file name<TAB>YYYY-MM-DD\", got %q", name, n, line)
		}
		if !ValidDate(date) {
			return nil, fmt.Errorf("%s:%d: %q is not a date in the form YYYY-MM-DD", name, n, date)
		}
		if prev, dup := out[file]; dup && prev != date {
			return nil, fmt.Errorf("%s:%d: %s is dated twice (%s and %s)", name, n, file, prev, date)
		}
		out[file] = date
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

// ValidDate reports whether s is a real calendar date written YYYY-MM-DD.
func ValidDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
