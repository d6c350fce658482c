package linelookup_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/linelookup"
	"github.com/rapporthq/rapport/store"
)

var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// stub answers from a table and counts what it was asked.
type stub struct {
	clock rapport.Clock
	mu    sync.Mutex
	types map[string]string // number → provider type
	errs  map[string]error  // number → failure, used once
	asked map[string]int
	onAsk func(n int) // called with the count of questions so far
	total int
}

func (s *stub) LineType(ctx context.Context, number string) (rapport.LineLookup, error) {
	s.mu.Lock()
	s.asked[number]++
	s.total++
	n := s.total
	err := s.errs[number]
	delete(s.errs, number)
	s.mu.Unlock()
	if s.onAsk != nil {
		s.onAsk(n)
	}
	if ctx.Err() != nil {
		return rapport.LineLookup{}, &channel.Error{Kind: channel.ErrRetryable, Msg: ctx.Err().Error()}
	}
	if err != nil {
		return rapport.LineLookup{}, err
	}
	t := s.types[number]
	return rapport.LineLookup{Number: number, Provider: "twilio", ProviderType: t, LineType: lineTypes[t], LookedUpAt: s.clock.Now()}, nil
}

var lineTypes = map[string]rapport.LineType{"mobile": rapport.LineMobile, "landline": rapport.LineLandline}

func (s *stub) count(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked[number]
}

type setup struct {
	ctx    context.Context
	db     *store.DB
	clock  *rapport.ManualClock
	stub   *stub
	runner *linelookup.Runner
}

