// Package corpus reads blog archives into Posts and Comments.
//
// It knows nothing of scores or storage: a reader turns the bytes of one file
// into a Document (its posts, their comments, and any problems met on the way),
// and a file that cannot be read is returned as a Reject with a reason that
// names the file and the line or byte offset.
//
// # What it owns, what it must not touch
//
// It owns the input side: file formats (model.go, read.go and one file per
// reader: blogger.go, flattened.go, atom.go, jsonl.go, wxr.go, disqus.go,
// bloggerhtml.go), sniffing, size and nesting limits, date tables, chorus's
// comment and post ids, duplicate marking, and the bundled sample archive.
//
// It must not import models, pipeline or reports, score anything, or write
// anything: it returns values. Every reason and flag it returns names the
// file, the line and the rule, never the input's content (which the caller
// may not yet have redacted).
package corpus
