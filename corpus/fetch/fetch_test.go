package fetch

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chorus/corpus"
	"chorus/internal/version"
)

// fakeBlog is an httptest Blogger: the posts feed, one post's entry, the
// blog's comment feed and each post's comment feed, in the shape Blogger
// serves (Atom with openSearch totals, thr:in-reply-to, rel="related" for
// replies, author emails that must not be kept), paged by start-index and
// max-results and filtered by updated-min. Everything in it is invented.
type fakeBlog struct {
	mu       sync.Mutex
	posts    []*fakePost
	robots   string
	log      []string // every request, as path?query
	agents   map[string]bool
	inflight atomic.Int32
	maxIn    atomic.Int32
	// fault, when set, may answer a request instead of the blog: it gets
	// the request and how many times its path and query were asked before.
	fault func(w http.ResponseWriter, r *http.Request, n int) bool
	asked map[string]int
}

type fakePost struct {
	id, title, body    string
	published, updated time.Time
	comments           []fakeComment
}

type fakeComment struct {
	id, parent, author, text string
	published, updated       time.Time
}

var t0 = time.Date(2016, 3, 1, 9, 0, 0, 0, time.UTC)

// newFakeBlog makes n posts a day apart, post i with i%4 comments, the
// second comment of each a reply to the first.
func newFakeBlog(n int) *fakeBlog {
	b := &fakeBlog{robots: "User-agent: *\nDisallow: /search\nAllow: /\n", agents: map[string]bool{}, asked: map[string]int{}}
	for i := 1; i <= n; i++ {
		p := &fakePost{id: strconv.Itoa(1000 + i), title: fmt.Sprintf("Invented post %d & more", i),
			body:      fmt.Sprintf("<p>[Synthetic post %d written for chorus's tests.]</p><p>Second paragraph.</p>", i),
			published: t0.Add(time.Duration(i) * 24 * time.Hour)}
		p.updated = p.published.Add(time.Hour)
		for j := 1; j <= i%4; j++ {
			c := fakeComment{id: fmt.Sprintf("%d%02d", 1000+i, j), author: fmt.Sprintf("Reader %d", j),
				text:      fmt.Sprintf("Invented comment %d on post %d: the rota &lt;again&gt;.", j, i),
				published: p.published.Add(time.Duration(j) * time.Hour)}
			c.updated = c.published
			if j == 2 {
				c.parent = fmt.Sprintf("%d01", 1000+i)
			}
			p.comments = append(p.comments, c)
		}
		b.posts = append(b.posts, p)
	}
	return b
}

