package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"chorus/internal/fsread"
	"chorus/internal/version"
)

// Defaults of Options.
const (
	DefaultDelay    = time.Second
	DefaultPageSize = 100      // max-results of one feed page
	DefaultMaxPosts = 10000    // a fetch writes at most this many posts
	DefaultMaxBytes = 16 << 20 // one response
	DefaultTimeout  = time.Minute
	DefaultRetries  = 5
	// StateFile is the hidden file in the folder that holds where the last
	// fetch got to. `chorus run` skips hidden files.
	StateFile = ".chorus-fetch.json"
	tempGlob  = ".chorus-fetch-*.tmp"
)

// Options of one fetch.
type Options struct {
	Blog     string        // the blog's address, e.g. https://name.blogspot.com/
	Into     string        // the folder of Atom files (created if missing)
	Delay    time.Duration // pause between requests (the command's default is DefaultDelay)
	MaxPosts int           // 0: DefaultMaxPosts
	PageSize int           // 0: DefaultPageSize
	MaxBytes int64         // 0: DefaultMaxBytes
	Timeout  time.Duration // per request; 0: DefaultTimeout
	Retries  int           // retries of one request; 0: DefaultRetries, negative: none
	// Backoff is the first retry's wait, doubled on each further retry;
	// 0: 2 s. MaxWait caps any wait, Retry-After included; 0: 10 min.
	Backoff, MaxWait time.Duration
	// Contact (a web page or mailbox of the person running the fetch) goes
	// into the User-Agent so that a blog's owner can reach them.
	Contact string
	Client  *http.Client // nil: a client with Timeout
	Log     *slog.Logger // nil: discard
	// Redact is applied to every string from the feeds that is logged.
	Redact func(string) string
	// Sleep waits (tests record the waits instead); nil: a real timer.
	Sleep func(context.Context, time.Duration) error
}

// Result says what a fetch did.
type Result struct {
	Requests    int  // HTTP requests made, retries included
	Posts       int  // post files written
	Comments    int  // comments in them
	Incremental bool // the folder held an earlier fetch's state
	Capped      bool // MaxPosts stopped the fetch before the feed ended
}

// state is the folder's record of the last complete fetch.
type state struct {
	Blog            string `json:"blog"`
	PostsUpdated    string `json:"posts_updated"`    // newest post <updated> seen
	CommentsUpdated string `json:"comments_updated"` // newest comment <updated> seen
	FetchedAt       string `json:"fetched_at"`
	Chorus          string `json:"chorus_version"`
}

// UserAgent is the User-Agent a fetch sends.
func UserAgent(contact string) string {
	ua := "chorus/" + version.Version
	if contact != "" {
		ua += " (+" + contact + ")"
	}
	return ua
}

