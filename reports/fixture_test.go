package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Fixtures are invented: no text from the shared corpus.

var fixtureTopics = []Topic{
	{Name: "workload", Label: "Workload & caseloads"},
	{Name: "morale", Label: "Staff morale"},
	{Name: "privatisation", Label: "Privatisation & CRCs"},
	{Name: "pay", Label: "Pay & conditions"},
	{Name: "management", Label: "Management"},
	{Name: "it_systems", Label: "IT systems"},
	{Name: "reunification", Label: "Reunification"},
	{Name: "training", Label: "Training"},
}

var fixtureEvents = []Event{
	{Date: "2014-06-01", Name: "NPS/CRC split", Description: "Probation split into the National Probation Service and 21 CRCs"},
	{Date: "2015-02-01", Name: "CRCs transferred", Description: "CRCs transferred to their new owners"},
	{Date: "2018-07-27", Name: "CRC contracts to end early", Description: "Announcement that CRC contracts would end early"},
	{Date: "2019-05-16", Name: "Reunification announced", Description: "Announcement that offender management would be reunified"},
	{Date: "2021-06-26", Name: "Reunification", Description: "CRC work returned to the National Probation Service"},
}

// labelOf applies the usual VADER thresholds.
func labelOf(c float64) string {
	switch {
	case c >= 0.05:
		return "positive"
	case c <= -0.05:
		return "negative"
	}
	return "neutral"
}

// realisticInput is a few hundred invented comments on posts from 2014 to
// 2021, with a dip after the split and a recovery after reunification is
// announced, some undated posts, duplicates and a rejected file.
func realisticInput(period string) Input {
	rng := rand.New(rand.NewPCG(7, 11))
	words := map[string][]string{
		"workload":      {"caseload is through the roof", "too many cases", "no time for supervision"},
		"morale":        {"morale is at rock bottom", "colleagues leaving in droves", "the team is exhausted"},
		"privatisation": {"the CRC owners", "payment by results", "the split was a disaster"},
		"pay":           {"no pay rise again", "pay freeze", "terms and conditions"},
		"management":    {"senior managers", "the chief exec", "target culture"},
		"it_systems":    {"nDelius crashed again", "the new IT system", "laptops that do not work"},
		"reunification": {"coming back together", "reunification at last", "one service again"},
		"training":      {"PQiP learners", "no proper training", "induction was good"},
	}
	start := time.Date(2014, 1, 6, 0, 0, 0, 0, time.UTC)
	end := time.Date(2021, 12, 20, 0, 0, 0, 0, time.UTC)
	var posts []Post
	var comments []Comment
	nPosts := 160
	for pi := range nPosts {
		frac := float64(pi) / float64(nPosts-1)
		d := start.Add(time.Duration(frac * float64(end.Sub(start))))
		d = d.Truncate(24 * time.Hour)
		date := d.Format(dateLayout)
		src := "dateline"
		if pi%37 == 5 {
			date, src = "", "none"
		}
		p := Post{ID: fmt.Sprintf("p%03d", pi), Date: date, DateSource: src, Title: fmt.Sprintf("Post number %d", pi),
			SourceFile: fmt.Sprintf("seed-%d.txt", pi%3), Declared: -1}
		if pi%2 == 0 {
			p.Declared = 4
		}
		nc := 1 + rng.IntN(7)
		if d.Year() == 2014 || d.Year() == 2015 {
			nc += 3
		}
		base := -0.05
		switch {
		case d.Before(time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC)):
			base = -0.05
		case d.Before(time.Date(2019, 5, 16, 0, 0, 0, 0, time.UTC)):
			base = -0.35 + 0.03*float64(d.Year()-2014)
		default:
			base = 0.1
		}
		for ci := range nc {
			c := math.Max(-0.99, math.Min(0.99, base+0.45*rng.NormFloat64()))
			c = math.Round(c*10000) / 10000
			var topics []string
			var ev []string
			for ti, t := range fixtureTopics {
				pr := 0.12
				if t.Name == "privatisation" && d.Year() <= 2016 {
					pr = 0.45
				}
				if t.Name == "reunification" {
					pr = 0.02
					if d.Year() >= 2019 {
						pr = 0.5
					}
				}
				if ti == 0 {
					pr = 0.3
				}
				if rng.Float64() < pr {
					topics = append(topics, t.Name)
					ev = append(ev, words[t.Name][rng.IntN(3)])
				}
			}
			text := "I think " + strings.Join(ev, " and ") + "."
			if len(ev) == 0 {
				text = "Thanks for posting this."
			}
			pos, neg := math.Max(0, c)*0.5, math.Max(0, -c)*0.5
			cm := Comment{
				ID: fmt.Sprintf("%s-c%02d", p.ID, ci), PostID: p.ID, PostDate: date, DateSource: src,
				SourceFile: p.SourceFile, Section: "thread", Depth: 0,
				NTokens: 5 + len(strings.Fields(text)), NSentences: 1,
				Compound: c, Pos: pos, Neg: neg, Neu: 1 - pos - neg, Label: labelOf(c),
				Evidence: fmt.Sprintf("shambles(%.1f)", -2+4*rng.Float64()), Topics: topics,
				TopicEvidence: strings.Join(ev, "; "), Text: text,
			}
			if len(topics) > 0 {
				cm.TopicScores = map[string]float64{topics[0]: 0.5 + 0.5*rng.Float64()}
			}
			comments = append(comments, cm)
			if ci == 2 && pi%11 == 0 {
				dup := cm
				dup.ID += "-dup"
				dup.DuplicateOf = cm.ID
				comments = append(comments, dup)
			}
		}
		posts = append(posts, p)
	}
	in := Input{
		Version: "0.0.0-test", Period: period, Topics: fixtureTopics, Events: fixtureEvents, Posts: posts,
		Rejects: []Reject{{Path: "inputs/broken.bin", SHA256: strings.Repeat("ab", 32), Reason: "binary file: not a blog archive"}},
		// An invented confusion matrix, as a learned model's weights carry.
		Confusion: &[3][3]int{{40, 10, 5}, {8, 14, 3}, {2, 3, 8}},
		Manifest: Manifest{
			StartedAt: "2024-01-01T02:00:00Z", SentimentModel: "domain", ModelVersion: "test",
			LexiconSHA256: strings.Repeat("1", 64), TaxonomySHA256: strings.Repeat("2", 64),
			Config: json.RawMessage(`{"period": "` + period + `", "workers": 4}`),
			Inputs: []InputFile{{Path: "seed-1.txt", SHA256: strings.Repeat("c", 64), Format: "blogger", Posts: 53, Comments: 300}},
			Stages: []Stage{{Name: "read", Seconds: 0.5, Items: 3}},
			Counts: map[string]int{"files": 4},
		},
	}
	RowsOf(&in, comments)
	return in
}

