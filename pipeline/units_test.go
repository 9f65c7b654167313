package pipeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystemdUnits checks the example units in docs/systemd: with
// systemd-analyze verify where it exists, and by reading their keys
// everywhere, so a typo in the documentation fails the build.
func TestSystemdUnits(t *testing.T) {
	units := []string{"../docs/systemd/chorus.service", "../docs/systemd/chorus.timer"}
	for _, u := range units {
		data, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		section := ""
		for n, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
			case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
				section = line
			case section == "":
				t.Errorf("%s:%d: key outside any section", u, n+1)
			case !strings.Contains(line, "="):
				t.Errorf("%s:%d: %q is not key=value", u, n+1, line)
			}
		}
	}
	// Exit 3 (the database or the report folder is locked) must not pass
	// for success: a run that hangs holding the lock would otherwise stop
	// the nightly job for good without a word.
	svc, _ := os.ReadFile("../docs/systemd/chorus.service")
	for _, line := range strings.Split(string(svc), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && k == "SuccessExitStatus" && strings.Contains(" "+v+" ", " 3 ") {
			t.Errorf("chorus.service: %q counts a locked-out run as success", line)
		}
	}
	ops, _ := os.ReadFile("../docs/operations.md")
	if strings.Contains(string(ops), "-eq 3") {
		t.Error("docs/operations.md: the cron example counts exit 3 as success")
	}
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze not found: checked the units' syntax by hand only")
		return
	}
	// verify wants the binary named in ExecStart to exist; point it at a
	// copy of the units whose ExecStart is a binary that does exist.
	dir := t.TempDir()
	for _, u := range units {
		data, _ := os.ReadFile(u)
		s := strings.ReplaceAll(string(data), "/opt/chorus/bin/chorus", "/bin/true")
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(u)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(sa, "verify", filepath.Join(dir, "chorus.service"), filepath.Join(dir, "chorus.timer")).CombinedOutput()
	// verify also reports problems of the host's other units; keep ours.
	var ours []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "chorus.") {
			ours = append(ours, line)
		}
	}
	if len(ours) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, strings.Join(ours, "\n"))
	}
}