func (b *fakeBlog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := b.inflight.Add(1)
	defer b.inflight.Add(-1)
	for {
		m := b.maxIn.Load()
		if n <= m || b.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	b.log = append(b.log, key)
	b.agents[r.UserAgent()] = true
	k := b.asked[key]
	b.asked[key]++
	if b.fault != nil && b.fault(w, r, k) {
		return
	}
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("start-index"))
	max, _ := strconv.Atoi(q.Get("max-results"))
	var since time.Time
	if s := q.Get("updated-min"); s != "" {
		var err error
		if since, err = time.Parse(time.RFC3339Nano, s); err != nil {
			http.Error(w, "bad updated-min", http.StatusBadRequest)
			return
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/robots.txt":
		if b.robots == "" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, b.robots)
	case r.URL.Path == "/feeds/posts/default":
		var es []string
		// Newest first, as Blogger lists them.
		ps := slices.Clone(b.posts)
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].updated.After(ps[j].updated) })
		for _, p := range ps {
			if since.IsZero() || !p.updated.Before(since) {
				es = append(es, b.postXML(p))
			}
		}
		b.writeFeed(w, es, start, max)
	case len(parts) == 4 && parts[0] == "feeds" && parts[1] == "posts" && parts[2] == "default":
		for _, p := range b.posts {
			if p.id == parts[3] {
				fmt.Fprint(w, "<?xml version='1.0' encoding='UTF-8'?>"+strings.Replace(b.postXML(p), "<entry>", "<entry xmlns='http://www.w3.org/2005/Atom'>", 1))
				return
			}
		}
		http.NotFound(w, r)
	case r.URL.Path == "/feeds/comments/default":
		var es []string
		for _, p := range b.posts {
			for _, c := range p.comments {
				if since.IsZero() || !c.updated.Before(since) {
					es = append(es, b.commentXML(p, c))
				}
			}
		}
		b.writeFeed(w, es, start, max)
	case len(parts) == 4 && parts[0] == "feeds" && parts[2] == "comments" && parts[3] == "default":
		for _, p := range b.posts {
			if p.id == parts[1] {
				var es []string
				for i := len(p.comments) - 1; i >= 0; i-- { // newest first
					es = append(es, b.commentXML(p, p.comments[i]))
				}
				b.writeFeed(w, es, start, max)
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (b *fakeBlog) writeFeed(w http.ResponseWriter, entries []string, start, max int) {
	if start < 1 {
		start = 1
	}
	if max <= 0 {
		max = 25
	}
	lo, hi := min(start-1, len(entries)), min(start-1+max, len(entries))
	w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:thr='http://purl.org/syndication/thread/1.0'><id>tag:blogger.com,1999:blog-77</id><title type='text'>Invented blog</title><openSearch:totalResults>%d</openSearch:totalResults><openSearch:startIndex>%d</openSearch:startIndex>\n", len(entries), start)
	for _, e := range entries[lo:hi] {
		fmt.Fprintln(w, e)
	}
	fmt.Fprint(w, "</feed>")
}

func (b *fakeBlog) postXML(p *fakePost) string {
	return fmt.Sprintf("<entry><id>tag:blogger.com,1999:blog-77.post-%s</id><published>%s</published><updated>%s</updated>"+
		"<category scheme='http://www.blogger.com/atom/ns#' term='workload'/><title type='text'>%s</title><content type='html'>%s</content>"+
		"<link rel='replies' type='application/atom+xml' href='https://x.example.org/feeds/%s/comments/default' title='Post Comments'/>"+
		"<link rel='alternate' type='text/html' href='https://x.example.org/2016/03/p%s.html' title='t'/>"+
		"<author><name>Editor</name><uri>https://www.blogger.com/profile/1</uri><email>editor@example.org</email></author></entry>",
		p.id, p.published.Format(time.RFC3339), p.updated.Format("2006-01-02T15:04:05.000-07:00"), html.EscapeString(p.title), html.EscapeString(p.body), p.id, p.id)
}

func (b *fakeBlog) commentXML(p *fakePost, c fakeComment) string {
	related := ""
	if c.parent != "" {
		related = fmt.Sprintf("<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/77/%s/comments/default/%s'/>", p.id, c.parent)
	}
	return fmt.Sprintf("<entry><id>tag:blogger.com,1999:blog-77.post-%s</id><published>%s</published><updated>%s</updated>"+
		"<title type='text'>t</title><content type='html'>%s</content>%s"+
		"<author><name>%s</name><email>noreply@blogger.com</email></author>"+
		"<thr:in-reply-to href='https://x.example.org/2016/03/p%s.html' ref='tag:blogger.com,1999:blog-77.post-%s' source='https://www.blogger.com/feeds/77/posts/default/%s' type='text/html'/></entry>",
		c.id, c.published.Format(time.RFC3339), c.updated.Format(time.RFC3339), c.text, related, c.author, p.id, p.id, p.id)
}

// requests returns the requests logged since from, and the log length.
func (b *fakeBlog) requests(from int) ([]string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.log[from:]), len(b.log)
}

// waits records the waits a fetch asked for.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func testOptions(srv *httptest.Server, dir string, w *waits) Options {
	return Options{Blog: srv.URL + "/", Into: dir, Delay: 3 * time.Millisecond, PageSize: 3, Retries: 3,
		Backoff: 100 * time.Millisecond, Contact: "https://research.example.org/chorus", Sleep: w.sleep, Client: srv.Client()}
}

