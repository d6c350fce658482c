// Package proctest runs the rapport binary as a separate process from
// tests that kill and restart it: crash tests and multi-process ones.
package proctest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
)

// Banner is what `rapport worker` prints once it runs.
const Banner = "rapport worker running"

// ServeBanner is what `rapport serve` prints once it listens.
const ServeBanner = "rapport listening on"

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// Main runs the tests of m and removes the binary they built: call it as
// os.Exit(proctest.Main(m)) from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// EnvBinary names a rapport binary to run instead of building one: a
// benchmark compares two builds by running each in turn.
const EnvBinary = "RAPPORT_TEST_BINARY"

// Binary builds cmd/rapport once per test process and returns its path.
// Build it before a test starts its clocks: the first build takes a while.
func Binary(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() {
		if binPath = os.Getenv(EnvBinary); binPath != "" {
			return
		}
		if binDir, binErr = os.MkdirTemp("", "rapport-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "rapport")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/rapporthq/rapport/cmd/rapport")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/rapport: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

// Env is the test's environment without any RAPPORT_ setting: a process
// started with it sees only the settings the test adds.
func Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RAPPORT_") {
			env = append(env, kv)
		}
	}
	return env
}

// TwilioEnv is [Env] plus the settings that send SMS and calls to fake.
func TwilioEnv(fake *twiliotest.Server) []string {
	c := fake.Config()
	return append(Env(), twilio.EnvBaseURL+"="+c.BaseURL, twilio.EnvLookupURL+"="+c.LookupURL, twilio.EnvAccountSID+"="+c.AccountSID,
		twilio.EnvAuthToken+"="+c.AuthToken, twilio.EnvFrom+"="+c.From)
}

// AllHours is the setting that turns quiet hours off. A test whose
// process sends must pass it unless quiet hours are what it tests: CI
// runs at any hour, and at night in the patients' zones the process would
// hold every message till morning (the crash tests failed so at 05:20 UTC).
const AllHours = "RAPPORT_QUIET_HOURS=00:00-24:00"

// Proc is a running rapport process.
type Proc struct {
	cmd            *exec.Cmd
	stdout, stderr buffer
	done           chan struct{}
	err            error
}

// Start runs `rapport ARGS…` with env and waits until it prints Banner
// (or ServeBanner); it fails tb if the process exits first. The process is
// killed when tb ends if it still runs.
func Start(tb testing.TB, env []string, args ...string) *Proc {
	tb.Helper()
	p, err := TryStart(tb, env, args...)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TryStart is Start returning the error of a process that exits at start.
func TryStart(tb testing.TB, env []string, args ...string) (*Proc, error) {
	tb.Helper()
	p := &Proc{done: make(chan struct{})}
	p.cmd = exec.Command(Binary(tb), args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start rapport %s: %w", strings.Join(args, " "), err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	tb.Cleanup(p.Kill)
	deadline := time.After(time.Minute)
	for out := ""; !strings.Contains(out, Banner) && !strings.Contains(out, ServeBanner); out = p.stdout.String() {
		select {
		case <-p.done:
			return nil, fmt.Errorf("rapport exited at start (%v): %s", p.err, strings.TrimSpace(p.stderr.String()))
		case <-deadline:
			return nil, fmt.Errorf("rapport did not start within a minute: %s", p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return p, nil
}

// Pid is the process's id, to read its figures from /proc.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Kill sends SIGKILL and waits for the process to end.
func (p *Proc) Kill() {
	if !p.Exited() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

// Stop asks the process to finish (SIGTERM), killing it after 30 seconds.
func (p *Proc) Stop() {
	if p.Exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.Kill()
	}
}

// Output is what the process wrote on stdout and stderr so far.
func (p *Proc) Output() string { return p.stdout.String() + p.stderr.String() }

// WaitFor polls cond every 10 ms until it holds, failing tb when p (if not
// nil) exits first or the timeout passes.
func WaitFor(tb testing.TB, p *Proc, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if p != nil && p.Exited() {
			tb.Fatalf("waiting for %s: rapport exited (%v): %s", what, p.err, p.Output())
		}
		if time.Now().After(deadline) {
			out := ""
			if p != nil {
				out = ": " + p.Output()
			}
			tb.Fatalf("%s did not happen within %v%s", what, timeout, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// buffer collects a process's output.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
