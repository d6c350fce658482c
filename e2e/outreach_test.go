package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

func TestMain(m *testing.M) { os.Exit(proctest.Main(m)) }

const (
	// timeScale makes a day last 1.5 s: the outreach's 3-day waits take
	// 4.5 s, the whole outreach and nurture (about 51 days) under 80 s,
	// and every wake time has fractional seconds.
	timeScale = "57600"
	// runDeadline bounds the wait for every enrollment to finish, on a
	// loaded 2-core machine.
	runDeadline = 3 * time.Minute
)

// TestOutreachSQLite runs the outreach campaign over the scripted
// population with rapport serve on SQLite.
func TestOutreachSQLite(t *testing.T) {
	skipShort(t)
	t.Parallel() // the variants mostly wait on the clock
	runOutreach(t, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), false)
}

// TestOutreachSIGKILL is TestOutreachSQLite with rapport serve killed
// (SIGKILL) once a third of the first messages went, and started again.
func TestOutreachSIGKILL(t *testing.T) {
	skipShort(t)
	t.Parallel()
	runOutreach(t, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), true)
}

// TestOutreachPostgres is TestOutreachSQLite on PostgreSQL (skipped, as
// internal/pgtest decides, when RAPPORT_TEST_POSTGRES names no server).
func TestOutreachPostgres(t *testing.T) {
	skipShort(t)
	t.Parallel()
	runOutreach(t, pgtest.NewDatabase(t), false)
}

func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs rapport serve as a process on the real clock for about a minute and a half")
	}
}

// runOutreach is the whole user's path: import a FHIR bundle, create a
// token, start serve, launch the campaign, let the scripted people answer,
// and check every patient's outcome and what reached every number.
func runOutreach(t *testing.T, dsn string, crash bool) {
	proctest.Binary(t) // build before any clock starts
	sc := population()
	fake := twiliotest.NewServer(t, twiliotest.Options{
		NumberErrors: sc.refused, Undeliverable: mergeCodes(sc.dead, sc.landline), CallOutcomes: failCalls(sc.dead),
	})
	addr := freeAddr(t)
	base := "http://" + addr
	env := append(proctest.TwilioEnv(fake),
		"RAPPORT_DB="+dsn,
		"RAPPORT_TIME_SCALE="+timeScale,
		proctest.AllHours,         // the run may fall at night
		"RAPPORT_OUTREACH_CAPS=0", // caps count real days, and a scaled day is 1.5 s
		"RAPPORT_ORG_NAME=Hillside Clinic",
		"RAPPORT_ORG_PHONE=+15128000000",
	)

	out := rapportCmd(t, env, "import", "fhir", writeBundle(t, sc.records))
	t.Logf("import: %s", strings.TrimSpace(out))
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "e2e"))
	serveArgs := []string{"serve", "--addr", addr, "--public-url", base, "--workers", "10", "--log-level", "warn", "--rescue-after", "5s"}
	srv := proctest.Start(t, env, serveArgs...)
	if !strings.Contains(srv.Output(), "time scale "+timeScale) {
		t.Errorf("serve did not warn about the time scale: %s", srv.Output())
	}

	crowd := NewCrowd(fake, base+twilio.PathSMS, twiliotest.DefaultFrom, classify, people(sc.records))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); crowd.Run(ctx, 25*time.Millisecond) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	start := time.Now()
	campaign := strings.TrimSpace(rapportCmd(t, env, "campaign", "launch", "--journey", "outreach", "--holdout", "0"))
	if crash {
		killAt := len(sc.records) / 3
		proctest.WaitFor(t, srv, time.Minute, "a third of the offers at Twilio", func() bool { return fake.Accepted() >= killAt })
		srv.Kill()
		t.Logf("killed rapport serve (SIGKILL) after %v with %d requests at Twilio", time.Since(start).Round(time.Millisecond), fake.Accepted())
		srv = proctest.Start(t, env, serveArgs...)
	}

	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	finished := waitFinished(t, srv, db, crowd, fake, sc)
	elapsed := time.Since(start)
	checkCampaign(t, base, token, campaign, db)
	cancel()
	wg.Wait()
	srv.Stop()

	got := readEnrollments(t, db)
	report(t, sc, got, elapsed, finished)
	if !finished {
		t.Errorf("not every enrollment finished within %v: %s", runDeadline, live(t, db))
	}
	checkOutcomes(t, sc, got)
	checkContacts(t, sc, crowd)
	t.Logf("Twilio accepted %d requests; %d repeated an earlier idempotency key (a resend Twilio drops); crowd webhook retries: %v",
		fake.Accepted(), fake.Duplicates(), crowd.Err())
}

