package label

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"

	"chorus/internal/fsread"
	"chorus/models/topics"
	"chorus/pipeline/store"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// contentSecurityPolicy allows the page its own stylesheet and script and
// nothing else: no inline script (so an injected one cannot run even if
// escaping failed), no remote fonts, images or frames, forms posting only
// back to the workbench.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Limits on what a request may carry.
const (
	maxFormBytes = 64 << 10
	// maxGuideBytes bounds the coding guide: a guide of many pages of
	// Markdown is tens of KB, and rendering more than 1 MiB on each visit
	// would stall the page.
	maxGuideBytes = 1 << 20
)

// ServerOptions configures the workbench.
type ServerOptions struct {
	Coder    string
	Taxonomy *topics.Taxonomy
	// Guide is the researcher's coding guide, a Markdown file ("" none). It
	// is read once by NewServer, so a wrong --guide fails at start, and
	// again on every visit, so edits show without a restart.
	Guide  string
	Redact func(string) string
	Log    *slog.Logger
}

// Server is the labelling web app for one coder. It shows the labelling
// queue one comment at a time, with the coder's own labels and no one
// else's.
//
// Every request must carry the server's random token as the first part of
// its path (compared in constant time): the server listens on the loopback
// interface, but any local process or any web page the coder visits could
// send it requests, and the token is what they cannot know. Every POST
// must also carry the CSRF token from the page's form. All text goes
// through html/template, and the Content-Security-Policy forbids inline
// scripts and every remote load.
type Server struct {
	st      *store.Store
	opts    ServerOptions
	token   string
	csrf    string
	units   []store.QueuedUnit
	missing int
	topics  []topics.Topic
	known   map[string]bool
	tmpl    *template.Template
	mux     *http.ServeMux
}

