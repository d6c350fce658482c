package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// arrivals counts the messages a sink received, once per recipient, with
// the time of the first and the last.
type arrivals struct {
	mu          sync.Mutex
	seen        map[string]int // recipient → messages
	messages    int
	first, last time.Time
	bytes       int64
	// waves are each recipient's first and second messages: the waves of a
	// two-step journey.
	waves [2]span
}

// span is a number of messages with the first and last arrival.
type span struct {
	first, last time.Time
	at          []time.Time // every arrival, for the count and the rate's shape
}

func (s *span) add(at time.Time) {
	if len(s.at) == 0 || at.Before(s.first) {
		s.first = at
	}
	if at.After(s.last) {
		s.last = at
	}
	s.at = append(s.at, at)
}

// n is the arrivals counted.
func (s span) n() int { return len(s.at) }

// shape counts the arrivals in each step from the first: where a campaign
// ran at full speed and where it waited (its start, its tail).
func (s span) shape(step time.Duration) []int {
	if s.n() == 0 {
		return nil
	}
	out := make([]int, int(s.last.Sub(s.first)/step)+1)
	for _, at := range s.at {
		out[int(at.Sub(s.first)/step)]++
	}
	return out
}

// rate is messages per second from the first arrival to the last.
func (s span) rate() float64 {
	if d := s.last.Sub(s.first).Seconds(); s.n() > 1 && d > 0 {
		return float64(s.n()-1) / d
	}
	return 0
}

func newArrivals() *arrivals { return &arrivals{seen: map[string]int{}} }

// add records a message to rcpt of n bytes, arrived now.
func (a *arrivals) add(rcpt string, n int64) {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.seen) == 0 {
		a.first = now
	}
	a.last = now
	if k := a.seen[rcpt]; k < len(a.waves) {
		a.waves[k].add(now)
	}
	a.seen[rcpt]++
	a.messages++
	a.bytes += n
}

// count returns the messages so far.
func (a *arrivals) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.messages
}

// byWave returns the spans of the recipients' first and second messages.
func (a *arrivals) byWave() [2]span {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.waves
}

// size returns the bytes of all messages so far.
func (a *arrivals) size() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.bytes
}

// snapshot returns the distinct recipients so far, the messages, and the
// first and last arrival.
func (a *arrivals) snapshot() (distinct, messages int, first, last time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.seen), a.messages, a.first, a.last
}

// smtpSink is a real SMTP server (emersion/go-smtp, which advertises
// PIPELINING and CHUNKING) on loopback that reads every message to its end
// and records its arrival, keeping nothing else.
type smtpSink struct {
	addr string
	got  *arrivals
}

func newSMTPSink(tb testing.TB) *smtpSink {
	tb.Helper()
	s := &smtpSink{got: newArrivals()}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) {
		return &sinkSession{sink: s}, nil
	}))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 1 << 20
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.addr = l.Addr().String()
	go srv.Serve(l) //nolint:errcheck // ends with Close
	tb.Cleanup(func() { srv.Close() })
	return s
}

// url is the sink's smtp:// URL, without STARTTLS.
func (s *smtpSink) url() string { return "smtp://" + s.addr + "?tls=none" }

type sinkSession struct {
	sink *smtpSink
	rcpt []string
}

func (ss *sinkSession) Reset()                                 { ss.rcpt = ss.rcpt[:0] }
func (ss *sinkSession) Logout() error                          { return nil }
func (ss *sinkSession) Mail(string, *gosmtp.MailOptions) error { return nil }

