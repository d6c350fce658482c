package journeys_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/store"
)

// crashJourney is an offer that ends for every patient within about a
// minute of real time: one SMS (urgent, so quiet hours do not hold it),
// a one-second wait, an outcome.
const crashJourney = `id: crash-offer
version: 1
name: Crash test offer
trigger: {campaign: true}
segment: 'language == "en"'
steps:
  - id: offer
    send:
      purpose: care
      urgent: true
      channels: [sms]
      choices: {"1": "yes", "2": "no"}
      content:
        fallback: en
        by_lang:
          en: {body: "Hi {first_name}, a test offer. Reply 1 yes, 2 no."}
          es: {body: "Hola {first_name}, una oferta de prueba. Responda 1 sí, 2 no."}
  - id: wait
    wait_reply:
      timeout: 1s
      on: {"yes": interested, "no": declined, undeliverable: undeliverable, timeout: no_reply}
  - id: interested
    outcome: {outcome: interested}
    next: end
  - id: declined
    outcome: {outcome: declined}
    next: end
  - id: undeliverable
    outcome: {outcome: undeliverable}
    next: end
  - id: no_reply
    outcome: {outcome: no_reply}
  - id: end
    end: true
`

// TestCampaignCrash launches a campaign over 300 patients (and 30 outside
// its segment) on PostgreSQL, kills the `rapport worker` running it with
// SIGKILL once a third of the offers reached the (fake) Twilio, and starts
// a new worker. Every patient of the segment must end with exactly one
// enrollment and one outcome, or be held out; nobody outside the segment
// is touched.
func TestCampaignCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds and runs rapport worker processes")
	}
	t.Parallel()
	const inSegment, outside = 300, 30
	ctx := context.Background()
	proctest.Binary(t) // build before any clock starts
	dsn := pgtest.NewDatabase(t)
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}

	// The patients, the journey and the campaign, written by this process;
	// the workers do the rest.
	var ps []*rapport.Patient
	for i := range inSegment + outside {
		lang := "en"
		if i >= inSegment {
			lang = "es"
		}
		cp := rapport.ContactPoint{Kind: rapport.ContactPhone, Value: fmt.Sprintf("+1512%07d", 3000000+i), Use: rapport.UseMobile, LineType: rapport.LineMobile,
			Status: rapport.StatusValid, Source: rapport.SourceImport}
		cp.Raw = cp.Value
		ps = append(ps, &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: lang, TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{cp}})
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreatePatients(ctx, ps) }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "crash-offer.yaml"), []byte(crashJourney), 0o600); err != nil {
		t.Fatal(err)
	}
	def, err := journey.LoadFile(filepath.Join(dir, "crash-offer.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(db, jobs.Config{}) // insert only
	if err != nil {
		t.Fatal(err)
	}
	e := &journey.Engine{DB: db, Queue: q, Clock: rapport.SystemClock{}}
	if err := e.Register(ctx, def); err != nil {
		t.Fatal(err)
	}
	c := &rapport.Campaign{Journey: "crash-offer", HoldoutPercent: 10}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return e.CreateCampaign(ctx, tx, c) }); err != nil {
		t.Fatal(err)
	}

	fake := twiliotest.NewServer(t, twiliotest.Options{})
	env := append(proctest.TwilioEnv(fake), proctest.AllHours)
	args := []string{"worker", "--db", dsn, "--journeys", dir, "--workers", "20", "--log-level", "error", "--rescue-after", "10s"}
	t.Cleanup(func() {
		if t.Failed() { // what was left undone
			for _, q := range []string{"SELECT status || ' ' || count(*) FROM campaigns GROUP BY status",
				"SELECT status || ' ' || count(*) FROM enrollments GROUP BY status",
				"SELECT status || ' ' || count(*) FROM messages GROUP BY status",
				"SELECT kind || ' ' || state || ' ' || count(*) || ' next ' || min(scheduled_at) FROM river_job GROUP BY kind, state"} {
				t.Logf("%s: %v", q, column(t, db, q))
			}
		}
	})
	t0 := time.Now()
	w := proctest.Start(t, env, args...)
	killAt := inSegment / 3
	// The deadlines are generous for a loaded machine (a scheduled wake
	// waits for River's scheduler, which looks every 5 s, and a killed
	// worker's jobs for the rescuer). The waits end as soon as their
	// condition holds.
	proctest.WaitFor(t, w, 3*time.Minute, "a third of the offers reaching Twilio", func() bool { return fake.Accepted() >= killAt })
	w.Kill()
	atKill, toKill := fake.Accepted(), time.Since(t0)
	outcomesAtKill := countRows(t, db, "SELECT count(*) FROM ledger WHERE kind = 'journey.outcome' AND journey = 'crash-offer'")
	t0 = time.Now()
	w = proctest.Start(t, env, args...)
	// Offers in flight at the kill are sent once River rescues their jobs
	// (--rescue-after 10s, checked by the rescuer every 30 s, once the new
	// worker is leader: the killed one's lease runs out first, and a job
	// is rescued only once its own timeout passed too).
	proctest.WaitFor(t, w, 5*time.Minute, "every enrollment ending and every offer sent", func() bool {
		return countRows(t, db, "SELECT count(*) FROM campaigns WHERE status = 'launched'") == 1 &&
			countRows(t, db, "SELECT count(*) FROM enrollments WHERE journey = 'crash-offer' AND status IN ('active', 'waiting')") == 0 &&
			countRows(t, db, "SELECT count(*) FROM messages WHERE status = 'queued'") == 0
	})
	w.Stop()
	t.Logf("killed %v after the start, with %d offers accepted and %d outcomes; restart to all ended %v; %d requests accepted",
		toKill.Round(time.Millisecond), atKill, outcomesAtKill, time.Since(t0).Round(time.Millisecond), fake.Accepted())

	// Per patient: enrollments, outcomes and hold-outs.
	count := func(query string) map[rapport.PatientID]int {
		rows, err := db.SQLDB().QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[rapport.PatientID]int{}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				t.Fatal(err)
			}
			out[rapport.PatientID(id)] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	enrolled := count("SELECT patient_id, count(*) FROM enrollments WHERE journey = 'crash-offer' GROUP BY patient_id")
	outcomes := count("SELECT patient_id, count(*) FROM ledger WHERE kind = 'journey.outcome' AND journey = 'crash-offer' GROUP BY patient_id")
	held := count("SELECT patient_id, count(*) FROM ledger WHERE kind = 'campaign.holdout' GROUP BY patient_id")
	nHeld := 0
	for i, p := range ps {
		e, o, h := enrolled[p.ID], outcomes[p.ID], held[p.ID]
		switch {
		case i >= inSegment:
			if e+o+h != 0 {
				t.Errorf("patient %d outside the segment: %d enrollments, %d outcomes, %d hold-outs", i, e, o, h)
			}
		case h > 0:
			nHeld++
			if h != 1 || e != 0 || o != 0 {
				t.Errorf("held-out patient %d: %d hold-out events, %d enrollments, %d outcomes", i, h, e, o)
			}
		case e != 1 || o != 1:
			t.Errorf("patient %d: %d enrollments, %d outcomes; want exactly one of each", i, e, o)
		}
	}
	if nHeld == 0 || nHeld > inSegment/4 {
		t.Errorf("%d of %d held out at 10%%", nHeld, inSegment)
	}
	var nEnrolled, nHeldOut int
	if err := db.SQLDB().QueryRowContext(ctx, "SELECT enrolled, held_out FROM campaigns WHERE id = $1", c.ID).Scan(&nEnrolled, &nHeldOut); err != nil {
		t.Fatal(err)
	}
	if nEnrolled+nHeldOut != inSegment || nHeldOut != nHeld {
		t.Errorf("campaign counts %d enrolled + %d held out, want %d with %d held out", nEnrolled, nHeldOut, inSegment, nHeld)
	}
	// Every enrolled patient's offer reached Twilio.
	to := map[string]bool{}
	for _, r := range fake.Requests() {
		to[r.To] = true
	}
	for i, p := range ps[:inSegment] {
		if enrolled[p.ID] == 1 && !to[p.Contacts[0].Value] {
			t.Errorf("patient %d's offer never reached Twilio", i)
		}
	}
}

// column returns the first column of a query's rows.
func column(t *testing.T, db *store.DB, query string) []string {
	t.Helper()
	rows, err := db.SQLDB().QueryContext(context.Background(), query)
	if err != nil {
		t.Log(err)
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Log(err)
			return out
		}
		out = append(out, v)
	}
	return out
}

func countRows(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.SQLDB().QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMain removes the rapport binary the crash test built.
func TestMain(m *testing.M) { os.Exit(proctest.Main(m)) }
