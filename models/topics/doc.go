// Package topics tags comments with the themes researchers ask about
// (workload, privatisation, unions, IT, ...) using a taxonomy they can read,
// argue with and change without recompiling, and measures the tagger
// against hand labels.
//
// # Taxonomy format
//
// A taxonomy is a TOML file; default.toml (embedded, see Default) is the
// commented reference and the file researchers copy. An optional top-level
// window_scale (default 1, allowed 0.25 to 4) multiplies every rule's
// window; chorus train topics chooses it by grouped cross-validation
// (CrossValidate) and --out writes it. Then one [[topic]] table per topic,
// in report order:
//
//	window_scale = 1.0            # before the first table
//
//	[[topic]]
//	name        = "unions"        # CSV key: lower-case letters, digits, _
//	label       = "Unions"        # chart label (default: name)
//	description = "..."
//	threshold   = 1.0             # score needed to tag (default 1)
//	excludes    = ["olive branch"]
//
//	[topic.terms]                 # one word -> weight; matched on stems
//	napo = 2.0
//
//	[topic.phrases]               # two or more words -> weight
//	"facility time" = 1.5
//
//	[[topic.rule]]                # context rule for one term or phrase
//	match = "branch"
//	case = "title"                # upper | lower | title | any
//	near = ["union", "napo"]      # one of these within window words
//	not_near = ["tree"]           # none of these within window words
//	window = 6
//	unless_shouting = true        # case says nothing in an all-caps passage
//
// Matching works on stems (a Porter2 English stemmer with British -ise
// folding, in stem.go), so "privatised", "privatisation" and "privatising"
// all meet the term "privatise"; two terms of a topic with the same stem are
// an error. Phrases match runs of stems within one sentence; hyphens split
// words. An exclude vetoes every match of its topic that it overlaps. A term
// with rules counts only where one of its rules holds. Within a topic the
// longest match wins where matches overlap.
//
// Scoring: each distinct term or phrase adds its weight, plus half its
// weight for each of up to two repeats; the topic is tagged when the sum
// reaches its threshold. Match.Evidence lists the matched words as written.
//
// Errors from Parse name the line: syntax and type errors come from
// toml.ParseError; semantic errors (a two-word term, a rule for an unknown
// term, a bad case) are located by searching the source, since the TOML
// library keeps key positions private.
//
// # Evaluation and suggestions
//
// ParseGold and Evaluate score any predictor against JSON Lines hand labels
// (per-topic precision, recall, F1 and support; micro and macro F1).
// Suggest lists frequent, distinctive words and two-word phrases that no
// topic covers yet, with example comments; see its doc for the keyness
// statistic and its reference.
//
// It imports only models/evaluate and must not import corpus, the store, the
// pipeline or reports, nor know of files or SQL: Parse and ParseGold take
// bytes, which their callers (pipeline, cmd/chorus) read through
// internal/fsread with a size limit.
package topics
