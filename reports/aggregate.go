package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"chorus/internal/analysis"
)

// Periods Write accepts.
const (
	PeriodDay   = "day"
	PeriodWeek  = "week"
	PeriodMonth = "month"
)

const dateLayout = "2006-01-02"

// labels in output order; index is the position in the per-label counts.
var labels = [3]string{"negative", "neutral", "positive"}

func labelIndex(l string) int {
	switch l {
	case "negative":
		return 0
	case "neutral":
		return 1
	case "positive":
		return 2
	}
	return -1
}

// periodStart maps a date to the first day of its period: the day itself,
// the Monday of its ISO week, or the first of its month.
func periodStart(d time.Time, period string) time.Time {
	switch period {
	case PeriodWeek:
		off := (int(d.Weekday()) + 6) % 7 // Monday = 0
		return d.AddDate(0, 0, -off)
	case PeriodMonth:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// periodEnd is the last day (inclusive) of the period starting at s.
func periodEnd(s time.Time, period string) time.Time {
	switch period {
	case PeriodWeek:
		return s.AddDate(0, 0, 6)
	case PeriodMonth:
		return s.AddDate(0, 1, -1)
	}
	return s
}

// nextPeriod is the start of the period after the one starting at s.
func nextPeriod(s time.Time, period string) time.Time {
	switch period {
	case PeriodWeek:
		return s.AddDate(0, 0, 7)
	case PeriodMonth:
		return s.AddDate(0, 1, 0)
	}
	return s.AddDate(0, 0, 1)
}

// group is the running aggregate of one period, one topic, or the undated
// comments.
type group struct {
	all      acc    // compound of every comment in the group
	byLabel  [3]int // counts negative, neutral, positive
	topicN   []int  // comments tagged with each topic (taxonomy order)
	topicAcc []acc  // compound of the comments tagged with each topic
}

func newGroup(nTopics int) *group {
	return &group{topicN: make([]int, nTopics), topicAcc: make([]acc, nTopics)}
}

func (g *group) add(c Comment, li int, topicIdx []int) {
	g.all.add(c.Compound)
	g.byLabel[li]++
	for _, ti := range topicIdx {
		g.topicN[ti]++
		g.topicAcc[ti].add(c.Compound)
	}
}

func (g *group) share(count int) float64 {
	if g.all.n == 0 {
		return math.NaN()
	}
	return float64(count) / float64(g.all.n)
}

// postAgg is the running aggregate of one post.
type postAgg struct {
	found, dup int
	compound   acc
	// from the post's first comment, for posts missing from Input.Posts
	date, dateSource, sourceFile string
}

// period is one row of daily.csv once aggregation is done.
type period struct {
	start, end time.Time
	*group
}

// aggregator is the state of the single streaming pass. Its size grows with
// dates, periods, posts and topics, never with comments: only the k most
// extreme comments are kept whole.
type aggregator struct {
	period    string
	topics    []Topic
	topicPos  map[string]int
	dateCache map[string]time.Time // post date -> period start (one parse per date)
	periods   map[time.Time]*group
	overall   *group // every non-duplicate comment, dated or not
	undated   *group
	undPosts  map[string]bool
	posts     map[string]*postAgg
	topicUnd  []int // undated comments per topic
	neg, pos  extremes

	rows, dups, badDates int
	badDateExample       string
}

func newAggregator(in Input, k int) (*aggregator, error) {
	a := &aggregator{
		period:    in.Period,
		topics:    in.Topics,
		topicPos:  make(map[string]int, len(in.Topics)),
		dateCache: map[string]time.Time{},
		periods:   map[time.Time]*group{},
		overall:   newGroup(len(in.Topics)),
		undated:   newGroup(len(in.Topics)),
		undPosts:  map[string]bool{},
		posts:     map[string]*postAgg{},
		topicUnd:  make([]int, len(in.Topics)),
		neg:       extremes{k: k, lessFirst: true},
		pos:       extremes{k: k},
	}
	for i, t := range in.Topics {
		if t.Name == "" {
			return nil, fmt.Errorf("topic %d has no name", i)
		}
		if _, dup := a.topicPos[t.Name]; dup {
			return nil, fmt.Errorf("topic %q listed twice", t.Name)
		}
		a.topicPos[t.Name] = i
	}
	return a, nil
}

// add folds one comment into every aggregate it belongs to.
func (a *aggregator) add(c Comment) error {
	a.rows++
	pa := a.posts[c.PostID]
	if pa == nil {
		pa = &postAgg{date: c.PostDate, dateSource: c.DateSource, sourceFile: c.SourceFile}
		a.posts[c.PostID] = pa
	}
	// Every row the reports get is published (a row of comments.csv); the
	// rule of which count leaves out its duplicates.
	if !analysis.Counted(analysis.StatusPublished, c.DuplicateOf) {
		a.dups++
		pa.dup++
		return nil
	}
	li := labelIndex(c.Label)
	if li < 0 {
		return fmt.Errorf("comment %s: label %q is not negative, neutral or positive", c.ID, c.Label)
	}
	topicIdx := make([]int, 0, len(c.Topics))
	for _, name := range c.Topics {
		ti, ok := a.topicPos[name]
		if !ok {
			return fmt.Errorf("comment %s: topic %q is not in the taxonomy", c.ID, name)
		}
		if !slices.Contains(topicIdx, ti) {
			topicIdx = append(topicIdx, ti)
		}
	}
	pa.found++
	pa.compound.add(c.Compound)
	a.overall.add(c, li, topicIdx)
	a.neg.offer(c)
	a.pos.offer(c)

	start, dated := a.periodOf(c.PostDate)
	if !dated {
		if c.PostDate != "" {
			a.badDates++
			if a.badDateExample == "" {
				a.badDateExample = c.PostDate
			}
		}
		a.undated.add(c, li, topicIdx)
		a.undPosts[c.PostID] = true
		for _, ti := range topicIdx {
			a.topicUnd[ti]++
		}
		return nil
	}
	g := a.periods[start]
	if g == nil {
		g = newGroup(len(a.topics))
		a.periods[start] = g
	}
	g.add(c, li, topicIdx)
	return nil
}

// periodOf returns the start of the period of a post date; false for an
// empty or unparseable date (such comments are counted as undated).
func (a *aggregator) periodOf(date string) (time.Time, bool) {
	if date == "" {
		return time.Time{}, false
	}
	if s, ok := a.dateCache[date]; ok {
		return s, !s.IsZero()
	}
	d, err := time.Parse(dateLayout, date)
	var s time.Time
	if err == nil {
		s = periodStart(d, a.period)
	}
	a.dateCache[date] = s
	return s, err == nil
}

// sortedPeriods returns the non-empty periods in date order.
func (a *aggregator) sortedPeriods() []period {
	out := make([]period, 0, len(a.periods))
	for s, g := range a.periods {
		out = append(out, period{start: s, end: periodEnd(s, a.period), group: g})
	}
	slices.SortFunc(out, func(x, y period) int { return x.start.Compare(y.start) })
	return out
}

// extremes keeps the k most negative (lessFirst) or most positive comments,
// ties broken by comment ID so the choice does not depend on stream order.
type extremes struct {
	k         int
	lessFirst bool
	items     []Comment
}

func (e *extremes) before(x, y Comment) bool {
	if x.Compound != y.Compound {
		if e.lessFirst {
			return x.Compound < y.Compound
		}
		return x.Compound > y.Compound
	}
	return x.ID < y.ID
}

func (e *extremes) offer(c Comment) {
	if e.k <= 0 {
		return
	}
	if len(e.items) == e.k && !e.before(c, e.items[e.k-1]) {
		return
	}
	i, _ := slices.BinarySearchFunc(e.items, c, func(have, want Comment) int {
		if e.before(have, want) {
			return -1
		}
		return 1
	})
	e.items = slices.Insert(e.items, i, c)
	if len(e.items) > e.k {
		e.items = e.items[:e.k]
	}
}

// sortTopicsBy returns topic indices ordered by key descending, ties by name.
func sortTopicsBy(topics []Topic, key func(i int) float64) []int {
	idx := make([]int, len(topics))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		kx, ky := key(x), key(y)
		if c := cmp.Compare(ky, kx); c != 0 {
			return c
		}
		return cmp.Compare(topics[x].Name, topics[y].Name)
	})
	return idx
}
