package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/shareddata"
	"github.com/rapporthq/rapport/store"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs the command line in-process and returns exit status, stdout, stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr syncBuffer
	e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] },
		Clock: rapport.NewManualClock(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))}
	code := Main(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

func TestUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "Commands:"},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"serve", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"serve", "--db", "mysql://x"}, 2, "want sqlite:PATH or postgres://"},
		{[]string{"serve", "--log-level", "loud"}, 2, `--log-level "loud": want debug`},
		{[]string{"import"}, 2, "usage: rapport import fhir"},
		{[]string{"import", "csv", "a.csv"}, 2, "--mapping"},
		{[]string{"import", "fhir"}, 2, "usage"},
		{[]string{"token", "create", "--role", "king"}, 2, `--role "king"`},
		{[]string{"migrate", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"version", "x"}, 2, "no arguments"},
	}
	// Help is asked for: it goes to stdout (TestHelp).
	for _, c := range cases {
		code, _, stderr := run(t, nil, c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("rapport %v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.err)
		}
	}
}

func TestImportCommand(t *testing.T) {
	t.Parallel()
	bundles := shareddata.Dir(t, "synthea", "bundles")
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	code, out, stderr := run(t, nil, "import", "fhir", bundles, "--db", db, "--source", "synthea")
	if code != 0 || !strings.Contains(out, "39 created") {
		t.Fatalf("first import: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, map[string]string{"RAPPORT_DB": db}, "import", "fhir", "--source", "synthea", bundles)
	if code != 0 || !strings.HasPrefix(out, "41 files: 0 created, 0 updated") {
		t.Errorf("second import (db from RAPPORT_DB): exit %d\n%s", code, out)
	}
	// Who created the patients is in the audit trail, one entry each; an
	// import that changed nothing adds none.
	code, out, stderr = run(t, nil, "audit", "--db", db, "--actor", "cli", "--format", "json")
	if code != 0 || strings.Count(out, "\n") != 39 || strings.Count(out, `"action":"create"`) != 39 {
		t.Errorf("audit after two imports: exit %d, want 39 create entries by cli\n%s%s", code, out, stderr)
	}

	bad := filepath.Join(t.TempDir(), "Patient.ndjson")
	os.WriteFile(bad, []byte(`{"resourceType":"Patient","id":"a","birthDate":"1950-13-45"}`+"\n"), 0o600)
	code, _, stderr = run(t, nil, "import", "fhir", bad, "--db", db)
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "Patient.ndjson line 1") || !strings.Contains(stderr, "birthDate") {
		t.Errorf("bad file: exit %d, stderr %q; want exit 1 and one line naming file, line and field", code, stderr)
	}
}

func TestTokenCommand(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	code, secret, _ := run(t, nil, "token", "create", "--role", "integration", "--name", "ehr", "--db", db)
	if code != 0 || !strings.HasPrefix(secret, "rpt_") {
		t.Fatalf("create: exit %d %q", code, secret)
	}
	code, list, _ := run(t, nil, "token", "list", "--db", db)
	if code != 0 || !strings.Contains(list, "integration") || !strings.Contains(list, "active") || strings.Contains(list, strings.TrimSpace(secret)) {
		t.Errorf("list: exit %d %q (must not show the secret)", code, list)
	}
	id := strings.Fields(list)[0]
	if code, _, _ := run(t, nil, "token", "revoke", id, "--db", db); code != 0 {
		t.Errorf("revoke: exit %d", code)
	}
	if code, _, stderr := run(t, nil, "token", "revoke", id, "--db", db); code != 1 || !strings.Contains(stderr, "already revoked") {
		t.Errorf("second revoke: exit %d %q", code, stderr)
	}
	// Names are unique, a revoked token's too: the audit trail names actors by them.
	if code, _, stderr := run(t, nil, "token", "create", "--role", "staff", "--name", "ehr", "--db", db); code != 1 || !strings.Contains(stderr, `token named "ehr" already exists`) {
		t.Errorf("second token named ehr: exit %d %q", code, stderr)
	}
}

func TestAuditCommand(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "r.db")
	db := "sqlite:" + path
	if code, _, stderr := run(t, nil, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr)
	}
	sdb, err := store.Open(context.Background(), db, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	err = sdb.AppendAudit(context.Background(),
		rapport.Audit{At: at, Actor: rapport.Actor{ID: "t1", Name: "nurse-desk"}, Action: "read", Resource: "Patient/p1", PatientID: "p1"},
		rapport.Audit{At: at.Add(time.Hour), Actor: rapport.Actor{ID: "cli", Name: "cli"}, Action: "read", Resource: "Report", PatientID: "p2"},
		rapport.Audit{At: at.Add(2 * time.Hour), Actor: rapport.Actor{ID: "t1", Name: "nurse-desk"}, Action: "send", Resource: "Message/m1", PatientID: "p2"})
	sdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args      []string
		want, not []string
		wantLines int // json lines, when --format json
	}{
		{[]string{"--patient", "p2"}, []string{"SEQ", "Report", "Message/m1"}, []string{"Patient/p1"}, 0},
		{[]string{"--actor", "nurse-desk"}, []string{"Patient/p1", "Message/m1"}, []string{"Report"}, 0},
		{[]string{"--since", "2026-05-01T10:00:00Z", "--until", "2026-05-01T11:00:00Z"}, []string{"Report", "cli"}, []string{"Patient/p1", "Message/m1"}, 0},
		{[]string{"--format", "json", "--patient", "p2"}, []string{`"resource":"Report"`, `"patient_id":"p2"`}, nil, 2},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, nil, append([]string{"audit", "--db", db}, tt.args...)...)
		if code != 0 {
			t.Fatalf("audit %v: exit %d %s", tt.args, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("audit %v: want %q in\n%s", tt.args, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, n) {
				t.Errorf("audit %v: %q should be filtered out of\n%s", tt.args, n, out)
			}
		}
		if tt.wantLines > 0 && strings.Count(out, "\n") != tt.wantLines {
			t.Errorf("audit %v: %d lines, want %d:\n%s", tt.args, strings.Count(out, "\n"), tt.wantLines, out)
		}
	}
	if code, _, stderr := run(t, nil, "audit", "--db", db, "--since", "yesterday"); code != 2 || !strings.Contains(stderr, "--since") {
		t.Errorf("bad --since: exit %d %q", code, stderr)
	}
}

