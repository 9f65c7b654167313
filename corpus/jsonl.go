package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// jsonlRecord is one line of JSON Lines input (DESIGN.md). Only post_id and
// text are required. The ids are read raw (see jsonlID): exports from
// databases and data frames write them as numbers.
type jsonlRecord struct {
	PostID    json.RawMessage `json:"post_id"`
	PostDate  string          `json:"post_date"`
	Title     string          `json:"title"`
	CommentID json.RawMessage `json:"comment_id"`
	ParentID  json.RawMessage `json:"parent_id"`
	Author    string          `json:"author"`
	Text      *string         `json:"text"`
}

// jsonlID is the text of the id field of a record, raw as decoded: a
// string as it is, a JSON integer as its decimal digits exactly as written
// (101 and "101" are the same id; 12345678901234567890 keeps every digit,
// as a float would not). A missing or null field is "". Any other value
// (a fraction or exponent, which no id system writes and which has no one
// text, a bool, an object, an array) is an error naming the field.
func jsonlID(field string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%s is not a valid JSON string", field)
		}
		return s, nil
	case c == '-' || ('0' <= c && c <= '9'):
		if bytes.ContainsAny(raw, ".eE") {
			return "", fmt.Errorf("%s is the JSON number %s, not a string or an integer", field, raw)
		}
		return string(raw), nil
	case c == 't' || c == 'f':
		return "", fmt.Errorf("%s is a JSON bool, not a string or an integer", field)
	case c == '{':
		return "", fmt.Errorf("%s is a JSON object, not a string or an integer", field)
	default:
		return "", fmt.Errorf("%s is a JSON array, not a string or an integer", field)
	}
}

// jsonlKeys are the keys a record may have.
var jsonlKeys = map[string]bool{"post_id": true, "post_date": true, "title": true, "comment_id": true, "parent_id": true, "author": true, "text": true}

// unknownKeys names the keys of the JSON object line that a record does not
// have ("; it has the unknown key body"), for a message about a missing
// field: a misspelt or renamed key is the usual cause.
func unknownKeys(line []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		return ""
	}
	var extra []string
	for k := range m {
		if !jsonlKeys[k] {
			extra = append(extra, strconv.Quote(k))
		}
	}
	if len(extra) == 0 {
		return ""
	}
	sort.Strings(extra)
	if len(extra) == 1 {
		return " (the line has the unknown key " + extra[0] + ")"
	}
	return " (the line has the unknown keys " + strings.Join(extra, ", ") + ")"
}

// ParseJSONL reads one comment per line. A line that is not a valid record
// is left out and reported as a flag naming the line, so one bad line never
// costs the others; the file is rejected only when no line is valid.
//
// Posts appear in the order their first comment does. A post's date is the
// first valid post_date among its records; records that disagree are flagged.
// parent_id refers to another record's comment_id in the same post; a parent
// that never appears is flagged and the comment kept at top level.
func ParseJSONL(name string, data []byte) ([]Post, []Warning, error) {
	posts, _, flags, err := parseJSONL(name, data)
	return posts, flags, err
}

// parseJSONL is ParseJSONL, with the line of each record: every record is
// one line, so a comment's line is its record's and a post's that of the
// record its date was taken from (else its first record's).
func parseJSONL(name string, data []byte) ([]Post, readNotes, []Warning, error) {
	var (
		notes    readNotes
		flags    []Warning
		posts    []Post
		index    = map[string]int{} // post_id -> index in posts
		firstErr string
		valid    int
	)
	type pending struct {
		post, comment int
		postID        string // as written in the input
		parent        string
		line          int
	}
	var parents []pending
	localIDs := map[string]map[string]string{} // post_id -> comment_id -> Comment.ID
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		bad := func(format string, args ...any) {
			msg := fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, args...)
			flags = append(flags, warnf(WarnDroppedLine, "%s; line left out", msg))
			if firstErr == "" {
				firstErr = msg
			}
		}
		var r jsonlRecord
		dec := json.NewDecoder(bytes.NewReader(line))
		if err := dec.Decode(&r); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				bad("%s is a JSON %s, not a string", te.Field, te.Value)
			} else {
				bad("not a JSON object")
			}
			continue
		}
		var ids [3]string
		var idErr error
		for i, f := range []struct {
			name string
			raw  json.RawMessage
		}{{"post_id", r.PostID}, {"comment_id", r.CommentID}, {"parent_id", r.ParentID}} {
			if ids[i], idErr = jsonlID(f.name, f.raw); idErr != nil {
				break
			}
		}
		if idErr != nil {
			bad("%v", idErr)
			continue
		}
		if dec.More() {
			bad("more than one JSON value on the line")
			continue
		}
		pid, commentID, parentID := ids[0], ids[1], ids[2]
		if strings.TrimSpace(pid) == "" {
			bad("post_id is missing%s", unknownKeys(line))
			continue
		}
		if r.Text == nil {
			bad("text is missing%s", unknownKeys(line))
			continue
		}
		valid++
		pi, ok := index[pid]
		if !ok {
			pi = len(posts)
			index[pid] = pi
			posts = append(posts, Post{
				ID:               stableID("p", name, "jsonl", pid),
				Title:            r.Title,
				SourceFile:       name,
				SourceID:         pid,
				DeclaredComments: -1,
				DateSource:       DateNone,
			})
			localIDs[pid] = map[string]string{}
			notes.addPost(n)
		}
		p := &posts[pi]
		if p.Title == "" {
			p.Title = r.Title
		}
		if r.PostDate != "" {
			switch {
			case !calendarDate(r.PostDate):
				flags = append(flags, warnf(WarnDate, "line %d: post_date %q is not YYYY-MM-DD; ignored", n, r.PostDate))
			case p.Date == "":
				p.Date, p.DateSource = r.PostDate, DateFromJSONL
				notes.postLine[pi] = n
			case p.Date != r.PostDate:
				flags = append(flags, warnf(WarnDate, "line %d: post %s dated %s here but %s earlier; kept %s", n, pid, r.PostDate, p.Date, p.Date))
			}
		}
		pos := len(p.Comments)
		id := CommentID(p.ID, pos)
		if commentID != "" {
			if _, dup := localIDs[pid][commentID]; dup {
				flags = append(flags, warnf(WarnReference, "line %d: comment_id %q repeats an earlier one in post %s; replies go to the first", n, commentID, pid))
			} else {
				localIDs[pid][commentID] = id
			}
		}
		p.Comments = append(p.Comments, Comment{
			ID:       id,
			PostID:   p.ID,
			Position: pos,
			Section:  SectionThread,
			Author:   strings.TrimSpace(r.Author),
			Text:     strings.TrimSpace(*r.Text),
			Status:   StatusPublished,
			SourceID: commentID,
		})
		notes.addComment(pi, n)
		if parentID != "" {
			parents = append(parents, pending{pi, pos, pid, parentID, n})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, notes, flags, fmt.Errorf("read: %w", err)
	}
	if valid == 0 {
		if firstErr == "" {
			firstErr = "no records"
		}
		return nil, notes, flags, fmt.Errorf("no valid record (%s)", firstErr)
	}
	for _, pr := range parents {
		p := &posts[pr.post]
		pid := pr.postID
		parent, ok := localIDs[pid][pr.parent]
		c := &p.Comments[pr.comment]
		if !ok || parent == c.ID {
			flags = append(flags, warnf(WarnReference, "line %d: parent_id %q is not a comment of post %s; kept at top level", pr.line, pr.parent, pid))
			continue
		}
		c.ParentID = parent
		c.Depth = 1
	}
	fixDepths(posts)
	return posts, notes, flags, nil
}

