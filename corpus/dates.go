package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"time"

	"chorus/internal/fsread"
)

// DatesFile is the name of the optional table of post dates that sits
// beside the inputs, for layouts that carry no date (the flattened dump).
const DatesFile = "dates.tsv"

// ReadDates reads a dates.tsv: one "file name<TAB>YYYY-MM-DD" per line;
// blank lines and lines starting with # are ignored. File names are matched
// on their base name. A malformed line is an error naming the line, since a
// silently wrong date would move comments in every time series.
//
// The table is read only when it is a regular file of at most MaxDatesBytes:
// a pipe or a runaway file in its place would otherwise hang or exhaust the
// run.
func ReadDates(path string) (map[string]string, error) {
	data, err := fsread.Read(path, MaxDatesBytes, "date table")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return ParseDates(path, data)
}

// MaxDatesBytes bounds a dates.tsv: a line is a file name and a date, so a
// mebibyte dates some twenty thousand files.
const MaxDatesBytes = 1 << 20

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
			return nil, fmt.Errorf("%s:%d: want \"file name<TAB>YYYY-MM-DD\"", name, n)
		}
		if !ValidDate(date) {
			return nil, fmt.Errorf("%s:%d: the second field is not a date in the form YYYY-MM-DD between %s and %s", name, n, MinDate, MaxDate)
		}
		if prev, dup := out[file]; dup && prev != date {
			return nil, fmt.Errorf("%s:%d: the file named here is dated twice (%s and %s)", name, n, prev, date)
		}
		out[file] = date
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

// MinDate and MaxDate bound the dates chorus accepts. Comment threads on
// the web are younger than 1970, and a date after 2099 is a typo or a
// placeholder ("9999-12-31"); taking such dates at their word would stretch
// every time series and chart over centuries of empty periods (a post dated
// 0001 and one dated 9999 once made the weekly rollup take 48 s and 1 GB).
// A date outside the range is treated as no date.
const (
	MinDate = "1970-01-01"
	MaxDate = "2099-12-31"
)

// ValidDate reports whether s is a real calendar date written YYYY-MM-DD,
// between MinDate and MaxDate.
func ValidDate(s string) bool {
	return calendarDate(s) && s >= MinDate && s <= MaxDate
}

// calendarDate reports whether s is a real calendar date written
// YYYY-MM-DD, of any year. Readers take such dates as the file gives them;
// Parse then leaves those outside MinDate..MaxDate undated, with a flag
// that says why.
func calendarDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
