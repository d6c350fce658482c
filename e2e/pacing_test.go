package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
)

// TestCampaignPacedAcrossWorkers launches an SMS campaign with
// `rapport campaign launch` against `rapport serve` and two `rapport
// worker` processes on PostgreSQL, each started with the same --sms-rate:
// together they must hold that pace (issue 11: within 2%) from the first
// message the Twilio fake accepts to the last, send every patient one
// message and no message twice, and share the work.
func TestCampaignPacedAcrossWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport serve and two workers for about 15 seconds")
	}
	t.Parallel()
	const (
		rate = 200.0 // a second, per sending number, across processes
		n    = 3000  // 15 s at that pace
	)
	dsn := pgtest.NewDatabase(t)
	proctest.Binary(t)
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	addr := freeAddr(t)
	env := append(proctest.TwilioEnv(fake),
		"RAPPORT_DB="+dsn,
		"RAPPORT_JOURNEYS="+writeBenchJourney(t, false, false),
		"RAPPORT_ORG_NAME=Hillside Clinic",
		"RAPPORT_ORG_PHONE=+15128000000",
	)
	rapportCmd(t, env, "import", "fhir", writeBenchPatients(t, n, true))
	policy := []string{"--sms-rate", strconv.FormatFloat(rate, 'f', -1, 64), "--quiet-hours", "00:00-24:00", "--outreach-caps", "0"}
	srv := proctest.Start(t, env, append([]string{"serve", "--addr", addr, "--public-url", "http://" + addr}, policy...)...)
	procs := []*proctest.Proc{srv}
	for range 2 {
		procs = append(procs, proctest.Start(t, env, append([]string{"worker"}, policy...)...))
	}
	rapportCmd(t, env, "campaign", "launch", "--journey", benchJourneyID, "--holdout", "0")

	// Generous: the pace alone takes n/rate.
	deadline := time.Now().Add(time.Duration(n/rate)*time.Second + 2*time.Minute)
	for fake.Accepted() < n {
		for _, p := range procs {
			if p.Exited() {
				t.Fatalf("rapport exited during the campaign: %s", p.Output())
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages reached the Twilio fake by the deadline", fake.Accepted(), n)
		}
		time.Sleep(50 * time.Millisecond)
	}

	distinct, messages, first, last := twilioArrivals(fake)
	if distinct != n || messages != n || fake.Duplicates() != 0 {
		t.Errorf("the fake accepted %d messages to %d numbers with %d repeats, want %d to %d and none", messages, distinct, fake.Duplicates(), n, n)
	}
	got := float64(messages-1) / last.Sub(first).Seconds()
	t.Logf("serve and two workers, --sms-rate %.0f: %d messages at %.1f/s (ratio %.4f)", rate, messages, got, got/rate)
	if got < rate*0.98 || got > rate*1.02 {
		t.Errorf("the campaign went out at %.1f messages a second, want %.0f ± 2%%", got, rate)
	}
	if senders := sendingProcesses(t, dsn); senders < 2 {
		t.Errorf("send jobs were worked by %d process(es), want the pace shared by at least 2", senders)
	}
}

// sendingProcesses counts the processes (River clients) that worked the
// campaign's send jobs.
func sendingProcesses(t *testing.T, dsn string) int {
	t.Helper()
	db := openDB(t, dsn)
	defer db.Close()
	var n int
	q := "SELECT count(DISTINCT attempted_by[array_length(attempted_by, 1)]) FROM river_job WHERE kind = 'send_messages'"
	if err := db.SQLDB().QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
