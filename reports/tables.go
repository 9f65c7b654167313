package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Decimal places by kind of figure. Fixed precision keeps the CSVs
// byte-identical across runs and platforms, and is more than the data can
// support (a compound score is itself rounded to 4 places by VADER).
const (
	precScore = 4 // compound, pos/neu/neg, shares, R²
	precCoef  = 6 // regression estimates, errors, intervals, t, p
)

// column is one column of an output table: name and values. Exactly one of
// the value slices is set; prec applies to floats, NaN is written empty.
type column struct {
	name string
	f    []float64
	i    []int
	s    []string
	prec int
}

func floatCol(name string, prec int, v []float64) column {
	return column{name: name, f: v, prec: prec}
}
func intCol(name string, v []int) column    { return column{name: name, i: v} }
func strCol(name string, v []string) column { return column{name: name, s: v} }
func constCol(name, v string, n int) column { return strCol(name, slices.Repeat([]string{v}, n)) }
func blankIntCol(name string, v []int) column { // ints where a negative value means "unknown"
	s := make([]string, len(v))
	for k, x := range v {
		if x >= 0 {
			s[k] = strconv.Itoa(x)
		}
	}
	return strCol(name, s)
}

// table is an output table held as a gota DataFrame, plus the precision of
// each float column (gota keeps values, not their print format).
type table struct {
	df   dataframe.DataFrame
	prec map[string]int
}

func newTable(cols ...column) (table, error) {
	t := table{prec: map[string]int{}}
	ss := make([]series.Series, len(cols))
	seen := map[string]bool{}
	for k, c := range cols {
		if seen[c.name] {
			return table{}, fmt.Errorf("column %q appears twice", c.name)
		}
		seen[c.name] = true
		switch {
		case c.f != nil:
			ss[k] = series.New(c.f, series.Float, c.name)
			t.prec[c.name] = c.prec
		case c.i != nil:
			ss[k] = series.New(c.i, series.Int, c.name)
		default:
			v := c.s
			if v == nil {
				v = []string{}
			}
			ss[k] = series.New(v, series.String, c.name)
		}
	}
	t.df = dataframe.New(ss...)
	if t.df.Err != nil {
		return table{}, fmt.Errorf("build table: %w", t.df.Err)
	}
	return t, nil
}

