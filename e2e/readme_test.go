package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapporthq/rapport/internal/proctest"
)

// The walkthrough is the part of the README between these markers.
const (
	walkthroughBegin = "<!-- walkthrough: begin -->"
	walkthroughEnd   = "<!-- walkthrough: end -->"
	// walkthroughAddr is the line that names the server's address; the test
	// puts a free port in its place, and changes nothing else.
	walkthroughAddr = "export RAPPORT_ADDR=127.0.0.1:8080"
)

// walkthroughScript extracts the README walkthrough's sh blocks, in order,
// as one script.
func walkthroughScript(t *testing.T, readme string) string {
	t.Helper()
	_, rest, ok := strings.Cut(readme, walkthroughBegin)
	section, _, ok2 := strings.Cut(rest, walkthroughEnd)
	if !ok || !ok2 {
		t.Fatalf("README.md has no %q … %q section", walkthroughBegin, walkthroughEnd)
	}
	var script strings.Builder
	in := false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case !in && line == "```sh":
			in = true
		case in && line == "```":
			in = false
		case in:
			script.WriteString(line + "\n")
		}
	}
	if script.Len() == 0 {
		t.Fatal("the README walkthrough has no ```sh block")
	}
	return script.String()
}

// TestREADMEWalkthrough runs the README's server walkthrough as written —
// with the rapport binary on PATH, in bash with -euo pipefail, on a free
// port — and checks that each step did what the README says it does.
func TestREADMEWalkthrough(t *testing.T) {
	t.Parallel()
	skipShort(t)
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the walkthrough needs %s (scripts/test.sh installs it): %v", tool, err)
			}
			t.Skipf("SKIP: the walkthrough needs %s: apt-get install -y %s", tool, tool)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	script := walkthroughScript(t, string(readme))
	if !strings.Contains(script, walkthroughAddr+"\n") {
		t.Fatalf("the walkthrough no longer sets %q, where the test puts a free port", walkthroughAddr)
	}
	script = strings.Replace(script, walkthroughAddr, "export RAPPORT_ADDR="+freeAddr(t), 1)

	home := t.TempDir()
	env := append(proctest.Env(), "HOME="+home, "TMPDIR="+home,
		"PATH="+filepath.Dir(proctest.Binary(t))+string(os.PathListSeparator)+os.Getenv("PATH"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env, cmd.Dir = env, home
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the server it starts goes with it
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	if err != nil {
		t.Fatalf("the README walkthrough failed: %v\n--- script ---\n%s--- output ---\n%s", err, script, out.String())
	}
	got := out.String()
	for _, want := range []string{
		`{"channels":"simulated","status":"ok"}`,             // the server is up, and says its patients are simulated
		"Patient                   208 created",              // the sample imported
		`"status":"queued","channel":"sms"`,                  // the message queued
		`{"direction":"in","body":"1","status":"processed"}`, // and answered
		`"kind":"reply"`,        // the inbox has the answers no journey acts on
		"SIMULATED: ",           // the report says so
		`"simulated_messages":`, // and so does the API's
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the walkthrough's output lacks %q:\n%s", want, got)
		}
	}
	t.Logf("walkthrough output:\n%s", got)
}
