package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"chorus/corpus"
)

// Label is one coder's hand label of one unit: a stored comment, named by
// its comments.id, or a free unit (CommentID "") that an imported file
// labelled but no stored comment matches.
//
// Labels have no foreign key to comments: they outlive every run,
// re-analysis, edit and vanished file. TextHash (of the normalised text the
// coder saw) lets a label be re-attached if comment ids ever change; a
// migration that re-keys comments must carry labels.comment_id and
// label_sample.comment_id / post_id along, and can match by text_hash where
// an id is ambiguous.
type Label struct {
	Coder     string
	CommentID string // comments.id; "" for a free unit
	// PostID is the post the comment is stored under (a comment's id is
	// built from its post's, so it never moves). Set by the importer and
	// the workbench, it lets the comment be found through the post's index
	// instead of a pass over every comment (CommentsByID); "" when unknown.
	PostID   string
	TextHash string // TextHash of Text
	Text     string // the (redacted) text the coder labelled
	Valence  int    // -2..+2
	Topics   []string
	Note     string
	// Source says where the label came from: "serve" for the browser,
	// "import FILE:LINE" for an imported line.
	Source string
	// LabelledAt is the UTC time (RFC 3339) it was saved; SaveLabels sets it.
	LabelledAt string
}

// TextHash is the hex SHA-256 of corpus.NormalizeText(text): the key under
// which two texts count as the same comment, as duplicate marking and
// evaluation matching compare them.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(corpus.NormalizeText(text)))
	return hex.EncodeToString(sum[:])
}

