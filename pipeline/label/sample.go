package label

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"

	"chorus/pipeline/store"
)

// Sampling strategies.
const (
	// Random draws uniformly from the comments not yet sampled or labelled.
	Random = "random"
	// Stratified spreads the sample evenly over periods (the month of the
	// post date; undated comments are one more period) and, within a
	// period, over posts: months take turns, each giving one comment, and
	// within a month the posts take turns, until n are chosen or the
	// candidates run out. A quiet month is so represented as well as a
	// busy one, and no post gives a second comment before every post of
	// its month has given one: a model validated on the result has been
	// validated on every period of the archive, not on its busiest months.
	// (For an estimate of accuracy on the archive as a whole, sample at
	// random.)
	Stratified = "stratified"
	// Uncertain picks the comments whose current analysis is least sure of
	// its class: the smallest margin between the two largest of the stored
	// pos, neu and neg. This assumes those are the sentiment model's class
	// probabilities P(positive), P(neutral), P(negative), as a learned
	// classifier stores them; for the lexicon models they are VADER's
	// proportions of positive, neutral and negative sentiment, and a small
	// margin then means a mixed comment, which is also worth labelling.
	Uncertain = "uncertain"
)

// SampleOptions says what to sample.
type SampleOptions struct {
	N        int
	Strategy string
	// Seed makes the sample reproducible: the same store, strategy, n and
	// seed choose the same comments in the same order.
	Seed uint64
	// Key is the analysis key whose probabilities Uncertain reads; "" is
	// the current one (the most recently used).
	Key string
}

// SampleResult is what Sample did.
type SampleResult struct {
	Batch      int // the queue batch the sample was stored as; 0 when nothing was chosen
	Chosen     int
	Candidates int // counted comments that could be chosen
	// Excluded counts counted comments left out because they are queued
	// already or labelled by anyone.
	Excluded int
	Periods  int // periods (months) and posts the chosen comments span
	Posts    int
	Key      string // the analysis key Uncertain read ("" for the others)
	Queued   int    // units in the whole queue afterwards
}

// candidate is a comment that may be sampled.
type candidate struct {
	id, post string
	period   string   // YYYY-MM, or "undated"
	hash     [32]byte // the text hash, decoded: half the memory of its hex on a large store
	rank     uint64   // the seed's random order: rank(seed, id)
	margin   float64
}

// rank is a comment's place in the seed's random order: the first 8 bytes
// of SHA-256(seed, id). Ordering by it rather than by a shuffle of the read
// order makes the choice independent of storage order, and stable as the
// archive grows: a comment chosen under a seed stays chosen unless a new
// comment ranks before it.
func rank(seed uint64, id string) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h := sha256.New()
	h.Write(b[:])
	h.Write([]byte(id))
	return binary.BigEndian.Uint64(h.Sum(nil)[:8])
}

