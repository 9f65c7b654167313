package corpus

// Ids. A post's id is built from the name of its file (its path relative to
// the input folder's parent, with forward slashes, as the pipeline names it:
// the same from whatever folder chorus runs and whether the input was given
// as a relative or an absolute path) and either the archive's own id of the
// post, when the file gives one and no other post of the file has the same,
// or the post's index in the file. A comment's id is built likewise from its
// post's id and the archive's own id of the comment, when unique in the
// post, or its position. Ids from the archive's own ids survive a file whose
// posts or comments are reordered or added to in the middle, as exports
// are; position ids survive anything that leaves the order alone.
//
// Readers give every post and comment an id as they read (a position id,
// or for JSON Lines posts one from the file's post_id: chorus's id scheme
// 1), and point replies at their parents by those; assignIDs then sets the
// final ids and re-points the replies.

// SourcePostID is the id of the post the file named source gives the id sid.
func SourcePostID(source, sid string) string { return stableID("p", source, "source", sid) }

// SourceCommentID is the id of the comment of post postID that the archive
// gives the id sid.
func SourceCommentID(postID, sid string) string { return stableID("c", postID, "source", sid) }

// assignIDs sets the final ids of the posts of the file named name (see
// above).
func assignIDs(name string, posts []Post) {
	postIDs := make(map[string]int, len(posts))
	for i := range posts {
		if sid := posts[i].SourceID; sid != "" {
			postIDs[sid]++
		}
	}
	for i := range posts {
		p := &posts[i]
		p.ID = PostID(name, i)
		if sid := p.SourceID; sid != "" && postIDs[sid] == 1 {
			p.ID = SourcePostID(name, sid)
		}
		ids := make(map[string]int, len(p.Comments))
		for j := range p.Comments {
			if sid := p.Comments[j].SourceID; sid != "" {
				ids[sid]++
			}
		}
		renamed := make(map[string]string, len(p.Comments))
		for j := range p.Comments {
			c := &p.Comments[j]
			id := CommentID(p.ID, c.Position)
			if sid := c.SourceID; sid != "" && ids[sid] == 1 {
				id = SourceCommentID(p.ID, sid)
			}
			renamed[c.ID] = id
			c.ID, c.PostID = id, p.ID
		}
		for j := range p.Comments {
			if c := &p.Comments[j]; c.ParentID != "" {
				c.ParentID = renamed[c.ParentID]
			}
		}
	}
}
