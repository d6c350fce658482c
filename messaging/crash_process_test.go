package messaging_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
)

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// TestMain removes the rapport binary the process tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// rapportBinary builds ./cmd/rapport once per test process and returns its path.
func rapportBinary(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "rapport-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "rapport")
		cmd := exec.Command("go", "build", "-o", binPath, "../cmd/rapport")
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

// processDB creates a migrated database of dialect d that a worker process
// can open too, and returns its DSN and an open handle.
func processDB(tb testing.TB, d store.Dialect) (string, *store.DB) {
	tb.Helper()
	dsn := "sqlite:" + filepath.Join(tb.TempDir(), "rapport.db")
	if d == store.Postgres {
		dsn = pgtest.NewDatabase(tb)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	return dsn, db
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// workerProc is a `rapport worker` process.
type workerProc struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	done           chan struct{}
	err            error
}

// workerEnv is the environment of a worker process sending SMS to fake:
// the test's own, without any RAPPORT_ setting, plus the Twilio ones.
func workerEnv(fake *twiliotest.Server) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RAPPORT_") {
			env = append(env, kv)
		}
	}
	c := fake.Config()
	return append(env, twilio.EnvBaseURL+"="+c.BaseURL, twilio.EnvAccountSID+"="+c.AccountSID,
		twilio.EnvAuthToken+"="+c.AuthToken, twilio.EnvFrom+"="+c.From)
}

// startWorker starts `rapport worker` with args and waits until it runs (its
// banner is out) or exits; it fails tb if it exits. The process is killed
// when tb ends if it still runs.
func startWorker(tb testing.TB, env []string, args ...string) *workerProc {
	tb.Helper()
	w, err := tryWorker(tb, env, args...)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// tryWorker is startWorker returning the error of a worker that exits.
func tryWorker(tb testing.TB, env []string, args ...string) (*workerProc, error) {
	tb.Helper()
	w := &workerProc{done: make(chan struct{})}
	w.cmd = exec.Command(rapportBinary(tb), append([]string{"worker"}, args...)...)
	w.cmd.Env = env
	w.cmd.Stdout, w.cmd.Stderr = &w.stdout, &w.stderr
	if err := w.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start rapport worker: %w", err)
	}
	go func() { w.err = w.cmd.Wait(); close(w.done) }()
	tb.Cleanup(w.kill)
	deadline := time.After(60 * time.Second)
	for !strings.Contains(w.stdout.String(), "rapport worker running") {
		select {
		case <-w.done:
			return nil, fmt.Errorf("rapport worker exited at start (%v): %s", w.err, strings.TrimSpace(w.stderr.String()))
		case <-deadline:
			return nil, fmt.Errorf("rapport worker did not start within 60s: %s", w.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return w, nil
}

// exited reports whether the process has ended.
func (w *workerProc) exited() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to end.
func (w *workerProc) kill() {
	if w.exited() {
		return
	}
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	<-w.done
}

// stop asks the process to finish (SIGTERM), killing it after 30 seconds.
func (w *workerProc) stop() {
	if w.exited() {
		return
	}
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.done:
	case <-time.After(30 * time.Second):
		w.kill()
	}
}

// waitFor polls cond every 10ms until it holds, failing tb when w exits
// first or the timeout passes.
func waitFor(tb testing.TB, w *workerProc, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if w != nil && w.exited() {
			tb.Fatalf("waiting for %s: rapport worker exited (%v): %s", what, w.err, w.stderr.String())
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s did not happen within %v", what, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
