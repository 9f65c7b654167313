package label

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"chorus/corpus"
	"chorus/internal/fsread"
	"chorus/models/topics"
	"chorus/pipeline/store"
)

// Limits on what Import reads: a labels file is hundreds of lines, and a
// file far past these is a wrong argument, not a labels file.
const (
	maxImportBytes = 64 << 20
	maxLineBytes   = 1 << 20
	maxNoteRunes   = 2000
	maxErrors      = 20
)

// ImportSummary is what Import did.
type ImportSummary struct {
	Lines     int // labelled lines read (blank lines aside)
	ByID      int // matched by comment_id
	ByText    int // matched by normalised text
	Free      int // matched no stored comment: kept as free units
	Shared    int // of ByText, texts that more than one stored comment has (the earliest in report order is labelled)
	Added     int // new labels
	Replaced  int // labels that replaced the coder's earlier label of the unit
	Coder     string
	File      string // as given, redacted
	Taxonomy  string
	TopicUsed int // topic ticks in all
}

func (s ImportSummary) String() string {
	return fmt.Sprintf("imported %d labels by %s from %s: %d matched by comment id, %d by text (%d of those texts are shared by several comments; the earliest is labelled), %d free units; %d new, %d replaced",
		s.Lines, s.Coder, s.File, s.ByID, s.ByText, s.Shared, s.Free, s.Added, s.Replaced)
}

// importLine is one line of a labels file. Other fields (an exported gold
// file's label, mean_valence, ...) are ignored, so a gold file can be
// imported back as one coder's labels.
type importLine struct {
	Text      *string      `json:"text"`
	CommentID *string      `json:"comment_id"`
	Valence   *json.Number `json:"valence"`
	Topics    *[]string    `json:"topics"`
	Note      *string      `json:"note"`
}

// parsed is a checked line, before matching.
type parsed struct {
	line      int
	text      string // redacted
	hash      string // of text, "" when only comment_id was given
	commentID string
	valence   int
	topics    []string
	note      string
}

// Import reads coder's labels from a JSON Lines file and stores them in one
// transaction: every line has "text" or "comment_id" (or both, which must
// agree), "valence" (a whole number -2..2) and "topics" (names from tax,
// possibly none), and may have a "note". A line is matched to a stored
// comment by comment_id, or else by its normalised text
// (corpus.NormalizeText, as duplicates are found); a text that matches no
// stored comment is kept as a free unit. Each text is redacted before it is
// matched or stored, as comment texts are.
//
// Any bad line fails the whole import, with every bad line named as
// FILE:LINE (the first 20), and nothing is stored: half a file of labels
// imported is worse than none, since a second import would then replace
// some and add others.
func Import(ctx context.Context, st *store.Store, coder, path string, tax *topics.Taxonomy, redact func(string) string) (ImportSummary, error) {
	sum := ImportSummary{Coder: coder, File: redact(path), Taxonomy: tax.Name()}
	if err := ValidCoder(coder); err != nil {
		return sum, err
	}
	lines, err := readImport(path, tax, redact)
	if err != nil {
		return sum, err
	}
	// Match: one walk of the stored comments finds both the ids and the
	// texts asked for.
	ids, hashes := map[string]string{}, map[string]bool{}
	for _, p := range lines {
		if p.commentID != "" {
			ids[p.commentID] = "" // the file gives no post: found by a pass
		}
		if p.hash != "" {
			hashes[p.hash] = true
		}
	}
	found, err := findComments(ctx, st, ids, hashes)
	if err != nil {
		return sum, err
	}
	var bad []string
	var labels []store.Label
	unitLine := map[string]int{} // unit key -> first line
	for _, p := range lines {
		l := store.Label{Coder: coder, Valence: p.valence, Topics: p.topics, Note: p.note,
			Source: fmt.Sprintf("import %s:%d", sum.File, p.line)}
		switch {
		case p.commentID != "":
			c, ok := found.byID[p.commentID]
			if !ok {
				bad = append(bad, fmt.Sprintf("%s:%d: no stored comment has comment_id %q", sum.File, p.line, redact(p.commentID)))
				continue
			}
			if p.hash != "" && p.hash != c.hash {
				bad = append(bad, fmt.Sprintf("%s:%d: text does not match the stored text of comment %s", sum.File, p.line, c.id))
				continue
			}
			l.CommentID, l.PostID, l.TextHash, l.Text = c.id, c.post, c.hash, c.text
			sum.ByID++
		default:
			if c, ok := found.byHash[p.hash]; ok {
				l.CommentID, l.PostID, l.TextHash, l.Text = c.id, c.post, c.hash, c.text
				sum.ByText++
				if found.shared[p.hash] > 1 {
					sum.Shared++
				}
			} else {
				l.TextHash, l.Text = p.hash, p.text
				sum.Free++
			}
		}
		key := unitKey(l.CommentID, l.TextHash)
		if first, dup := unitLine[key]; dup {
			bad = append(bad, fmt.Sprintf("%s:%d: labels the same unit as line %d", sum.File, p.line, first))
			continue
		}
		unitLine[key] = p.line
		sum.TopicUsed += len(l.Topics)
		labels = append(labels, l)
	}
	if len(bad) > 0 {
		return sum, importErrors(sum.File, bad)
	}
	sum.Lines = len(labels)
	if sum.Added, sum.Replaced, err = st.SaveLabels(ctx, labels); err != nil {
		return sum, fmt.Errorf("import %s: %w", sum.File, err)
	}
	return sum, nil
}

// unitKey names a unit: its comment id, or for a free unit its text hash.
func unitKey(commentID, hash string) string {
	if commentID != "" {
		return commentID
	}
	return "text:" + hash
}

