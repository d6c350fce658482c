package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
)

// envBenchPatients sets the patients of a campaign benchmark (default
// 5000); the package doc says what the benchmarks measure.
const envBenchPatients = "RAPPORT_BENCH_PATIENTS"

// envBenchProfile names a file: when set, the benchmark takes a CPU profile
// of serve over the campaign's first seconds (RAPPORT_BENCH_PROFILE_SECONDS,
// default 5; RAPPORT_BENCH_PROFILE_DELAY, such as 40s, starts it later)
// through its --debug-addr listener and writes it there; an execution trace
// instead when the name ends in .trace.
const envBenchProfile = "RAPPORT_BENCH_PROFILE"

// BenchmarkCampaignEmailSQLite sends one ~4.7 KB text+HTML email to each
// of N email-only patients through rapport serve on SQLite.
func BenchmarkCampaignEmailSQLite(b *testing.B) {
	benchCampaign(b, benchSetup{email: true})
}

// BenchmarkCampaignSMSSQLite sends one SMS to each of N mobile-only
// patients through rapport serve on SQLite to the Twilio fake.
func BenchmarkCampaignSMSSQLite(b *testing.B) {
	benchCampaign(b, benchSetup{email: false})
}

// BenchmarkCampaignTwoStepEmailSQLite runs a two-step journey (send, wait,
// send again to everyone who did not answer, which is everyone) and reports
// the second wave's rate beside the first's.
func BenchmarkCampaignTwoStepEmailSQLite(b *testing.B) {
	benchCampaign(b, benchSetup{email: true, twoStep: true})
}

// BenchmarkCampaignEmailPostgres2Workers is the email campaign on
// PostgreSQL, with two `rapport worker` processes beside serve (skipped
// when RAPPORT_TEST_POSTGRES names no server).
func BenchmarkCampaignEmailPostgres2Workers(b *testing.B) {
	benchCampaign(b, benchSetup{email: true, postgres: true, workers: 2})
}

// BenchmarkCampaignScheduledEmailSQLite launches the email campaign with
// --start a while ahead (past River's scheduler look-ahead) and reports how
// long after its start time the first message arrived.
func BenchmarkCampaignScheduledEmailSQLite(b *testing.B) {
	benchCampaign(b, benchSetup{email: true, startIn: scheduledStartIn})
}

// BenchmarkCampaignScheduledEmailPostgres2Workers is the scheduled
// campaign on PostgreSQL with two workers beside serve.
func BenchmarkCampaignScheduledEmailPostgres2Workers(b *testing.B) {
	benchCampaign(b, benchSetup{email: true, postgres: true, workers: 2, startIn: scheduledStartIn})
}

// scheduledStartIn is how far ahead a scheduled campaign starts: four of
// River's 5 s scheduler passes, so the launch job is stored as scheduled,
// not available.
const scheduledStartIn = 20 * time.Second

// benchSetup is one variant of the campaign benchmark.
type benchSetup struct {
	email    bool
	postgres bool
	workers  int // `rapport worker` processes beside serve
	twoStep  bool
	startIn  time.Duration // launch with --start this far ahead (whole seconds)
}

// benchRun is what one campaign measured.
type benchRun struct {
	msgPerSec, launchToFirst      float64
	startToFirst                  float64 // a scheduled campaign: its start time → first arrival
	wave2PerSec                   float64
	serveRSSMB, workerRSSMB, cpuU float64
	sinkCPU                       float64 // the receiving server's (the test process's) CPU per message
	pgCPU                         float64 // PostgreSQL's CPU per message
}

