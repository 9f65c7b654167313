package reports

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed report.html.tmpl
var pageTemplate string

// pageTmpl is parsed once; html/template escapes every value by context, so
// comment text, titles and evidence can never become markup.
var pageTmpl = template.Must(template.New("index.html").Funcs(template.FuncMap{
	"share": shareText, // 0 to 1, as in the tables and charts
	"f4":    func(v float64) string { return orDash(formatFloat(v, precScore)) },
	"f3":    func(v float64) string { return orDash(formatFloat(v, 3)) },
	"pval": func(v float64) string {
		switch {
		case math.IsNaN(v):
			return "–"
		case v < 0.0001:
			return "< 0.0001"
		}
		return formatFloat(v, 4)
	},
	"fig": figText, // value [low, high], as chorus label agree and chorus train print it
	"sig": func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		return formatFloat(v, 4)
	},
}).Parse(pageTemplate))

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// maxTextRunes caps comment text on the page; comments.csv has it whole.
const maxTextRunes = 700

// page is everything the template shows.
type page struct {
	Version, Period, StartedAt, Model, Lexicon, Taxonomy string
	First, Last                                          string
	Analysed, Duplicates, Dated, Undated, BadDates       int
	Posts, Periods, Rejected, UndatedPosts               int
	SmallN                                               int // periods with fewer comments are drawn hollow or faded
	Mean, CILow, CIHigh                                  float64
	Shares                                               [3]float64
	Slope                                                *pageTrend
	Charts                                               []pageChart
	Trends                                               []pageTrend
	Events                                               []pageEvent
	Topics                                               []pageTopic
	Negative, Positive                                   []pageComment
	UndatedList                                          []Post
	UndatedMore                                          int
	Rejects                                              []Reject
	// The data quality box: warnings counted by kind, and the first few.
	WarningKinds []pageCount
	Warnings     []Warning
	WarningsMore int
	// Validation is the hand labels' figures (validation.go).
	Validation Validation
}

// pageCount is a count with its name, for the page.
type pageCount struct {
	Name string
	N    int
}

// pageTrend is a trendRow with exported fields for the template.
type pageTrend struct {
	Series, Model, Term, Event, EventDate, Unit, Note string
	Est, SE, Lo, Hi, P, R2                            float64
	N                                                 int
}

func toPageTrend(r trendRow) pageTrend {
	return pageTrend{Series: r.series, Model: r.model, Term: r.term, Event: r.event, EventDate: r.eventDate,
		Unit: r.unit, Note: r.note, Est: r.est, SE: r.se, Lo: r.lo, Hi: r.hi, P: r.p, R2: r.r2, N: r.n}
}

type pageEvent struct {
	Date, Name, Description, Note string
	Used                          bool
}

type pageChart struct {
	Title, Alt, File string
	Src              template.URL
}

type pageTopic struct {
	Name, Label, Column     string
	N, Undated              int
	Share, Mean, Lo, Hi     float64
	Slope, SlopeLo, SlopeHi float64
	SlopeP                  float64
}

type pageComment struct {
	ID, PostID, Date, Label, Evidence, Topics, Text string
	Compound                                        float64
	Truncated                                       bool
}

// maxUndatedPosts caps the undated-post list on the page.
const maxUndatedPosts = 50

// maxPageWarnings caps the warnings listed on the page; warnings.csv has them all.
const maxPageWarnings = 30