func newSetup(t *testing.T, db *store.DB, numbers ...string) *setup {
	t.Helper()
	s := &setup{ctx: context.Background(), db: db, clock: db.Clock().(*rapport.ManualClock)}
	s.stub = &stub{clock: s.clock, types: map[string]string{}, errs: map[string]error{}, asked: map[string]int{}}
	s.runner = &linelookup.Runner{DB: db, Provider: s.stub, Source: "twilio", Name: "Twilio Lookup",
		Config: linelookup.Config{Rate: 10_000, Batch: 2}}
	var ps []*rapport.Patient
	for i, n := range numbers {
		ps = append(ps, &rapport.Patient{Given: string(rune('A' + i)), Family: "Diaz", Contacts: []rapport.ContactPoint{
			{Kind: rapport.ContactPhone, Raw: n, Value: n, Use: rapport.UseMobile, LineType: rapport.LineFixedMobile,
				Status: rapport.StatusUnverified, Source: rapport.SourceImport}}})
	}
	if err := db.InTx(s.ctx, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, ps) }); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *setup) run(t *testing.T) linelookup.Report {
	t.Helper()
	rep, err := s.runner.Run(s.ctx, s.clock.Now())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

// contacts returns the phone contact points holding number.
func (s *setup) contacts(t *testing.T, number string) []rapport.ContactPoint {
	t.Helper()
	var cps []rapport.ContactPoint
	if err := s.db.InTx(s.ctx, func(tx *store.Tx) (err error) {
		cps, err = tx.FindContactPointsByValue(s.ctx, rapport.ContactPhone, number)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return cps
}

func (s *setup) cached(t *testing.T, number string) rapport.LineLookup {
	t.Helper()
	var got map[string]rapport.LineLookup
	if err := s.db.InTx(s.ctx, func(tx *store.Tx) (err error) {
		got, err = tx.FindLineLookups(s.ctx, []string{number})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got[number]
}

// TestRunLandlineRecordedAsMobile: a landline recorded as a mobile on two
// patients is asked about once, becomes a landline on both with the
// provider and date as the reason and a ledger event; the answer is cached,
// not asked again within the maximum age, and asked again after it.
func TestRunLandlineRecordedAsMobile(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		const landline, mobile = "+15125550110", "+15125550122"
		s := newSetup(t, db, landline, landline, mobile)
		s.stub.types[landline], s.stub.types[mobile] = "landline", "mobile"
		rep := s.run(t)
		if rep.Asked != 2 || rep.Answered != 2 || rep.Changed != 3 {
			t.Errorf("first run %+v; want 2 numbers asked and answered, 3 contact points changed", rep)
		}
		for _, cp := range s.contacts(t, landline) {
			if cp.LineType != rapport.LineLandline || cp.StatusReason != "Twilio Lookup 2026-03-02: landline" {
				t.Errorf("landline's contact point: %q (%q)", cp.LineType, cp.StatusReason)
			}
			evs, err := db.FindEvents(s.ctx, rapport.EventFilter{PatientID: cp.PatientID, Kind: rapport.EventContactStatus})
			var payload map[string]string
			if err != nil || len(evs) != 1 || json.Unmarshal(evs[0].Payload, &payload) != nil || payload["line_type"] != "landline" {
				t.Errorf("ledger: %v %v; want one line-type event", evs, err)
			}
		}
		if cps := s.contacts(t, mobile); cps[0].LineType != rapport.LineMobile {
			t.Errorf("mobile: %q", cps[0].LineType)
		}
		if l := s.cached(t, landline); !l.LookedUpAt.Equal(start) || l.Carrier != "" || l.ProviderType != "landline" || l.Attempts != 0 {
			t.Errorf("cached %+v", l)
		}

		// A patient imported later with the landline gets the cached
		// answer without a question to the provider.
		late := &rapport.Patient{Given: "Late", Family: "Diaz", Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: landline,
			Value: landline, Use: rapport.UseMobile, LineType: rapport.LineFixedMobile, Status: rapport.StatusUnverified, Source: rapport.SourceImport}}}
		if err := db.InTx(s.ctx, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{late}) }); err != nil {
			t.Fatal(err)
		}
		s.clock.Advance(89 * 24 * time.Hour)
		if rep := s.run(t); rep.Asked != 0 || rep.Changed != 1 {
			t.Errorf("within the maximum age: %+v, want nothing asked and the late contact point changed", rep)
		}
		for _, cp := range s.contacts(t, landline) {
			if cp.LineType != rapport.LineLandline || cp.StatusReason != "Twilio Lookup 2026-03-02: landline" {
				t.Errorf("after the late import: %q (%q)", cp.LineType, cp.StatusReason)
			}
		}
		s.clock.Advance(2 * 24 * time.Hour)
		if rep := s.run(t); rep.Asked != 2 || s.stub.count(landline) != 2 {
			t.Errorf("after the maximum age: %+v, want both asked again", rep)
		}
	})
}

