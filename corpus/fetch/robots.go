package fetch

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// robots is the part of a robots.txt (RFC 9309) that applies to chorus:
// the rules of the group naming "chorus", or else of the "*" group.
type robots struct {
	rules      []robotsRule
	crawlDelay time.Duration // the non-standard Crawl-delay, honoured when longer than ours
}

type robotsRule struct {
	allow   bool
	pattern string
}

// parseRobots reads a robots.txt for the product token agent.
func parseRobots(data []byte, agent string) robots {
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inRules := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if cur == nil || inRules {
				cur = &group{}
				groups = append(groups, cur)
				inRules = false
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
		case "allow", "disallow":
			if cur == nil {
				continue
			}
			inRules = true
			if val == "" { // "Disallow:" with no path allows everything
				continue
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: val})
		case "crawl-delay":
			if cur == nil {
				continue
			}
			inRules = true
			if s, err := strconv.ParseFloat(val, 64); err == nil && s > 0 && s < 3600 {
				cur.delay = time.Duration(s * float64(time.Second))
			}
		}
	}
	agent = strings.ToLower(agent)
	var star, named *group
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*" && star == nil:
				star = g
			case a != "*" && strings.Contains(agent, a) && named == nil:
				named = g
			}
		}
	}
	g := named
	if g == nil {
		g = star
	}
	if g == nil {
		return robots{}
	}
	return robots{rules: g.rules, crawlDelay: g.delay}
}

// allowed reports whether path (with its query) may be fetched: the
// longest matching rule decides, Allow winning a tie; no match allows.
func (r robots) allowed(path string) bool {
	best, allow := -1, true
	for _, rule := range r.rules {
		if !robotsMatch(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || n == best && rule.allow {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// robotsMatch matches a rule's pattern, with * for any run of characters
// and a final $ for the end, against the start of path.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pattern, "*")
	pos := 0
	for i, part := range parts {
		if i == 0 {
			if !strings.HasPrefix(path, part) {
				return false
			}
			pos = len(part)
			continue
		}
		j := strings.Index(path[pos:], part)
		if j < 0 {
			return false
		}
		pos += j + len(part)
	}
	if anchored {
		if len(parts) > 1 && parts[len(parts)-1] != "" {
			return strings.HasSuffix(path, parts[len(parts)-1])
		}
		return pos == len(path)
	}
	return true
}
