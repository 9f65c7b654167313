package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// client makes the fetch's requests, one at a time: a pause before every
// request but the first, retries with exponential backoff on 429, 5xx,
// network errors and truncated bodies (Retry-After honoured), and a size
// limit on every response.
type client struct {
	http      *http.Client
	userAgent string
	delay     time.Duration
	base      time.Duration // first backoff
	maxWait   time.Duration // longest single wait, Retry-After included
	retries   int
	maxBytes  int64
	sleep     func(context.Context, time.Duration) error
	requests  int
	log       func(msg string, args ...any)
}

// statusError is a response chorus does not retry (404, 403 ...).
type statusError struct {
	url  string
	code int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: HTTP %d %s", e.url, e.code, http.StatusText(e.code))
}

// errTooLarge is a response over the size limit: not retried.
var errTooLarge = errors.New("response larger than the limit")

// get returns the body of url. check, when not nil, validates a complete
// body (a feed that does not parse is retried as a truncated one).
func (c *client) get(ctx context.Context, url string, check func([]byte) error) ([]byte, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		if c.requests > 0 {
			if err := c.sleep(ctx, c.delay); err != nil {
				return nil, err
			}
		}
		c.requests++
		body, retryAfter, err := c.once(ctx, url)
		if err == nil && check != nil {
			if cerr := check(body); cerr != nil {
				err = fmt.Errorf("GET %s: incomplete or malformed body: %w", url, cerr)
			}
		}
		if err == nil {
			return body, nil
		}
		var se *statusError
		if ctx.Err() != nil || errors.Is(err, errTooLarge) || errors.As(err, &se) {
			return nil, err
		}
		lastErr = err
		if attempt >= c.retries {
			return nil, fmt.Errorf("%w (gave up after %d attempts)", lastErr, attempt+1)
		}
		wait := c.base << attempt
		if retryAfter > 0 {
			wait = retryAfter
		}
		wait = min(wait, c.maxWait)
		c.log("fetch retry", "attempt", attempt+1, "wait", wait.String(), "err", err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// once makes one request. A retryable failure comes back as an error with
// the server's Retry-After, if any.
func (c *client) once(ctx context.Context, url string) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, &statusError{url: url, code: 0}
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/atom+xml, application/xml;q=0.9, text/plain;q=0.5")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, retryAfter(resp.Header.Get("Retry-After"), time.Now()), fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, 0, &statusError{url: url, code: resp.StatusCode}
	}
	if resp.ContentLength > c.maxBytes {
		return nil, 0, fmt.Errorf("GET %s: %w of %d bytes (Content-Length %d)", url, errTooLarge, c.maxBytes, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: body cut short: %w", url, err)
	}
	if int64(len(body)) > c.maxBytes {
		return nil, 0, fmt.Errorf("GET %s: %w of %d bytes", url, errTooLarge, c.maxBytes)
	}
	return body, 0, nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