// smallInput is the golden fixture: a dozen comments chosen to exercise
// every path (undated, duplicate, unlisted post, one-comment periods,
// quoting, a comment with markup, a topic nobody uses).
func smallInput() Input {
	in := smallInputWithout()
	RowsOf(&in, smallComments())
	return in
}

// smallTopics are smallInput's topics.
var smallTopics = []Topic{{Name: "workload", Label: "Workload"}, {Name: "pay", Label: "Pay"}, {Name: "unused", Label: "Unused"}}

// smallPosts are smallInput's posts.
func smallPosts() []Post {
	return []Post{
		{ID: "a", Date: "2015-01-05", DateSource: "dateline", Title: "Monday, \"quoted\"", SourceFile: "s1.txt", Declared: 3, Found: 3},
		{ID: "b", Date: "2015-01-07", DateSource: "dateline", Title: "Wednesday", SourceFile: "s1.txt", Declared: -1, Found: 2},
		{ID: "c", Date: "2015-01-20", DateSource: "feed", Title: "Later, with comma", SourceFile: "s2.xml", Declared: 1, Found: 1},
		{ID: "d", Date: "2015-02-10", DateSource: "feed", Title: "February", SourceFile: "s2.xml", Declared: 2, Found: 2},
		{ID: "e", Date: "2015-03-02", DateSource: "feed", Title: "March", SourceFile: "s2.xml", Declared: 1, Found: 1},
		{ID: "u", Date: "", DateSource: "none", Title: "Undated", SourceFile: "s3.txt", Declared: -1, Found: 1},
	}
}

// smallComments are smallInput's comments.
func smallComments() []Comment {
	cs := []Comment{
		{ID: "a1", PostID: "a", PostDate: "2015-01-05", Compound: -0.5, Neg: 0.4, Neu: 0.6, Label: "negative", Topics: []string{"workload"}, Evidence: "shambles(-2.1)", Text: "What a shambles, \"truly\"."},
		{ID: "a2", PostID: "a", PostDate: "2015-01-05", Compound: 0.25, Pos: 0.3, Neu: 0.7, Label: "positive", Topics: []string{"workload", "pay"}, TopicScores: map[string]float64{"pay": 0.25, "workload": 0.75}, Text: "Line one\nline two"},
		{ID: "a3", PostID: "a", PostDate: "2015-01-05", Compound: 0, Neu: 1, Label: "neutral", Text: "ok", ParentID: "a1", Depth: 1},
		{ID: "b1", PostID: "b", PostDate: "2015-01-07", Compound: -0.75, Neg: 0.6, Neu: 0.4, Label: "negative", Topics: []string{"pay"}, Text: "<script>alert(1)</script>"},
		{ID: "b2", PostID: "b", PostDate: "2015-01-07", Compound: 0.5, Pos: 0.5, Neu: 0.5, Label: "positive", Text: "well said"},
		{ID: "b2x", PostID: "b", PostDate: "2015-01-07", Compound: 0.5, Pos: 0.5, Neu: 0.5, Label: "positive", Text: "well said", DuplicateOf: "b2"},
		{ID: "c1", PostID: "c", PostDate: "2015-01-20", Compound: -0.25, Neg: 0.2, Neu: 0.8, Label: "negative", Topics: []string{"workload"}, Text: "too many cases"},
		{ID: "d1", PostID: "d", PostDate: "2015-02-10", Compound: 0.1, Pos: 0.1, Neu: 0.9, Label: "positive", Text: "fine"},
		{ID: "d2", PostID: "d", PostDate: "2015-02-10", Compound: 0.3, Pos: 0.3, Neu: 0.7, Label: "positive", Topics: []string{"pay"}, Text: "pay rise, at last"},
		{ID: "e1", PostID: "e", PostDate: "2015-03-02", Compound: -0.9, Neg: 0.9, Neu: 0.1, Label: "negative", Topics: []string{"workload"}, Text: "dreadful"},
		{ID: "u1", PostID: "u", PostDate: "", DateSource: "none", Compound: 0.2, Pos: 0.2, Neu: 0.8, Label: "positive", Topics: []string{"pay"}, Text: "no date here"},
		{ID: "x1", PostID: "x", PostDate: "2015-03-04", Compound: -0.05, Neu: 0.95, Neg: 0.05, Label: "negative", Text: "post not listed"},
	}
	for i := range cs {
		if cs[i].Section == "" {
			cs[i].Section = "thread"
		}
		if cs[i].DateSource == "" {
			cs[i].DateSource = "dateline"
		}
		cs[i].NTokens, cs[i].NSentences = len(strings.Fields(cs[i].Text)), 1
	}
	return cs
}