func buildPage(in Input, a *aggregator, ps []period, evs []eventFit, trows []trendRow, charts []chart, tcols []string) page {
	pg := page{
		Version: in.Version, Period: in.Period, StartedAt: in.Manifest.StartedAt,
		Model: in.Manifest.SentimentModel, Lexicon: in.Manifest.LexiconSHA256, Taxonomy: in.Manifest.TaxonomySHA256,
		Analysed: a.overall.all.n, Duplicates: a.dups, Undated: a.undated.all.n, BadDates: a.badDates + dateWarnings(in.Warnings),
		Posts: countPosts(in, a), Periods: len(ps), Rejected: len(in.Rejects), UndatedPosts: len(a.undPosts),
		Mean: a.overall.all.Mean(), SmallN: smallN, Validation: in.Validation,
	}
	for _, e := range evs {
		pg.Events = append(pg.Events, pageEvent{Date: e.Date, Name: e.Name, Description: e.Description, Note: e.note, Used: e.used})
	}
	pg.Dated = pg.Analysed - pg.Undated
	pg.CILow, pg.CIHigh = meanCI(a.overall.all)
	for l := range 3 {
		pg.Shares[l] = a.overall.share(a.overall.byLabel[l])
	}
	if len(ps) > 0 {
		pg.First, pg.Last = ps[0].start.Format(dateLayout), ps[len(ps)-1].end.Format(dateLayout)
	}
	for _, c := range charts {
		pg.Charts = append(pg.Charts, pageChart{Title: c.Title, Alt: c.Alt, File: "charts/" + c.Name,
			// A data: URI built here from our own PNG bytes; template.URL
			// tells html/template it is safe in a src attribute.
			Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(c.PNG))})
	}
	slopes := map[string]trendRow{}
	for _, r := range trows {
		if r.model == "linear" && r.term == "slope" {
			slopes[r.series] = r
			if r.series == "mean_compound" {
				t := toPageTrend(r)
				pg.Slope = &t
			}
		}
		// The page shows every linear row and the segmented model of
		// mean_compound; trends.csv has the segmented rows of every series.
		if r.model == "linear" || r.series == "mean_compound" {
			pg.Trends = append(pg.Trends, toPageTrend(r))
		}
	}
	for ti, t := range in.Topics {
		acc := a.overall.topicAcc[ti]
		lo, hi := meanCI(acc)
		s, ok := slopes["share_"+tcols[ti]]
		if !ok {
			s = trendRow{est: math.NaN(), lo: math.NaN(), hi: math.NaN(), p: math.NaN()}
		}
		pg.Topics = append(pg.Topics, pageTopic{Name: t.Name, Label: topicLabel(t), Column: "share_" + tcols[ti],
			N: acc.n, Undated: a.topicUnd[ti], Share: a.overall.share(acc.n), Mean: acc.Mean(), Lo: lo, Hi: hi,
			Slope: s.est, SlopeLo: s.lo, SlopeHi: s.hi, SlopeP: s.p})
	}
	pg.Negative = pageComments(a.neg.items)
	pg.Positive = pageComments(a.pos.items)

	var und []Post
	for _, p := range in.Posts {
		if a.undPosts[p.ID] {
			und = append(und, p)
		}
	}
	slices.SortFunc(und, func(x, y Post) int { return strings.Compare(x.ID, y.ID) })
	und = slices.CompactFunc(und, func(x, y Post) bool { return x.ID == y.ID })
	if len(und) > maxUndatedPosts {
		pg.UndatedMore = len(und) - maxUndatedPosts
		und = und[:maxUndatedPosts]
	}
	pg.UndatedList = und
	kinds := map[string]int{}
	for _, w := range in.Warnings {
		kinds[w.Kind] += w.Count
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		pg.WarningKinds = append(pg.WarningKinds, pageCount{k, kinds[k]})
	}
	pg.Warnings = in.Warnings
	if len(pg.Warnings) > maxPageWarnings {
		pg.Warnings, pg.WarningsMore = pg.Warnings[:maxPageWarnings], len(pg.Warnings)-maxPageWarnings
	}
	pg.Rejects = slices.Clone(in.Rejects)
	slices.SortFunc(pg.Rejects, func(x, y Reject) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return strings.Compare(x.Reason, y.Reason)
	})
	return pg
}

func pageComments(cs []Comment) []pageComment {
	out := make([]pageComment, len(cs))
	for i, c := range cs {
		text, cut := truncateRunes(c.Text, maxTextRunes)
		out[i] = pageComment{ID: c.ID, PostID: c.PostID, Date: c.PostDate, Label: c.Label, Evidence: c.Evidence,
			Topics: strings.Join(c.Topics, ", "), Text: text, Compound: c.Compound, Truncated: cut}
	}
	return out
}

func truncateRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	k := 0
	for i := range s {
		if k == n {
			return s[:i], true
		}
		k++
	}
	return s, false
}

func renderHTML(w io.Writer, pg page) error {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, pg); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	_, err := w.Write(stripBidi(buf.Bytes()))
	return err
}

// stripBidi removes the Unicode bidirectional embedding, override and
// isolate controls (U+202A..U+202E, U+2066..U+2069) from the page. One in a
// comment, a title or a file name reorders the text after it on screen
// (an "evil.exe" shown as "exe.live"), and html/template, which escapes
// markup, leaves them alone. The page has none of its own, so they are
// stripped from the whole page at once. The marks U+200E, U+200F and U+061C,
// which only set a direction where one is ambiguous, are kept.
func stripBidi(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); {
		if b[i] == 0xE2 && i+2 < len(b) {
			c1, c2 := b[i+1], b[i+2]
			if c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE || c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9 {
				i += 3
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}
