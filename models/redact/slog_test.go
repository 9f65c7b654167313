package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestHandlerRedactsEverything(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil), New()))
	log = log.With("input", "notes-from-jo.bloggs@example.com.jsonl")
	log.WithGroup("g").Warn("rejected al@example.org",
		"file", "ring-07700-900123.txt",
		"err", errors.New("open /home/jo@example.org/a.txt: denied"),
		slog.Group("sub", "reason", "call +44 20 7946 0123"),
		"n", 3)
	out := buf.String()
	for _, leak := range []string{"jo.bloggs@example.com", "al@example.org", "07700", "jo@example.org", "7946"} {
		if strings.Contains(out, leak) {
			t.Errorf("log line carries %q:\n%s", leak, out)
		}
	}
	if !strings.Contains(out, "g.n=3") || strings.Count(out, "[email]") != 3 || strings.Count(out, "[phone]") != 2 {
		t.Errorf("log line lost its other content:\n%s", out)
	}
}