// SaveLabels stores labels in one transaction, each replacing the coder's
// earlier label of the same unit (the same comment id, or for a free unit
// the same text hash). It returns how many were new and how many replaced
// an earlier label. Nothing is written unless every label is.
func (s *Store) SaveLabels(ctx context.Context, labels []Label) (added, replaced int, err error) {
	for _, l := range labels {
		if l.Coder == "" || l.TextHash == "" {
			return 0, 0, fmt.Errorf("save labels: a label needs a coder and a text hash (comment %q)", l.CommentID)
		}
		if l.Valence < -2 || l.Valence > 2 {
			return 0, 0, fmt.Errorf("save labels: valence %d is outside -2..2 (coder %s, comment %q)", l.Valence, l.Coder, l.CommentID)
		}
		for _, t := range l.Topics {
			if t == "" || strings.Contains(t, ";") {
				return 0, 0, fmt.Errorf("save labels: topic %q is not a topic name", t)
			}
		}
	}
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("save labels: begin: %w", err)
	}
	defer tx.Rollback()
	for _, l := range labels {
		// Two statements, each matching one partial unique index (SQLite's
		// planner fails on the two joined with OR).
		q, key := `DELETE FROM labels WHERE coder = ? AND comment_id = ?`, l.CommentID
		if l.CommentID == "" {
			q, key = `DELETE FROM labels WHERE coder = ? AND comment_id = '' AND text_hash = ?`, l.TextHash
		}
		res, err := tx.ExecContext(ctx, q, l.Coder, key)
		if err != nil {
			return 0, 0, fmt.Errorf("save labels: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			replaced++
		} else {
			added++
		}
		post := l.PostID
		if l.CommentID == "" {
			post = "" // a free unit has no post
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO labels (coder, comment_id, post_id, text_hash, text, valence, topics, note, source, labelled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.Coder, l.CommentID, post, l.TextHash, l.Text, l.Valence, joinTopics(l.Topics), l.Note, l.Source, now); err != nil {
			return 0, 0, fmt.Errorf("save labels: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("save labels: commit: %w", err)
	}
	s.wrote()
	return added, replaced, nil
}

// joinTopics stores topics sorted and ';'-joined, as analyses store theirs.
func joinTopics(ts []string) string {
	ts = slices.Clone(ts)
	slices.Sort(ts)
	return strings.Join(slices.Compact(ts), ";")
}

// Labels returns the labels of one coder ("" for every coder), ordered by
// coder, then comment id (free units first), then text hash.
func (s *Store) Labels(ctx context.Context, coder string) ([]Label, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT coder, comment_id, post_id, text_hash, text, valence, topics, note, source, labelled_at
		FROM labels WHERE ?1 = '' OR coder = ?1 ORDER BY coder, comment_id, text_hash`, coder)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	defer rows.Close()
	var out []Label
	for rows.Next() {
		var l Label
		var topics string
		if err := rows.Scan(&l.Coder, &l.CommentID, &l.PostID, &l.TextHash, &l.Text, &l.Valence, &topics, &l.Note, &l.Source, &l.LabelledAt); err != nil {
			return nil, fmt.Errorf("read labels: %w", err)
		}
		l.Topics = splitTopics(topics)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return out, nil
}

// CurrentKey returns the analysis key used most recently (the one the last
// run wrote its reports from), or "" when nothing was ever analysed. Two
// keys used within one second (last_used has seconds) are told apart by
// which was first recorded later.
func (s *Store) CurrentKey(ctx context.Context) (string, error) {
	var key string
	err := s.db.QueryRowContext(ctx, `SELECT analysis_key FROM analysis_keys
		ORDER BY last_used DESC, rowid DESC LIMIT 1`).Scan(&key)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read current analysis key: %w", err)
	}
	return key, nil
}

// SampleEntry is a comment chosen for labelling.
type SampleEntry struct {
	CommentID string
	PostID    string
	TextHash  string
}

// AddSample appends entries to the labelling queue as a new batch, in the
// given order, recording the strategy and seed that chose them, and
// returns the batch number. A comment already queued is an error: the
// sampler excludes them.
func (s *Store) AddSample(ctx context.Context, entries []SampleEntry, strategy string, seed uint64) (int, error) {
	now := timestamp(s.now())
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("queue sample: begin: %w", err)
	}
	defer tx.Rollback()
	var batch int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(batch), 0) + 1 FROM label_sample`).Scan(&batch); err != nil {
		return 0, fmt.Errorf("queue sample: %w", err)
	}
	for i, e := range entries {
		// The seed is stored as its bit pattern: SQLite integers are signed.
		if _, err := tx.ExecContext(ctx, `INSERT INTO label_sample (comment_id, post_id, text_hash, batch, ord, strategy, seed, sampled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.CommentID, e.PostID, e.TextHash, batch, i, strategy, int64(seed), now); err != nil {
			return 0, fmt.Errorf("queue sample: comment %s: %w", e.CommentID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("queue sample: commit: %w", err)
	}
	s.wrote()
	return batch, nil
}

// QueuedUnit is a comment of the labelling queue with what a coder sees
// beside it.
type QueuedUnit struct {
	Batch, Ord int
	CommentID  string
	PostID     string
	TextHash   string // of the text when it was sampled
	// Found is false when the comment is no longer stored under its post
	// (its file shrank, or ids changed): the fields below are then empty.
	Found      bool
	Text       string // the stored (redacted) text now
	Section    corpus.Section
	PostTitle  string
	PostDate   string
	SourceFile string
	ParentText string // the comment it replies to; "" for a top-level one
}

// queueQuery reads the queue in order. Comments are found through their
// post (comments_post), since comments.id has no index.
const queueQuery = `SELECT s.batch, s.ord, s.comment_id, s.post_id, s.text_hash,
		c.text, c.section, p.title, p.date, p.source_file,
		(SELECT pc.text FROM comments pc WHERE pc.post_id = c.post_id AND pc.id = c.parent_id AND c.parent_id != '' LIMIT 1)
	FROM label_sample s
	LEFT JOIN comments c ON c.post_id = s.post_id AND c.id = s.comment_id
	LEFT JOIN posts p ON p.id = c.post_id
	ORDER BY s.batch, s.ord`

// Queue returns the labelling queue, every batch, in order.
func (s *Store) Queue(ctx context.Context) ([]QueuedUnit, error) {
	rows, err := s.db.QueryContext(ctx, queueQuery)
	if err != nil {
		return nil, fmt.Errorf("read labelling queue: %w", err)
	}
	defer rows.Close()
	var out []QueuedUnit
	seen := map[string]bool{}
	for rows.Next() {
		var q QueuedUnit
		var text, section, title, date, file, parent sql.NullString
		if err := rows.Scan(&q.Batch, &q.Ord, &q.CommentID, &q.PostID, &q.TextHash, &text, &section, &title, &date, &file, &parent); err != nil {
			return nil, fmt.Errorf("read labelling queue: %w", err)
		}
		if seen[q.CommentID] {
			continue // a post holding one id twice is refused at storage; be safe anyway
		}
		seen[q.CommentID] = true
		q.Found = text.Valid
		q.Text, q.Section, q.PostTitle, q.PostDate, q.SourceFile, q.ParentText =
			text.String, corpus.Section(section.String), title.String, date.String, file.String, parent.String
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read labelling queue: %w", err)
	}
	return out, nil
}

// CommentRef names a stored comment: its id, and the post it is stored
// under when known (Label.PostID).
type CommentRef struct{ ID, PostID string }

// CommentsByID calls fn, in report order (post date, source file, post
// id, position), for every stored comment of a current document named by
// refs. A ref with its post is found through the post's comments
// (comments_post): a few rows read per ref. comments.id has no index, so
// refs without a post are checked against every comment in one pass over
// the table (seconds at a million comments), and only when there are any.
// The rows carry the comment's own columns and its post's date and source
// file, not its analysis.
func (s *Store) CommentsByID(ctx context.Context, refs []CommentRef, fn func(CommentRow) error) error {
	var byPost [][2]string
	var bare []string
	for _, r := range refs {
		if r.PostID != "" {
			byPost = append(byPost, [2]string{r.ID, r.PostID})
		} else {
			bare = append(bare, r.ID)
		}
	}
	const cols = `SELECT c.seq, c.id, c.post_id, c.position, c.section, c.text, c.status, c.duplicate_of,
			p.date, p.source_file
		FROM `
	var out []CommentRow
	seen := map[int64]bool{}
	read := func(q string, arg any) error {
		set, err := json.Marshal(arg)
		if err != nil {
			return err
		}
		rows, err := s.db.QueryContext(ctx, q, string(set))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r CommentRow
			var section, status string
			if err := rows.Scan(&r.Seq, &r.ID, &r.PostID, &r.Position, &section, &r.Text, &status, &r.DuplicateOf, &r.PostDate, &r.SourceFile); err != nil {
				return err
			}
			r.Section, r.Status = corpus.Section(section), corpus.Status(status)
			if !seen[r.Seq] {
				seen[r.Seq] = true
				out = append(out, r)
			}
		}
		return rows.Err()
	}
	if len(byPost) > 0 {
		// A ref whose comment is not under its post is simply not found:
		// a comment's id is made from its post's, so it is nowhere else.
		q := cols + `json_each(?) j
			JOIN comments c ON c.post_id = j.value ->> 1 AND c.id = j.value ->> 0
			JOIN posts p ON p.id = c.post_id JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok'`
		if err := read(q, byPost); err != nil {
			return fmt.Errorf("read comments by id: %w", err)
		}
	}
	if len(bare) > 0 {
		q := cols + `comments c JOIN posts p ON p.id = c.post_id JOIN documents d ON d.path = p.document
		WHERE d.status = 'ok' AND c.id IN (SELECT value FROM json_each(?))`
		if err := read(q, bare); err != nil {
			return fmt.Errorf("read comments by id: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b CommentRow) int {
		return cmp.Or(cmp.Compare(a.PostDate, b.PostDate), cmp.Compare(a.SourceFile, b.SourceFile),
			cmp.Compare(a.PostID, b.PostID), cmp.Compare(a.Position, b.Position))
	})
	for _, r := range out {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
