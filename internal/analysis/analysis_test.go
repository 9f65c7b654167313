package analysis

import "testing"

// TestCounted is the rule's one test: every status, with and without a
// duplicate.
func TestCounted(t *testing.T) {
	for _, c := range []struct {
		s    Status
		dup  string
		want bool
	}{
		{"", "", true}, {StatusPublished, "", true},
		{"", "c1", false}, {StatusPublished, "c1", false},
		{StatusDeleted, "", false}, {StatusSpam, "", false}, {StatusOversize, "", false},
		{"pending", "", false},
	} {
		if got := Counted(c.s, c.dup); got != c.want {
			t.Errorf("Counted(%q, %q) = %v, want %v", c.s, c.dup, got, c.want)
		}
	}
}