func benchCampaign(b *testing.B, s benchSetup) {
	if testing.Short() {
		b.Skip("end-to-end benchmark: runs rapport serve as a process")
	}
	n := envInt(b, envBenchPatients, 5000)
	if s.postgres {
		pgtest.DSN(b) // skip now, before building, without a server
	}
	proctest.Binary(b) // build before any clock starts
	b.StopTimer()
	var sum benchRun
	for range b.N {
		r := runCampaignOnce(b, s, n)
		sum.msgPerSec += r.msgPerSec
		sum.wave2PerSec += r.wave2PerSec
		sum.launchToFirst += r.launchToFirst
		sum.startToFirst += r.startToFirst
		sum.serveRSSMB += r.serveRSSMB
		sum.workerRSSMB += r.workerRSSMB
		sum.cpuU += r.cpuU
		sum.sinkCPU += r.sinkCPU
		sum.pgCPU += r.pgCPU
	}
	k := float64(b.N)
	b.ReportMetric(sum.msgPerSec/k, "msg/s")
	b.ReportMetric(sum.launchToFirst/k, "s-launch-to-first")
	if s.startIn > 0 {
		b.ReportMetric(sum.startToFirst/k, "s-start-to-first")
	}
	if s.twoStep {
		b.ReportMetric(sum.wave2PerSec/k, "msg/s-wave2")
	}
	b.ReportMetric(sum.serveRSSMB/k, "MB-peak-RSS")
	if s.workers > 0 {
		b.ReportMetric(sum.workerRSSMB/k, "MB-worker-RSS")
	}
	b.ReportMetric(sum.cpuU/k, "cpu-µs/msg")
	b.ReportMetric(sum.sinkCPU/k, "sink-cpu-µs/msg")
	if s.postgres {
		b.ReportMetric(sum.pgCPU/k, "pg-cpu-µs/msg")
	}
}

