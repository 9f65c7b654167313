package corpus

import "context"

// Conveniences the tests call: each reader alone, and reading a file from
// disk, as the pipeline puts them together (it calls ReadBytes and Parse).

// ParseBlogger is parseBlogger without the keys, its warnings as text.
func ParseBlogger(name, data string) ([]Post, []string, error) {
	posts, _, flags, err := parseBlogger(name, data)
	return posts, texts(flags), err
}

// ParseFlattened is parseFlattened without the keys, its warnings as text.
func ParseFlattened(name, data string) ([]Post, []string, error) {
	posts, _, flags, err := parseFlattened(name, data)
	return posts, texts(flags), err
}

// MarkDuplicates is markDuplicates working out the keys.
func MarkDuplicates(p *Post) int {
	return markDuplicates(p, nil)
}

// ReadFile reads and parses one input file. Exactly one of the results is
// non-nil: the Document, or the Reject saying why the file was quarantined.
func ReadFile(ctx context.Context, path string, opts Options) (*Document, *Reject) {
	if err := ctx.Err(); err != nil {
		return nil, &Reject{Path: path, Reason: err.Error()}
	}
	data, rej := ReadBytes(path, opts.maxFile())
	if rej != nil {
		return nil, rej
	}
	return Parse(path, data, opts)
}

// Sniff names the format of data from its content, or returns "" and why
// nothing matched. Order matters: markup is told apart by its root element
// (and a WordPress export by its namespace, a Blogger page by its post
// markup), JSON by its first byte, the two Blogger text layouts by their
// markers.
func Sniff(data []byte) (Format, string) {
	return sniff(data, func() string { return normaliseNewlines(data) })
}

// texts lists the warnings' texts, for tests that look for one.
func texts(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}

// problems are the warnings other than left-out counts.
func problems(ws []Warning) []Warning {
	var out []Warning
	for _, w := range ws {
		if w.Kind != WarnLeftOut {
			out = append(out, w)
		}
	}
	return out
}
