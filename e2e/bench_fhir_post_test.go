package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// The live feed of issue 16: a CRM that sends each changed patient as it
// changes, as a FHIR Bundle of one, to a rapport serve holding a large
// population. RAPPORT_BENCH_BASE sets the population (default 20,000; the
// issue's figure is for 1,000,000), RAPPORT_BENCH_CLIENTS the concurrent
// clients (default 50) and RAPPORT_BENCH_POSTS the requests (default
// 2,000, each a different patient whose phone number changed);
// RAPPORT_BENCH_PROFILE takes a CPU profile of serve as the campaign
// benchmarks do.
//
// Without RAPPORT_BENCH_RATE the clients post as fast as serve answers (a
// closed loop: the latency is then the queue of 50 clients, by Little's
// law clients ÷ throughput). RAPPORT_BENCH_RATE=R offers R requests a
// second in all, as a feed does: request i is due at i/R seconds, a free
// client takes it, and its latency counts from when it was due, so a
// request that waited for a busy client or a slow server counts the wait.
const (
	envBenchBase    = "RAPPORT_BENCH_BASE"
	envBenchClients = "RAPPORT_BENCH_CLIENTS"
	envBenchPosts   = "RAPPORT_BENCH_POSTS"
	envBenchRate    = "RAPPORT_BENCH_RATE"
)

// BenchmarkFHIRPostOneChangedSQLite posts changed patients one per Bundle
// to serve on SQLite and reports the answer time's p50 and p99.
func BenchmarkFHIRPostOneChangedSQLite(b *testing.B) { benchFHIRPost(b, false) }

// BenchmarkFHIRPostOneChangedPostgres is the same on PostgreSQL (skipped
// when RAPPORT_TEST_POSTGRES names no server).
func BenchmarkFHIRPostOneChangedPostgres(b *testing.B) { benchFHIRPost(b, true) }

func benchFHIRPost(b *testing.B, postgres bool) {
	if testing.Short() {
		b.Skip("end-to-end benchmark: runs rapport serve as a process")
	}
	base, clients, posts := envInt(b, envBenchBase, 20000), envInt(b, envBenchClients, 50), envInt(b, envBenchPosts, 2000)
	posts, offered := min(posts, base), 0
	if os.Getenv(envBenchRate) != "" {
		offered = envInt(b, envBenchRate, 0)
	}
	if postgres {
		pgtest.DSN(b)
	}
	proctest.Binary(b)
	b.StopTimer()
	var p50, p99, rate, cpu float64
	for range b.N {
		r := runFHIRPostOnce(b, postgres, base, clients, posts, offered)
		p50, p99, rate, cpu = p50+r[0], p99+r[1], rate+r[2], cpu+r[3]
	}
	k := float64(b.N)
	b.ReportMetric(p50/k, "ms-p50")
	b.ReportMetric(p99/k, "ms-p99")
	b.ReportMetric(rate/k, "req/s")
	b.ReportMetric(cpu/k, "serve-cpu-µs/req")
	if offered > 0 {
		b.ReportMetric(float64(offered), "offered-req/s")
	}
}

// runFHIRPostOnce imports base patients into a fresh database, starts
// serve, and has clients post posts changed patients between them, at
// rate requests a second in all (0: as fast as they are answered); it
// returns p50 and p99 in milliseconds, requests a second and serve's CPU
// per request.
func runFHIRPostOnce(b *testing.B, postgres bool, base, clients, posts, rate int) [4]float64 {
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "rapport.db")
	if postgres {
		dsn = pgtest.NewDatabase(b)
	}
	addr := freeAddr(b)
	env := append(proctest.Env(), "RAPPORT_DB="+dsn)
	out := rapportCmd(b, env, "import", "fhir", writeBenchPatients(b, base, true))
	b.Logf("base: %s", strings.TrimSpace(out))
	token := strings.TrimSpace(rapportCmd(b, env, "token", "create", "--role", "integration", "--name", "crm-feed"))
	serveArgs := []string{"serve", "--addr", addr, "--log-level", "warn"}
	profile, debugAddr := os.Getenv(envBenchProfile), freeAddr(b)
	if profile != "" {
		serveArgs = append(serveArgs, "--debug-addr", debugAddr)
	}
	srv := proctest.Start(b, env, serveArgs...)
	defer srv.Stop()
	url := "http://" + addr + "/fhir/R4"
	bodies := make([][]byte, posts)
	for i := range bodies {
		// Spread over the population, each a real change: a new number.
		bodies[i] = changedPatientBundle(b, i*(base/posts))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}
	post := func(body []byte) error {
		status, answer, err := postBundle(client, url, token, body)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("POST %s: %d: %s", url, status, answer)
		}
		return err
	}
	// A warm-up of other patients first: serve's first requests after its
	// start read every page cold, which a feed that runs all day does not.
	if warm := warmUpPosts(base, posts); warm > 0 {
		warmBodies := make([][]byte, warm)
		for i := range warmBodies {
			warmBodies[i] = changedPatientBundle(b, i*(base/posts)+1)
		}
		if _, _, err := drive(warmBodies, clients, 0, post); err != nil {
			b.Fatal(err)
		}
	}
	before, err := readProc(srv.Pid())
	if err != nil {
		b.Fatal(err)
	}
	var profiled chan error
	if profile != "" {
		profiled = make(chan error, 1)
		go func() { profiled <- cpuProfile(debugAddr, profile) }()
	}
	b.StartTimer()
	lat, wall, err := drive(bodies, clients, rate, post)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			b.Errorf("CPU profile of serve: %v", err)
		}
	}
	after, err := readProc(srv.Pid())
	if err != nil {
		b.Fatal(err)
	}
	checkChanged(b, dsn, posts+warmUpPosts(base, posts))
	slices.Sort(lat)
	q := func(f float64) float64 {
		return float64(lat[min(len(lat)-1, int(f*float64(len(lat))))].Microseconds()) / 1000
	}
	cpu := float64((after.cpu - before.cpu).Microseconds()) / float64(posts)
	offered := "as fast as answered"
	if rate > 0 {
		offered = fmt.Sprintf("offered %d req/s", rate)
	}
	b.Logf("%d changed patients, one per Bundle, %d clients (%s), into %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f req/s, serve %.0f CPU-µs/req",
		posts, clients, offered, base, q(0.5), q(0.99), float64(lat[len(lat)-1].Microseconds())/1000, float64(posts)/wall.Seconds(), cpu)
	return [4]float64{q(0.5), q(0.99), float64(posts) / wall.Seconds(), cpu}
}