var listening = regexp.MustCompile(`listening on (http://\S+) \(database ([^;)]+)`)

// startServe runs `rapport serve` in-process and returns its base URL and
// a function that stops it and returns its exit status.
func startServe(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Clock: rapport.SystemClock{}}
	done := make(chan int, 1)
	go func() { done <- Main(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServe(t *testing.T) {
	t.Parallel()
	base, stop := startServe(t, "--db", "sqlite:"+filepath.Join(t.TempDir(), "r.db"))
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := get(t, base+path); code != 200 || !strings.Contains(body, "ok") {
			t.Errorf("%s: %d %s", path, code, body)
		}
	}
	// The depth itself varies with the jobs a fresh server queues at start
	// (triggers, schedules): the gauge must be there, whatever its value.
	if code, body := get(t, base+"/metrics"); code != 200 || !regexp.MustCompile(`(?m)^rapport_job_queue_depth\{state="available"\} \d+$`).MatchString(body) {
		t.Errorf("/metrics: %d, queue depth missing", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d after shutdown", code)
	}
}

// TestReadyzFollowsDatabase drops the database under a running server:
// /readyz must fail while the database is unreachable.
func TestReadyzFollowsDatabase(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	base, stop := startServe(t, "--db", dsn)
	defer stop()
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz with the database up: %d", code)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	cfg, _ := pgx.ParseConfig(dsn)
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE %q WITH (FORCE)", cfg.Database)); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "database unreachable") {
		t.Errorf("readyz with the database gone: %d %s", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz must stay up (the process is alive): %d", code)
	}
}

// TestEmailNeedsUnsubscribeLinks: with SMTP configured, serve and worker
// refuse to start without what every email's unsubscribe link needs,
// saying which setting is missing, rather than send email a patient
// cannot stop.
// Commands that only queue or read send no email, so an operator's
// environment with SMTP set and no public address must not stop them: the
// e2e campaign benchmark's launch failed so.
func TestQueueingCommandsNeedNoUnsubscribeLinks(t *testing.T) {
	t.Parallel()
	env := map[string]string{"RAPPORT_SMTP_URL": "smtp://127.0.0.1:1", "RAPPORT_SMTP_FROM": "care@clinic.example"}
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	for _, args := range [][]string{{"campaign", "list"}, {"report"}} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var stdout, stderr syncBuffer
		e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Clock: rapport.SystemClock{}}
		if code := Main(ctx, e, append(args, "--db", db)); code != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 0", args, code, stderr.String())
		}
		cancel()
	}
}

func TestEmailNeedsUnsubscribeLinks(t *testing.T) {
	t.Parallel()
	smtpEnv := map[string]string{"RAPPORT_SMTP_URL": "smtp://127.0.0.1:1", "RAPPORT_SMTP_FROM": "care@clinic.example"}
	withKey := map[string]string{"RAPPORT_UNSUBSCRIBE_KEY": "0123456789abcdef0123"}
	for k, v := range smtpEnv {
		withKey[k] = v
	}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		says string
	}{
		{"worker without --public-url", withKey, []string{"worker"}, "email needs --public-url"},
		{"serve without --public-url", withKey, []string{"serve", "--addr", "127.0.0.1:0"}, "email needs --public-url"},
		{"worker without a key", smtpEnv, []string{"worker", "--public-url", "https://rapport.example.org"}, "email needs RAPPORT_UNSUBSCRIBE_KEY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var stdout, stderr syncBuffer
			e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return c.env[k] }, Clock: rapport.SystemClock{}}
			args := append(c.args, "--db", "sqlite:"+filepath.Join(t.TempDir(), "r.db"))
			if code := Main(ctx, e, args); code != 1 || !strings.Contains(stderr.String(), c.says) {
				t.Errorf("exit %d, stderr %q; want exit 1 saying %q", code, stderr.String(), c.says)
			}
		})
	}
}