// Fetch runs one fetch.
func Fetch(ctx context.Context, o Options) (res Result, err error) {
	base, err := blogBase(o.Blog)
	if err != nil {
		return res, err
	}
	if o.Into == "" {
		return res, errors.New("no folder to fetch into")
	}
	if err := os.MkdirAll(o.Into, 0o755); err != nil {
		return res, fmt.Errorf("create %s: %w", o.Into, err)
	}
	removeTemps(o.Into)
	prev, err := loadState(o.Into)
	if err != nil {
		return res, err
	}
	if prev.Blog != "" && prev.Blog != base {
		return res, fmt.Errorf("%s holds a fetch of %s, not %s: fetch each blog into its own folder", o.Into, prev.Blog, base)
	}
	f := newFetcher(o, base)
	defer func() { res.Requests = f.c.requests }()
	res.Incremental = prev.PostsUpdated != ""

	if err := f.readRobots(ctx); err != nil {
		return res, err
	}
	prevPosts, _ := time.Parse(time.RFC3339Nano, prev.PostsUpdated)
	prevComments, _ := time.Parse(time.RFC3339Nano, prev.CommentsUpdated)
	newestPost, newestComment := prevPosts, prevComments

	// 1. The posts updated since the last fetch (all posts the first time).
	var posts []feedEntry
	seen := map[string]bool{}
	q := url.Values{}
	if res.Incremental {
		q.Set("updated-min", prevPosts.UTC().Format(time.RFC3339Nano))
		q.Set("orderby", "updated")
	}
	err = f.pages(ctx, "/feeds/posts/default", q, func(e *feedEntry) bool {
		id := blogPostID(e.ID)
		t, ok := updatedTime(e)
		if id == "" || seen[id] || res.Incremental && ok && !t.After(prevPosts) {
			return true // unusable, a repeat, or the boundary post already fetched
		}
		if len(posts) >= f.maxPosts {
			res.Capped = true
			return false
		}
		seen[id] = true
		posts = append(posts, *e)
		if ok && t.After(newestPost) {
			newestPost = t
		}
		return true
	})
	if err != nil {
		return res, err
	}

	// 2. On a later fetch, the posts with comments updated since: the
	// blog's comment feed says which.
	if res.Incremental {
		var more []string
		q := url.Values{"orderby": {"updated"}}
		q.Set("updated-min", prevComments.UTC().Format(time.RFC3339Nano))
		err := f.pages(ctx, "/feeds/comments/default", q, func(e *feedEntry) bool {
			t, ok := updatedTime(e)
			if ok && !t.After(prevComments) {
				return true
			}
			if ok && t.After(newestComment) {
				newestComment = t
			}
			if id := commentPostID(e); id != "" && !seen[id] {
				seen[id] = true
				more = append(more, id)
			}
			return true
		})
		if err != nil {
			return res, err
		}
		slices.Sort(more)
		for _, id := range more {
			if len(posts) >= f.maxPosts {
				res.Capped = true
				break
			}
			es, _, err := f.feed(ctx, "/feeds/posts/default/"+id, nil)
			var se *statusError
			if errors.As(err, &se) && se.code == http.StatusNotFound {
				f.log("post of a new comment not found (deleted?); skipped", "post", f.redact(id))
				continue
			}
			if err != nil {
				return res, err
			}
			if len(es) == 1 {
				posts = append(posts, es[0])
			}
		}
	}

	// 3. Each post with all its comments, one file each.
	for i := range posts {
		p := &posts[i]
		id := blogPostID(p.ID)
		var comments []feedEntry
		err := f.pages(ctx, "/feeds/"+id+"/comments/default", url.Values{}, func(e *feedEntry) bool {
			comments = append(comments, *e)
			if t, ok := updatedTime(e); ok && t.After(newestComment) {
				newestComment = t
			}
			return true
		})
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusNotFound {
			f.log("post has no comment feed (comments off?); written without comments", "post", f.redact(id))
			err = nil
		}
		if err != nil {
			return res, err
		}
		data, err := encodePost(p, comments, "chorus fetch "+version.Version)
		if err != nil {
			return res, fmt.Errorf("encode post %s: %w", f.redact(id), err)
		}
		if err := writeAtomic(o.Into, "post-"+id+".xml", data); err != nil {
			return res, err
		}
		res.Posts++
		res.Comments += len(comments)
		f.log("post written", "post", f.redact(id), "comments", len(comments))
	}
	if res.Capped {
		f.log("--max-posts reached: the posts beyond it were not fetched", "max_posts", f.maxPosts)
	}

	// 4. The state, last: only a complete fetch moves it on.
	st := state{Blog: base, PostsUpdated: prev.PostsUpdated, CommentsUpdated: prev.CommentsUpdated,
		FetchedAt: time.Now().UTC().Format(time.RFC3339), Chorus: version.Version}
	if !newestPost.IsZero() {
		st.PostsUpdated = newestPost.UTC().Format(time.RFC3339Nano)
	}
	if !newestComment.IsZero() {
		st.CommentsUpdated = newestComment.UTC().Format(time.RFC3339Nano)
	}
	if st.CommentsUpdated == "" {
		// No comment yet: the next fetch asks for comments since this
		// fetch's posts.
		st.CommentsUpdated = st.PostsUpdated
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return res, err
	}
	if err := writeAtomic(o.Into, StateFile, append(b, '\n')); err != nil {
		return res, err
	}
	return res, nil
}

type fetcher struct {
	base     *url.URL
	c        *client
	rob      robots
	pageSize int
	maxPosts int
	logger   *slog.Logger
	redact   func(string) string
}

