package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"chorus/corpus/fetch"
	"chorus/models/redact"
)

func newFetchCmd() *cobra.Command {
	var (
		o       fetch.Options
		quiet   bool
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "fetch --blog URL --into DIR",
		Short: "Pull a live Blogger blog's posts and comments into Atom files that `run` reads",
		Long: `Fetch a Blogger blog's posts and comments through its public feeds
(/feeds/posts/default and each post's comment feed, paged with start-index
and max-results) into DIR, one Atom file per post, which chorus run reads.

The first fetch takes every post; later fetches into the same DIR ask only for
what was updated since (updated-min, from a state file kept in DIR) and
rewrite just the posts that changed. A fetch that is interrupted leaves whole
files and the old state: run it again.

It is polite: one request at a time, --delay between requests (longer if
robots.txt asks), robots.txt honoured, and 429 or 5xx answers retried with
exponential backoff honouring Retry-After. Author emails in the feeds are not
kept. See docs/operations.md for a nightly fetch-then-run.

Examples:
  chorus fetch --blog https://name.blogspot.com/ --into ~/archive/fetched
  chorus fetch --blog https://name.blogspot.com/ --into fetched --contact https://uni.example.ac.uk/project
  chorus run --input fetched --out reports

Exit codes: 0 ok, 1 the fetch failed (DIR keeps what was complete), 2 bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Blog == "" || o.Into == "" {
				return usagef("--blog and --into are both needed")
			}
			if err := fetch.CheckBlog(o.Blog); err != nil {
				return usageError{err}
			}
			if o.Delay < 0 || o.MaxPosts < 0 || o.PageSize < 0 || o.PageSize > 500 {
				return usagef("--delay and --max-posts must not be negative, and --page-size is 1 to 500")
			}
			level := slog.LevelInfo
			if quiet {
				level = slog.LevelWarn
			}
			red := redact.New()
			o.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			o.Redact = red.Text
			o.Timeout = timeout
			res, err := fetch.Fetch(cmd.Context(), o)
			if err != nil {
				return err
			}
			capped := ""
			if res.Capped {
				capped = "; stopped at --max-posts"
			}
			cmd.Printf("fetched %d posts with %d comments into %s (%d requests%s)\n", res.Posts, res.Comments, o.Into, res.Requests, capped)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Blog, "blog", "", "the blog's address, e.g. https://name.blogspot.com/")
	f.StringVar(&o.Into, "into", "", "folder of Atom files to write (created if missing)")
	f.DurationVar(&o.Delay, "delay", fetch.DefaultDelay, "pause between requests")
	f.IntVar(&o.MaxPosts, "max-posts", fetch.DefaultMaxPosts, "write at most this many posts in one fetch")
	f.IntVar(&o.PageSize, "page-size", fetch.DefaultPageSize, "entries per feed page (max-results)")
	f.Int64Var(&o.MaxBytes, "max-bytes", fetch.DefaultMaxBytes, "largest response accepted, in bytes")
	f.DurationVar(&timeout, "timeout", fetch.DefaultTimeout, "time limit of one request")
	f.StringVar(&o.Contact, "contact", "", "your web page or mailbox, sent in the User-Agent so the blog's owner can reach you")
	f.BoolVarP(&quiet, "quiet", "q", false, "log warnings and errors only")
	return cmd
}
