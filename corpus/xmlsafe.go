package corpus

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// Limits on an XML input, beyond its size in bytes. encoding/xml keeps a
// stack entry per open element, so a file of nothing but opening tags (64
// MiB of "<a>" took 73 s and 1.7 GB) costs memory and time out of all
// proportion to its size; a real export nests a few elements deep (Atom's
// entry/author/name, WXR's item/wp:comment/wp:comment_content) and holds a
// few tokens per hundred bytes. The limits are far above any real export
// and far below what hurts.
const (
	// MaxXMLDepth is the deepest nesting of elements accepted.
	MaxXMLDepth = 256
	// MaxXMLTokens is the most tokens (tags, text runs, comments) one file
	// may hold.
	MaxXMLTokens = 8 << 20
)

// xmlBudget is a token source for xml.NewTokenDecoder that stops a file
// once it nests deeper than MaxXMLDepth or passes MaxXMLTokens. It reads raw
// tokens from base, so the decoder built on it does the namespace and
// nesting checks once, and every token it reads, DecodeElement's included,
// counts against the budget.
//
// It also notes the line each token starts on (start): the position of
// base just before it reads the token, since the text between two tags is
// a token of its own. base counts the lines of the bytes it is given, and
// those are the file's lines: Parse's decoding (UTF-16, Windows-1252, the
// U+FFFD repair) and BOM removal keep every newline where it was.
type xmlBudget struct {
	base                *xml.Decoder
	depth, tokens       int
	maxDepth, maxTokens int
	start               int // the line the latest token starts on
}

// tokenLine is the line the token read last starts on: for a start tag,
// the line of its "<", however many lines its attributes take.
func (b *xmlBudget) tokenLine() int { return b.start }

// errXMLBudget is returned once a limit is passed.
type errXMLBudget struct{ msg string }

func (e errXMLBudget) Error() string { return e.msg }

func (b *xmlBudget) Token() (xml.Token, error) {
	if b.tokens++; b.tokens > b.maxTokens {
		return nil, errXMLBudget{fmt.Sprintf("more than %d XML tokens: not an export chorus reads", b.maxTokens)}
	}
	b.start, _ = b.base.InputPos()
	t, err := b.base.RawToken()
	switch t.(type) {
	case xml.StartElement:
		if b.depth++; b.depth > b.maxDepth {
			return nil, errXMLBudget{fmt.Sprintf("elements nested more than %d deep: not an export chorus reads", b.maxDepth)}
		}
	case xml.EndElement:
		b.depth--
	}
	return t, err
}

// newXMLDecoder returns a strict decoder of data within the limits above,
// and the token source under it: its base decoder's InputPos gives the
// line for messages, and its tokenLine the line a token starts on.
// encoding/xml neither reads DTDs nor resolves external entities, and in
// strict mode an undeclared entity is an error, so an input can make
// chorus read no local file, no network and no entity expansion.
func newXMLDecoder(data []byte) (*xml.Decoder, *xmlBudget) {
	return newXMLDecoderLimits(data, MaxXMLDepth, MaxXMLTokens)
}

// newXMLDecoderLimits is newXMLDecoder with other limits, for tests.
func newXMLDecoderLimits(data []byte, maxDepth, maxTokens int) (*xml.Decoder, *xmlBudget) {
	base := xml.NewDecoder(bytes.NewReader(data))
	base.Strict = true
	src := &xmlBudget{base: base, maxDepth: maxDepth, maxTokens: maxTokens, start: 1}
	return xml.NewTokenDecoder(src), src
}