func (ss *sinkSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	ss.rcpt = append(ss.rcpt, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	for _, to := range ss.rcpt {
		ss.sink.got.add(to, n)
	}
	return nil
}

// writeBenchPatients writes n patients as FHIR NDJSON, each with one
// contact point: an email address, or a US mobile number when sms is set.
func writeBenchPatients(tb testing.TB, n int, sms bool) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "patients.ndjson")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range n {
		telecom := map[string]any{"system": "email", "value": benchEmail(i)}
		if sms {
			telecom = map[string]any{"system": "phone", "use": "mobile", "value": benchPhone(i)}
		}
		p := benchPatient(i, telecom)
		if err := enc.Encode(p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// benchPatient is the i-th bench patient, with telecom its one contact
// point: what writeBenchPatients writes and the live feed changes.
func benchPatient(i int, telecom map[string]any) map[string]any {
	return map[string]any{
		"resourceType": "Patient",
		"id":           fmt.Sprintf("bench-%d", i),
		"identifier":   []any{map[string]any{"system": "urn:bench:mrn", "value": fmt.Sprintf("B%07d", i)}},
		"name":         []any{map[string]any{"family": "Bench", "given": []string{givenNames["en"][i%len(givenNames["en"])]}}},
		"birthDate":    "1960-05-17",
		"telecom":      []any{telecom},
		"address":      []any{map[string]any{"state": "TX", "postalCode": "78701", "country": "US"}},
		"communication": []any{map[string]any{"preferred": true,
			"language": map[string]any{"coding": []any{map[string]any{"system": "urn:ietf:bcp:47", "code": "en"}}}}},
	}
}

func benchEmail(i int) string { return fmt.Sprintf("patient%d@bench.example", i) }

// benchPhone is a valid US mobile number (libphonenumber refuses 555).
// benchPhone is the i-th patient's mobile: 10,000 to an exchange from
// 512-410 on, never an N11 exchange (411 and 511 are not numbers: patients
// 10,000 to 19,999 once got 512-411-xxxx, which rapport rightly refused).
func benchPhone(i int) string { return phoneOnExchanges(410, i) }

// phoneOnExchanges is the i-th valid Austin mobile from exchange first on,
// 10,000 to an exchange, skipping the N11 exchanges, which are not numbers.
func phoneOnExchanges(first, i int) string {
	exch := first + i/10000
	for n11 := 211; n11 <= 911; n11 += 100 {
		if first <= n11 && exch >= n11 {
			exch++
		}
	}
	return fmt.Sprintf("+1512%03d%04d", exch, i%10000)
}

// procFigures are what /proc says of a process: its peak resident set and
// the CPU it used, user and system.
type procFigures struct {
	peakRSSKB int64
	cpu       time.Duration
}

// readProc reads VmHWM from /proc/PID/status and utime+stime from
// /proc/PID/stat (in clock ticks, 100 a second on Linux).
func readProc(pid int) (procFigures, error) {
	var f procFigures
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return f, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				f.peakRSSKB, _ = strconv.ParseInt(fields[0], 10, 64)
			}
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return f, err
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is field 3, utime 14 and stime 15.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return f, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	f.cpu = time.Duration(utime+stime) * 10 * time.Millisecond
	return f, nil
}

// sampleCPU reads the cores pid and this process use in each step until the
// returned function is called, which lists them: where a campaign was bound
// by the CPU and where by something else (the database's one writer).
func sampleCPU(pid int, step time.Duration) func() string {
	stop := make(chan struct{})
	done := make(chan string)
	go func() {
		var out strings.Builder
		t := time.NewTicker(step)
		defer t.Stop()
		p0, _ := readProc(pid)
		s0, _ := readProc(os.Getpid())
		for {
			select {
			case <-stop:
				done <- out.String()
				return
			case <-t.C:
			}
			p1, err := readProc(pid)
			s1, err2 := readProc(os.Getpid())
			if err != nil || err2 != nil {
				continue // the process gone: nothing more to read
			}
			fmt.Fprintf(&out, " %.2f/%.2f", float64(p1.cpu-p0.cpu)/float64(step), float64(s1.cpu-s0.cpu)/float64(step))
			p0, s0 = p1, s1
		}
	}()
	return func() string {
		close(stop)
		return <-done
	}
}
