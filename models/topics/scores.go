package topics

// Scores returns each topic's score for text before any threshold, in
// taxonomy order (0 for a topic with no match). It takes the same path as
// Tag: a topic is tagged exactly when Reaches(Scores(text)[i], its
// threshold). Choosing thresholds from data (see CrossValidate) needs the
// raw scores, which Tag hides.
func (tg *Tagger) Scores(text string) []float64 {
	out := make([]float64, len(tg.topics))
	sc := tg.pool.Get().(*scratch)
	defer tg.put(sc)
	sc.tz.scan.Reset(text)
	_, keep := tg.kept(sc, &sc.tz.scan)
	for i := 0; i < len(keep); {
		t, j := tg.topicRun(keep, i)
		out[t] = tg.groupScore(keep[i:j])
		i = j
	}
	return out
}

// Thresholds returns each topic's threshold as the taxonomy sets it, in
// taxonomy order.
func (t *Taxonomy) Thresholds() []float64 {
	out := make([]float64, len(t.topics))
	for i, d := range t.topics {
		out[i] = d.threshold
	}
	return out
}

// Source returns a copy of the bytes the taxonomy was parsed from.
func (t *Taxonomy) Source() []byte { return append([]byte(nil), t.src...) }