// NewServer loads the labelling queue and prepares the app. Queued
// comments no longer in the store are left out and counted (Missing).
func NewServer(ctx context.Context, st *store.Store, opts ServerOptions) (*Server, error) {
	if err := ValidCoder(opts.Coder); err != nil {
		return nil, err
	}
	if opts.Taxonomy == nil {
		return nil, errors.New("serve: no taxonomy")
	}
	if opts.Redact == nil {
		return nil, errors.New("serve: no redactor")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Guide != "" {
		if _, err := renderGuide(opts.Guide); err != nil {
			return nil, err
		}
	}
	q, err := st.Queue(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, opts: opts, topics: opts.Taxonomy.Topics(), known: map[string]bool{}}
	for _, u := range q {
		if u.Found {
			s.units = append(s.units, u)
		} else {
			s.missing++
		}
	}
	if len(s.units) == 0 {
		return nil, errors.New("serve: the labelling queue is empty: run chorus label sample first")
	}
	for _, t := range s.topics {
		s.known[t.Name] = true
	}
	if s.token, err = randomToken(); err != nil {
		return nil, err
	}
	if s.csrf, err = randomToken(); err != nil {
		return nil, err
	}
	if s.tmpl, err = template.ParseFS(webFS, "web/templates/*.html"); err != nil {
		return nil, fmt.Errorf("serve: templates: %w", err)
	}
	static, err := fs.Sub(webFS, "web/static")
	if err != nil {
		return nil, fmt.Errorf("serve: static files: %w", err)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("GET /unit/{i}", s.unit)
	s.mux.HandleFunc("POST /unit/{i}", s.save)
	s.mux.HandleFunc("GET /guide", s.guide)
	s.mux.HandleFunc("GET /done", s.done)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	return s, nil
}

// randomToken is 128 bits from the system's random source, in hex.
func randomToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("serve: random token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Token is the secret the URL must carry.
func (s *Server) Token() string { return s.token }

// Units is the number of comments the coder is offered; Missing the
// queued comments left out because they are no longer stored.
func (s *Server) Units() int   { return len(s.units) }
func (s *Server) Missing() int { return s.missing }

// ServeHTTP checks the token, sets the security headers, and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	rest, _ := strings.CutPrefix(r.URL.Path, "/")
	seg, tail, slash := strings.Cut(rest, "/")
	if subtle.ConstantTimeCompare([]byte(seg), []byte(s.token)) != 1 {
		http.Error(w, "forbidden: open the address chorus label serve printed (it carries the session's token)", http.StatusForbidden)
		return
	}
	if !slash {
		http.Redirect(w, r, "/"+s.token+"/", http.StatusSeeOther)
		return
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = "/"+tail, ""
	r2.URL = &u
	s.mux.ServeHTTP(w, r2)
}

// base is the path prefix every link carries.
func (s *Server) base() string { return "/" + s.token }

// own returns the coder's labels, by comment id.
func (s *Server) own(ctx context.Context) (map[string]store.Label, error) {
	ls, err := s.st.Labels(ctx, s.opts.Coder)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Label, len(ls))
	for _, l := range ls {
		if l.CommentID != "" {
			out[l.CommentID] = l
		}
	}
	return out, nil
}

// page is what every template's header needs.
type page struct {
	Title, Base, Coder string
	Done, N            int
}

func (s *Server) page(title string, own map[string]store.Label) page {
	done := 0
	for _, u := range s.units {
		if _, ok := own[u.CommentID]; ok {
			done++
		}
	}
	return page{Title: title, Base: s.base(), Coder: s.opts.Coder, Done: done, N: len(s.units)}
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.opts.Log.Error("label serve", "err", s.opts.Redact(err.Error()))
	http.Error(w, "internal error: see the terminal running chorus label serve", http.StatusInternalServerError)
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// index sends the coder to the first comment they have not labelled.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	own, err := s.own(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	for i, u := range s.units {
		if _, ok := own[u.CommentID]; !ok {
			http.Redirect(w, r, fmt.Sprintf("%s/unit/%d", s.base(), i), http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, s.base()+"/done", http.StatusSeeOther)
}

// unitIndex parses the {i} of a unit path.
func (s *Server) unitIndex(r *http.Request) (int, bool) {
	i, err := strconv.Atoi(r.PathValue("i"))
	return i, err == nil && i >= 0 && i < len(s.units)
}

type valenceButton struct {
	Value      int
	Key        string
	Sign, Name string
	Class      string
	Current    bool
}

type topicBox struct {
	Name, Label, Description, Key string
	Checked                       bool
}

type unitPage struct {
	page
	I, Pos      int
	Prev, Next  int // -1: none
	CSRF        string
	Unit        store.QueuedUnit
	HasLabel    bool
	CurrentName string
	Note        string
	Valences    []valenceButton
	Topics      []topicBox
}

// valenceScale is the five buttons, keys 1-5 for -2..+2.
var valenceScale = []struct {
	v          int
	sign, name string
	class      string
}{
	{-2, "\u22122", "strongly negative", "neg2"},
	{-1, "\u22121", "negative", "neg1"},
	{0, "0", "neutral", "neu"},
	{1, "+1", "positive", "pos1"},
	{2, "+2", "strongly positive", "pos2"},
}

func (s *Server) unit(w http.ResponseWriter, r *http.Request) {
	i, ok := s.unitIndex(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	own, err := s.own(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	u := s.units[i]
	l, has := own[u.CommentID]
	p := unitPage{page: s.page(fmt.Sprintf("comment %d of %d", i+1, len(s.units)), own), I: i, Pos: i + 1,
		Prev: i - 1, Next: i + 1, CSRF: s.csrf, Unit: u, HasLabel: has, Note: l.Note}
	if p.Next >= len(s.units) {
		p.Next = -1
	}
	for k, v := range valenceScale {
		b := valenceButton{Value: v.v, Key: strconv.Itoa(k + 1), Sign: v.sign, Name: v.name, Class: v.class, Current: has && l.Valence == v.v}
		if b.Current {
			p.CurrentName = v.sign + " " + v.name
		}
		p.Valences = append(p.Valences, b)
	}
	for k, t := range s.topics {
		key := ""
		if k < 26 {
			key = string(rune('a' + k))
		}
		p.Topics = append(p.Topics, topicBox{Name: t.Name, Label: t.Label, Description: t.Description, Key: key,
			Checked: has && slices.Contains(l.Topics, t.Name)})
	}
	s.render(w, "unit.html", p)
}

// save stores the coder's label of unit i and moves on to the next.
func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	i, ok := s.unitIndex(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) != 1 {
		http.Error(w, "forbidden: the form's CSRF token is missing or wrong (reload the page)", http.StatusForbidden)
		return
	}
	v, err := strconv.Atoi(r.PostForm.Get("valence"))
	if err != nil || v < -2 || v > 2 {
		http.Error(w, "bad valence: want a whole number from -2 to 2", http.StatusBadRequest)
		return
	}
	var ts []string
	for _, t := range r.PostForm["topic"] {
		if !s.known[t] {
			http.Error(w, "bad topic: not in the taxonomy", http.StatusBadRequest)
			return
		}
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	note := s.opts.Redact(strings.TrimSpace(r.PostForm.Get("note")))
	if len([]rune(note)) > maxNoteRunes {
		http.Error(w, fmt.Sprintf("note too long: at most %d characters", maxNoteRunes), http.StatusBadRequest)
		return
	}
	u := s.units[i]
	l := store.Label{Coder: s.opts.Coder, CommentID: u.CommentID, PostID: u.PostID, TextHash: store.TextHash(u.Text), Text: u.Text,
		Valence: v, Topics: ts, Note: note, Source: "serve"}
	if _, _, err := s.st.SaveLabels(r.Context(), []store.Label{l}); err != nil {
		s.fail(w, err)
		return
	}
	next := fmt.Sprintf("%s/unit/%d", s.base(), i+1)
	if i+1 >= len(s.units) {
		next = s.base() + "/done"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type guidePage struct {
	page
	GuideName string
	Guide     template.HTML
}

// guide renders the researcher's Markdown guide. goldmark, left in its
// safe default, drops raw HTML from the file and empties javascript: and
// other dangerous link targets; the CSP would block a script anyway.
func (s *Server) guide(w http.ResponseWriter, r *http.Request) {
	own, err := s.own(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	p := guidePage{page: s.page("coding guide", own)}
	if s.opts.Guide != "" {
		p.GuideName = s.opts.Redact(filepath.Base(s.opts.Guide))
		html, err := renderGuide(s.opts.Guide)
		if err != nil {
			s.fail(w, err)
			return
		}
		p.Guide = html
	}
	s.render(w, "guide.html", p)
}

// renderGuide reads a Markdown file (a regular file of at most
// maxGuideBytes, through fsread.Read) and renders it to HTML.
func renderGuide(path string) (template.HTML, error) {
	src, err := fsread.Read(path, maxGuideBytes, "file")
	if err != nil {
		return "", fmt.Errorf("read coding guide %s: %w", path, err)
	}
	return RenderMarkdown(src)
}

// RenderMarkdown renders Markdown (CommonMark) to HTML that is safe to
// put in a page: raw HTML in the source is dropped and dangerous link
// targets are emptied, goldmark's default.
func RenderMarkdown(src []byte) (template.HTML, error) {
	var b bytes.Buffer
	if err := goldmark.New().Convert(src, &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return template.HTML(b.String()), nil
}

type donePage struct {
	page
	Left, FirstLeft, Last int
}

func (s *Server) done(w http.ResponseWriter, r *http.Request) {
	own, err := s.own(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	p := donePage{page: s.page("done", own), FirstLeft: -1, Last: len(s.units) - 1}
	for i, u := range s.units {
		if _, ok := own[u.CommentID]; !ok {
			p.Left++
			if p.FirstLeft < 0 {
				p.FirstLeft = i
			}
		}
	}
	s.render(w, "done.html", p)
}

// Serve runs the workbench on addr until ctx is done, calling ready with
// the URL to open once it listens.
func Serve(ctx context.Context, s *Server, addr string, ready func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ready(fmt.Sprintf("http://%s/%s/", ln.Addr(), s.token))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}

// IsLoopback reports whether addr (host:port) binds only the loopback
// interface, as the workbench should unless the researcher says otherwise.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