// readDir parses every non-hidden file of dir as `chorus run` would and
// returns posts and comments by archive id, with each comment's parent.
func readDir(t *testing.T, dir string) (posts int, comments map[string]string) {
	t.Helper()
	comments = map[string]string{}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, n := range names {
		if strings.HasPrefix(filepath.Base(n), ".") {
			continue
		}
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		doc, rej := corpus.Parse(n, data, corpus.Options{})
		if rej != nil {
			t.Fatalf("chorus would reject %s: %s", n, rej.Reason)
		}
		if doc.Format != corpus.FormatAtom {
			t.Fatalf("%s read as %s", n, doc.Format)
		}
		for _, p := range doc.Posts {
			posts++
			src := map[string]string{}
			// SourceID is the Atom entry id; the post-NNN tail is Blogger's id.
			for _, c := range p.Comments {
				src[c.ID] = blogPostID(c.SourceID)
			}
			for _, c := range p.Comments {
				comments[blogPostID(c.SourceID)] = src[c.ParentID]
			}
		}
		if strings.Contains(string(data), "@") {
			t.Errorf("%s keeps an author email", n)
		}
	}
	return posts, comments
}

func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == StateFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// TestFetchFirstRun: paging, politeness, and files chorus reads.
func TestFetchFirstRun(t *testing.T) {
	blog := newFakeBlog(7) // 7 posts in pages of 3; 1+2+3+0+1+2+3 = 12 comments
	srv := httptest.NewServer(blog)
	defer srv.Close()
	dir := t.TempDir()
	w := &waits{}
	res, err := Fetch(context.Background(), testOptions(srv, dir, w))
	if err != nil {
		t.Fatal(err)
	}
	if res.Posts != 7 || res.Comments != 12 || res.Incremental || res.Capped {
		t.Errorf("result = %+v", res)
	}
	posts, comments := readDir(t, dir)
	if posts != 7 || len(comments) != 12 {
		t.Errorf("chorus reads %d posts, %d comments; want 7, 12", posts, len(comments))
	}
	if comments["100602"] != "100601" || comments["100601"] != "" {
		t.Errorf("reply parent lost: %v", comments)
	}
	reqs, _ := blog.requests(0)
	if reqs[0] != "/robots.txt" {
		t.Errorf("first request %q, want robots.txt", reqs[0])
	}
	var postPages []string
	for _, r := range reqs {
		if strings.HasPrefix(r, "/feeds/posts/default?") {
			postPages = append(postPages, r)
		}
	}
	if want := []string{"/feeds/posts/default?max-results=3&start-index=1", "/feeds/posts/default?max-results=3&start-index=4", "/feeds/posts/default?max-results=3&start-index=7"}; !slices.Equal(postPages, want) {
		t.Errorf("post pages %q, want %q", postPages, want)
	}
	if res.Requests != len(reqs) {
		t.Errorf("result counts %d requests, server saw %d", res.Requests, len(reqs))
	}
	if m := blog.maxIn.Load(); m != 1 {
		t.Errorf("%d requests at once, want 1", m)
	}
	ua := fmt.Sprintf("chorus/%s (+https://research.example.org/chorus)", version.Version)
	if len(blog.agents) != 1 || !blog.agents[ua] {
		t.Errorf("user agents %v, want only %q", blog.agents, ua)
	}
	if len(w.d) != len(reqs)-1 {
		t.Errorf("%d pauses for %d requests, want one before each but the first", len(w.d), len(reqs))
	}
	for _, d := range w.d {
		if d != 3*time.Millisecond {
			t.Errorf("pause %v, want the delay", d)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, StateFile)); err != nil {
		t.Errorf("no state written: %v", err)
	}
}

