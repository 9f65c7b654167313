// Package evaluate computes the agreement figures researchers quote for a
// model: F1 per class and macro-averaged, accuracy, a confusion matrix,
// Spearman and Pearson correlations, and bootstrap 95% intervals for each.
//
// An interval matters as much as the figure: on 93 hand-labelled comments a
// macro-F1 of 0.55 could as well be 0.45 or 0.65, and a paper should say so.
//
// # What it owns, what it must not touch
//
// It owns the statistics every model and report quotes: it takes gold labels
// and predictions (slices of labels, scores or groups) and gives figures with
// intervals, folds grouped by post (GroupFolds) and prevalence corrected for
// a known confusion matrix (AdjustShares). It imports no chorus package and
// must not import another model, the store, the pipeline or reports: models
// and reports import it. Like every model package it knows nothing of files
// or SQL: ParseSentimentGold and ParseGroundTruth take bytes, which their
// callers (cmd/chorus) read through internal/fsread with a size limit.
package evaluate
