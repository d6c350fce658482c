package messaging_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// crashWorkers is the --workers of the crashed process: how many send jobs
// it runs at once (the binary's default).
const crashWorkers = 20

// TestCrashResend kills a `rapport worker` with SIGKILL in the middle of a
// bulk send (RAPPORT_CRASH_MESSAGES, default 20,000 SMS) and restarts it.
// Every message must reach the provider; only messages in flight at the
// kill may reach it twice, each time with the same idempotency key; the
// ledger records each send once; nothing stays queued.
//
// The in-flight bound: a send job records its batch's outcomes after the
// whole batch went out, and the process runs crashWorkers jobs at once, so
// at the kill at most crashWorkers × DefaultBatchSize messages can be sent
// but not recorded. Their jobs look running until River's rescuer takes
// them for lost (--rescue-after, and the unpaced send job's own timeout),
// and their retries resend exactly the unrecorded ones: those still queued.
func TestCrashResend(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds and runs rapport worker processes")
	}
	t.Parallel()
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_CRASH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			crashResend(t, d, n)
		})
	}
}

func crashResend(t *testing.T, d store.Dialect, n int) {
	ctx := context.Background()
	proctest.Binary(t) // build before any clock starts
	dsn, db := processDB(t, d)
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	client, err := twilio.New(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	p := volumePipeline(t, db, rapport.ChannelSMS, &messaging.Sender{Sender: client, From: twiliotest.DefaultFrom})
	startQueue(t, p, false, 0)
	ids := queueMessages(t, p, seedPatients(t, db, min(n, 20000), false), n, messaging.Plain("en", "Hi {first_name}, see you tomorrow at 9:30."))

	env := append(proctest.TwilioEnv(fake), proctest.AllHours)
	args := []string{"worker", "--db", dsn, "--workers", strconv.Itoa(crashWorkers), "--log-level", "error"}
	// River refuses a rescue-after under its default job timeout (one
	// minute) unless the queue lowers that timeout too; take 5s when the
	// binary accepts it.
	rescue := "5s"
	w, err := proctest.TryStart(t, env, append(args, "--rescue-after", rescue)...)
	if err != nil && strings.Contains(err.Error(), "RescueStuckJobsAfter cannot be less than JobTimeout") {
		t.Logf("rapport worker refuses --rescue-after 5s (%v); using 1m, which makes this test slow", err)
		rescue = "1m"
		w, err = proctest.TryStart(t, env, append(args, "--rescue-after", rescue)...)
	}
	if err != nil {
		t.Fatal(err)
	}
	args = append(args, "--rescue-after", rescue)

	killAt := n / 4
	proctest.WaitFor(t, w, time.Minute, "the first quarter of the messages reaching the server", func() bool { return fake.Accepted() >= killAt })
	w.Kill()
	atKill := fake.Accepted()
	if atKill >= n {
		t.Fatalf("the worker sent all %d messages before it was killed: nothing was tested", n)
	}
	t0 := time.Now()
	w = proctest.Start(t, env, args...)
	waitAllFinal(t, db, 3*time.Minute, func() string { return "server accepted " + strconv.Itoa(fake.Accepted()) })
	w.Stop()
	t.Logf("%s: %d messages; killed after %d accepted; restart to all recorded %v; %d accepted, %d duplicates",
		d, n, atKill, time.Since(t0).Round(time.Millisecond), fake.Accepted(), fake.Duplicates())

	// Every request carried a message id as idempotency key; duplicates
	// repeat the key of their first request, and the message's content.
	queued := make(map[string]bool, len(ids))
	for _, id := range ids {
		queued[string(id)] = true
	}
	byKey := map[string][]twiliotest.Request{}
	for _, r := range fake.Requests() {
		if !queued[r.IdempotencyToken] {
			t.Fatalf("request %s carries idempotency key %q, not a queued message's id", r.SID, r.IdempotencyToken)
		}
		byKey[r.IdempotencyToken] = append(byKey[r.IdempotencyToken], r)
	}
	bound := crashWorkers * messaging.DefaultBatchSize
	twice := 0
	for key, rs := range byKey {
		if len(rs) > 1 {
			twice++
			for _, r := range rs[1:] {
				if !r.Duplicate || r.To != rs[0].To || r.Body != rs[0].Body {
					t.Errorf("message %s: request %s is not a marked duplicate of %s (%+v)", key, r.SID, rs[0].SID, r)
				}
			}
		}
	}
	if len(byKey) != len(ids) {
		t.Errorf("%d of %d messages reached the server", len(byKey), len(ids))
	}
	if twice > bound {
		t.Errorf("%d messages were sent more than once; at most %d (%d workers × batches of %d) can be in flight", twice, bound, crashWorkers, messaging.DefaultBatchSize)
	}
	t.Logf("%d messages sent twice, bound %d", twice, bound)

	// The database: every message sent, recorded once, with a provider id
	// the server gave for it.
	rows, err := db.SQLDB().QueryContext(ctx, "SELECT id, status, provider_id FROM messages")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		var id, status, pid string
		if err := rows.Scan(&id, &status, &pid); err != nil {
			t.Fatal(err)
		}
		count++
		ok := false
		for _, r := range byKey[id] {
			ok = ok || r.SID == pid
		}
		if status != string(rapport.MessageSent) || !ok {
			t.Errorf("message %s is %s with provider id %q, not one the server gave it", id, status, pid)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("%d messages in the database, want %d", count, n)
	}
	var sentEvents int
	if err := db.SQLDB().QueryRowContext(ctx, "SELECT count(*) FROM ledger WHERE kind = '"+string(rapport.EventMessageSent)+"'").Scan(&sentEvents); err != nil {
		t.Fatal(err)
	}
	if sentEvents != n {
		t.Errorf("%d %s events in the ledger, want one per message (%d)", sentEvents, rapport.EventMessageSent, n)
	}
}
