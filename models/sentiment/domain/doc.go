// Package domain is the sentiment model for probation-staff blog comments,
// the default for comments in chorus.
//
// Off-the-shelf VADER reads these comments badly: staff complain in polite
// words ("support", "care", "good practice"), name their work in words VADER
// takes for feelings ("offender", "risk", "prison", "PO"), swear in British,
// and mock management language with scare quotes. Long comments also
// saturate VADER's compound score. This model keeps the VADER engine (so its
// negation, booster, "but" and emphasis rules still apply) and changes what
// it is fed and how its output is combined:
//
//   - an overlay lexicon (overlay.tsv, every entry with a reason) that
//     neutralises words naming the work, adds domain and British terms, and
//     adds phrases ("tick box", "not fit for purpose", "well said");
//   - scoring per sentence, then a comment score from the sum of sentence
//     valences divided by a power of the sentence count, so a long comment
//     of mild complaints stays mild (see lengthExponent);
//   - rules for scare quotes and "so-called", quotations of other people's
//     words, complaint questions, exasperated punctuation and swearing used
//     as an intensifier (rules.go);
//   - label thresholds chosen by cross-validation on hand labels (Calibrate).
//
// docs/sentiment.md gives the figures and the known limits.
//
// # What it owns, what it must not touch
//
// It owns the domain lexicon (the embedded overlay.tsv), the rules and the
// thresholds: New takes Options, Model.Score takes a comment's text and gives
// a Result (scores, label, Evidence), ScoreDetail adds the per-sentence
// Detail the learned model reads. It imports only the VADER
// engine (models/sentiment/vader) and models/evaluate, and must not import
// corpus, the store, the pipeline or reports, or know of SQL; it splits text
// itself (tokens.go) and must not depend on where a text came from.
// It knows nothing of files: ParseLexicon and ParseThresholds take bytes
// and FormatThresholds gives them; their callers (pipeline/modelfiles.go,
// `chorus calibrate`) read through internal/fsread with a size limit and
// write the file.
package domain
