package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chorus/corpus"
)

// Conveniences the tests call; the pipeline stores with ReplaceAnalysed and
// reads digests with Documents.

// ReplaceDocument is ReplaceAnalysed for one document without analyses.
func (s *Store) ReplaceDocument(ctx context.Context, doc *corpus.Document, keepRaw bool, redact func(string) string) (Changes, error) {
	if doc == nil {
		return Changes{}, errNilDocument
	}
	sts, _, err := s.ReplaceAnalysed(ctx, []*corpus.Document{doc}, keepRaw, redact, "", nil)
	if err != nil {
		return Changes{}, err
	}
	return sts[0].Changes, nil
}

// ReplaceDocuments is ReplaceAnalysed without analyses.
func (s *Store) ReplaceDocuments(ctx context.Context, docs []*corpus.Document, keepRaw bool, redact func(string) string) ([]Changes, error) {
	sts, _, err := s.ReplaceAnalysed(ctx, docs, keepRaw, redact, "", nil)
	if err != nil {
		return nil, err
	}
	chs := make([]Changes, len(sts))
	for i, st := range sts {
		chs[i] = st.Changes
	}
	return chs, nil
}

// DocumentSHA returns the sha256 and status stored for path; ok is false when
// path was never stored. A caller may skip reading a file whose digest
// matches, whatever the status: an unchanged rejected file is still
// rejected, and an unchanged vanished file is restored by MarkVanished.
func (s *Store) DocumentSHA(ctx context.Context, path string) (sha, status string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT sha256, status FROM documents WHERE path = ?`, path).Scan(&sha, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("look up document %s: %w", path, err)
	}
	return sha, status, true, nil
}