// runCampaignOnce imports n patients into a fresh database, starts serve
// (and workers), launches the campaign and times its messages; only the
// campaign runs with the timer on.
func runCampaignOnce(b *testing.B, s benchSetup, n int) benchRun {
	dir := b.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "rapport.db")
	if s.postgres {
		dsn = pgtest.NewDatabase(b)
	}
	addr := freeAddr(b)
	base := "http://" + addr

	var env []string
	var got func() (distinct, messages int, first, last time.Time)
	var waves func() [2]span
	var count func() int // messages so far, cheaply
	var sink *smtpSink
	if s.email {
		sink = newSMTPSink(b)
		env = append(proctest.Env(),
			"RAPPORT_SMTP_URL="+sink.url(),
			"RAPPORT_SMTP_FROM=Hillside Clinic <care@hillside.example>",
			"RAPPORT_SMTP_POOL_SIZE=10", // as issue 11 measured
			// Every email carries an unsubscribe link: serve and workers
			// refuse email without its key and public address.
			"RAPPORT_UNSUBSCRIBE_KEY=bench-unsubscribe-key-0123456789",
			"RAPPORT_PUBLIC_URL="+base,
		)
		got, count, waves = sink.got.snapshot, sink.got.count, sink.got.byWave
	} else {
		fake := twiliotest.NewServer(b, twiliotest.Options{})
		env = proctest.TwilioEnv(fake)
		got = func() (int, int, time.Time, time.Time) { return twilioArrivals(fake) }
		waves = func() [2]span { return twilioWaves(fake) }
		count = fake.Accepted
	}
	env = append(env,
		"RAPPORT_DB="+dsn,
		"RAPPORT_JOURNEYS="+writeBenchJourney(b, s.email, s.twoStep),
		"RAPPORT_ORG_NAME=Hillside Clinic",
		"RAPPORT_ORG_PHONE=+15128000000",
	)

	out := rapportCmd(b, env, "import", "fhir", writeBenchPatients(b, n, !s.email))
	b.Logf("import: %s", strings.TrimSpace(out))
	policy := []string{"--quiet-hours", "00:00-24:00", "--outreach-caps", "0"}
	want := n
	if s.twoStep {
		// The wait of an hour lasts long enough for the first wave to end
		// (at 2,000 msg/s or more) before the second begins.
		wait := 10*time.Second + time.Duration(n)*time.Second/2000
		policy = append(policy, "--time-scale", fmt.Sprint(int(time.Hour/wait)))
		want = 2 * n
	}
	serveArgs := append([]string{"serve", "--addr", addr, "--public-url", base}, policy...)
	profile := os.Getenv(envBenchProfile)
	debugAddr := freeAddr(b)
	if profile != "" {
		serveArgs = append(serveArgs, "--debug-addr", debugAddr)
	}
	srv := proctest.Start(b, env, serveArgs...)
	procs := []*proctest.Proc{srv}
	for range s.workers {
		procs = append(procs, proctest.Start(b, env, append([]string{"worker"}, policy...)...))
	}

	self0, err := readProc(os.Getpid()) // the sink's CPU is the test process's
	if err != nil {
		b.Fatal(err)
	}
	var pg0 time.Duration
	if s.postgres {
		if pg0, err = postgresCPU(dsn); err != nil {
			b.Fatalf("PostgreSQL's CPU: %v", err)
		}
	}
	b.StartTimer()
	var profiled chan error
	if profile != "" {
		profiled = make(chan error, 1)
		go func() { profiled <- cpuProfile(debugAddr, profile) }()
	}
	launch := []string{"campaign", "launch", "--journey", benchJourneyID, "--holdout", "0"}
	var startAt time.Time
	if s.startIn > 0 {
		startAt = time.Now().Add(s.startIn).Truncate(time.Second)
		launch = append(launch, "--start", startAt.UTC().Format(time.RFC3339))
	}
	usage := sampleCPU(srv.Pid(), time.Second/2)
	campaign := strings.TrimSpace(rapportCmd(b, env, launch...))
	launched := time.Now()
	var r benchRun
	waitArrivals(b, procs, want, count)
	b.Logf("cores used a half second (serve, the receiving server and the test): %s", usage())
	b.StopTimer()
	self1, err := readProc(os.Getpid())
	if err != nil {
		b.Fatal(err)
	}
	r.sinkCPU = float64((self1.cpu - self0.cpu).Microseconds()) / float64(want)
	if s.postgres {
		pg1, err := postgresCPU(dsn)
		if err != nil {
			b.Fatalf("PostgreSQL's CPU: %v", err)
		}
		r.pgCPU = float64((pg1 - pg0).Microseconds()) / float64(want)
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			b.Errorf("CPU profile of serve: %v", err)
		}
	}

	for i, p := range procs {
		f, err := readProc(p.Pid())
		if err != nil {
			b.Fatalf("read /proc of rapport: %v", err)
		}
		mb := float64(f.peakRSSKB) / 1024
		if i == 0 {
			r.serveRSSMB = mb
		} else {
			r.workerRSSMB = max(r.workerRSSMB, mb)
		}
		r.cpuU += float64(f.cpu.Microseconds()) / float64(want)
	}
	for _, p := range procs {
		p.Stop()
	}
	logJobTimeline(b, dsn, launched)
	distinct, messages, first, _ := got()
	r.launchToFirst = first.Sub(launched).Seconds()
	if !startAt.IsZero() {
		r.startToFirst = first.Sub(startAt).Seconds()
		b.Logf("scheduled for %s: first message %.3f s after it", startAt.UTC().Format(time.RFC3339), r.startToFirst)
		if r.startToFirst < 0 {
			b.Errorf("the first message arrived %.3f s before the campaign's start", -r.startToFirst)
		}
	}
	w := waves()
	r.msgPerSec = w[0].rate() // the only wave of a one-step journey
	b.Logf("campaign %s: %d messages to %d recipients; launch→first %.2f s, first wave first→last %.2f s (%.0f msg/s); serve peak RSS %.0f MB, worker %.0f MB; CPU %.0f µs/msg (the receiving server and the test: %.0f µs/msg; PostgreSQL: %.0f µs/msg)",
		campaign, messages, distinct, r.launchToFirst, w[0].last.Sub(w[0].first).Seconds(), r.msgPerSec, r.serveRSSMB, r.workerRSSMB, r.cpuU, r.sinkCPU, r.pgCPU)
	b.Logf("first wave's messages a half second: %v", w[0].shape(time.Second/2))
	if s.twoStep {
		r.wave2PerSec = w[1].rate()
		b.Logf("second wave: %d messages, first→last %.2f s (%.0f msg/s), starting %.2f s after the first wave's last",
			w[1].n(), w[1].last.Sub(w[1].first).Seconds(), r.wave2PerSec, w[1].first.Sub(w[0].last).Seconds())
	}
	if sink != nil && messages > 0 {
		b.Logf("emails at the sink: %d bytes on average", sink.got.size()/int64(messages))
	}
	if messages != want || distinct != n {
		b.Errorf("%d messages reached the sink for %d patients (%d distinct), want %d", messages, n, distinct, want)
	}
	return r
}

// twilioArrivals counts the messages the fake accepted, less repeats of an
// idempotency key, with the first and last arrival.
func twilioArrivals(fake *twiliotest.Server) (distinct, messages int, first, last time.Time) {
	if fake.Accepted() == 0 {
		return 0, 0, first, last
	}
	seen := map[string]bool{}
	for _, r := range fake.Requests() {
		if r.Duplicate {
			continue
		}
		messages++
		seen[r.To] = true
		if first.IsZero() || r.At.Before(first) {
			first = r.At
		}
		if r.At.After(last) {
			last = r.At
		}
	}
	return len(seen), messages, first, last
}