func newFetcher(o Options, base string) *fetcher {
	u, _ := url.Parse(base) // checked by blogBase
	f := &fetcher{base: u, pageSize: o.PageSize, maxPosts: o.MaxPosts, logger: o.Log, redact: o.Redact}
	if f.pageSize <= 0 {
		f.pageSize = DefaultPageSize
	}
	if f.maxPosts <= 0 {
		f.maxPosts = DefaultMaxPosts
	}
	if f.logger == nil {
		f.logger = slog.New(slog.DiscardHandler)
	}
	if f.redact == nil {
		f.redact = func(s string) string { return s }
	}
	c := &client{http: o.Client, userAgent: UserAgent(o.Contact), delay: o.Delay, base: o.Backoff,
		maxWait: o.MaxWait, retries: o.Retries, maxBytes: o.MaxBytes, sleep: o.Sleep, log: f.log}
	if c.http == nil {
		timeout := o.Timeout
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		c.http = &http.Client{Timeout: timeout}
	}
	if c.base <= 0 {
		c.base = 2 * time.Second
	}
	if c.maxWait <= 0 {
		c.maxWait = 10 * time.Minute
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	f.c = c
	return f
}

func (f *fetcher) log(msg string, args ...any) { f.logger.Info(msg, args...) }

// readRobots fetches the host's robots.txt. None (404 and the like) allows
// everything; one that cannot be had (5xx after retries) stops the fetch.
func (f *fetcher) readRobots(ctx context.Context) error {
	u := url.URL{Scheme: f.base.Scheme, Host: f.base.Host, Path: "/robots.txt"}
	body, err := f.c.get(ctx, u.String(), nil)
	var se *statusError
	switch {
	case errors.As(err, &se) && se.code >= 400 && se.code < 500:
		return nil
	case err != nil:
		return fmt.Errorf("robots.txt: %w (not fetching without it)", err)
	}
	f.rob = parseRobots(body, "chorus")
	if f.rob.crawlDelay > f.c.delay {
		f.log("robots.txt asks for a longer delay; using it", "crawl_delay", f.rob.crawlDelay.String())
		f.c.delay = f.rob.crawlDelay
	}
	return nil
}

// feed gets one feed document at path (under the blog) with q, and its
// total of results (-1: not given).
func (f *fetcher) feed(ctx context.Context, path string, q url.Values) ([]feedEntry, int, error) {
	u := *f.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	if !f.rob.allowed(u.EscapedPath()) {
		return nil, -1, fmt.Errorf("robots.txt disallows %s for chorus: not fetching", u.EscapedPath())
	}
	var (
		entries []feedEntry
		total   int
	)
	_, err := f.c.get(ctx, u.String(), func(body []byte) error {
		var err error
		entries, total, err = decodeFeed(body)
		return err
	})
	return entries, total, err
}

// pages reads every page of the feed at path, handing each entry to each
// until it returns false. The last page is the one that reaches the
// feed's total of results, or is shorter than the page size.
func (f *fetcher) pages(ctx context.Context, path string, q url.Values, each func(*feedEntry) bool) error {
	const maxPages = 100000
	q.Set("max-results", strconv.Itoa(f.pageSize))
	for page, start := 0, 1; page < maxPages; page++ {
		q.Set("start-index", strconv.Itoa(start))
		entries, total, err := f.feed(ctx, path, q)
		if err != nil {
			return err
		}
		for i := range entries {
			if !each(&entries[i]) {
				return nil
			}
		}
		if len(entries) < f.pageSize || total >= 0 && start-1+len(entries) >= total {
			return nil
		}
		start += len(entries)
	}
	return fmt.Errorf("%s: more than %d pages", path, maxPages)
}

// CheckBlog checks a --blog value before any request is made.
func CheckBlog(s string) error {
	_, err := blogBase(s)
	return err
}

// blogBase checks a blog address and returns it without query, fragment
// or trailing slash.
func blogBase(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("--blog %q: want the blog's http or https address, e.g. https://name.blogspot.com/", s)
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String(), nil
}

func loadState(dir string) (state, error) {
	var st state
	path := filepath.Join(dir, StateFile)
	// A state file holds a date and a few counts; past 1 MiB it is not one.
	b, err := fsread.Read(path, 1<<20, "fetch state file")
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("read %s: %w (delete it to fetch everything again)", path, err)
	}
	return st, nil
}

// writeAtomic writes name in dir through a temporary file and a rename, so
// that a reader (or a killed fetch) never sees half a file.
func writeAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, tempGlob)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// removeTemps deletes temporary files a killed fetch left behind.
func removeTemps(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, tempGlob))
	for _, n := range names {
		_ = os.Remove(n)
	}
}