// writeCSV writes the table with a header row. Floats use the column's fixed
// precision; NaN (undefined: a mean of nothing, an interval from one value)
// is an empty cell, which R and pandas read as missing.
func (t table) writeCSV(w io.Writer) error {
	names := t.df.Names()
	nrow := t.df.Nrow()
	cells := make([][]string, len(names))
	for k, name := range names {
		col := t.df.Col(name)
		switch col.Type() {
		case series.Float:
			vals := col.Float()
			out := make([]string, nrow)
			for r, v := range vals {
				out[r] = formatFloat(v, t.prec[name])
			}
			cells[k] = out
		case series.Int:
			vals, err := col.Int()
			if err != nil {
				return fmt.Errorf("column %s: %w", name, err)
			}
			out := make([]string, nrow)
			for r, v := range vals {
				out[r] = strconv.Itoa(v)
			}
			cells[k] = out
		default:
			cells[k] = col.Records()
			for r, v := range cells[k] {
				cells[k][r] = neutralise(v)
			}
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(names); err != nil {
		return err
	}
	row := make([]string, len(names))
	for r := range nrow {
		for k := range names {
			row[k] = cells[k][r]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatFloat writes v with prec decimals, NaN and ±Inf as empty, and never
// "-0.0000" (a rounding artefact readers take for a sign).
func formatFloat(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		s = s[1:]
	}
	return s
}

// columnName turns a topic name into the suffix of its share_ column:
// lower case, runs of anything but [a-z0-9] become one underscore.
func columnName(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
			continue
		}
		if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// topicColumns returns the column suffix of every topic, failing when two
// topics would share a column.
func topicColumns(topics []Topic) ([]string, error) {
	out := make([]string, len(topics))
	seen := map[string]string{}
	for i, t := range topics {
		c := columnName(t.Name)
		if c == "" {
			return nil, fmt.Errorf("topic %q gives an empty column name", t.Name)
		}
		if prev, ok := seen[c]; ok {
			return nil, fmt.Errorf("topics %q and %q both give column share_%s", prev, t.Name, c)
		}
		seen[c] = t.Name
		out[i] = c
	}
	return out, nil
}

// dailyTable builds daily.csv: one row per non-empty period, contract
// columns first, added columns after, chorus_version last.
//
// adj holds each period's adjusted shares (NaN, written empty, when the
// model has no confusion matrix).
func dailyTable(ps []period, adj []adjusted, topics []Topic, tcols []string, version string) (table, error) {
	n := len(ps)
	date, end := make([]string, n), make([]string, n)
	count := make([]int, n)
	mean, lo, hi, sd := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var byLabel [3][]float64
	var nl [3][]int
	for l := range 3 {
		byLabel[l] = make([]float64, n)
		nl[l] = make([]int, n)
	}
	tshare := make([][]float64, len(topics))
	tn := make([][]int, len(topics))
	tmean := make([][]float64, len(topics))
	for ti := range topics {
		tshare[ti], tn[ti], tmean[ti] = make([]float64, n), make([]int, n), make([]float64, n)
	}
	for r, p := range ps {
		date[r] = p.start.Format(dateLayout)
		end[r] = p.end.Format(dateLayout)
		count[r] = p.all.n
		mean[r] = p.all.Mean()
		lo[r], hi[r] = meanCI(p.all)
		sd[r] = p.all.sd()
		for l := range 3 {
			byLabel[l][r] = p.share(p.byLabel[l])
			nl[l][r] = p.byLabel[l]
		}
		for ti := range topics {
			tshare[ti][r] = p.share(p.topicN[ti])
			tn[ti][r] = p.topicN[ti]
			tmean[ti][r] = p.topicAcc[ti].Mean()
		}
	}
	cols := []column{
		strCol("date", date),
		intCol("n_comments", count),
		floatCol("mean_compound", precScore, mean),
		floatCol("ci_low", precScore, lo),
		floatCol("ci_high", precScore, hi),
	}
	for l, name := range labels {
		cols = append(cols, floatCol("share_"+name, precScore, byLabel[l]))
	}
	for ti := range topics {
		cols = append(cols, floatCol("share_"+tcols[ti], precScore, tshare[ti]))
	}
	cols = append(cols, strCol("period_end", end), floatCol("sd_compound", precScore, sd))
	for l, name := range labels {
		cols = append(cols, intCol("n_"+name, nl[l]))
	}
	for ti := range topics {
		cols = append(cols, intCol("n_"+tcols[ti], tn[ti]))
	}
	for ti := range topics {
		cols = append(cols, floatCol("mean_compound_"+tcols[ti], precScore, tmean[ti]))
	}
	for l, name := range labels {
		v, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
		for r := range ps {
			v[r], lo[r], hi[r] = adj[r].share[l], adj[r].lo[l], adj[r].hi[l]
		}
		cols = append(cols, floatCol("share_"+name+"_adj", precScore, v),
			floatCol("share_"+name+"_adj_lo", precScore, lo), floatCol("share_"+name+"_adj_hi", precScore, hi))
	}
	cols = append(cols, constCol("chorus_version", version, n))
	return newTable(cols...)
}

// topicsTable builds topics.csv: one row per topic in taxonomy order, over
// every non-duplicate comment, dated or not.
func topicsTable(a *aggregator, tcols []string, version string) (table, error) {
	n := len(a.topics)
	name, label, col := make([]string, n), make([]string, n), make([]string, n)
	count, und := make([]int, n), make([]int, n)
	share, mean, lo, hi, sd := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for ti, t := range a.topics {
		name[ti], label[ti], col[ti] = t.Name, t.Label, "share_"+tcols[ti]
		acc := a.overall.topicAcc[ti]
		count[ti] = acc.n
		und[ti] = a.topicUnd[ti]
		share[ti] = a.overall.share(acc.n)
		mean[ti] = acc.Mean()
		lo[ti], hi[ti] = meanCI(acc)
		sd[ti] = acc.sd()
	}
	return newTable(
		strCol("topic", name),
		strCol("label", label),
		intCol("n_comments", count),
		floatCol("share_comments", precScore, share),
		floatCol("mean_compound", precScore, mean),
		floatCol("ci_low", precScore, lo),
		floatCol("ci_high", precScore, hi),
		floatCol("sd_compound", precScore, sd),
		intCol("n_undated", und),
		strCol("daily_column", col),
		constCol("chorus_version", version, n),
	)
}

// postRow is one row of posts.csv.
type postRow struct {
	Post
	agg postAgg
}

// postsTable builds posts.csv sorted by date (undated last), then post ID.
// Posts named only by comments (absent from Input.Posts) still get a row.
func postsTable(in Input, a *aggregator) (table, error) {
	rows := make([]postRow, 0, len(in.Posts))
	listed := map[string]bool{}
	for _, p := range in.Posts {
		if listed[p.ID] {
			continue
		}
		listed[p.ID] = true
		r := postRow{Post: p}
		if pa := a.posts[p.ID]; pa != nil {
			r.agg = *pa
		}
		rows = append(rows, r)
	}
	for id, pa := range a.posts {
		if !listed[id] {
			p := Post{ID: id, Date: pa.date, DateSource: pa.dateSource, SourceFile: pa.sourceFile, Declared: -1}
			rows = append(rows, postRow{Post: p, agg: *pa})
		}
	}
	slices.SortFunc(rows, func(x, y postRow) int {
		if (x.Date == "") != (y.Date == "") {
			if x.Date == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(x.Date, y.Date); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	n := len(rows)
	id, date, src, title, file, sid := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	declared, found, dup := make([]int, n), make([]int, n), make([]int, n)
	mean := make([]float64, n)
	for r, p := range rows {
		id[r], date[r], src[r], title[r], file[r], sid[r] = p.ID, p.Date, p.DateSource, p.Title, p.SourceFile, p.SourceID
		declared[r], found[r], dup[r] = p.Declared, p.agg.found, p.agg.dup
		mean[r] = p.agg.compound.Mean()
	}
	return newTable(
		strCol("post_id", id),
		strCol("post_date", date),
		strCol("date_source", src),
		strCol("title", title),
		strCol("source_file", file),
		blankIntCol("declared_comments", declared),
		intCol("found_comments", found),
		floatCol("mean_compound", precScore, mean),
		intCol("duplicate_comments", dup),
		strCol("source_post_id", sid),
		constCol("chorus_version", in.Version, n),
	)
}

// rejectsTable builds rejects.csv sorted by path, then reason.
func rejectsTable(rs []Reject, version string) (table, error) {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(x, y Reject) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return strings.Compare(x.Reason, y.Reason)
	})
	n := len(rs)
	path, sum, reason := make([]string, n), make([]string, n), make([]string, n)
	for k, r := range rs {
		path[k], sum[k], reason[k] = r.Path, r.SHA256, r.Reason
	}
	return newTable(strCol("path", path), strCol("sha256", sum), strCol("reason", reason),
		constCol("chorus_version", version, n))
}

// warningsTable builds warnings.csv in the order given: file order, then
// the order each reader met them.
func warningsTable(ws []Warning, version string) (table, error) {
	n := len(ws)
	file, kind, problem, action := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	line, offset, count := make([]int, n), make([]int, n), make([]int, n)
	for i, w := range ws {
		file[i], kind[i], problem[i], action[i] = w.File, w.Kind, w.Problem, w.Action
		line[i], offset[i], count[i] = w.Line, int(w.Offset), w.Count
		if line[i] == 0 {
			line[i] = -1 // no line: an empty cell
		}
	}
	return newTable(strCol("file", file), blankIntCol("line", line), blankIntCol("offset", offset),
		strCol("kind", kind), intCol("count", count), strCol("problem", problem), strCol("action", action),
		constCol("chorus_version", version, n))
}

// commentHeader is the header of comments.csv: the contract columns, then
// the added ones (topic_scores; the archive's own ids of the post and the
// comment), then chorus_version.
var commentHeader = []string{
	"comment_id", "post_id", "post_date", "date_source", "source_file", "section",
	"depth", "parent_id", "n_tokens", "n_sentences", "compound", "pos", "neu", "neg",
	"label", "evidence", "topics", "topic_evidence", "duplicate_of", "text",
	"topic_scores", "source_post_id", "source_comment_id", "chorus_version",
}