// importErrors joins the bad lines of a file into one error.
func importErrors(file string, bad []string) error {
	lines := "lines"
	if len(bad) == 1 {
		lines = "line"
	}
	msg := fmt.Sprintf("import %s: %d bad %s, nothing imported:\n  %s", file, len(bad), lines, strings.Join(bad[:min(len(bad), maxErrors)], "\n  "))
	if len(bad) > maxErrors {
		msg += fmt.Sprintf("\n  ... and %d more", len(bad)-maxErrors)
	}
	return errors.New(msg)
}

// readImport reads and checks every line of a labels file.
func readImport(path string, tax *topics.Taxonomy, redact func(string) string) ([]parsed, error) {
	name := redact(path)
	data, err := fsread.Read(path, maxImportBytes, "labels file")
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	known := map[string]bool{}
	for _, t := range tax.Topics() {
		known[t.Name] = true
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	var out []parsed
	var bad []string
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		p, err := parseLine(raw, known, tax.Name(), redact)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s:%d: %v", name, n, err))
			continue
		}
		p.line = n
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line %d is longer than %d bytes", len(out)+len(bad)+1, maxLineBytes)
		}
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	if len(bad) > 0 {
		return nil, importErrors(name, bad)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("import %s: no labelled lines", name)
	}
	return out, nil
}

// parseLine checks one line.
func parseLine(raw []byte, known map[string]bool, taxName string, redact func(string) string) (parsed, error) {
	var p parsed
	var in importLine
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return p, fmt.Errorf("not a JSON object: %v", err)
	}
	if dec.More() {
		return p, fmt.Errorf("more than one JSON value on the line")
	}
	if in.CommentID != nil {
		p.commentID = strings.TrimSpace(*in.CommentID)
	}
	if in.Text != nil {
		p.text = redact(*in.Text)
		if corpus.NormalizeText(p.text) == "" {
			return p, fmt.Errorf(`"text" is empty`)
		}
		p.hash = store.TextHash(p.text)
	}
	if p.commentID == "" && p.hash == "" {
		return p, fmt.Errorf(`needs "text" or "comment_id"`)
	}
	if in.Valence == nil {
		return p, fmt.Errorf(`"valence" is missing`)
	}
	v, err := strconv.ParseFloat(in.Valence.String(), 64)
	if err != nil || v != math.Trunc(v) || v < -2 || v > 2 {
		return p, fmt.Errorf(`"valence" %s: want a whole number from -2 to 2`, in.Valence.String())
	}
	p.valence = int(v)
	if in.Topics == nil {
		return p, fmt.Errorf(`"topics" is missing (write [] for none)`)
	}
	for _, t := range *in.Topics {
		if !known[t] {
			return p, fmt.Errorf("topic %q is not in taxonomy %s", redact(t), taxName)
		}
		if !slices.Contains(p.topics, t) {
			p.topics = append(p.topics, t)
		}
	}
	slices.Sort(p.topics)
	if in.Note != nil {
		p.note = redact(*in.Note)
		if n := len([]rune(p.note)); n > maxNoteRunes {
			return p, fmt.Errorf(`"note" has %d characters, more than %d`, n, maxNoteRunes)
		}
	}
	return p, nil
}

// storedUnit is a stored comment as labelling needs it.
type storedUnit struct {
	id, post, file, section, date, text, hash string
	order                                     int // place in report order
}

// found is what findComments found.
type found struct {
	byID   map[string]storedUnit
	byHash map[string]storedUnit // counted comments only: the earliest in report order
	shared map[string]int        // how many counted comments have each hash found
}

// findComments walks the stored comments of current documents once, in
// report order, and returns those whose id is among ids (which maps each to
// the post it is stored under, or "" when unknown) and the counted ones
// whose text hash is among hashes. Hashes cost one read of every comment's
// text (import does it once); ids with their posts cost a few rows each.
func findComments(ctx context.Context, st *store.Store, ids map[string]string, hashes map[string]bool) (found, error) {
	f := found{byID: map[string]storedUnit{}, byHash: map[string]storedUnit{}, shared: map[string]int{}}
	if len(ids) == 0 && len(hashes) == 0 {
		return f, nil
	}
	order := 0
	// Free units are matched by the hash of a stored comment's normalised
	// text, which only a walk of every comment can compute; labels by id
	// need only the labelled rows.
	walk := func(ctx context.Context, fn func(store.CommentRow) error) error {
		want := make([]store.CommentRef, 0, len(ids))
		for id, post := range ids {
			want = append(want, store.CommentRef{ID: id, PostID: post})
		}
		return st.CommentsByID(ctx, want, fn)
	}
	if len(hashes) > 0 {
		walk = func(ctx context.Context, fn func(store.CommentRow) error) error { return st.Comments(ctx, "", fn) }
	}
	err := walk(ctx, func(r store.CommentRow) error {
		order++
		if r.Text == "" {
			return nil
		}
		_, wantID := ids[r.ID]
		if !wantID && (len(hashes) == 0 || !r.Counted()) {
			return nil
		}
		h := store.TextHash(r.Text)
		u := storedUnit{id: r.ID, post: r.PostID, file: r.SourceFile, section: string(r.Section), date: r.PostDate, text: r.Text, hash: h, order: order}
		if wantID {
			f.byID[r.ID] = u
		}
		if r.Counted() && hashes[h] {
			if f.shared[h] == 0 {
				f.byHash[h] = u
			}
			f.shared[h]++
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("match labels to stored comments: %w", err)
	}
	return f, nil
}
