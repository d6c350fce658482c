package messaging_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// volumePolicy is the default policy with quiet hours off, so a benchmark or
// crash test sends at whatever hour it runs. Care messages are uncapped.
func volumePolicy(tb testing.TB) messaging.Policy {
	tb.Helper()
	pol := messaging.DefaultPolicy()
	w, err := rules.ParseWindow("00:00-24:00")
	if err != nil {
		tb.Fatal(err)
	}
	pol.Quiet = w
	return pol
}

// volumePipeline is a pipeline on db with real time, sending ch through s.
func volumePipeline(tb testing.TB, db *store.DB, ch rapport.Channel, s *messaging.Sender) *messaging.Pipeline {
	return &messaging.Pipeline{DB: db, Clock: rapport.SystemClock{}, Policy: volumePolicy(tb), Keywords: rules.DefaultCatalogue(),
		Org: messaging.Org{Name: "Valley Clinic", Phone: "+15125550100"}, Senders: map[rapport.Channel]*messaging.Sender{ch: s}}
}

// startQueue builds the job queue of p with its send worker, starts it when
// work is true (else it only inserts), and stops it when tb ends.
func startQueue(tb testing.TB, p *messaging.Pipeline, work bool, maxWorkers int) *jobs.Queue {
	tb.Helper()
	cfg := jobs.Config{PollInterval: 50 * time.Millisecond, MaxWorkers: maxWorkers, TestOnly: true}
	if work {
		workers := river.NewWorkers()
		river.AddWorker(workers, messaging.NewSendWorker(p))
		cfg.Workers = workers
	}
	q, err := jobs.New(p.DB, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	p.Queue = q
	if work {
		if err := q.Start(context.Background()); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
	}
	return q
}

// seedPatients creates n patients, each with one valid mobile number
// (+1 512 2xx xxxx, distinct) and, when withEmail, one email address.
func seedPatients(tb testing.TB, db *store.DB, n int, withEmail bool) []rapport.PatientID {
	tb.Helper()
	ctx := context.Background()
	ids := make([]rapport.PatientID, 0, n)
	const chunk = 2000
	for start := 0; start < n; start += chunk {
		ps := make([]*rapport.Patient, 0, chunk)
		for i := start; i < min(start+chunk, n); i++ {
			cps := []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: fmt.Sprintf("+1512%07d", 2000000+i), Use: rapport.UseMobile,
				LineType: rapport.LineMobile}}
			if withEmail {
				cps = []rapport.ContactPoint{{Kind: rapport.ContactEmail, Value: fmt.Sprintf("patient%d@example.net", i)}}
			}
			for k := range cps {
				cps[k].Raw, cps[k].Status, cps[k].Source = cps[k].Value, rapport.StatusValid, rapport.SourceImport
			}
			ps = append(ps, &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: "en", TimeZone: "America/Chicago", Contacts: cps})
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreatePatients(ctx, ps) }); err != nil {
			tb.Fatal(err)
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// queueMessages queues one message per patient (with repeats when n exceeds
// the patients) through SendMany, chunk requests per transaction, and
// returns the ids of the queued messages. Content is rendered per chunk,
// never for the whole campaign ahead.
func queueMessages(tb testing.TB, p *messaging.Pipeline, patients []rapport.PatientID, n int, content messaging.Content) []rapport.MessageID {
	tb.Helper()
	ctx := context.Background()
	const chunk = 1000
	ids := make([]rapport.MessageID, 0, n)
	for start := 0; start < n; start += chunk {
		reqs := make([]messaging.Request, 0, chunk)
		for i := start; i < min(start+chunk, n); i++ {
			reqs = append(reqs, messaging.Request{PatientID: patients[i%len(patients)], Purpose: rapport.PurposeCare, Content: content,
				Channels: []rapport.Channel{channelOf(content)}})
		}
		err := p.DB.InTx(ctx, func(tx *store.Tx) error {
			ms, err := p.SendMany(ctx, tx, reqs)
			for _, m := range ms {
				if m.Status != rapport.MessageQueued {
					return fmt.Errorf("message %s is %s: %s", m.ID, m.Status, m.StatusReason)
				}
				ids = append(ids, m.ID)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// channelOf says email for content with a subject, else SMS.
func channelOf(c messaging.Content) rapport.Channel {
	if c.ByLang[c.Fallback].Subject != "" {
		return rapport.ChannelEmail
	}
	return rapport.ChannelSMS
}

// countQueued returns how many messages are still queued.
func countQueued(ctx context.Context, db *store.DB) (int, error) {
	var n int
	err := db.SQLDB().QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE status = 'queued'").Scan(&n)
	return n, err
}

// waitAllFinal polls until no message is queued, failing tb at the deadline.
func waitAllFinal(tb testing.TB, db *store.DB, timeout time.Duration, progress func() string) {
	tb.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for {
		n, err := countQueued(ctx, db)
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages still queued after %v (%s)", n, timeout, progress())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// discardSender is a channel that accepts everything at once.
type discardSender struct{}

func (discardSender) Send(context.Context, channel.Message) (channel.Result, error) {
	return channel.Result{ProviderID: "x", Status: "queued"}, nil
}