func mergeCodes(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// failCalls makes calls to numbers fail.
func failCalls(numbers map[string]int) map[string]string {
	out := map[string]string{}
	for n := range numbers {
		out[n] = "failed"
	}
	return out
}

// rapportCmd runs a one-shot rapport command and returns its stdout.
func rapportCmd(t testing.TB, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(proctest.Binary(t), args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rapport %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// freeAddr returns a loopback address with a port free right now, so that
// --public-url can name it (and a restart can listen on it again).
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitFinished polls until every scripted record that was imported has
// finished outreach, every expected nurture enrollment exists and has
// finished, nothing is live, and no answer or status callback is pending.
// It returns false at runDeadline, so that the test reports what it got.
func waitFinished(t *testing.T, srv *proctest.Proc, db *store.DB, crowd *Crowd, fake *twiliotest.Server, sc script) bool {
	t.Helper()
	wantOutreach, wantNurture := 0, 0
	for _, r := range sc.records {
		if !r.mayBeRefused {
			wantOutreach++
		}
		if r.nurture != "" {
			wantNurture++
		}
	}
	deadline := time.Now().Add(runDeadline)
	for time.Now().Before(deadline) {
		if srv.Exited() {
			t.Fatalf("rapport serve exited: %s", srv.Output())
		}
		done := count(t, db, "SELECT count(*) FROM enrollments WHERE journey = 'outreach' AND status = 'done'")
		nurture := count(t, db, "SELECT count(*) FROM enrollments WHERE journey = 'decliner-nurture' AND status = 'done'")
		if done >= wantOutreach && nurture >= wantNurture && count(t, db, liveQuery) == 0 && crowd.Pending() == 0 && fake.Pending() == 0 {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}

const liveQuery = "SELECT count(*) FROM enrollments WHERE status IN ('active', 'waiting')"

func count(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.SQLDB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// live describes the enrollments still running, for a failure message.
func live(t *testing.T, db *store.DB) string {
	rows, err := db.SQLDB().Query("SELECT journey, step, status, wake_at FROM enrollments WHERE status IN ('active', 'waiting') ORDER BY wake_at")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var j, step, status string
		var wake time.Time
		if err := rows.Scan(&j, &step, &status, &wake); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "\n  %s/%s %s, wake %s (%v ago)", j, step, status, wake.UTC().Format(time.RFC3339Nano), time.Since(wake).Round(time.Millisecond))
	}
	return b.String()
}

// enrollment is what the database holds of one enrollment.
type enrollment struct {
	journey, status, outcome, reason string
}

// readEnrollments returns the enrollments by MRN.
func readEnrollments(t *testing.T, db *store.DB) map[string][]enrollment {
	t.Helper()
	reasons := map[string]string{} // patient id + journey → reason
	rows, err := db.SQLDB().Query("SELECT patient_id, journey, payload FROM ledger WHERE kind = 'journey.outcome'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var pid, j, payload string
		if err := rows.Scan(&pid, &j, &payload); err != nil {
			t.Fatal(err)
		}
		var p struct {
			Reason string `json:"reason"`
		}
		_ = json.Unmarshal([]byte(payload), &p)
		reasons[pid+" "+j] = p.Reason
	}
	rows.Close()
	rows, err = db.SQLDB().Query(`SELECT i.value, e.patient_id, e.journey, e.status, e.outcome FROM enrollments e
		JOIN patient_identifiers i ON i.patient_id = e.patient_id AND i.system = 'urn:e2e:mrn'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]enrollment{}
	for rows.Next() {
		var mrn, pid string
		var e enrollment
		if err := rows.Scan(&mrn, &pid, &e.journey, &e.status, &e.outcome); err != nil {
			t.Fatal(err)
		}
		e.reason = reasons[pid+" "+e.journey]
		out[mrn] = append(out[mrn], e)
	}
	return out
}

// one returns the record's enrollments in journey.
func one(es []enrollment, journey string) []enrollment {
	var out []enrollment
	for _, e := range es {
		if e.journey == journey {
			out = append(out, e)
		}
	}
	return out
}

// report logs scripted against recorded outcomes per behaviour, for the
// closing note.
func report(t *testing.T, sc script, got map[string][]enrollment, elapsed time.Duration, finished bool) {
	t.Helper()
	type row struct {
		kind, want, wantNurture string
		n                       int
		gotOutreach, gotNurture map[string]int
	}
	var rows []*row
	byKind := map[string]*row{}
	for _, r := range sc.records {
		w := byKind[r.kind]
		if w == nil {
			w = &row{kind: r.kind, want: r.outcome, wantNurture: r.nurture, gotOutreach: map[string]int{}, gotNurture: map[string]int{}}
			byKind[r.kind] = w
			rows = append(rows, w)
		}
		w.n++
		w.gotOutreach[describe(one(got[r.mrn], "outreach"), r.mayBeRefused)]++
		w.gotNurture[describe(one(got[r.mrn], "decliner-nurture"), true)]++
	}
	var b strings.Builder
	b.WriteString(outcomeTable(sc, got))
	fmt.Fprintf(&b, "outcomes after %v (finished: %v), scripted → recorded:\n", elapsed.Round(time.Second), finished)
	fmt.Fprintf(&b, "| behaviour | n | outreach scripted | outreach recorded | nurture scripted | nurture recorded |\n|---|---|---|---|---|---|\n")
	for _, w := range rows {
		wn := w.wantNurture
		if wn == "" {
			wn = "—"
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", w.kind, w.n, w.want, histogram(w.gotOutreach), wn, histogram(w.gotNurture))
	}
	t.Log(b.String())
}

// outcomeTable counts outreach outcomes, scripted against recorded.
func outcomeTable(sc script, got map[string][]enrollment) string {
	scripted, recorded := map[string]int{}, map[string]int{}
	var names []string
	note := func(o string) {
		if _, ok := scripted[o]; !ok {
			if _, ok := recorded[o]; !ok {
				names = append(names, o)
			}
		}
	}
	for _, r := range sc.records {
		note(r.outcome)
		scripted[r.outcome]++
		o := describe(one(got[r.mrn], "outreach"), false)
		if i := strings.Index(o, " ("); i > 0 {
			o = o[:i] // the reason is in the table by behaviour
		}
		note(o)
		recorded[o]++
	}
	var b strings.Builder
	b.WriteString("outreach outcomes, scripted vs recorded:\n| outcome | scripted | recorded |\n|---|---|---|\n")
	for _, o := range names {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", o, scripted[o], recorded[o])
	}
	return b.String() + "\n"
}

// describe names what became of a record in a journey.
func describe(es []enrollment, absentOK bool) string {
	switch {
	case len(es) == 0 && absentOK:
		return "—"
	case len(es) == 0:
		return "not enrolled"
	case len(es) > 1:
		return fmt.Sprintf("%d enrollments", len(es))
	case es[0].status != "done":
		return "still " + es[0].status
	case es[0].reason != "":
		return es[0].outcome + " (" + es[0].reason + ")"
	}
	return es[0].outcome
}

func histogram(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// checkCampaign asks the API, with the staff token, whether the campaign
// is launched and says what is true: running while an enrollment of it (the
// decliners' nurture goes on under it) lives, done after.
func checkCampaign(t *testing.T, base, token, id string, db *store.DB) {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/api/v1/campaigns/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET campaign: %v", err)
	}
	defer res.Body.Close()
	var c struct {
		Status   string `json:"status"`
		Enrolled int    `json:"enrolled"`
		Live     int    `json:"live"`
	}
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET campaign: HTTP %d: %v", res.StatusCode, err)
	}
	live, err := db.CountLive(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	want := rapport.CampaignDone
	if live[id] > 0 {
		want = rapport.CampaignRunning
	}
	// Enrollments may end between the two reads: only running to done is a race.
	if c.Status != string(want) && !(c.Status == string(rapport.CampaignRunning) && want == rapport.CampaignDone) {
		t.Errorf("campaign %s is %q with %d live, want %q (%d live enrollments in the database)", id, c.Status, c.Live, want, live[id])
	}
}
