package messaging_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TestTwoWorkersSharePace runs two `rapport worker` processes with
// --sms-rate on one PostgreSQL database: together they must hold the
// configured pace (the slots live in the database), within 3% between the
// first and the last request the server accepted, and never send a message
// twice.
func TestTwoWorkersSharePace(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport worker processes for about 15 seconds")
	}
	t.Parallel()
	const (
		rate = 200.0
		n    = 3000 // 15 s at 200/s
	)
	proctest.Binary(t)
	dsn, db := processDB(t, store.Postgres)
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	client, err := twilio.New(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	p := volumePipeline(t, db, rapport.ChannelSMS, &messaging.Sender{Sender: client, From: twiliotest.DefaultFrom, Rate: rate})
	startQueue(t, p, false, 0)
	ids := queueMessages(t, p, seedPatients(t, db, n, false), n, messaging.Plain("en", "Hi {first_name}, see you tomorrow."))

	env := append(proctest.TwilioEnv(fake), proctest.AllHours)
	args := []string{"worker", "--db", dsn, "--sms-rate", strconv.FormatFloat(rate, 'f', -1, 64), "--log-level", "error"}
	w1 := proctest.Start(t, env, args...)
	w2 := proctest.Start(t, env, args...)
	proctest.WaitFor(t, w1, time.Minute, "every message reaching the server", func() bool { return fake.Accepted() >= n })
	waitAllFinal(t, db, time.Minute, func() string { return fmt.Sprintf("server accepted %d", fake.Accepted()) })
	w1.Stop()
	w2.Stop()

	// Both processes worked send jobs: River names the client of each attempt.
	var clients int
	if err := db.SQLDB().QueryRow("SELECT count(DISTINCT attempted_by[array_length(attempted_by, 1)]) FROM river_job WHERE kind = 'send_messages'").Scan(&clients); err != nil {
		t.Fatal(err)
	}
	if clients != 2 {
		t.Errorf("send jobs were worked by %d processes, want 2", clients)
	}
	reqs := fake.Requests()
	if len(reqs) != len(ids) || fake.Duplicates() != 0 {
		t.Errorf("server accepted %d requests with %d duplicates for %d messages", len(reqs), fake.Duplicates(), len(ids))
	}
	got := acceptedRate(reqs)
	t.Logf("two workers, --sms-rate %.0f: %d messages at %.1f/s (ratio %.4f)", rate, len(reqs), got, got/rate)
	if got < rate*0.97 || got > rate*1.03 {
		t.Errorf("combined rate %.1f/s, want %.0f/s ± 3%%", got, rate)
	}
}