// Sample chooses up to opts.N counted comments that are neither queued yet
// nor labelled by anyone, and appends them to the labelling queue as one
// batch. Comments labelled by any coder are left out because the queue is
// shared by every coder: a comment someone labelled already is in the gold
// set, and the next batch should bring new ones (a second coder on old
// units comes from serving the queue they are in, not from sampling them
// again).
func Sample(ctx context.Context, st *store.Store, opts SampleOptions) (SampleResult, error) {
	var res SampleResult
	if opts.N <= 0 {
		return res, fmt.Errorf("sample: n must be at least 1 (got %d)", opts.N)
	}
	switch opts.Strategy {
	case Random, Stratified, Uncertain:
	default:
		return res, fmt.Errorf("sample: strategy %q: want random, stratified or uncertain", opts.Strategy)
	}
	key := ""
	if opts.Strategy == Uncertain {
		key = opts.Key
		if key == "" {
			var err error
			if key, err = st.CurrentKey(ctx); err != nil {
				return res, err
			}
			if key == "" {
				return res, fmt.Errorf("sample: the store has no analyses: run chorus run before sampling uncertain comments")
			}
		}
		res.Key = key
	}
	queue, err := st.Queue(ctx)
	if err != nil {
		return res, err
	}
	labels, err := st.Labels(ctx, "")
	if err != nil {
		return res, err
	}
	skipID, skipHash := map[string]bool{}, map[string]bool{}
	for _, q := range queue {
		skipID[q.CommentID] = true
	}
	for _, l := range labels {
		if l.CommentID != "" {
			skipID[l.CommentID] = true
		}
		skipHash[l.TextHash] = true
	}
	var cands []candidate
	err = st.Comments(ctx, key, func(r store.CommentRow) error {
		if !r.Counted() || r.Text == "" {
			return nil
		}
		h := store.TextHash(r.Text)
		if skipID[r.ID] || skipHash[h] {
			res.Excluded++
			return nil
		}
		if opts.Strategy == Uncertain && !r.Analysed {
			return nil
		}
		c := candidate{id: r.ID, post: r.PostID, period: "undated", rank: rank(opts.Seed, r.ID)}
		if _, err := hex.Decode(c.hash[:], []byte(h)); err != nil {
			return fmt.Errorf("text hash of comment %s: %w", r.ID, err)
		}
		if len(r.PostDate) >= 7 {
			c.period = r.PostDate[:7]
		}
		if r.Analysed {
			c.margin = margin(r.Analysis.Pos, r.Analysis.Neu, r.Analysis.Neg)
		}
		cands = append(cands, c)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("sample: %w", err)
	}
	res.Candidates = len(cands)
	var chosen []candidate
	switch opts.Strategy {
	case Random:
		sortByRank(cands)
		chosen = cands[:min(opts.N, len(cands))]
	case Stratified:
		chosen = stratify(cands, opts.N, opts.Seed)
		sortByRank(chosen) // coders see the periods mixed, not one month after another
	case Uncertain:
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].margin != cands[j].margin {
				return cands[i].margin < cands[j].margin
			}
			return cands[i].rank < cands[j].rank
		})
		chosen = cands[:min(opts.N, len(cands))] // most uncertain first
	}
	res.Chosen = len(chosen)
	periods, posts := map[string]bool{}, map[string]bool{}
	entries := make([]store.SampleEntry, len(chosen))
	for i, c := range chosen {
		periods[c.period], posts[c.post] = true, true
		entries[i] = store.SampleEntry{CommentID: c.id, PostID: c.post, TextHash: hex.EncodeToString(c.hash[:])}
	}
	res.Periods, res.Posts = len(periods), len(posts)
	if len(entries) > 0 {
		if res.Batch, err = st.AddSample(ctx, entries, opts.Strategy, opts.Seed); err != nil {
			return res, err
		}
	}
	res.Queued = len(queue) + len(entries)
	return res, nil
}

// margin is the gap between the two largest of three probabilities.
func margin(a, b, c float64) float64 {
	hi, mid := a, b
	if mid > hi {
		hi, mid = mid, hi
	}
	switch {
	case c > hi:
		hi, mid = c, hi
	case c > mid:
		mid = c
	}
	return hi - mid
}

func sortByRank(cs []candidate) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].rank != cs[j].rank {
			return cs[i].rank < cs[j].rank
		}
		return cs[i].id < cs[j].id
	})
}

// stratify picks n candidates by turns: over periods (in the seed's random
// order of period names), and within each period over its posts (in the
// seed's random order of post ids), each post giving its comments in rank
// order.
func stratify(cands []candidate, n int, seed uint64) []candidate {
	type post struct {
		id    string
		cands []candidate
	}
	type period struct {
		name  string
		posts []*post
		next  int // the post whose turn it is
		left  int
	}
	byPeriod := map[string]*period{}
	byPost := map[string]*post{}
	for _, c := range cands {
		pe := byPeriod[c.period]
		if pe == nil {
			pe = &period{name: c.period}
			byPeriod[c.period] = pe
		}
		po := byPost[c.post]
		if po == nil {
			po = &post{id: c.post}
			byPost[c.post] = po
			pe.posts = append(pe.posts, po)
		}
		po.cands = append(po.cands, c)
		pe.left++
	}
	periods := make([]*period, 0, len(byPeriod))
	for _, pe := range byPeriod {
		for _, po := range pe.posts {
			sortByRank(po.cands)
		}
		sort.Slice(pe.posts, func(i, j int) bool {
			ri, rj := rank(seed, "post:"+pe.posts[i].id), rank(seed, "post:"+pe.posts[j].id)
			if ri != rj {
				return ri < rj
			}
			return pe.posts[i].id < pe.posts[j].id
		})
		periods = append(periods, pe)
	}
	sort.Slice(periods, func(i, j int) bool {
		ri, rj := rank(seed, "period:"+periods[i].name), rank(seed, "period:"+periods[j].name)
		if ri != rj {
			return ri < rj
		}
		return periods[i].name < periods[j].name
	})
	var out []candidate
	for len(out) < n {
		took := false
		for _, pe := range periods {
			if len(out) == n {
				break
			}
			if pe.left == 0 {
				continue
			}
			for {
				po := pe.posts[pe.next]
				pe.next = (pe.next + 1) % len(pe.posts)
				if len(po.cands) > 0 {
					out = append(out, po.cands[0])
					po.cands = po.cands[1:]
					pe.left--
					took = true
					break
				}
			}
		}
		if !took {
			break
		}
	}
	return out
}