// TestRunFailures: a failure waits for its backoff; a throttled answer
// ends the run and its number waits for Retry-After, the rest stay due;
// refused credentials end the run with an error; an answer after failures
// clears them.
func TestRunFailures(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		const a, b, c, d = "+15125550131", "+15125550132", "+15125550133", "+15125550134"
		s := newSetup(t, db, a, b, c, d)
		s.stub.errs[a] = &channel.Error{Kind: channel.ErrRetryable, Code: "20503", Msg: "Service Unavailable"}
		s.stub.errs[b] = &channel.Error{Kind: channel.ErrRetryable, Code: "20429", Msg: "Too Many Requests", RetryAfter: 30 * time.Second}
		s.stub.errs[c] = &channel.Error{Kind: channel.ErrBadAddress, Code: "20001", Msg: "Bad Request"}
		rep := s.run(t)
		if rep.Asked != 2 || rep.Failed != 2 || !rep.Throttled {
			t.Fatalf("run %+v; want a failed, b throttled and the run ended", rep)
		}
		if l := s.cached(t, a); l.Attempts != 1 || !l.RetryAt.Equal(start.Add(10*time.Minute)) || !strings.Contains(l.LastError, "Service Unavailable") {
			t.Errorf("a after a failure: %+v", l)
		}
		if l := s.cached(t, b); l.Attempts != 1 || !l.RetryAt.Equal(start.Add(30*time.Second)) {
			t.Errorf("b after 429: %+v, want a retry after 30s", l)
		}
		if s.stub.count(c) != 0 || s.stub.count(d) != 0 {
			t.Error("the run went on after a 429")
		}

		s.clock.Advance(time.Minute) // b's Retry-After passed, a's backoff not
		if rep := s.run(t); rep.Asked != 3 || rep.Failed != 1 || s.stub.count(a) != 1 {
			t.Errorf("after a minute: %+v (a asked %d times), want b, c (refused, the run going on) and d", rep, s.stub.count(a))
		}
		s.clock.Advance(9*time.Minute + 30*time.Second) // a's backoff passed, c's (from a minute later) not
		if rep := s.run(t); rep.Asked != 1 || rep.Answered != 1 {
			t.Errorf("after the backoff: %+v, want a asked", rep)
		}
		if l := s.cached(t, a); l.Attempts != 0 || l.LastError != "" || l.LookedUpAt.IsZero() {
			t.Errorf("a answered: %+v, want failures cleared", l)
		}

		s.clock.Advance(100 * 24 * time.Hour)
		s.stub.errs[a] = &channel.Error{Kind: channel.ErrPermanent, Code: "20003", Msg: "Authenticate"}
		if _, err := s.runner.Run(s.ctx, s.clock.Now()); err == nil || !strings.Contains(err.Error(), "Authenticate") {
			t.Errorf("refused credentials: %v, want the run to fail", err)
		}
		if s.stub.count(b) != 2 {
			t.Errorf("the run went on after refused credentials")
		}
		if l := s.cached(t, a); l.ProviderType != "" || l.Attempts != 1 || l.LookedUpAt.IsZero() {
			t.Errorf("a after refused credentials: %+v, want the earlier answer kept with one attempt", l)
		}
	})
}

// TestRunCrashLosesNothing: a run stopped mid-batch keeps the answers it
// wrote and the number it was asking stays due; the next run finishes and
// no number is asked more than twice.
func TestRunCrashLosesNothing(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		numbers := []string{"+15125550141", "+15125550142", "+15125550143", "+15125550144", "+15125550145"}
		s := newSetup(t, db, numbers...)
		for _, n := range numbers {
			s.stub.types[n] = "landline"
		}
		ctx, cancel := context.WithCancel(s.ctx)
		s.stub.onAsk = func(n int) {
			if n == 4 {
				cancel()
			}
		}
		rep, err := s.runner.Run(ctx, s.clock.Now())
		if err != nil || rep.Answered != 3 {
			t.Fatalf("stopped run: %+v, %v; want three answers", rep, err)
		}
		s.stub.onAsk = nil
		if rep := s.run(t); rep.Asked != 2 || rep.Answered != 2 {
			t.Errorf("next run %+v, want the two left", rep)
		}
		for _, n := range numbers {
			if cps := s.contacts(t, n); cps[0].LineType != rapport.LineLandline || s.stub.count(n) > 2 {
				t.Errorf("%s: %q, asked %d times", n, cps[0].LineType, s.stub.count(n))
			}
		}
	})
}

// TestRunPacesItself: at Rate a second, n numbers take at least (n-1)/Rate
// seconds, however fast the provider answers.
func TestRunPacesItself(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, store.SQLite, rapport.NewManualClock(start))
	numbers := []string{"+15125550151", "+15125550152", "+15125550153", "+15125550154", "+15125550155", "+15125550156"}
	s := newSetup(t, db, numbers...)
	s.runner.Config.Rate = 50 // one every 20 ms
	began := time.Now()
	if rep := s.run(t); rep.Asked != len(numbers) {
		t.Fatalf("run %+v", rep)
	}
	if d := time.Since(began); d < 100*time.Millisecond {
		t.Errorf("6 look-ups at 50 a second took %v, want at least 100ms", d)
	}
}