// fixDepths sets each comment's depth from its chain of parents, so a reply
// to a reply has depth 2 whatever order the records came in. A cycle (bad
// input) is broken by putting a comment at top level: the comment that the
// old walk-every-chain rule would have picked (see fixPostDepths), so that
// results do not depend on how the depths are computed. A parent id that
// is not a comment of the post (no reader makes one) leaves the comment at
// top level.
//
// The work grows with the number of comments, not its square: a thread in
// which every comment replies to the one before is legal input of any
// length within the size limit.
func fixDepths(posts []Post) {
	for pi := range posts {
		fixPostDepths(posts[pi].Comments)
	}
}

// Classes of a comment in fixPostDepths.
const (
	chainUnseen = iota // not yet reached
	chainOnPath        // on the walk in progress
	chainEnds          // its chain of parents reaches a top-level comment
	chainLoops         // its chain of parents runs into a cycle
)

// fixPostDepths sets the depths of one post's comments. The rule it keeps
// is that of walking each comment's chain in position order and putting
// the comment at top level when its walk never ends. Worked out, that
// rule cuts exactly the comments of a cycle-bound chain whose position is
// lower than every other comment on the chain above them (its ancestors
// and the whole cycle): the first comment of each cycle, and a comment
// leading into a cycle that comes before everything it leads to. Each
// comment is visited a bounded number of times: once to find whether its
// chain ends and the lowest position above it, once for its depth.
func fixPostDepths(cs []Comment) {
	n := len(cs)
	byID := make(map[string]int, n)
	for i, c := range cs {
		byID[c.ID] = i
	}
	parent := make([]int, n) // position of the parent, or -1
	for i, c := range cs {
		parent[i] = -1
		if c.ParentID == "" {
			continue
		}
		if j, ok := byID[c.ParentID]; ok {
			parent[i] = j
		} else {
			cs[i].ParentID = ""
		}
	}
	// low[i], for a comment whose chain loops: the lowest position on its
	// chain above it (for a comment of a cycle, the rest of the cycle; n
	// for a comment that replies to itself).
	state := make([]uint8, n)
	low := make([]int, n)
	var path []int
	for i := range n {
		path = path[:0]
		x := i
		for x >= 0 && state[x] == chainUnseen {
			state[x] = chainOnPath
			path = append(path, x)
			x = parent[x]
		}
		tail, class := len(path), uint8(chainEnds)
		if x >= 0 {
			class = state[x]
		}
		if class == chainOnPath { // path[at:] is a new cycle
			at := len(path) - 1
			for path[at] != x {
				at--
			}
			first, second := n, n // the two lowest positions in the cycle
			for _, c := range path[at:] {
				if c < first {
					first, second = c, first
				} else if c < second {
					second = c
				}
			}
			for _, c := range path[at:] {
				state[c], low[c] = chainLoops, first
				if c == first {
					low[c] = second
				}
			}
			tail, class = at, chainLoops
		}
		for j := tail - 1; j >= 0; j-- {
			y := path[j]
			state[y] = class
			if class == chainLoops {
				low[y] = min(parent[y], low[parent[y]])
			}
		}
	}
	for i := range n {
		if state[i] == chainLoops && i < low[i] {
			parent[i] = -1
			cs[i].ParentID = ""
		}
	}
	depth := make([]int, n)
	for i := range depth {
		depth[i] = -1
	}
	for i := range n {
		path = path[:0]
		x := i
		for x >= 0 && depth[x] < 0 {
			path = append(path, x)
			x = parent[x]
		}
		d := -1
		if x >= 0 {
			d = depth[x]
		}
		for j := len(path) - 1; j >= 0; j-- {
			d++
			depth[path[j]] = d
		}
		cs[i].Depth = depth[i]
	}
}