// TestFetchRetries: a 429 with Retry-After, a 500 and a truncated body are
// each retried (after the server's wait, then with exponential backoff)
// and the fetch ends with the same files as one that met none of them.
func TestFetchRetries(t *testing.T) {
	clean := t.TempDir()
	{
		blog := newFakeBlog(5)
		srv := httptest.NewServer(blog)
		if _, err := Fetch(context.Background(), testOptions(srv, clean, &waits{})); err != nil {
			t.Fatal(err)
		}
		srv.Close()
	}
	blog := newFakeBlog(5)
	blog.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		q := r.URL.Query()
		switch {
		case r.URL.Path == "/feeds/posts/default" && q.Get("start-index") == "4" && n == 0:
			w.Header().Set("Retry-After", "7")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return true
		case r.URL.Path == "/feeds/1003/comments/default" && n < 2:
			http.Error(w, "oops", http.StatusInternalServerError)
			return true
		case r.URL.Path == "/feeds/1002/comments/default" && n == 0:
			// Promise more than is sent: the client sees the body cut off.
			w.Header().Set("Content-Length", "5000")
			fmt.Fprint(w, "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x")
			return true
		case r.URL.Path == "/feeds/1001/comments/default" && n == 0:
			// A complete response whose feed is cut: retried as well.
			fmt.Fprint(w, "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x")
			return true
		}
		return false
	}
	srv := httptest.NewServer(blog)
	defer srv.Close()
	dir := t.TempDir()
	w := &waits{}
	if _, err := Fetch(context.Background(), testOptions(srv, dir, w)); err != nil {
		t.Fatal(err)
	}
	var backoffs []time.Duration
	for _, d := range w.d {
		if d != 3*time.Millisecond {
			backoffs = append(backoffs, d)
		}
	}
	// 7 s from Retry-After; 100 ms and 200 ms for the two 500s; 100 ms
	// each for the truncated bodies.
	if want := []time.Duration{7 * time.Second, 100 * time.Millisecond, 200 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}; !sameMultiset(backoffs, want) {
		t.Errorf("waits %v, want %v (in some order)", backoffs, want)
	}
	if got, want := snapshotDir(t, dir), snapshotDir(t, clean); !mapsEqual(got, want) {
		t.Errorf("files after retries differ from a clean fetch: %d files, want %d", len(got), len(want))
	}
}

// TestFetchGivesUp: a server that keeps failing stops the fetch with an
// error after the retries, and moves no state on.
func TestFetchGivesUp(t *testing.T) {
	blog := newFakeBlog(3)
	blog.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if strings.HasPrefix(r.URL.Path, "/feeds/posts") {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	srv := httptest.NewServer(blog)
	defer srv.Close()
	dir := t.TempDir()
	w := &waits{}
	_, err := Fetch(context.Background(), testOptions(srv, dir, w))
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, StateFile)); !os.IsNotExist(err) {
		t.Errorf("state written after a failed fetch: %v", err)
	}
}

