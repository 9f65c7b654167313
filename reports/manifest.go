package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// manifestFile is the JSON shape of manifest.json. Field order is fixed by
// the struct and map keys are sorted by encoding/json, so the file is
// byte-identical for the same input apart from started_at, finished_at and
// the stage seconds.
type manifestFile struct {
	ChorusVersion  string `json:"chorus_version"`
	StartedAt      string `json:"started_at"`
	FinishedAt     string `json:"finished_at"`
	Period         string `json:"period"`
	SentimentModel string `json:"sentiment_model"`
	SentimentNote  string `json:"sentiment_note,omitempty"`
	// SentimentConfusion is the confusion matrix the adjusted shares used
	// (null without one).
	SentimentConfusion *[3][3]int      `json:"sentiment_confusion"`
	ModelVersion       string          `json:"model_version"`
	LexiconSHA256      string          `json:"lexicon_sha256"`
	TaxonomySHA256     string          `json:"taxonomy_sha256"`
	ConfigSHA256       string          `json:"config_sha256"`
	Config             json.RawMessage `json:"config"`
	Inputs             []InputFile     `json:"inputs"`
	Counts             map[string]int  `json:"counts"`
	ReportCounts       reportCounts    `json:"report_counts"`
	DateRange          dateRange       `json:"date_range"`
	Topics             []string        `json:"topics"`
	Events             []manifestEvent `json:"events"`
	Validation         Validation      `json:"validation"`
	Stages             []Stage         `json:"stages"`
	Outputs            []OutputFile    `json:"outputs"`
}

// reportCounts are the counts reports computes from the comment stream.
type reportCounts struct {
	CommentRows      int `json:"comment_rows"`       // rows of comments.csv
	Duplicates       int `json:"duplicates"`         // rows with duplicate_of set, left out of aggregates
	Analysed         int `json:"analysed"`           // rows in the aggregates (comment_rows - duplicates)
	Dated            int `json:"dated"`              // analysed comments with a valid post date
	Undated          int `json:"undated"`            // analysed comments without one (includes bad_dates)
	BadDates         int `json:"bad_dates"`          // post dates the readers could not use (date warnings), or not YYYY-MM-DD
	UndatedPosts     int `json:"undated_posts"`      // posts of the undated comments
	Posts            int `json:"posts"`              // rows of posts.csv
	Periods          int `json:"periods"`            // rows of daily.csv
	Rejects          int `json:"rejects"`            // rows of rejects.csv
	EventsInSegments int `json:"events_in_segments"` // events the segmented fit uses
}

type dateRange struct {
	First string `json:"first"` // first period start, "" without dated comments
	Last  string `json:"last"`  // last period end
}

type manifestEvent struct {
	Date        string `json:"date"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Used        bool   `json:"used_in_segmented_fit"`
	Note        string `json:"note"`
}

func buildManifest(in Input, a *aggregator, ps []period, evs []eventFit, outputs []OutputFile, took time.Duration) manifestFile {
	m := in.Manifest
	mf := manifestFile{
		ChorusVersion:      in.Version,
		StartedAt:          m.StartedAt,
		FinishedAt:         m.FinishedAt,
		Period:             in.Period,
		SentimentModel:     m.SentimentModel,
		SentimentNote:      m.SentimentNote,
		SentimentConfusion: in.Confusion,
		ModelVersion:       m.ModelVersion,
		LexiconSHA256:      m.LexiconSHA256,
		TaxonomySHA256:     m.TaxonomySHA256,
		ConfigSHA256:       m.ConfigSHA256,
		Config:             compactJSON(m.Config),
		Inputs:             slices.Clone(m.Inputs),
		Counts:             maps.Clone(m.Counts),
		Topics:             make([]string, len(in.Topics)),
		Events:             make([]manifestEvent, len(evs)),
		Stages:             append(slices.Clone(m.Stages), Stage{Name: "report", Seconds: took.Seconds(), Items: a.rows}),
		Outputs:            sortedOutputs(outputs),
		Validation:         in.Validation,
	}
	if mf.Validation.Coders == nil {
		mf.Validation.Coders = []string{}
	}
	if mf.Inputs == nil {
		mf.Inputs = []InputFile{}
	}
	slices.SortFunc(mf.Inputs, func(x, y InputFile) int { return strings.Compare(x.Path, y.Path) })
	if mf.Counts == nil {
		mf.Counts = map[string]int{}
	}
	// The input warnings, counted by kind (how many times each problem
	// occurred), beside the pipeline's own counts.
	for _, w := range in.Warnings {
		mf.Counts["warnings"] += w.Count
		mf.Counts["warnings_"+w.Kind] += w.Count
	}
	for i, t := range in.Topics {
		mf.Topics[i] = t.Name
	}
	used := 0
	for i, e := range evs {
		mf.Events[i] = manifestEvent{Date: e.Date, Name: e.Name, Description: e.Description, Used: e.used, Note: e.note}
		if e.used {
			used++
		}
	}
	dated := 0
	for _, p := range ps {
		dated += p.all.n
	}
	if len(ps) > 0 {
		mf.DateRange = dateRange{First: ps[0].start.Format(dateLayout), Last: ps[len(ps)-1].end.Format(dateLayout)}
	}
	mf.ReportCounts = reportCounts{
		CommentRows:      a.rows,
		Duplicates:       a.dups,
		Analysed:         a.overall.all.n,
		Dated:            dated,
		Undated:          a.undated.all.n,
		BadDates:         a.badDates + dateWarnings(in.Warnings),
		UndatedPosts:     len(a.undPosts),
		Periods:          len(ps),
		Rejects:          len(in.Rejects),
		EventsInSegments: used,
	}
	mf.ReportCounts.Posts = countPosts(in, a)
	return mf
}

// dateWarnings counts the post dates the readers could not use (kind
// date): missing where the layout has one, not a calendar date, outside
// 1970-2099, or contradicting an earlier one. Their posts are undated.
func dateWarnings(ws []Warning) int {
	n := 0
	for _, w := range ws {
		if w.Kind == "date" {
			n += w.Count
		}
	}
	return n
}

// countPosts is the number of rows of posts.csv: listed posts plus posts
// known only from their comments.
func countPosts(in Input, a *aggregator) int {
	seen := map[string]bool{}
	for _, p := range in.Posts {
		seen[p.ID] = true
	}
	n := len(seen)
	for id := range a.posts {
		if !seen[id] {
			n++
		}
	}
	return n
}

// compactJSON compacts the pipeline's config; invalid JSON is kept as a
// JSON string so the manifest stays valid and the value is not lost.
func compactJSON(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("null")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		s, _ := json.Marshal(string(raw))
		return s
	}
	return buf.Bytes()
}

func writeManifest(w io.Writer, m manifestFile) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
