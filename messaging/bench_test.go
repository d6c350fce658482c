package messaging_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/benchstat"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// benchInt reads a tuning knob from the environment (RAPPORT_BENCH_*).
func benchInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// smsBench is one run of b.N SMS through the whole pipeline to a loopback
// Twilio-compatible server.
type smsBench struct {
	db   *store.DB
	fake *twiliotest.Server
	p    *messaging.Pipeline
	pts  []rapport.PatientID
}

func newSMSBench(b *testing.B, d store.Dialect, rate float64, patients int) *smsBench {
	b.Helper()
	db := dbtest.Open(b, d, rapport.SystemClock{})
	fake := twiliotest.NewServer(b, twiliotest.Options{})
	client, err := twilio.New(fake.Config())
	if err != nil {
		b.Fatal(err)
	}
	p := volumePipeline(b, db, rapport.ChannelSMS, &messaging.Sender{Sender: client, From: twiliotest.DefaultFrom, Rate: rate})
	p.BatchSize = benchInt("RAPPORT_BENCH_BATCH", 0)
	p.Concurrency = benchInt("RAPPORT_BENCH_CONCURRENCY", 0)
	return &smsBench{db: db, fake: fake, p: p, pts: seedPatients(b, db, patients, false)}
}

// run queues n messages, then works them with a queue of workers jobs at
// once, and returns how long each phase took.
func (s *smsBench) run(b *testing.B, n, workers int) (queueing, sending time.Duration) {
	b.Helper()
	content := messaging.Plain("en", "Hi {first_name}, your appointment at {org} is tomorrow at 9:30. Reply C to confirm.")
	startQueue(b, s.p, false, 0) // insert-only while queueing
	t0 := time.Now()
	ids := queueMessages(b, s.p, s.pts, n, content)
	t1 := time.Now()
	startQueue(b, s.p, true, workers)
	// The server's count costs nothing to read; the database's is a scan.
	proctest.WaitFor(b, nil, 10*time.Minute, "every message reaching the server", func() bool { return s.fake.Accepted() >= len(ids) })
	waitAllFinal(b, s.db, 10*time.Minute, func() string { return fmt.Sprintf("server accepted %d", s.fake.Accepted()) })
	t2 := time.Now()
	if got := s.fake.Accepted(); got < len(ids) {
		b.Fatalf("server accepted %d requests, want %d", got, len(ids))
	}
	if d := s.fake.Duplicates(); d != 0 {
		b.Fatalf("%d duplicates without a crash", d)
	}
	return t1.Sub(t0), t2.Sub(t1)
}

