package store

// migrations is the schema history, oldest first. Migration i (0-based)
// brings a database from version i to version i+1; the version is kept in
// PRAGMA user_version, which lives in the file header and so changes in the
// same transaction as the migration itself. Never edit an entry once
// released: append a new one, so that every file in the field, whatever its
// age, reaches the same schema by the same steps.
var migrations = []string{
	// 1: the corpus as read, and the analyses of it.
	`
CREATE TABLE documents (
	path       TEXT NOT NULL PRIMARY KEY,
	sha256     TEXT NOT NULL DEFAULT '',
	format     TEXT NOT NULL DEFAULT '',
	size       INTEGER NOT NULL DEFAULT 0,
	status     TEXT NOT NULL CHECK (status IN ('ok', 'rejected', 'vanished')),
	reason     TEXT NOT NULL DEFAULT '',
	flags      TEXT NOT NULL DEFAULT '',
	first_seen TEXT NOT NULL,
	last_seen  TEXT NOT NULL
);

CREATE TABLE posts (
	id                TEXT NOT NULL PRIMARY KEY,
	document          TEXT NOT NULL REFERENCES documents(path) ON DELETE CASCADE,
	ord               INTEGER NOT NULL,
	date              TEXT NOT NULL DEFAULT '',
	date_source       TEXT NOT NULL DEFAULT 'none',
	title             TEXT NOT NULL DEFAULT '',
	body              TEXT NOT NULL DEFAULT '',
	source_file       TEXT NOT NULL,
	declared_comments INTEGER NOT NULL DEFAULT -1,
	found_comments    INTEGER NOT NULL DEFAULT 0,
	counted_comments  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE comments (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	id           TEXT NOT NULL,
	post_id      TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	parent_id    TEXT NOT NULL DEFAULT '',
	depth        INTEGER NOT NULL DEFAULT 0,
	position     INTEGER NOT NULL,
	section      TEXT NOT NULL DEFAULT 'thread',
	author       TEXT NOT NULL DEFAULT '',
	text         TEXT NOT NULL,
	raw_text     TEXT,
	status       TEXT NOT NULL DEFAULT 'published',
	duplicate_of TEXT NOT NULL DEFAULT ''
);

CREATE TABLE analyses (
	comment_seq    INTEGER NOT NULL REFERENCES comments(seq) ON DELETE CASCADE,
	analysis_key   TEXT NOT NULL,
	comment_id     TEXT NOT NULL,
	n_tokens       INTEGER NOT NULL,
	n_sentences    INTEGER NOT NULL,
	compound       REAL NOT NULL,
	pos            REAL NOT NULL,
	neu            REAL NOT NULL,
	neg            REAL NOT NULL,
	label          TEXT NOT NULL,
	evidence       TEXT NOT NULL DEFAULT '',
	topics         TEXT NOT NULL DEFAULT '',
	topic_scores   TEXT NOT NULL DEFAULT '{}',
	topic_evidence TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (comment_seq, analysis_key)
) WITHOUT ROWID;
`,
	// 2: the run log, what each analysis key stands for, and a view of the
	// comments a report counts from, for researchers in the sqlite3 shell.
	`
CREATE TABLE runs (
	id       INTEGER PRIMARY KEY,
	started  TEXT NOT NULL,
	finished TEXT,
	status   TEXT NOT NULL,
	counts   TEXT NOT NULL DEFAULT '{}',
	message  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE analysis_keys (
	analysis_key  TEXT NOT NULL PRIMARY KEY,
	description   TEXT NOT NULL DEFAULT '',
	first_used    TEXT NOT NULL,
	last_used     TEXT NOT NULL,
	analysed_upto INTEGER NOT NULL DEFAULT 0
);

CREATE VIEW current_comments AS
	SELECT c.*, p.date AS post_date, p.date_source, p.source_file, p.title AS post_title,
		(c.status = 'published' AND c.duplicate_of = '') AS counted
	FROM comments c
	JOIN posts p ON p.id = c.post_id
	JOIN documents d ON d.path = p.document
	WHERE d.status = 'ok';
`,
	// 3: indexes for the nightly path. Every index is keyed so that a new
	// document's rows land together at the end or in one place per post:
	// an index on the random-looking comment ids would cost a page write per
	// comment once the store outgrows the cache (measured: 3x slower
	// inserts at 300,000 comments), which is why comments and analyses are
	// joined on the integer seq and comments.id has no index.
	// posts_document serves replace-by-file and the cascade from documents;
	// posts_order (unique, all columns NOT NULL) lets the ordered reads walk
	// posts in report order with no sort; comments_post serves the join, the
	// order within a post and the cascade from posts, and covers the counted
	// test so that Scores never reads a comment row; comments_counted lists the
	// comments that take part in analysis in seq order without touching
	// their text; comments_raw makes clearing kept originals free when there
	// are none.
	`
CREATE INDEX posts_document ON posts(document);
CREATE UNIQUE INDEX posts_order ON posts(date, source_file, id);
CREATE INDEX comments_post ON comments(post_id, position, status, duplicate_of);
CREATE INDEX comments_counted ON comments(seq, post_id) WHERE status = 'published' AND duplicate_of = '';
CREATE INDEX comments_raw ON comments(seq) WHERE raw_text IS NOT NULL;
`,
	// 4: what lets a nightly run skip work on unchanged files. gen is a
	// fresh random number written each time a document's posts and comments
	// are (re)stored, so a post whose document still has the gen that the
	// pipeline's report cache recorded has the same rows as then. mtime_ns
	// is the file's modification time when the content with this sha256 was
	// read (0 when unknown): a file with the same size and mtime is not read
	// again.
	`
ALTER TABLE documents ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT 0;
`,
	// 5: the archive's own ids of posts and comments (JSON Lines, Atom,
	// WXR and Disqus ids), exported so that hand-coded subsets can be joined
	// back, and which id scheme a document's ids were built by: 1, from the
	// path as given and positions; 2, from the path below the input's parent
	// folder and the archive's own ids (corpus/ids.go). A run re-keys a
	// document of scheme 1 to scheme 2 in place, keeping its analyses.
	`
ALTER TABLE posts ADD COLUMN source_id TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN source_id TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_scheme INTEGER NOT NULL DEFAULT 1;
`,
	// 6: the warnings met reading each document (corpus.Warning), kept with
	// it so that every run's warnings.csv lists them, not only the run that
	// read the file. They are rewritten whenever the document is, and go
	// with it (ON DELETE CASCADE; ON UPDATE CASCADE follows a re-keying).
	// And the options that change how a file's bytes are read (the encoding):
	// a file read under other options is read again. The files stored before
	// get options no run has, so each is read once more and its warnings are
	// kept (its rows and analyses stay as they are where the text is the same).
	`
ALTER TABLE documents ADD COLUMN read_options TEXT NOT NULL DEFAULT '';
UPDATE documents SET read_options = 'before schema 6' WHERE status = 'ok';

CREATE TABLE warnings (
	document TEXT NOT NULL REFERENCES documents(path) ON DELETE CASCADE ON UPDATE CASCADE,
	ord      INTEGER NOT NULL,
	line     INTEGER NOT NULL DEFAULT 0,
	offset   INTEGER NOT NULL DEFAULT -1,
	kind     TEXT NOT NULL,
	count    INTEGER NOT NULL DEFAULT 1,
	text     TEXT NOT NULL,
	PRIMARY KEY (document, ord)
) WITHOUT ROWID;
`,
	// 7: hand labels and the queue of comments sampled for labelling
	// (chorus label, pipeline/label). Neither refers to comments by a
	// foreign key: labels must outlive every later run, re-analysis, edit
	// or vanished file, so they name the comment by comments.id (and carry
	// the hash of its normalised text, so a label can be re-attached if ids
	// ever change) and keep the text the coder saw. A free unit (an
	// imported label whose text matches no stored comment) has comment_id
	// ''. One label per coder and unit: the partial unique indexes say so
	// for comment units and free units apart. labels_comment serves the
	// join from comments to their labels.
	`
CREATE TABLE labels (
	coder       TEXT NOT NULL,
	comment_id  TEXT NOT NULL DEFAULT '',
	text_hash   TEXT NOT NULL,
	text        TEXT NOT NULL,
	valence     INTEGER NOT NULL CHECK (valence BETWEEN -2 AND 2),
	topics      TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '',
	labelled_at TEXT NOT NULL
);
CREATE UNIQUE INDEX labels_coder_comment ON labels(coder, comment_id) WHERE comment_id != '';
CREATE UNIQUE INDEX labels_coder_free ON labels(coder, text_hash) WHERE comment_id = '';
CREATE INDEX labels_comment ON labels(comment_id);

CREATE TABLE label_sample (
	comment_id TEXT NOT NULL PRIMARY KEY,
	post_id    TEXT NOT NULL,
	text_hash  TEXT NOT NULL,
	batch      INTEGER NOT NULL,
	ord        INTEGER NOT NULL,
	strategy   TEXT NOT NULL,
	seed       INTEGER NOT NULL,
	sampled_at TEXT NOT NULL,
	UNIQUE (batch, ord)
);
`,
	// 8: re-analysis that scales. The sentiment half of each analysis
	// key: two keys with the same sentiment_key differ only in the
	// taxonomy, so after a taxonomy change a comment's sentiment, token and
	// sentence counts are copied from its analysis under the earlier key
	// and only its topics are computed again (PendingRows); ''
	// for keys recorded before, which are never reused. And the analyses
	// keyed by (analysis_key, comment_seq) rather than the other way round:
	// the analyses of a re-analysis then append at the end of their key's
	// range instead of landing between the earlier keys' rows of every
	// comment, which split every page of the table (measured on 1M stored
	// comments: BENCHMARKS.md, "Re-analysis"). analyses_comment serves the
	// cascade from comments and re-keying by comment.
	`
ALTER TABLE analysis_keys ADD COLUMN sentiment_key TEXT NOT NULL DEFAULT '';

CREATE TABLE analyses_by_key (
	comment_seq    INTEGER NOT NULL REFERENCES comments(seq) ON DELETE CASCADE,
	analysis_key   TEXT NOT NULL,
	comment_id     TEXT NOT NULL,
	n_tokens       INTEGER NOT NULL,
	n_sentences    INTEGER NOT NULL,
	compound       REAL NOT NULL,
	pos            REAL NOT NULL,
	neu            REAL NOT NULL,
	neg            REAL NOT NULL,
	label          TEXT NOT NULL,
	evidence       TEXT NOT NULL DEFAULT '',
	topics         TEXT NOT NULL DEFAULT '',
	topic_scores   TEXT NOT NULL DEFAULT '{}',
	topic_evidence TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (analysis_key, comment_seq)
) WITHOUT ROWID;
INSERT INTO analyses_by_key SELECT * FROM analyses ORDER BY analysis_key, comment_seq;
DROP TABLE analyses;
ALTER TABLE analyses_by_key RENAME TO analyses;
CREATE INDEX analyses_comment ON analyses(comment_seq);
`,
	// 9: the comments a run does not count (not published, or a duplicate),
	// so that the manifest's status counts read only them; the published
	// are summed from posts.counted_comments.
	`CREATE INDEX comments_uncounted ON comments(post_id, status, duplicate_of)
	WHERE NOT (status = 'published' AND duplicate_of = '');
`,
	// 10: the post each labelled comment is stored under, so that the
	// labels' comments are found through comments_post rather than by a
	// pass over every comment (comments.id has no index; see
	// docs/database.md). Labels saved before it get their post here, in
	// one pass over the comments (each probing labels_comment).
	`ALTER TABLE labels ADD COLUMN post_id TEXT NOT NULL DEFAULT '';
UPDATE labels SET post_id = c.post_id FROM comments c WHERE c.id = labels.comment_id AND labels.comment_id != '';
`,
}

// SchemaVersion is the schema version this package writes: the number of
// migrations (a test holds the two equal). A file with a higher user_version
// was written by a newer chorus and is refused rather than misread.
const SchemaVersion = 10