// TestFetchResume: a fetch interrupted part way (the server fails for good
// on one post's comments) leaves complete files and no state; the next
// fetch finishes, and the folder is then what one clean fetch makes.
func TestFetchResume(t *testing.T) {
	clean := t.TempDir()
	{
		srv := httptest.NewServer(newFakeBlog(6))
		if _, err := Fetch(context.Background(), testOptions(srv, clean, &waits{})); err != nil {
			t.Fatal(err)
		}
		srv.Close()
	}
	blog := newFakeBlog(6)
	broken := true
	blog.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if broken && r.URL.Path == "/feeds/1003/comments/default" {
			http.Error(w, "gone away", http.StatusBadGateway)
			return true
		}
		return false
	}
	srv := httptest.NewServer(blog)
	defer srv.Close()
	dir := t.TempDir()
	if _, err := Fetch(context.Background(), testOptions(srv, dir, &waits{})); err == nil {
		t.Fatal("the interrupted fetch reported success")
	}
	if _, err := os.Stat(filepath.Join(dir, StateFile)); !os.IsNotExist(err) {
		t.Fatalf("state written by the interrupted fetch: %v", err)
	}
	// Files so far are whole (chorus reads them) and nothing half-written
	// is visible.
	posts, _ := readDir(t, dir)
	if posts == 0 || posts >= 6 {
		t.Errorf("the interrupted fetch wrote %d posts, want some but not all", posts)
	}
	// A killed fetch may also leave a temporary file: the next one removes it.
	if err := os.WriteFile(filepath.Join(dir, ".chorus-fetch-123.tmp"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	blog.mu.Lock()
	broken = false
	blog.mu.Unlock()
	if _, err := Fetch(context.Background(), testOptions(srv, dir, &waits{})); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshotDir(t, dir), snapshotDir(t, clean); !mapsEqual(got, want) {
		t.Errorf("resumed folder differs from a clean fetch (%d files, want %d)", len(got), len(want))
	}
}

// TestFetchIncremental: the second fetch asks the feeds only for what was
// updated since the first, and re-fetches the comments of just the posts
// that changed: one edited, one with a new comment, one new.
func TestFetchIncremental(t *testing.T) {
	blog := newFakeBlog(6)
	srv := httptest.NewServer(blog)
	defer srv.Close()
	dir := t.TempDir()
	opts := testOptions(srv, dir, &waits{})
	if _, err := Fetch(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	_, from := blog.requests(0)
	later := t0.Add(60 * 24 * time.Hour)
	blog.mu.Lock()
	blog.posts[4].updated = later // 1005 edited
	blog.posts[4].title = "Invented post 5, edited"
	p2 := blog.posts[1] // 1002 gets a comment
	p2.comments = append(p2.comments, fakeComment{id: "100299", parent: "100201", author: "Late Reader",
		text: "An invented late reply.", published: later.Add(time.Hour), updated: later.Add(time.Hour)})
	blog.posts = append(blog.posts, &fakePost{id: "1007", title: "Invented new post", body: "<p>New.</p>",
		published: later.Add(2 * time.Hour), updated: later.Add(2 * time.Hour)})
	blog.mu.Unlock()

	res, err := Fetch(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incremental || res.Posts != 3 {
		t.Errorf("second fetch = %+v, want incremental with 3 posts", res)
	}
	reqs, _ := blog.requests(from)
	var feeds []string
	for _, r := range reqs {
		path, q, _ := strings.Cut(r, "?")
		switch path {
		case "/robots.txt":
			continue
		case "/feeds/posts/default", "/feeds/comments/default":
			if !strings.Contains(q, "updated-min=") || !strings.Contains(q, "orderby=updated") {
				t.Errorf("%s asked without updated-min: %s", path, q)
			}
		}
		feeds = append(feeds, path)
	}
	want := []string{"/feeds/posts/default", "/feeds/comments/default", "/feeds/posts/default/1002",
		"/feeds/1007/comments/default", "/feeds/1005/comments/default", "/feeds/1002/comments/default"}
	if !slices.Equal(feeds, want) {
		t.Errorf("second fetch asked %q, want only %q", feeds, want)
	}
	posts, comments := readDir(t, dir)
	if posts != 7 || comments["100299"] != "100201" {
		t.Errorf("after the second fetch chorus reads %d posts, late reply parent %q", posts, comments["100299"])
	}
	// A third fetch with nothing new writes nothing.
	res, err = Fetch(context.Background(), opts)
	if err != nil || res.Posts != 0 {
		t.Errorf("third fetch = %+v, %v; want nothing written", res, err)
	}
}

// TestFetchRobotsAndLimits: robots.txt that disallows the feeds stops the
// fetch before any feed is asked; a response over the size limit is an
// error, not retried; --max-posts caps the posts written.
func TestFetchRobotsAndLimits(t *testing.T) {
	blog := newFakeBlog(5)
	blog.robots = "User-agent: Googlebot\nDisallow:\n\nUser-agent: chorus\nDisallow: /feeds/\n"
	srv := httptest.NewServer(blog)
	defer srv.Close()
	_, err := Fetch(context.Background(), testOptions(srv, t.TempDir(), &waits{}))
	if err == nil || !strings.Contains(err.Error(), "robots.txt disallows") {
		t.Errorf("err = %v, want robots.txt refusal", err)
	}
	if reqs, _ := blog.requests(0); len(reqs) != 1 {
		t.Errorf("requests %q, want robots.txt only", reqs)
	}

	blog.robots = "User-agent: *\nCrawl-delay: 2\n"
	opts := testOptions(srv, t.TempDir(), &waits{})
	opts.MaxBytes = 600
	_, from := blog.requests(0)
	_, err = Fetch(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 600 bytes") {
		t.Errorf("err = %v, want the size limit", err)
	}
	if reqs, _ := blog.requests(from); len(reqs) != 2 {
		t.Errorf("requests %q: an oversize response must not be retried", reqs)
	}

	w := &waits{}
	opts = testOptions(srv, t.TempDir(), w)
	opts.MaxPosts = 2
	res, err := Fetch(context.Background(), opts)
	if err != nil || res.Posts != 2 || !res.Capped {
		t.Errorf("max-posts fetch = %+v, %v", res, err)
	}
	for _, d := range w.d {
		if d != 2*time.Second {
			t.Errorf("pause %v: robots.txt's Crawl-delay of 2 s is longer than the delay and wins", d)
		}
	}
}

func TestRobotsRules(t *testing.T) {
	r := parseRobots([]byte("User-agent: *\nDisallow: /\n\nUser-agent: chorus\nUser-agent: other\nAllow: /feeds/posts/\nDisallow: /feeds/\nDisallow: /*.php$\n"), "chorus")
	for path, want := range map[string]bool{
		"/feeds/posts/default":       true,
		"/feeds/1/comments/default":  false,
		"/search":                    true,
		"/index.php":                 false,
		"/index.php?x=1":             true,
		"/feeds/posts/default?max=1": true,
	} {
		if got := r.allowed(path); got != want {
			t.Errorf("allowed(%q) = %v, want %v", path, got, want)
		}
	}
	if parseRobots([]byte("User-agent: *\nDisallow: /\n"), "chorus").allowed("/feeds/posts/default") {
		t.Error("Disallow: / for * must apply to chorus")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := retryAfter("120", now); d != 2*time.Minute {
		t.Errorf("seconds: %v", d)
	}
	if d := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); d != 90*time.Second {
		t.Errorf("date: %v", d)
	}
	if d := retryAfter("soon", now); d != 0 {
		t.Errorf("garbage: %v", d)
	}
}

func TestBlogBase(t *testing.T) {
	for in, want := range map[string]string{
		"https://name.blogspot.com/":        "https://name.blogspot.com",
		"http://blog.example.org/?m=1#frag": "http://blog.example.org",
		"ftp://x":                           "",
		"name.blogspot.com":                 "",
		"https://user:pw@x.example.org/":    "",
	} {
		got, err := blogBase(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("blogBase(%q) = %q, %v", in, got, err)
		}
	}
}

func sameMultiset(a, b []time.Duration) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestFetchTimeout: a server that does not answer in time is a failed
// request, retried, then an error.
func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	opts := testOptions(srv, t.TempDir(), &waits{})
	opts.Client, opts.Timeout, opts.Retries = nil, 50*time.Millisecond, 1
	_, err := Fetch(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "Timeout") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("err = %v, want a timeout after 2 attempts", err)
	}
}