// BenchmarkSMS sends b.N SMS, pacing off, end to end: queued in bulk
// through SendMany, worked by the send jobs, accepted by a loopback
// Twilio-compatible server, recorded. Run with -benchtime=100000x.
//
//	go test -run='^$' -bench=BenchmarkSMS/ -benchtime=100000x ./messaging/
func BenchmarkSMS(b *testing.B) {
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			s := newSMSBench(b, d, 0, min(b.N, 20000))
			b.ResetTimer()
			cpu0 := benchstat.CPUTime()
			queueing, sending := s.run(b, b.N, benchInt("RAPPORT_BENCH_WORKERS", 0))
			cpu := benchstat.CPUTime() - cpu0
			b.StopTimer()
			// CPU per message (pipeline, database driver and the in-process
			// server together) holds on a busy machine where rates do not.
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
			b.ReportMetric(float64(b.N)/(queueing+sending).Seconds(), "msgs/s")
			b.ReportMetric(float64(b.N)/queueing.Seconds(), "queue-msgs/s")
			b.ReportMetric(float64(b.N)/sending.Seconds(), "send-msgs/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkSMSPaced sends b.N SMS at a configured pace (RAPPORT_BENCH_RATE,
// default 500/s) and reports the rate the server saw, from its first to its
// last accepted request, and its ratio to the configured one. Run with
// -benchtime=10000x (20 s at 500/s).
func BenchmarkSMSPaced(b *testing.B) {
	rate := float64(benchInt("RAPPORT_BENCH_RATE", 500))
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			if b.N < 2 {
				return // the probe run of b.N = 1: a rate needs two messages
			}
			s := newSMSBench(b, d, rate, min(b.N, 20000))
			b.ResetTimer()
			s.run(b, b.N, benchInt("RAPPORT_BENCH_WORKERS", 0))
			b.StopTimer()
			measured := acceptedRate(s.fake.Requests())
			b.ReportMetric(measured, "msgs/s")
			b.ReportMetric(measured/rate, "ratio")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// acceptedRate is the rate of accepted requests between the first and the
// last: n-1 intervals over the span.
func acceptedRate(reqs []twiliotest.Request) float64 {
	if len(reqs) < 2 {
		return 0
	}
	first, last := reqs[0].At, reqs[0].At
	for _, r := range reqs {
		if r.At.Before(first) {
			first = r.At
		}
		if r.At.After(last) {
			last = r.At
		}
	}
	return float64(len(reqs)-1) / last.Sub(first).Seconds()
}

// BenchmarkEmail sends b.N emails of about 5 KB (text and HTML) end to
// end through a real SMTP server on loopback, with the smtp channel's
// connection pool (RAPPORT_BENCH_POOL connections, default 8), and reports
// the rates and the process's peak RSS. Messages are queued and rendered
// 1,000 at a time, never the whole campaign at once (queue-msgs/s is the
// queueing rate, drain-s the time from the last queued to the last sent).
// Run with -benchtime=100000x.
func BenchmarkEmail(b *testing.B) {
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			srv := newCountingSMTP(b)
			sender, err := smtp.New(smtp.Config{URL: srv.url(), From: "Valley Clinic <care@valley.example>", PoolSize: benchInt("RAPPORT_BENCH_POOL", 8)})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { sender.Close() })
			db := dbtest.Open(b, d, rapport.SystemClock{})
			p := volumePipeline(b, db, rapport.ChannelEmail, &messaging.Sender{Sender: sender, From: "care@valley.example"})
			p.BatchSize = benchInt("RAPPORT_BENCH_BATCH", 0)
			p.Concurrency = benchInt("RAPPORT_BENCH_CONCURRENCY", 0)
			pts := seedPatients(b, db, min(b.N, 20000), true)
			// Queued first, then sent, as BenchmarkSMS does; with
			// RAPPORT_BENCH_OVERLAP=1 the send jobs work from the start, while
			// the rest is still being queued (slower on SQLite, where queueing
			// and sending take turns on its one connection).
			phased := os.Getenv("RAPPORT_BENCH_OVERLAP") != "1"
			startQueue(b, p, !phased, benchInt("RAPPORT_BENCH_WORKERS", 0))
			b.ResetTimer()
			cpu0 := benchstat.CPUTime()
			t0 := time.Now()
			ids := queueMessages(b, p, pts, b.N, emailContent())
			t1 := time.Now()
			if phased {
				startQueue(b, p, true, benchInt("RAPPORT_BENCH_WORKERS", 0))
			}
			proctest.WaitFor(b, nil, 10*time.Minute, "every email reaching the server", func() bool { return srv.messages.Load() >= int64(len(ids)) })
			waitAllFinal(b, db, 10*time.Minute, func() string { return fmt.Sprintf("server got %d", srv.messages.Load()) })
			t2 := time.Now()
			cpu := benchstat.CPUTime() - cpu0
			b.StopTimer()
			if got := srv.messages.Load(); got != int64(b.N) {
				b.Fatalf("server got %d emails, want %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/t2.Sub(t0).Seconds(), "msgs/s")
			b.ReportMetric(float64(b.N)/t1.Sub(t0).Seconds(), "queue-msgs/s")
			b.ReportMetric(t2.Sub(t1).Seconds(), "drain-s")
			b.ReportMetric(float64(srv.bytes.Load())/float64(b.N)/1024, "KB/msg")
			b.ReportMetric(float64(srv.sessions.Load()), "conns")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
			b.ReportMetric(float64(benchstat.PeakRSS())/(1<<20), "peak-RSS-MB")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// emailContent is a ~5 KB email: ~1.5 KB of text and ~3.5 KB of HTML.
func emailContent() messaging.Content {
	para := "Hello {first_name}, this is a reminder that your appointment with Dr. Perez at {org} is on Tuesday at 9:30. "
	text := strings.Repeat(para, 14)
	html := "<html><body>" + strings.Repeat(`<p style="font-family:sans-serif;color:#333">`+para+"</p>", 24) + "</body></html>"
	return messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{"en": {Subject: "Your appointment", Body: text, HTML: html}}}
}
