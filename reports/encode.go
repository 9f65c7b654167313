package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
)

// CommentEncoder formats rows of comments.csv exactly as Write does, so
// that a caller can assemble the file itself (the pipeline copies the rows
// of unchanged posts from the previous file and encodes the rest).
type CommentEncoder struct {
	topics  []Topic
	version string
	buf     bytes.Buffer
	cw      *csv.Writer
	rec     []string
}

// NewCommentEncoder returns an encoder for the given taxonomy and version.
func NewCommentEncoder(topics []Topic, version string) *CommentEncoder {
	e := &CommentEncoder{topics: topics, version: version}
	e.cw = csv.NewWriter(&e.buf)
	return e
}

// Header returns the header line of comments.csv, newline included.
func (e *CommentEncoder) Header() ([]byte, error) {
	return e.encode(nil, commentHeader)
}

// Append appends the row of c, newline included, to dst.
func (e *CommentEncoder) Append(dst []byte, c Comment) ([]byte, error) {
	e.rec = commentRecord(c, e.topics, e.version, e.rec)
	return e.encode(dst, e.rec)
}

func (e *CommentEncoder) encode(dst []byte, rec []string) ([]byte, error) {
	e.buf.Reset()
	if err := e.cw.Write(rec); err != nil {
		return dst, fmt.Errorf("encode comment row: %w", err)
	}
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return dst, fmt.Errorf("encode comment row: %w", err)
	}
	return append(dst, e.buf.Bytes()...), nil
}
