// Package fetch pulls a live Blogger blog's posts and comments through its
// public Atom feeds into a folder of Atom files that `chorus run` reads,
// one file per post (the post and all its comments).
//
// It is written to be a polite, restartable nightly job:
//   - one request at a time, with a pause between requests (1 s unless told
//     otherwise, longer if robots.txt asks with Crawl-delay), a User-Agent
//     naming chorus and its version, and robots.txt honoured;
//   - 429 and 5xx answers, network errors and cut-off bodies are retried
//     with exponential backoff, honouring Retry-After;
//   - every response is size-limited and every request times out, and
//     --max-posts bounds a fetch;
//   - incremental: the folder keeps the newest post and comment update times
//     seen (a hidden state file), and the next fetch asks the feeds only for
//     what was updated since (updated-min), then re-fetches the comments of
//     just those posts;
//   - resumable: each post's file is written whole to a temporary name and
//     renamed, and the state is written last, so a fetch that is killed
//     leaves complete files and the old state, and the next fetch does
//     again what the killed one had not recorded.
//
// Author emails and profile links in the feeds are dropped: the files keep
// an author's display name only.
//
// # What it owns, what it must not touch
//
// It owns talking to a blog over HTTP and the fetch folder's state file. It
// writes Atom files and nothing else; it never parses them into posts (the
// corpus readers do, when chorus run reads the folder) and never touches the
// database or the reports.
package fetch