// twilioWaves returns the spans of each recipient's first and second
// accepted message, repeats of an idempotency key left out.
func twilioWaves(fake *twiliotest.Server) [2]span {
	reqs := fake.Requests()
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].At.Before(reqs[j].At) })
	var w [2]span
	seen := map[string]int{}
	for _, r := range reqs {
		if r.Duplicate {
			continue
		}
		if k := seen[r.To]; k < len(w) {
			w[k].add(r.At)
		}
		seen[r.To]++
	}
	return w
}

// waitArrivals waits until n messages arrived, failing b when a process
// exits or nothing arrives for two minutes.
func waitArrivals(b *testing.B, procs []*proctest.Proc, n int, count func() int) {
	b.Helper()
	const stall = 2 * time.Minute
	lastCount, lastChange := -1, time.Now()
	for {
		messages := count()
		if messages >= n {
			return
		}
		if messages != lastCount {
			lastCount, lastChange = messages, time.Now()
		}
		if time.Since(lastChange) > stall {
			b.Fatalf("campaign stalled: %d of %d messages, none for %v: %s", messages, n, stall, procs[0].Output())
		}
		for _, p := range procs {
			if p.Exited() {
				b.Fatalf("rapport exited during the campaign: %s", p.Output())
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// benchJourneyID is the journey the benchmark writes and launches.
const benchJourneyID = "bench-campaign"

// writeBenchJourney writes the one-step journey (send to everyone by email,
// or by SMS, then end) into a new folder for --journeys, and returns it.
// JSON is YAML, so the text is encoded as JSON.
func writeBenchJourney(b testing.TB, email, twoStep bool) string {
	b.Helper()
	// Every journey needs English and Spanish; the patients read English.
	channel := "sms"
	en := map[string]string{"body": "Hi {first_name}, {org} can lend you a blood-pressure cuff that sends readings to your nurse, free. Interested? Call us."}
	es := map[string]string{"body": "Hola {first_name}, {org} le presta un tensiómetro que envía sus lecturas a su enfermera, gratis. ¿Le interesa? Llámenos."}
	if email {
		channel, en, es = "email", benchEmailText(en["body"]), benchEmailText(es["body"])
	}
	send := func(id string) map[string]any {
		return map[string]any{"id": id, "send": map[string]any{
			"purpose":  "outreach",
			"channels": []string{channel},
			"content":  map[string]any{"fallback": "en", "by_lang": map[string]any{"en": en, "es": es}},
		}}
	}
	steps := []any{send("send")}
	if twoStep {
		// Nobody answers: everyone gets the second message after the wait.
		steps = append(steps,
			map[string]any{"id": "wait", "wait_reply": map[string]any{"timeout": "1h", "on": map[string]string{"timeout": "again", "reply": "end"}}},
			send("again"))
	}
	steps = append(steps, map[string]any{"id": "end", "end": true})
	j := map[string]any{
		"id": benchJourneyID, "version": 1, "name": "Campaign benchmark",
		"trigger": map[string]any{"campaign": true},
		"segment": "true",
		"steps":   steps,
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "journeys")
	if err := os.Mkdir(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, benchJourneyID+".yaml"), data, 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchEmailText is an email of para repeated: a subject, text and HTML,
// which with headers and MIME parts make a message of about 4.7 KB.
func benchEmailText(para string) map[string]string {
	var text, html strings.Builder
	for range 9 {
		text.WriteString(para + "\n\n")
	}
	html.WriteString("<html><body>")
	for range 15 {
		fmt.Fprintf(&html, `<p style="font-family:sans-serif;color:#333">%s</p>`, para)
	}
	html.WriteString("</body></html>")
	return map[string]string{"subject": "Free blood-pressure monitoring at home", "body": text.String(), "html": html.String()}
}

// cpuProfile fetches a CPU profile of the process serving Go's profiler on
// addr and writes it to file; an execution trace (go tool trace) when file
// ends in .trace.
func cpuProfile(addr, file string) error {
	secs := os.Getenv("RAPPORT_BENCH_PROFILE_SECONDS")
	if secs == "" {
		secs = "5"
	}
	if d, err := time.ParseDuration(os.Getenv("RAPPORT_BENCH_PROFILE_DELAY")); err == nil {
		time.Sleep(d) // profile a later part, such as a second wave
	}
	kind := "profile"
	if strings.HasSuffix(file, ".trace") {
		kind = "trace"
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/" + kind + "?seconds=" + secs)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
