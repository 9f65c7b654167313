package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFetchThenRun: what `chorus fetch` writes, `chorus run` reads, with
// the fetch's state file left out of the inputs. The blog is an httptest
// server with one invented post and two comments, one a reply.
func TestFetchThenRun(t *testing.T) {
	const entryNS = "xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feeds/posts/default":
			if r.URL.Query().Get("updated-min") != "" {
				fmt.Fprintf(w, "<feed %s><openSearch:totalResults>0</openSearch:totalResults></feed>", entryNS)
				return
			}
			fmt.Fprintf(w, "<feed %s><openSearch:totalResults>1</openSearch:totalResults><entry><id>tag:blogger.com,1999:blog-5.post-42</id>"+
				"<published>2016-05-02T08:00:00.000+01:00</published><updated>2016-05-02T08:00:00.000+01:00</updated>"+
				"<title type='text'>An invented fetched post</title><content type='html'>&lt;p&gt;[Synthetic post for chorus.]&lt;/p&gt;</content>"+
				"<author><name>Editor</name><email>editor@example.org</email></author></entry></feed>", entryNS)
		case "/feeds/comments/default":
			fmt.Fprintf(w, "<feed %s><openSearch:totalResults>0</openSearch:totalResults></feed>", entryNS)
		case "/feeds/42/comments/default":
			fmt.Fprintf(w, "<feed %s><openSearch:totalResults>2</openSearch:totalResults>"+
				"<entry><id>tag:blogger.com,1999:blog-5.post-4302</id><published>2016-05-02T10:00:00Z</published><updated>2016-05-02T10:00:00Z</updated>"+
				"<content type='html'>An invented reply: the laptops again.</content>"+
				"<link rel='related' href='https://www.blogger.com/feeds/5/42/comments/default/4301'/><author><name>Reader Two</name></author>"+
				"<thr:in-reply-to ref='tag:blogger.com,1999:blog-5.post-42'/></entry>"+
				"<entry><id>tag:blogger.com,1999:blog-5.post-4301</id><published>2016-05-02T09:00:00Z</published><updated>2016-05-02T09:00:00Z</updated>"+
				"<content type='html'>An invented comment: nothing works and I am fed up.</content><author><name>Reader One</name></author>"+
				"<thr:in-reply-to ref='tag:blogger.com,1999:blog-5.post-42'/></entry></feed>", entryNS)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "fetched")
	code, stdout, stderr := chorus(t, "fetch", "--blog", srv.URL, "--into", dir, "--delay", "0s")
	if code != 0 || !strings.Contains(stdout, "fetched 1 posts with 2 comments") {
		t.Fatalf("fetch exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr = chorus(t, "run", "--input", dir, "--out", out, "--model", "vader")
	if code != 0 || strings.Contains(stderr, "input rejected") {
		t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(string(b), "\n") - 1; rows != 2 || !strings.Contains(string(b), ",2016-05-02,feed,") {
		t.Errorf("comments.csv has %d rows:\n%s", rows, b)
	}
	code, stdout, _ = chorus(t, "fetch", "--blog", srv.URL, "--into", dir, "--delay", "0s")
	if code != 0 || !strings.Contains(stdout, "fetched 0 posts") {
		t.Errorf("second fetch exit %d: %s", code, stdout)
	}
	if code, _, _ := chorus(t, "fetch", "--blog", "not a url", "--into", dir); code != 2 {
		t.Errorf("a bad --blog exits %d, want 2", code)
	}
}
