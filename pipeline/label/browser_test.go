package label

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBrowserLabelsByKeyboard is the end-to-end test: headless Chromium
// opens the workbench, and three comments are labelled with the keyboard
// alone (a topic key, then a valence key 1-5), as a coder would; the store
// must then hold those three labels. It drives Chromium over the DevTools
// protocol with the small websocket client below, so the test needs no
// module beyond the standard library.
//
// It skips when no Chromium is installed (CHORUS_CHROMIUM names another
// binary); .ci/run installs Debian's chromium where apt is available.
func TestBrowserLabelsByKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := findChromium()
	if bin == "" {
		t.Skip("browser test not run: no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium, or set CHORUS_CHROMIUM)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	st := servedStore(t)
	s := newTestServer(t, st, "ann", "")
	srv := httptest.NewServer(s)
	defer srv.Close()

	b := startChromium(ctx, t, bin)
	page := b.page(t)
	defer page.close()
	if _, err := page.call("Page.enable", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := page.call("Runtime.enable", nil); err != nil {
		t.Fatal(err)
	}
	start := srv.URL + "/" + s.Token() + "/"
	if _, err := page.call("Page.navigate", map[string]any{"url": start}); err != nil {
		t.Fatal(err)
	}
	if err := page.waitEvent("Page.loadEventFired", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	// Three comments: topic a (the taxonomy's first) with -2, nothing with
	// 0, then topics a and b with +2.
	steps := []struct {
		keys    []string
		valence int
	}{{[]string{"a", "1"}, -2}, {[]string{"3"}, 0}, {[]string{"a", "b", "5"}, 2}}
	for i, step := range steps {
		path, err := page.eval("location.pathname")
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("/%s/unit/%d", s.Token(), i); path != want {
			t.Fatalf("step %d: page at %q, want %q", i, path, want)
		}
		page.events = nil
		for _, k := range step.keys {
			if err := page.press(k); err != nil {
				t.Fatal(err)
			}
		}
		if err := page.waitEvent("Page.loadEventFired", 20*time.Second); err != nil {
			t.Fatalf("step %d: the valence key did not move on: %v", i, err)
		}
	}
	if path, _ := page.eval("location.pathname"); path != fmt.Sprintf("/%s/unit/3", s.Token()) {
		t.Errorf("after three labels the page is at %q", path)
	}
	text, err := page.eval("document.querySelector('.count').textContent")
	if err != nil || text != fmt.Sprintf("3 of %d labelled", s.Units()) {
		t.Errorf("progress reads %q (%v)", text, err)
	}
	tax := defaultTaxonomy(t).Topics()
	labels, err := st.Labels(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for i, l := range labels {
		byID[l.CommentID] = i
	}
	if len(labels) != 3 {
		t.Fatalf("store holds %d labels, want 3: %+v", len(labels), labels)
	}
	for i, step := range steps {
		j, ok := byID[s.units[i].CommentID]
		if !ok {
			t.Errorf("comment %d has no label", i)
			continue
		}
		l := labels[j]
		var want []string
		for _, k := range step.keys {
			if k[0] >= 'a' && k[0] <= 'z' {
				want = append(want, tax[k[0]-'a'].Name)
			}
		}
		slices.Sort(want)
		if l.Valence != step.valence || !slices.Equal(l.Topics, want) || l.Source != "serve" {
			t.Errorf("comment %d: %+v, want valence %d and topics %v", i, l, step.valence, want)
		}
	}
}

// findChromium returns the browser binary to drive, or "".
func findChromium() string {
	if b := os.Getenv("CHORUS_CHROMIUM"); b != "" {
		return b
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is a running headless Chromium.
type browser struct {
	devtools string // host:port of the DevTools HTTP endpoint
}

// startChromium starts a headless browser with a fresh profile, with the
// flags this workplace's Chromium needs, and stops it when the test ends.
func startChromium(ctx context.Context, t *testing.T, bin string) *browser {
	t.Helper()
	// Not t.TempDir: Chromium's helper processes outlive the one killed
	// below by a moment and write to the profile as it is removed, which
	// fails t.TempDir's cleanup. The profile is removed once they are gone.
	profile, err := os.MkdirTemp("", "chorus-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("browser test not run: cannot start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		for i := 0; ; i++ {
			err := os.RemoveAll(profile)
			if err == nil {
				return
			}
			if i == 50 {
				t.Logf("browser profile %s not removed: %v", profile, err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if _, rest, ok := strings.Cut(line, "DevTools listening on "); ok {
				found <- rest
			}
		}
		close(found)
	}()
	select {
	case ws, ok := <-found:
		if !ok {
			t.Fatalf("%s exited without opening its DevTools port", bin)
		}
		u, err := url.Parse(strings.TrimSpace(ws))
		if err != nil {
			t.Fatalf("DevTools address %q: %v", ws, err)
		}
		return &browser{devtools: u.Host}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not open its DevTools port within 30 s", bin)
	}
	return nil
}

// page connects to the browser's first page target.
func (b *browser) page(t *testing.T) *cdpConn {
	t.Helper()
	var targets []struct {
		Type string `json:"type"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + b.devtools + "/json/list")
		if err == nil {
			err = json.NewDecoder(res.Body).Decode(&targets)
			res.Body.Close()
		}
		for _, tg := range targets {
			if tg.Type == "page" && tg.WS != "" {
				c, err := dialCDP(tg.WS)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no page target in the browser: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cdpConn is one DevTools protocol session over a websocket: calls are
// answered in order on one connection, and events met while waiting for an
// answer are kept for waitEvent.
type cdpConn struct {
	conn   net.Conn
	r      *bufio.Reader
	nextID int
	events []string
}

// dialCDP opens a websocket (RFC 6455) to a ws:// URL on the loopback.
func dialCDP(wsURL string) (*cdpConn, error) {
	u, err := url.Parse(wsURL)
	if err != nil || u.Scheme != "ws" {
		return nil, fmt.Errorf("devtools url %q: want ws://", wsURL)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	var key [16]byte
	rand.Read(key[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + base64.StdEncoding.EncodeToString(key[:]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("websocket upgrade: %s", res.Status)
	}
	return &cdpConn{conn: conn, r: r}, nil
}

func (c *cdpConn) close() { c.conn.Close() }

// writeText sends one masked text frame, as a client must.
func (c *cdpConn) writeText(p []byte) error {
	hdr := []byte{0x81}
	switch n := len(p); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	body := make([]byte, len(p))
	for i := range p {
		body[i] = p[i] ^ mask[i%4]
	}
	_, err := c.conn.Write(append(hdr, body...))
	return err
}

// readMessage reads one whole message, joining fragments and answering
// pings.
func (c *cdpConn) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 64<<20 {
			return nil, fmt.Errorf("websocket frame of %d bytes", n)
		}
		var mask []byte
		if h[1]&0x80 != 0 {
			mask = make([]byte, 4)
			if _, err := io.ReadFull(c.r, mask); err != nil {
				return nil, err
			}
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(c.r, p); err != nil {
			return nil, err
		}
		if mask != nil {
			for i := range p {
				p[i] ^= mask[i%4]
			}
		}
		switch op {
		case 0x8:
			return nil, errors.New("websocket closed by the browser")
		case 0x9: // ping: answer with a pong carrying the same data
			c.conn.Write(append([]byte{0x8a, 0x80 | byte(len(p))}, append([]byte{0, 0, 0, 0}, p...)...))
			continue
		case 0xa:
			continue
		}
		msg = append(msg, p...)
		if fin {
			return msg, nil
		}
	}
}

// cdpMessage is an answer or an event.
type cdpMessage struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// call sends a command and waits (up to 20 s) for its answer.
func (c *cdpConn) call(method string, params any) (json.RawMessage, error) {
	c.nextID++
	id := c.nextID
	if params == nil {
		params = struct{}{}
	}
	req, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	c.conn.SetDeadline(time.Now().Add(20 * time.Second))
	if err := c.writeText(req); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	for {
		raw, err := c.readMessage()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		var m cdpMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		if m.Method != "" {
			c.events = append(c.events, m.Method)
			continue
		}
		if m.ID != id {
			continue
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m.Result, nil
	}
}

// waitEvent waits for an event, counting those already received.
func (c *cdpConn) waitEvent(method string, timeout time.Duration) error {
	for i, e := range c.events {
		if e == method {
			c.events = c.events[i+1:]
			return nil
		}
	}
	c.conn.SetDeadline(time.Now().Add(timeout))
	for {
		raw, err := c.readMessage()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", method, err)
		}
		var m cdpMessage
		if json.Unmarshal(raw, &m) == nil && m.Method == method {
			return nil
		}
	}
}

// eval evaluates a JavaScript expression whose value is a string.
func (c *cdpConn) eval(expr string) (string, error) {
	raw, err := c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		return "", err
	}
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", err
	}
	s, _ := r.Result.Value.(string)
	return s, nil
}

// press types one key (a digit or a lower-case letter) as a keyboard does:
// key down with its text, key up.
func (c *cdpConn) press(k string) error {
	code, vk := "Key"+strings.ToUpper(k), int(strings.ToUpper(k)[0])
	if k[0] >= '0' && k[0] <= '9' {
		code = "Digit" + k
	}
	if _, err := c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": k, "code": code, "text": k,
		"windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}); err != nil {
		return err
	}
	_, err := c.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": k, "code": code,
		"windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk})
	return err
}
