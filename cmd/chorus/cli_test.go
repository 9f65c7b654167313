package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Every command's --help shows at least two examples, and no help text
// carries backticks (pflag takes a backticked word for the flag's argument
// name: "--thresholds chorus calibrate").
func TestHelpHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		n := 0
		for _, l := range strings.Split(c.Example, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "chorus") || strings.Contains(l, "| chorus ") {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%s: %d examples in its help, want at least 2 (add them to examples.go)", c.CommandPath(), n)
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if strings.Contains(f.Usage, "`") {
				t.Errorf("%s --%s: the help has backticks: %q", c.CommandPath(), f.Name, f.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
}

func TestUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"runn"}, "unknown command"},
		{[]string{"run", "--workers", "-3", "--out", filepath.Join(dir, "o")}, "workers -3"},
		{[]string{"run", "--out", file}, "exists and is not a folder"},
		{[]string{"run", "--encoding", "ebcdic", "--out", filepath.Join(dir, "o")}, "unknown encoding"},
		{[]string{"run", "extra-argument"}, "unknown command"},
	} {
		code, _, stderr := chorus(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("chorus %v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// The file named as --out, and its folder, gained nothing.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a refused --out left files behind: %v", entries)
	}
	if code, stdout, _ := chorus(t, "--version"); code != 0 || !strings.HasPrefix(stdout, "chorus ") {
		t.Errorf("chorus --version: exit %d, %q", code, stdout)
	}
}

// TestChartDPIFlag checks that --chart-dpi sets the charts' resolution and
// that one out of range is a usage error (exit 2) that publishes nothing.
func TestChartDPIFlag(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	writeJSONL(t, in, 1, 30)
	out := filepath.Join(dir, "out")
	if code, _, stderr := chorus(t, "run", "-q", "--model", "vader", "--input", in, "--out", out, "--chart-dpi", "40"); code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	f, err := os.Open(filepath.Join(out, "charts", "volume.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if c.Width != 640 || c.Height != 360 {
		t.Errorf("--chart-dpi 40: chart is %dx%d, want 640x360", c.Width, c.Height)
	}
	bad := filepath.Join(dir, "bad")
	code, _, stderr := chorus(t, "run", "-q", "--model", "vader", "--input", in, "--out", bad, "--chart-dpi", "1000")
	if code != 2 || !strings.Contains(stderr, "chart_dpi 1000") {
		t.Errorf("--chart-dpi 1000: exit %d, stderr %q; want 2 and a chart_dpi message", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("--chart-dpi 1000 published %s", bad)
	}
}