// warmUpPosts is how many patients are posted before the measured ones:
// 100, when the population has room for them between the measured.
func warmUpPosts(base, posts int) int {
	if base/posts < 2 {
		return 0
	}
	return min(100, posts)
}

// drive has clients post bodies, at rate requests a second in all (0: each
// client posts its next as soon as the last is answered), and returns each
// one's latency, counted from when it was due, and the wall time.
func drive(bodies [][]byte, clients, rate int, post func([]byte) error) ([]time.Duration, time.Duration, error) {
	lat, due := make([]time.Duration, len(bodies)), make([]time.Time, len(bodies))
	errs := make(chan error, clients)
	next := make(chan int)
	var wg sync.WaitGroup
	began := time.Now()
	for range clients {
		wg.Go(func() {
			for i := range next {
				if rate == 0 {
					due[i] = time.Now()
				}
				if err := post(bodies[i]); err != nil {
					errs <- err
					return
				}
				lat[i] = time.Since(due[i])
			}
		})
	}
	for i := range bodies {
		if rate > 0 {
			due[i] = began.Add(time.Duration(i) * time.Second / time.Duration(rate))
			time.Sleep(time.Until(due[i])) // the feed's pace, not a wait for a result
		}
		select {
		case next <- i:
		case err := <-errs:
			close(next)
			wg.Wait()
			return nil, 0, err
		}
	}
	close(next)
	wg.Wait()
	wall := time.Since(began)
	close(errs)
	return lat, wall, <-errs
}

// changedPatientBundle is the i-th bench patient, as writeBenchPatients
// wrote it, with another mobile number, in a transaction Bundle of one.
func changedPatientBundle(b testing.TB, i int) []byte { return patientBundle(b, i, changedPhone(i)) }

// patientBundle is the i-th bench patient with the mobile phone, in a
// transaction Bundle of one.
func patientBundle(b testing.TB, i int, phone string) []byte {
	p := benchPatient(i, map[string]any{"system": "phone", "use": "mobile", "value": phone})
	bundle := map[string]any{"resourceType": "Bundle", "type": "transaction", "entry": []any{map[string]any{
		"fullUrl": "Patient/" + p["id"].(string), "resource": p,
		"request": map[string]any{"method": "PUT", "url": "Patient/" + p["id"].(string)}}}}
	data, err := json.Marshal(bundle)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// changedPhone is another valid mobile than benchPhone(i): the same line
// on an exchange from 700 on, past the ones benchPhone uses for a million
// patients, never an N11 exchange.
func changedPhone(i int) string { return phoneOnExchanges(700, i) }

// checkChanged fails unless every posted patient now holds its new
// number: the answers said 200, the database must agree.
func checkChanged(b testing.TB, dsn string, posts int) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	q := "SELECT count(DISTINCT patient_id) FROM contact_points WHERE kind = 'phone' AND value LIKE '+1512%' AND substr(value, 6, 1) IN ('7', '8', '9')"
	if err := db.SQLDB().QueryRowContext(ctx, q).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != posts {
		b.Errorf("%d patients hold a changed number after %d posts, want %d", n, posts, posts)
	}
}

// envInt reads a positive number from the environment, or def.
func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
