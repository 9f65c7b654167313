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
type xmlBudget struct {
	base                *xml.Decoder
	depth, tokens       int
	maxDepth, maxTokens int
}

// errXMLBudget is returned once a limit is passed.
type errXMLBudget struct{ msg string }

func (e errXMLBudget) Error() string { return e.msg }

func (b *xmlBudget) Token() (xml.Token, error) {
	if b.tokens++; b.tokens > b.maxTokens {
		return nil, errXMLBudget{fmt.Sprintf("more than %d XML tokens: not an export chorus reads", b.maxTokens)}
	}
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
// and the underlying decoder whose InputPos gives the line for messages.
// encoding/xml neither reads DTDs nor resolves external entities, and in
// strict mode an undeclared entity is an error, so an input can make
// chorus read no local file, no network and no entity expansion.
func newXMLDecoder(data []byte) (dec, base *xml.Decoder) {
	return newXMLDecoderLimits(data, MaxXMLDepth, MaxXMLTokens)
}

// newXMLDecoderLimits is newXMLDecoder with other limits, for tests.
func newXMLDecoderLimits(data []byte, maxDepth, maxTokens int) (dec, base *xml.Decoder) {
	base = xml.NewDecoder(bytes.NewReader(data))
	base.Strict = true
	dec = xml.NewTokenDecoder(&xmlBudget{base: base, maxDepth: maxDepth, maxTokens: maxTokens})
	return dec, base
}
