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
// text are required.
type jsonlRecord struct {
	PostID    *string `json:"post_id"`
	PostDate  string  `json:"post_date"`
	Title     string  `json:"title"`
	CommentID string  `json:"comment_id"`
	ParentID  string  `json:"parent_id"`
	Author    string  `json:"author"`
	Text      *string `json:"text"`
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
	var (
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
		if dec.More() {
			bad("more than one JSON value on the line")
			continue
		}
		if r.PostID == nil || strings.TrimSpace(*r.PostID) == "" {
			bad("post_id is missing%s", unknownKeys(line))
			continue
		}
		if r.Text == nil {
			bad("text is missing%s", unknownKeys(line))
			continue
		}
		valid++
		pid := *r.PostID
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
			case p.Date != r.PostDate:
				flags = append(flags, warnf(WarnDate, "line %d: post %s dated %s here but %s earlier; kept %s", n, pid, r.PostDate, p.Date, p.Date))
			}
		}
		pos := len(p.Comments)
		id := CommentID(p.ID, pos)
		if r.CommentID != "" {
			if _, dup := localIDs[pid][r.CommentID]; dup {
				flags = append(flags, warnf(WarnReference, "line %d: comment_id %q repeats an earlier one in post %s; replies go to the first", n, r.CommentID, pid))
			} else {
				localIDs[pid][r.CommentID] = id
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
			SourceID: r.CommentID,
		})
		if r.ParentID != "" {
			parents = append(parents, pending{pi, pos, pid, r.ParentID, n})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, flags, fmt.Errorf("read: %w", err)
	}
	if valid == 0 {
		if firstErr == "" {
			firstErr = "no records"
		}
		return nil, flags, fmt.Errorf("no valid record (%s)", firstErr)
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
	return posts, flags, nil
}

// fixDepths sets each comment's depth from its chain of parents, so a reply
// to a reply has depth 2 whatever order the records came in. A cycle (bad
// input) is broken by putting the comment at top level.
func fixDepths(posts []Post) {
	for pi := range posts {
		p := &posts[pi]
		byID := make(map[string]int, len(p.Comments))
		for i, c := range p.Comments {
			byID[c.ID] = i
		}
		for i := range p.Comments {
			depth, cur := 0, p.Comments[i].ParentID
			for cur != "" && depth <= len(p.Comments) {
				depth++
				cur = p.Comments[byID[cur]].ParentID
			}
			if depth > len(p.Comments) { // cycle
				p.Comments[i].ParentID = ""
				depth = 0
			}
			p.Comments[i].Depth = depth
		}
	}
}
