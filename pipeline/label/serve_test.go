package label

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/models/redact"
	"chorus/pipeline/store"
)

// hostile is an invented post whose title and comments try to inject
// markup into the page.
const hostile = `{"post_id":"h","post_date":"2015-04-01","title":"<b>bold</b> title \"quoted\"","comment_id":"h1","text":"<script>alert(1)</script> first"}
{"post_id":"h","post_date":"2015-04-01","title":"<b>bold</b> title \"quoted\"","comment_id":"h2","parent_id":"h1","text":"\"><img src=x onerror=alert(2)> reply &amp; more"}
`

// servedStore is the fixture store plus the hostile post, every counted
// comment queued (random order, seed 1).
func servedStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, _ := fixtureStore(t)
	doc, rej := corpus.Parse("hostile.jsonl", []byte(hostile), corpus.Options{})
	if rej != nil {
		t.Fatal(rej)
	}
	if _, _, err := st.ReplaceAnalysed(ctx, []*corpus.Document{doc}, false, redact.New().Text, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Sample(ctx, st, SampleOptions{N: 100, Strategy: Random, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return st
}

func newTestServer(t *testing.T, st *store.Store, coder, guide string) *Server {
	t.Helper()
	s, err := NewServer(context.Background(), st, ServerOptions{Coder: coder, Taxonomy: defaultTaxonomy(t), Guide: guide, Redact: redact.New().Text})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do sends one request to h and returns the response and its body.
func do(t *testing.T, h http.Handler, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// unitOf finds the queue index of the comment whose text starts with prefix.
func unitOf(t *testing.T, s *Server, prefix string) int {
	t.Helper()
	for i, u := range s.units {
		if strings.HasPrefix(u.Text, prefix) {
			return i
		}
	}
	t.Fatalf("no queued comment starts with %q", prefix)
	return -1
}

func TestServeTokenRequired(t *testing.T) {
	s := newTestServer(t, servedStore(t), "ann", "")
	wrong := strings.Repeat("0", len(s.Token()))
	for _, path := range []string{"/", "/unit/0", "/" + wrong + "/", "/" + wrong + "/unit/0", "/" + s.Token()[:10] + "/", "/static/style.css", "/" + wrong + "/static/keys.js"} {
		res, body := do(t, s, "GET", path, nil)
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, "<form") {
			t.Errorf("GET %s: %d without the token", path, res.StatusCode)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no CSP on the refusal", path)
		}
	}
	res, _ := do(t, s, "POST", "/"+wrong+"/unit/0", url.Values{"csrf": {s.csrf}, "valence": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong token: %d", res.StatusCode)
	}
	if ls, _ := s.st.Labels(context.Background(), ""); len(ls) != 0 {
		t.Errorf("a request without the token stored %d labels", len(ls))
	}
	base := "/" + s.Token()
	if res, _ := do(t, s, "GET", base, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/" {
		t.Errorf("GET %s: %d to %q", base, res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := do(t, s, "GET", base+"/", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/unit/0" {
		t.Errorf("GET %s/: %d to %q", base, res.StatusCode, res.Header.Get("Location"))
	}
	for _, p := range []string{"/static/style.css", "/static/keys.js"} {
		res, body := do(t, s, "GET", base+p, nil)
		if res.StatusCode != 200 || len(body) < 100 || res.Header.Get("Content-Security-Policy") != contentSecurityPolicy {
			t.Errorf("GET %s: %d, %d bytes", p, res.StatusCode, len(body))
		}
	}
	if res, _ := do(t, s, "GET", base+"/unit/9999", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unit out of range: %d", res.StatusCode)
	}
	if res, _ := do(t, s, "GET", base+"/unit/-1", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unit -1: %d", res.StatusCode)
	}
	if res, _ := do(t, s, "POST", base+"/guide", url.Values{}); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /guide: %d", res.StatusCode)
	}
	if a, b := newTestServer(t, s.st, "ann", ""), newTestServer(t, s.st, "ann", ""); a.Token() == b.Token() || a.csrf == b.csrf || len(a.Token()) != 32 {
		t.Error("tokens are not fresh random 128-bit values")
	}
}

func TestServeEscapesHostileText(t *testing.T) {
	s := newTestServer(t, servedStore(t), "ann", "")
	i := unitOf(t, s, `"><img`)
	res, body := do(t, s, "GET", "/"+s.Token()+"/unit/"+itoa(i), nil)
	if res.StatusCode != 200 {
		t.Fatalf("unit page: %d", res.StatusCode)
	}
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>bold</b>", `"><img`} {
		if strings.Contains(body, bad) {
			t.Errorf("page carries %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; first", "&#34;&gt;&lt;img src=x onerror=alert(2)&gt; reply &amp;amp; more", "&lt;b&gt;bold&lt;/b&gt; title &#34;quoted&#34;", "in reply to", "2015-04-01"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("the page has an inline script or a remote reference")
	}
}

func TestServeLabelsPersistAndCSRF(t *testing.T) {
	ctx := context.Background()
	st := servedStore(t)
	s := newTestServer(t, st, "ann", "")
	base := "/" + s.Token()
	post := func(i int, form url.Values) (*http.Response, string) {
		return do(t, s, "POST", base+"/unit/"+itoa(i), form)
	}
	good := url.Values{"csrf": {s.csrf}, "valence": {"-1"}, "topic": {"workload", "it", "workload"}, "note": {"ask jo@example.org"}}
	for name, form := range map[string]url.Values{
		"no csrf":       {"valence": {"1"}},
		"wrong csrf":    {"csrf": {strings.Repeat("0", len(s.csrf))}, "valence": {"1"}},
		"csrf as token": {"csrf": {s.Token()}, "valence": {"1"}},
	} {
		if res, _ := post(0, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	for name, form := range map[string]url.Values{
		"valence 3":     {"csrf": {s.csrf}, "valence": {"3"}},
		"valence text":  {"csrf": {s.csrf}, "valence": {"bad"}},
		"no valence":    {"csrf": {s.csrf}},
		"unknown topic": {"csrf": {s.csrf}, "valence": {"0"}, "topic": {"weather"}},
		"long note":     {"csrf": {s.csrf}, "valence": {"0"}, "note": {strings.Repeat("x", maxNoteRunes+1)}},
	} {
		if res, _ := post(0, form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if ls, _ := st.Labels(ctx, ""); len(ls) != 0 {
		t.Fatalf("refused posts stored %d labels", len(ls))
	}
	res, _ := post(0, good)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/unit/1" {
		t.Fatalf("good post: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	last := len(s.units) - 1
	res, _ = post(last, url.Values{"csrf": {s.csrf}, "valence": {"2"}})
	if res.Header.Get("Location") != base+"/done" {
		t.Errorf("after the last unit: to %q", res.Header.Get("Location"))
	}
	ls, err := st.Labels(ctx, "ann")
	if err != nil || len(ls) != 2 {
		t.Fatalf("labels: %v, %v", ls, err)
	}
	var l store.Label
	for _, x := range ls {
		if x.CommentID == s.units[0].CommentID {
			l = x
		}
	}
	if l.Valence != -1 || strings.Join(l.Topics, ",") != "it,workload" || l.Note != "ask [email]" || l.Source != "serve" || l.TextHash != store.TextHash(s.units[0].Text) ||
		l.PostID == "" || l.PostID != s.units[0].PostID {
		t.Errorf("stored label %+v", l)
	}
	// The page shows the label back; the next visit to / skips it.
	_, body := do(t, s, "GET", base+"/unit/0", nil)
	if !strings.Contains(body, `value="-1" data-key="2" class="vneg1 current" aria-pressed="true"`) ||
		!strings.Contains(body, `value="workload" data-key="`) || strings.Count(body, " checked>") != 2 || !strings.Contains(body, "ask [email]") {
		t.Errorf("unit page does not show the saved label:\n%s", body)
	}
	if !strings.Contains(body, "2 of "+itoa(len(s.units))+" labelled") {
		t.Error("progress does not count the two labels")
	}
	if res, _ := do(t, s, "GET", base+"/", nil); res.Header.Get("Location") != base+"/unit/1" {
		t.Errorf("index goes to %q, want the first unlabelled", res.Header.Get("Location"))
	}
	// Relabelling replaces.
	if res, _ := post(0, url.Values{"csrf": {s.csrf}, "valence": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.Status)
	}
	if ls, _ := st.Labels(ctx, "ann"); len(ls) != 2 {
		t.Errorf("relabelling added a label: %d", len(ls))
	}
	// Another coder sees none of ann's labels.
	bo := newTestServer(t, st, "bo", "")
	_, body = do(t, bo, "GET", "/"+bo.Token()+"/unit/0", nil)
	if strings.Contains(body, "aria-pressed") || strings.Contains(body, " checked>") || strings.Contains(body, "ask [email]") || !strings.Contains(body, "0 of ") {
		t.Error("bo's page shows ann's label")
	}
	if res, _ := do(t, bo, "POST", "/"+bo.Token()+"/unit/0", url.Values{"csrf": {s.csrf}, "valence": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("ann's CSRF token worked on bo's server: %d", res.StatusCode)
	}
	// Done page.
	_, body = do(t, s, "GET", base+"/done", nil)
	if !strings.Contains(body, "You have labelled 2 of") {
		t.Errorf("done page:\n%s", body)
	}
	// Survives a restart of the server.
	s2 := newTestServer(t, st, "ann", "")
	_, body = do(t, s2, "GET", "/"+s2.Token()+"/unit/0", nil)
	if !strings.Contains(body, `class="vneu current"`) {
		t.Error("a new server does not show the stored label")
	}
}

func TestServeGuide(t *testing.T) {
	st := servedStore(t)
	guide := filepath.Join(t.TempDir(), "GUIDE.md")
	md := "# Coding guide\n\nGive **valence** from -2 to 2.\n\n- one\n- two\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(2)) and `code`\n"
	if err := os.WriteFile(guide, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, st, "ann", guide)
	res, body := do(t, s, "GET", "/"+s.Token()+"/guide", nil)
	if res.StatusCode != 200 {
		t.Fatalf("guide: %d", res.StatusCode)
	}
	for _, want := range []string{"<h1>Coding guide</h1>", "<strong>valence</strong>", "<li>one</li>", "<code>code</code>", "GUIDE.md"} {
		if !strings.Contains(body, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "javascript:") {
		t.Errorf("guide carries a script:\n%s", body)
	}
	none := newTestServer(t, st, "ann", "")
	if _, body := do(t, none, "GET", "/"+none.Token()+"/guide", nil); !strings.Contains(body, "No coding guide") {
		t.Error("no guide: no message")
	}
	// A guide that is not there at start is refused, naming it; one that
	// goes away later makes the guide page fail, not the server.
	missing := filepath.Join(t.TempDir(), "missing.md")
	if _, err := NewServer(context.Background(), st, ServerOptions{Coder: "ann", Taxonomy: defaultTaxonomy(t), Guide: missing, Redact: redact.New().Text}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing guide at start: %v, want an error naming it", err)
	}
	if err := os.Remove(guide); err != nil {
		t.Fatal(err)
	}
	if res, _ := do(t, s, "GET", "/"+s.Token()+"/guide", nil); res.StatusCode != http.StatusInternalServerError {
		t.Errorf("guide removed: %d", res.StatusCode)
	}
}

func TestServeRefusesEmptyQueue(t *testing.T) {
	st, _ := fixtureStore(t)
	if _, err := NewServer(context.Background(), st, ServerOptions{Coder: "ann", Taxonomy: defaultTaxonomy(t), Redact: redact.New().Text}); err == nil || !strings.Contains(err.Error(), "label sample") {
		t.Errorf("empty queue: %v", err)
	}
	if _, err := NewServer(context.Background(), st, ServerOptions{Coder: "a b", Taxonomy: defaultTaxonomy(t), Redact: redact.New().Text}); err == nil {
		t.Error("a bad coder name was accepted")
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:0": true, "localhost:8080": true, "[::1]:80": true, "0.0.0.0:80": false, ":8080": false, "192.0.2.1:80": false, "nonsense": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) = %v", addr, !want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
