// Package reports turns analysed comments into the files researchers read:
// per-period tables (CSV), trend regressions, PNG charts, a self-contained
// HTML page and a manifest.
//
// It knows nothing of models, files or SQL: the pipeline hands it an Input
// whose comments are already scored, tagged and redacted, and Write streams
// them once, so memory grows with the number of periods, posts and topics,
// never with the number of comments.
//
// # What it owns, what it must not touch
//
// It owns every output file's layout: columns, precision, order (encode.go,
// tables.go, write.go), aggregation and intervals (aggregate.go, stats.go),
// trends (trends.go), charts (charts.go, heatmap.go, and chartmarks.go for
// gaps, small periods and the record of what each chart drew, which the
// tests read), the page (html.go and its template) and the manifest. It must not import the pipeline or the store,
// read an input or the database, or run a model: everything arrives in an
// Input, already redacted.
package reports
