// Package learned is chorus's default sentiment model for comments: a
// multinomial (negative / neutral / positive) logistic regression over the
// evidence the lexicon model (models/sentiment/domain) computes for a
// comment, plus a small hashed bag of words and bigrams.
//
// The lexicon model's hand-set rules and thresholds were fitted by eye to
// 93 labelled comments; on comments it was never tuned on it labelled
// little better than VADER. This model instead learns how much each piece
// of evidence counts, with class weights (so the rare neutral and positive
// classes are not swamped by the negative majority) and L2 regularisation
// (strong on the hashed words, which 93 comments cannot pin down). Its
// figures come from cross-validation with folds grouped by post (Train).
//
// A comment's Pos, Neu and Neg are the class probabilities and Compound is
// P(positive) - P(negative). The package reads and writes weights as JSON
// bytes; reading a file is the caller's business.
//
// # What it owns, what it must not touch
//
// It owns the features, the trainer (Train, CrossValidate) and the bundled
// weights: it takes a domain Model and labelled Examples and gives a File of
// weights, a Report of cross-validated figures, and Model.Score for a text.
// It imports models/sentiment/domain and models/evaluate only, and must not
// import corpus, the store, the pipeline or reports, know of SQL, or read
// files (weights come in and go out as bytes; the bundled ones are embedded).
package learned
