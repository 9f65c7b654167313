package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExampleConfigMatchesDefaults(t *testing.T) {
	cfg, err := LoadConfig("../chorus.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.Events, DefaultEvents()) {
		t.Errorf("example events differ from DefaultEvents:\n%+v\n%+v", cfg.Events, DefaultEvents())
	}
	if cfg.Model != "domain" || cfg.Period != "month" || cfg.Output != filepath.Join("..", "out") ||
		cfg.ShrinkLimit != DefaultShrinkLimit || cfg.FollowSymlinks {
		t.Errorf("cfg = %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Error(err)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"model = \"domain\"\nperid = \"week\"\n":            "unknown key(s): perid (did you mean period?)",
		"workers = \"two\"\n":                               "bad.toml:1: workers must be a whole number, not a string in quotes",
		"inputs = \"archive\"\n":                            `bad.toml:1: inputs must be a list in brackets (["a", "b"]), not a string in quotes`,
		"rehash = 1\n":                                      "bad.toml:1: rehash must be true or false, not a whole number",
		"[[events]]\ndate = \"2014-06-01\"\nnmae = \"x\"\n": "unknown key(s): events.nmae (did you mean events.name?)",
		"xyzzy = 1\n":                                       "unknown key(s): xyzzy",
		"model = \"domain\"\nperiod = \n":                   "bad.toml:2:",
		"[[events]]\ndate = \"2014-13-01\"\nname = \"x\"\n": "",  // caught by Validate
		"chart_dpi = 10\n":                                  "-", // caught by Validate
		"chart_dpi = 301\n":                                 "-",
	}
	for body, want := range cases {
		p := filepath.Join(dir, "bad.toml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(p)
		if want == "-" {
			if err != nil {
				t.Errorf("LoadConfig(%q): %v", body, err)
			} else if verr := cfg.Validate(); verr == nil || !strings.Contains(verr.Error(), "chart_dpi") {
				t.Errorf("Validate(%q) = %v, want a chart_dpi error", body, verr)
			}
			continue
		}
		if want == "" {
			if err != nil {
				t.Errorf("LoadConfig(%q): %v", body, err)
			} else if verr := cfg.Validate(); verr == nil || !strings.Contains(verr.Error(), "2014-13-01") {
				t.Errorf("Validate(%q) = %v", body, verr)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadConfig(%q) err = %v, want %q", body, err, want)
		}
	}
}

func TestRelativePathsFollowTheConfigFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(p, []byte("inputs = [\"arch\", \"/abs\"]\noutput = \"rep\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Inputs[0] != filepath.Join(dir, "arch") || cfg.Inputs[1] != "/abs" || cfg.Output != filepath.Join(dir, "rep") {
		t.Errorf("paths = %v %q", cfg.Inputs, cfg.Output)
	}
	if cfg.DatabasePath() != filepath.Join(dir, "rep")+".db" {
		t.Errorf("db = %q", cfg.DatabasePath())
	}
	if len(cfg.Events) != len(DefaultEvents()) {
		t.Errorf("a config with no events should get the default ones, got %d", len(cfg.Events))
	}
}

// TestDatabaseOrInputInsideOutputThroughLink checks that a database or an
// input reached through a symbolic link into the report folder is refused
// before the first run can publish (and so delete it with the old folder).
func TestDatabaseOrInputInsideOutputThroughLink(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "state")
	if err := os.Symlink(out, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	cfg := DefaultConfig()
	cfg.Output = out
	cfg.Database = filepath.Join(link, "chorus.db")
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "inside the output folder") {
		t.Errorf("database through a link into the output: %v, want a refusal", err)
	}
	cfg.Database = filepath.Join(dir, "chorus.db")
	if err := os.MkdirAll(filepath.Join(out, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg.Inputs = []string{filepath.Join(link, "archive")}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "inside the output folder") {
		t.Errorf("input through a link into the output: %v, want a refusal", err)
	}
	cfg.Inputs = []string{dir + string(filepath.Separator) + "elsewhere"}
	if err := cfg.Validate(); err != nil {
		t.Errorf("a database and input beside the output: %v", err)
	}
}
