package synth

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/internal/sharedtest"
)

// seedPosts reads the five seed dumps with the corpus readers, as a run
// reads them, or skips when ../shared is absent.
func seedPosts(t *testing.T) []corpus.Post {
	t.Helper()
	dir := sharedtest.Dir(t, "corpus/seeds")
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) != 5 {
		t.Fatalf("seeds: want 5 files in %s, got %d (%v)", dir, len(names), err)
	}
	sort.Strings(names)
	var posts []corpus.Post
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("read seed: %v", err)
		}
		doc, rej := corpus.Parse(filepath.Base(name), data, corpus.Options{})
		if rej != nil {
			t.Fatalf("seed %s rejected: %v", filepath.Base(name), rej)
		}
		posts = append(posts, doc.Posts...)
	}
	return posts
}

// TestSeedFiguresMatchSeeds measures the seed dumps afresh and checks
// every figure seeds.go keeps from them, so that the constants are what the
// seeds give, to the precision they are written with.
func TestSeedFiguresMatchSeeds(t *testing.T) {
	posts := seedPosts(t)
	var m Measurer
	for i := range posts {
		m.AddPost(&posts[i])
	}
	got := m.Shape()
	t.Logf("seeds: %+v", got)
	r := func(x float64, d int) float64 { p := math.Pow(10, float64(d)); return math.Round(x*p) / p }
	fresh := Shape{
		Comments: got.Comments, Posts: got.Posts,
		Length:         Lengths{Mean: r(got.Length.Mean, 2), Median: got.Length.Median, P90: got.Length.P90, P99: got.Length.P99, Max: got.Length.Max},
		Sentences:      r(got.Sentences, 3),
		MultiParagraph: r(got.MultiParagraph, 3),
		Paragraphs:     r(got.Paragraphs, 3),
		TimeRefs:       r(got.TimeRefs, 3),
		Quotes:         r(got.Quotes, 3),
		URLs:           r(got.URLs, 3),
		Replies:        r(got.Replies, 3),
		Excerpts:       r(got.Excerpts, 3),
		PerPost:        r(got.PerPost, 1),
	}
	if fresh != SeedShape {
		t.Errorf("SeedShape is stale:\n got %+v\nkept %+v", fresh, SeedShape)
	}

	var lengths []int
	for _, p := range seedLengthPoints {
		lengths = append(lengths, m.quantile(p))
	}
	if !slices.Equal(lengths, seedLengths) {
		t.Errorf("seedLengths is stale:\n got %v\nkept %v", lengths, seedLengths)
	}

	// The bands: the comments sorted by length, in five equal parts.
	type row struct{ length, sentences, paras int }
	var rows []row
	var perPost []int
	tops, replied, replies, links, linksOwn, signed := 0, 0, 0, 0, 0, 0
	for _, p := range posts {
		n := 0
		kids := map[string]int{}
		for _, c := range p.Comments {
			if c.Counted() && c.ParentID != "" {
				kids[c.ParentID]++
			}
		}
		for _, c := range p.Comments {
			if !c.Counted() {
				continue
			}
			n++
			rows = append(rows, row{len(c.Text), countSentences(c.Text), strings.Count(c.Text, "\n") + 1})
			if c.Section == corpus.SectionThread && c.ParentID == "" {
				tops++
				if kids[c.ID] > 0 {
					replied++
					replies += kids[c.ID]
				}
			}
			if c.Author != "" {
				signed++
			}
			if hasURL(c.Text) {
				links++
				for para := range strings.SplitSeq(c.Text, "\n") {
					if hasURL(para) && !strings.Contains(strings.TrimSpace(para), " ") {
						linksOwn++
						break
					}
				}
			}
		}
		perPost = append(perPost, n)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].length < rows[j].length })
	var bands []lengthBand
	for b := range 5 {
		part := rows[b*len(rows)/5 : (b+1)*len(rows)/5]
		var bytesS, sentS, bytesM, sentM, multi, parasM int
		for _, x := range part {
			if x.paras > 1 {
				multi++
				parasM += x.paras
				bytesM += x.length
				sentM += x.sentences
			} else {
				bytesS += x.length
				sentS += x.sentences
			}
		}
		bands = append(bands, lengthBand{
			upTo:         part[len(part)-1].length,
			single:       r(float64(bytesS)/float64(sentS), 1),
			multiPara:    r(float64(bytesM)/float64(sentM), 1),
			multi:        r(float64(multi)/float64(len(part)), 3),
			parasOfMulti: r(float64(parasM)/float64(multi), 2),
		})
	}
	if !slices.Equal(bands, seedBands) {
		t.Errorf("seedBands is stale:\n got %+v\nkept %+v", bands, seedBands)
	}
	if !slices.Equal(perPost, seedPostComments) {
		t.Errorf("seedPostComments is stale: got %v, kept %v", perPost, seedPostComments)
	}
	if r(float64(replied)/float64(tops), 9) != r(seedRepliedShare, 9) || r(1-float64(replied)/float64(replies), 9) != r(seedReplyRun, 9) {
		t.Errorf("threads: %d of %d top-level comments have replies, %d replies; seeds.go says %v and %v",
			replied, tops, replies, seedRepliedShare, seedReplyRun)
	}
	if links != seedLinks || linksOwn != seedLinksOwn || signed != seedSignedOff || len(rows) != seedCountedComm {
		t.Errorf("%d links (%d on their own line), %d signed, %d comments; seeds.go says %d (%d), %d, %d",
			links, linksOwn, signed, len(rows), seedLinks, seedLinksOwn, seedSignedOff, seedCountedComm)
	}
}
