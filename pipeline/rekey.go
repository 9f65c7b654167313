package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"chorus/corpus"
	"chorus/pipeline/store"
)

// Re-keying a store written by a chorus before id scheme 2 (see
// corpus/ids.go and store.Rekey): such a store named each file by its path
// as given and built ids from that name and positions, so the same archive
// read from another folder, or given by an absolute path, got other ids and
// was stored twice. Before reading, the store stage finds each input stored
// under an older scheme, and, when the file is unchanged, reads it twice,
// as the older chorus did and as this one does, and moves the stored rows
// to the new name and ids, keeping their analyses. A file that changed
// since is read as a new file: the old rows vanish, as a removed file's do.

// rekeyLegacy re-keys every input stored under an older id scheme, and
// reloads the reader's view of the store when it did.
func (s *storer) rekeyLegacy(ctx context.Context, sources []source) error {
	n := 0
	for _, src := range sources {
		old, ok := s.legacyDocument(src)
		if !ok {
			continue
		}
		data, rej := src.read()
		if rej != nil {
			continue // rejected now: the old rows vanish
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != old.SHA256 {
			continue // changed since: read as a new file
		}
		posts, err := s.rekeyPlan(src, old.Path, data)
		if err != nil {
			s.log.Warn("stored file not re-keyed: it is read again as a new file", "file", src.name, "err", err)
			continue
		}
		if err := s.st.Rekey(ctx, old.Path, src.name, posts); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return nil
	}
	s.log.Info("re-keyed files stored by an older chorus to stable ids", "files", n)
	docs, err := s.st.Documents(ctx)
	if err != nil {
		return err
	}
	clear(s.read.stored)
	for _, d := range docs {
		s.read.stored[d.Path] = d
	}
	return nil
}

// legacyDocument finds the document of an older id scheme that src was
// stored as; false when there is none, or src is stored under its new name
// and scheme already.
func (s *storer) legacyDocument(src source) (store.DocumentRow, bool) {
	if d, ok := s.read.stored[src.name]; ok && d.IDScheme >= store.IDScheme {
		return store.DocumentRow{}, false
	}
	for _, name := range append([]string{src.name}, src.legacy...) {
		d, ok := s.read.stored[name]
		if ok && d.IDScheme < store.IDScheme && d.Status == store.StatusOK {
			if _, taken := s.read.stored[src.name]; taken && name != src.name {
				return store.DocumentRow{}, false // the new name is in use
			}
			return d, true
		}
	}
	return store.DocumentRow{}, false
}

// rekeyPlan reads data as the older chorus did (named oldName, with the
// ids its readers gave) and as this one does, and pairs the two readings post by post and
// comment by comment.
func (s *storer) rekeyPlan(src source, oldName string, data []byte) ([]store.RekeyPost, error) {
	o := s.read.opts
	o.Dates = src.dates
	now, rej := corpus.Parse(src.name, data, o)
	if rej != nil {
		return nil, fmt.Errorf("%s", rej.Reason)
	}
	o.LegacyIDs = true
	then, rej := corpus.Parse(oldName, data, o)
	if rej != nil {
		return nil, fmt.Errorf("%s", rej.Reason)
	}
	if len(now.Posts) != len(then.Posts) {
		return nil, fmt.Errorf("the two readings have %d and %d posts", len(now.Posts), len(then.Posts))
	}
	red := s.red.Text
	out := make([]store.RekeyPost, len(now.Posts))
	for i := range now.Posts {
		np, op := &now.Posts[i], &then.Posts[i]
		if len(np.Comments) != len(op.Comments) {
			return nil, fmt.Errorf("post %d: the two readings have %d and %d comments", i+1, len(np.Comments), len(op.Comments))
		}
		rp := store.RekeyPost{OldID: op.ID, NewID: np.ID, SourceFile: np.SourceFile, SourceID: red(np.SourceID)}
		for j := range np.Comments {
			rp.Comments = append(rp.Comments, store.RekeyComment{OldID: op.Comments[j].ID, NewID: np.Comments[j].ID, SourceID: red(np.Comments[j].SourceID)})
		}
		out[i] = rp
	}
	return out, nil
}