// smallInputWithout is smallInput without its comments.
func smallInputWithout() Input {
	return Input{
		Version: "0.0.0-test", Period: PeriodWeek, Topics: smallTopics,
		Events: []Event{
			{Date: "2015-01-19", Name: "Week three", Description: "An invented event inside the data"},
			{Date: "2016-01-01", Name: "Later", Description: "An event after the data"},
		},
		Posts:    smallPosts(),
		Rejects:  []Reject{{Path: "z.bin", SHA256: "00ff", Reason: "not text"}, {Path: "a.bin", SHA256: "ff00", Reason: "empty file"}},
		Manifest: Manifest{StartedAt: "2024-01-01T00:00:00Z", SentimentModel: "vader", Config: json.RawMessage(`{ "period": "week" }`)},
	}
}

// Months of gapsInput with no comments, and its month of two.
var (
	gapsEmpty = []string{"2017-03-01", "2018-05-01", "2018-06-01"}
	gapsTwo   = "2017-09-01"
)

// gapsInput is three years of monthly posts (2016 to 2018) with 14
// comments each, except that March 2017 and May-June 2018 have no post
// (empty months) and September 2017 has two comments, both on
// privatisation: a share of 1 on n=2, the spike the charts must not show
// unqualified. "training" is on four comments only (a small topic).
func gapsInput() Input {
	rng := rand.New(rand.NewPCG(3, 5))
	var posts []Post
	var comments []Comment
	training := 0
	for m := range 36 {
		d := time.Date(2016, time.Month(1+m), 10, 0, 0, 0, 0, time.UTC)
		month := d.Format("2006-01") + "-01"
		if slices.Contains(gapsEmpty, month) {
			continue
		}
		p := Post{ID: fmt.Sprintf("g%02d", m), Date: d.Format(dateLayout), DateSource: "dateline", Title: "Month " + month,
			SourceFile: "gaps.txt", Declared: -1}
		posts = append(posts, p)
		nc := 14
		if month == gapsTwo {
			nc = 2
		}
		for ci := range nc {
			c := math.Round(math.Max(-0.99, math.Min(0.99, -0.2+0.4*rng.NormFloat64()))*10000) / 10000
			var topics []string
			for _, t := range fixtureTopics[:6] {
				if rng.Float64() < 0.2 {
					topics = append(topics, t.Name)
				}
			}
			if month == gapsTwo {
				topics = []string{"privatisation"}
			}
			if ci == 0 && m%8 == 1 && training < 4 {
				topics = append(topics, "training")
				training++
			}
			comments = append(comments, Comment{
				ID: fmt.Sprintf("%s-c%02d", p.ID, ci), PostID: p.ID, PostDate: p.Date, DateSource: p.DateSource,
				SourceFile: p.SourceFile, Section: "thread", NTokens: 6, NSentences: 1,
				Compound: c, Pos: math.Max(0, c) / 2, Neg: math.Max(0, -c) / 2, Neu: 1 - math.Abs(c)/2, Label: labelOf(c),
				Topics: topics, Text: "An invented comment.",
			})
		}
	}
	in := Input{
		Version: "0.0.0-test", Period: PeriodMonth, Topics: fixtureTopics, Events: fixtureEvents, Posts: posts,
		Confusion: &[3][3]int{{40, 10, 5}, {8, 14, 3}, {2, 3, 8}},
		Manifest:  Manifest{StartedAt: "2024-01-01T02:00:00Z", SentimentModel: "domain", Config: json.RawMessage(`{}`)},
	}
	RowsOf(&in, comments)
	return in
}
