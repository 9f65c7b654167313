package synth

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"chorus/corpus"
)

// pool holds the material archives are recombined from: sentences of the
// bundled sample's comments, its post titles, and invented author names.
// It is built once per Generate call and only read afterwards, by every
// worker at once.
type pool struct {
	sentences []string
	titles    []string
}

// authors are invented sign-offs in the blog's manner.
var authors = []string{
	"Anonymous", "Anonymous", "Anonymous", "Anonymous", "Anon PO", "NPS PO",
	"CRC PSO", "Court PO", "Retired PO", "Tired PSO", "Still here", "Ex-CRC",
	"Union rep", "Northern PO", "Middle manager", "Admin support",
}

// poolFormat lists the sample's layouts the pool draws on: those it had
// when the benchmark archives were fixed. The sample files in the formats
// added later (WXR, Disqus, saved Blogger pages) are left out so that the
// generated archives, and the benchmark figures measured on them, stay the
// same.
var poolFormat = map[corpus.Format]bool{
	corpus.FormatBlogger: true, corpus.FormatFlattened: true, corpus.FormatAtom: true, corpus.FormatJSONL: true,
}

// newPool reads the sample archive through the corpus readers (so it sees
// comments exactly as chorus does) and splits published comments into
// sentences, keeping those that are safe in every layout.
func newPool() (*pool, error) {
	fsys := corpus.Sample()
	names, err := fs.Glob(fsys, "*")
	if err != nil {
		return nil, fmt.Errorf("list sample archive: %w", err)
	}
	sort.Strings(names)
	p := &pool{}
	seenS := map[string]bool{}
	seenT := map[string]bool{}
	for _, name := range names {
		if name == corpus.DatesFile || strings.EqualFold(name, "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read sample %s: %w", name, err)
		}
		doc, rej := corpus.Parse(name, data, corpus.Options{})
		if rej != nil {
			return nil, fmt.Errorf("parse sample %s: %w", name, rej)
		}
		if !poolFormat[doc.Format] {
			continue
		}
		for _, post := range doc.Posts {
			if t := oneLine(post.Title); safeTitle(t) && !seenT[t] {
				seenT[t] = true
				p.titles = append(p.titles, t)
			}
			for _, c := range post.Comments {
				if !c.Counted() {
					continue
				}
				for _, para := range strings.Split(c.Text, "\n") {
					for _, s := range splitSentences(oneLine(para)) {
						if safeSentence(s) && !seenS[s] {
							seenS[s] = true
							p.sentences = append(p.sentences, s)
						}
					}
				}
			}
		}
	}
	if len(p.sentences) < 100 || len(p.titles) < 10 {
		return nil, fmt.Errorf("sample archive gave only %d sentences and %d titles", len(p.sentences), len(p.titles))
	}
	return p, nil
}

// oneLine collapses every run of white space to one space and trims, the
// form in which every reader returns a paragraph.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// splitSentences cuts a paragraph after . ! or ? (and any closing quotes or
// brackets) where a space and a capital letter or opening quote follow. It
// need not be a good segmenter: it only has to give pieces that read as
// sentences when recombined.
func splitSentences(para string) []string {
	var out []string
	start := 0
	for i := 0; i < len(para); i++ {
		c := para[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(para) && strings.IndexByte(`"')]`, para[j]) >= 0 {
			j++
		}
		if j+1 >= len(para) || para[j] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(para[j+1:])
		if !unicode.IsUpper(r) && r != '"' && r != '\'' {
			continue
		}
		out = append(out, para[start:j])
		start = j + 1
		i = j
	}
	if start < len(para) {
		out = append(out, para[start:])
	}
	return out
}

var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// safeSentence keeps out what could read as layout rather than text in one
// of the formats: Blogger's markers, list numbers, date and "N comments:"
// lines, asterisk fences, removal notices, and fragments too short or long
// to be a sentence.
func safeSentence(s string) bool {
	if len(s) < 12 || len(s) > 400 {
		return false
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '-' || c == '*' || c == '~' {
		return false
	}
	if strings.Contains(s, "Delete") || strings.Contains(s, "Replies") || strings.Contains(s, "***") {
		return false
	}
	lower := strings.ToLower(s)
	for _, d := range weekdays {
		if strings.HasPrefix(lower, d) {
			return false
		}
	}
	if strings.HasPrefix(lower, "this comment has been removed") || strings.HasPrefix(lower, "no comment") {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r == utf8.RuneError }) < 0
}

// safeTitle keeps titles that cannot be taken for a date line or a
// "N comments:" line and do not make a post a Pick of the Week.
func safeTitle(t string) bool {
	if t == "" || len(t) > 120 || !safeSentenceStart(t) {
		return false
	}
	return !strings.Contains(strings.ToLower(t), "pick of the week") && !strings.Contains(t, "Delete")
}

func safeSentenceStart(s string) bool {
	if c := s[0]; c >= '0' && c <= '9' || c == '*' || c == '-' {
		return false
	}
	lower := strings.ToLower(s)
	for _, d := range weekdays {
		if strings.HasPrefix(lower, d) {
			return false
		}
	}
	return !strings.HasPrefix(lower, "no comment")
}
