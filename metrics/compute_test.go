package metrics_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// t0 is the launch of the hand-built campaign: Tuesday 2026-03-03 15:00 UTC,
// 09:00 in Chicago.
var t0 = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

// ledger builds a campaign's ledger by hand, event by event, in order.
type ledger struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	ids map[string]rapport.PatientID
}

func (l *ledger) patients(ps ...*rapport.Patient) {
	l.t.Helper()
	if err := l.db.InTx(l.ctx, func(tx *store.Tx) error { return tx.CreatePatients(l.ctx, ps) }); err != nil {
		l.t.Fatal(err)
	}
	for _, p := range ps {
		l.ids[p.Given] = p.ID
	}
}

// ev appends one event about the named patient ("" for none).
func (l *ledger) ev(who string, at time.Time, kind rapport.EventKind, ch rapport.Channel, campaign string, payload map[string]any) {
	l.t.Helper()
	p, _ := json.Marshal(payload)
	e := rapport.Event{PatientID: l.ids[who], At: at, Kind: kind, Channel: ch, Journey: "outreach", Campaign: campaign, Payload: p}
	if campaign == "" {
		e.Journey = ""
	}
	if err := l.db.InTx(l.ctx, func(tx *store.Tx) error { return tx.AppendEvents(l.ctx, e) }); err != nil {
		l.t.Fatal(err)
	}
}

// sent stores a sent message of the campaign, as the messages table has it.
func (l *ledger) sent(who string, ch rapport.Channel, to string, at time.Time, segments int, urgent bool, status rapport.MessageStatus) {
	l.t.Helper()
	m := &rapport.Message{PatientID: l.ids[who], Channel: ch, To: to, Purpose: rapport.PurposeOutreach, Body: "hello", Status: status,
		Segments: segments, Urgent: urgent, SentAt: at, NotBefore: at, Deadline: at.Add(time.Hour), Journey: "outreach", Campaign: "c1"}
	if err := l.db.InTx(l.ctx, func(tx *store.Tx) error { return tx.CreateMessages(l.ctx, []*rapport.Message{m}) }); err != nil {
		l.t.Fatal(err)
	}
}

func person(name, birth, lang string, rural bool) *rapport.Patient {
	return &rapport.Patient{Given: name, Family: "Test", BirthDate: birth, Language: lang, Rural: rural, TimeZone: "America/Chicago"}
}

// buildCampaign writes campaign c1: seven patients enrolled (A–G), four
// held out (H1–H4), and a patient X of another campaign c2.
func buildCampaign(t *testing.T, db *store.DB) *ledger {
	l := &ledger{t: t, ctx: context.Background(), db: db, ids: map[string]rapport.PatientID{}}
	l.patients(person("A", "1950-01-01", "es", true), person("B", "1990-06-15", "es", false), person("C", "1980-01-01", "en", false),
		person("D", "1970-01-01", "en", true), person("E", "2000-01-01", "en", false), person("F", "", "", false),
		person("G", "1960-05-05", "en", false), person("H1", "1955-01-01", "en", false), person("H2", "1955-01-01", "en", false),
		person("H3", "1955-01-01", "en", false), person("H4", "1955-01-01", "en", true), person("X", "1955-01-01", "en", false))
	h := time.Hour
	sms, voice, email := rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail
	l.ev("H2", t0.Add(-24*h), rapport.EventEngaged, "", "", map[string]any{"how": "booking"}) // before the launch: not lift
	l.ev("", t0, rapport.EventCampaignLaunched, "", "c1", map[string]any{"start_at": t0})
	for _, who := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		l.ev(who, t0, rapport.EventJourneyEnrolled, "", "c1", map[string]any{"trigger": "campaign", "step": "offer"})
	}
	for _, who := range []string{"H1", "H2", "H3", "H4"} {
		l.ev(who, t0, rapport.EventCampaignHoldout, "", "c1", nil)
	}
	for _, who := range []string{"A", "B", "C", "D"} {
		l.ev(who, t0, rapport.EventMessageSent, sms, "c1", map[string]any{"segments": 1})
	}
	l.ev("E", t0, rapport.EventMessageSent, voice, "c1", nil)
	l.ev("G", t0, rapport.EventMessageSent, email, "c1", nil)
	l.ev("F", t0, rapport.EventMessageSuppressed, "", "c1", map[string]any{"reason": "no usable contact point"})
	for _, who := range []string{"A", "B", "C"} {
		l.ev(who, t0.Add(h), rapport.EventMessageDelivered, sms, "c1", nil)
	}
	// E's call completed (it may have been a voicemail): no sign a person got it.
	l.ev("E", t0.Add(h), rapport.EventMessageDelivered, voice, "c1", nil)
	l.ev("D", t0.Add(h), rapport.EventMessageFailed, sms, "c1", nil)
	for _, who := range []string{"A", "B", "E", "G"} {
		l.ev(who, t0.Add(2*h), rapport.EventMessageReceived, sms, "c1", map[string]any{"intent": "free_text"})
	}
	l.ev("G", t0.Add(2*h), rapport.EventEngaged, "", "", map[string]any{"how": "booking"}) // before G declines
	l.ev("A", t0.Add(3*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "interested", "variant": "a"})
	l.ev("A", t0.Add(3*h), rapport.EventEngaged, "", "c1", map[string]any{"how": "outcome:interested"})
	l.ev("B", t0.Add(3*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined", "reason": "cost", "verbatim": "too expensive", "variant": "b"})
	l.ev("G", t0.Add(3*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined", "reason": "cost", "verbatim": "no money"})
	l.ev("E", t0.Add(3*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "opted_out"})
	l.ev("D", t0.Add(72*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "undeliverable"})
	l.ev("C", t0.Add(72*h), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "no_reply"})
	l.ev("H1", t0.Add(24*h), rapport.EventEngaged, "", "", map[string]any{"how": "booking"})
	l.ev("B", t0.Add(48*h), rapport.EventEngaged, "", "c1", map[string]any{"how": "positive_reply"})
	l.ev("C", t0.Add(96*h), rapport.EventEngaged, "", "", map[string]any{"how": "booking"})
	// Another campaign: X is contacted and declines; no part of c1.
	l.ev("X", t0, rapport.EventJourneyEnrolled, "", "c2", map[string]any{"trigger": "campaign"})
	l.ev("X", t0, rapport.EventMessageSent, sms, "c2", nil)
	l.ev("X", t0.Add(h), rapport.EventJourneyOutcome, "", "c2", map[string]any{"outcome": "declined", "reason": "no_time", "verbatim": "busy"})

	l.sent("A", sms, "+15122345601", t0, 1, false, rapport.MessageDelivered)
	l.sent("B", sms, "+15122345602", t0, 2, false, rapport.MessageDelivered)
	l.sent("C", sms, "+15122345603", t0, 1, false, rapport.MessageDelivered)
	l.sent("D", sms, "+15122345604", time.Date(2026, 3, 4, 8, 30, 0, 0, time.UTC), 1, false, rapport.MessageUndelivered) // 02:30 in Chicago
	l.sent("E", voice, "+15122345605", time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC), 0, true, rapport.MessageDelivered)   // 03:00, urgent outreach: counted, only care may be urgent
	l.sent("G", email, "g@example.com", t0, 0, false, rapport.MessageSent)
	return l
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestComputeCampaign(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		buildCampaign(t, db)
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		// Reached: A, B, C by an SMS receipt, E and G by a reply; D's SMS failed.
		// In a journey: A–G; F, never messaged, has no outcome yet.
		want := metrics.Funnel{Contacted: 6, Reached: 5, Replied: 4, Interested: 1, Declined: 2, NoReply: 1, OptedOut: 1, Undeliverable: 1,
			InJourney: 7, NoOutcome: 1}
		if r.Funnel != want {
			t.Errorf("funnel %+v, want %+v", r.Funnel, want)
		}
		if r.Patients != 11 || r.Enrolled != 7 {
			t.Errorf("patients %d enrolled %d, want 11 and 7", r.Patients, r.Enrolled)
		}
		// B declined then replied yes; C never answered and booked. G engaged only before declining.
		if r.EngagedDecliners != 2 {
			t.Errorf("engaged decliners %d, want 2", r.EngagedDecliners)
		}
		chicago, _ := time.LoadLocation("America/Chicago")
		wantDays := []metrics.Point{{Day: time.Date(2026, 3, 5, 0, 0, 0, 0, chicago), Value: 1}, {Day: time.Date(2026, 3, 7, 0, 0, 0, 0, chicago), Value: 2}}
		if len(r.EngagedDeclinersByDay) != 2 || !r.EngagedDeclinersByDay[0].Day.Equal(wantDays[0].Day) || r.EngagedDeclinersByDay[0].Value != 1 ||
			!r.EngagedDeclinersByDay[1].Day.Equal(wantDays[1].Day) || r.EngagedDeclinersByDay[1].Value != 2 {
			t.Errorf("engaged decliners by day %v, want %v", r.EngagedDeclinersByDay, wantDays)
		}
		if r.Holdout != (metrics.Holdout{Size: 4, Contacted: 0, Engaged: 1, EngagedCommon: 1}) {
			t.Errorf("holdout %+v", r.Holdout)
		}
		// Treatment: A, B, C, G engaged after the launch of 7; control: H1 of 4 (H2 engaged before).
		l := r.Lift
		if l.TreatedN != 7 || l.TreatedEngaged != 4 || l.ControlN != 4 || l.ControlEngaged != 1 || !l.Measurable {
			t.Errorf("lift groups %+v", l)
		}
		if !near(l.Estimate, 0.3214285714285714) || !near(l.CILow, -0.23934182989655106) || !near(l.CIHigh, 0.8821989727536939) ||
			!near(l.Treated, 4.0/7) || !near(l.Control, 0.25) {
			t.Errorf("lift %+v, want 0.3214 [-0.2393, 0.8822]", l)
		}
		if !reflect.DeepEqual(r.DeclineReasons, map[string]int{"cost": 2}) {
			t.Errorf("decline reasons %v", r.DeclineReasons)
		}
		if len(r.DeclineReasonDetails) != 1 || !reflect.DeepEqual(r.DeclineReasonDetails[0].Verbatims, []string{"too expensive", "no money"}) ||
			r.DeclineReasonDetails[0].Label != "cost" {
			t.Errorf("decline reason details %+v", r.DeclineReasonDetails)
		}
		wantSeg := map[string]metrics.Funnel{
			"rural":            {Contacted: 2, Reached: 1, Replied: 1, Interested: 1, Undeliverable: 1, InJourney: 2},
			"urban":            {Contacted: 4, Reached: 4, Replied: 3, Declined: 2, NoReply: 1, OptedOut: 1, InJourney: 5, NoOutcome: 1},
			"language:es":      {Contacted: 2, Reached: 2, Replied: 2, Interested: 1, Declined: 1, InJourney: 2},
			"language:en":      {Contacted: 4, Reached: 3, Replied: 2, Declined: 1, NoReply: 1, OptedOut: 1, Undeliverable: 1, InJourney: 4},
			"language:unknown": {InJourney: 1, NoOutcome: 1},
			"age:65-79":        {Contacted: 2, Reached: 2, Replied: 2, Interested: 1, Declined: 1, InJourney: 2},
			"age:35-49":        {Contacted: 2, Reached: 2, Replied: 1, Declined: 1, NoReply: 1, InJourney: 2},
			"age:50-64":        {Contacted: 1, Undeliverable: 1, InJourney: 1},
			"age:18-34":        {Contacted: 1, Reached: 1, Replied: 1, OptedOut: 1, InJourney: 1},
			"age:unknown":      {InJourney: 1, NoOutcome: 1},
			"channel:sms":      {Contacted: 4, Reached: 3, Replied: 2, Interested: 1, Declined: 1, NoReply: 1, Undeliverable: 1, InJourney: 4},
			"channel:voice":    {Contacted: 1, Reached: 1, Replied: 1, OptedOut: 1, InJourney: 1},
			"channel:email":    {Contacted: 1, Reached: 1, Replied: 1, Declined: 1, InJourney: 1},
			"channel:none":     {InJourney: 1, NoOutcome: 1},
			"variant:a":        {Contacted: 1, Reached: 1, Replied: 1, Interested: 1, InJourney: 1},
			"variant:b":        {Contacted: 1, Reached: 1, Replied: 1, Declined: 1, InJourney: 1},
		}
		for k, w := range wantSeg {
			if r.BySegment[k] != w {
				t.Errorf("segment %s: %+v, want %+v", k, r.BySegment[k], w)
			}
		}
		if len(r.BySegment) != len(wantSeg) {
			t.Errorf("segments %v, want the %d of the test", r.BySegment, len(wantSeg))
		}
		// Each message once: D's SMS failed after sending, G's email has no receipt.
		wantMsgs := metrics.Messages{Sent: 6, Delivered: 4, FailedAfterSending: 1, NoReceipt: 1, Failed: 1, Suppressed: 1, SMSSegments: 5,
			ByChannel: map[string]int{"sms": 4, "voice": 1, "email": 1}}
		if !reflect.DeepEqual(r.Messages, wantMsgs) {
			t.Errorf("messages %+v, want %+v", r.Messages, wantMsgs)
		}
		if r.QuietHoursViolations != 2 {
			t.Errorf("quiet hours violations %d, want 2 (D at 02:30 and urgent outreach E at 03:00 in Chicago)", r.QuietHoursViolations)
		}
	})
}

func TestComputeOverall(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		buildCampaign(t, db)
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		// X joins: contacted, declined for lack of time, never engaged.
		want := metrics.Funnel{Contacted: 7, Reached: 5, Replied: 4, Interested: 1, Declined: 3, NoReply: 1, OptedOut: 1, Undeliverable: 1,
			InJourney: 8, NoOutcome: 1}
		if r.Funnel != want {
			t.Errorf("funnel %+v, want %+v", r.Funnel, want)
		}
		if !reflect.DeepEqual(r.DeclineReasons, map[string]int{"cost": 2, "no_time": 1}) {
			t.Errorf("decline reasons %v", r.DeclineReasons)
		}
		if r.Patients != 12 || r.Enrolled != 8 || r.EngagedDecliners != 2 || r.Holdout.Size != 4 || r.Lift.TreatedN != 8 {
			t.Errorf("patients %d enrolled %d engaged decliners %d holdout %+v lift %+v", r.Patients, r.Enrolled, r.EngagedDecliners, r.Holdout, r.Lift)
		}
	})
}

func TestComputeWindow(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(7 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		buildCampaign(t, db)
		// The first two hours: sends, deliveries and failures, no replies or outcomes yet.
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", From: t0, To: t0.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// Before any reply only the SMS receipts reach: not G's sent email nor E's completed call.
		want := metrics.Funnel{Contacted: 6, Reached: 3, InJourney: 7, NoOutcome: 7}
		if r.Funnel != want || r.QuietHoursViolations != 0 || r.Messages.SMSSegments != 4 {
			t.Errorf("funnel %+v violations %d segments %d, want %+v, 0 and 4", r.Funnel, r.QuietHoursViolations, r.Messages.SMSSegments, want)
		}
	})
}

func TestWaldLift(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name           string
		e1, n1, e0, n0 int
		est, low, high float64
		measurable     bool
	}{
		{"known", 4, 7, 1, 4, 0.3214285714285714, -0.23934182989655106, 0.8821989727536939, true},
		{"equal rates", 50, 100, 5, 10, 0, -0.3250, 0.3250, true},
		{"all and none", 10, 10, 0, 10, 1, 1, 1, true},
		{"no control", 3, 10, 0, 0, 0, 0, 0, false},
		{"no treatment", 0, 0, 1, 5, 0, 0, 0, false},
	} {
		l := metrics.WaldLift(c.e1, c.n1, c.e0, c.n0)
		if l.Measurable != c.measurable || !near(l.Estimate, c.est) || math.Abs(l.CILow-c.low) > 1e-4 || math.Abs(l.CIHigh-c.high) > 1e-4 {
			t.Errorf("%s: %+v, want %v [%v, %v] measurable %v", c.name, l, c.est, c.low, c.high, c.measurable)
		}
	}
}

func TestAgeBand(t *testing.T) {
	t.Parallel()
	for age, want := range map[int]string{-1: "unknown", 0: "0-17", 17: "0-17", 18: "18-34", 34: "18-34", 35: "35-49", 49: "35-49",
		50: "50-64", 64: "50-64", 65: "65-79", 79: "65-79", 80: "80+", 104: "80+"} {
		if got := metrics.AgeBand(age); got != want {
			t.Errorf("AgeBand(%d) = %q, want %q", age, got, want)
		}
	}
}

// A reason once stated is the patient's reason in the report, though a
// later journey ends on a bare "no" or on silence.
func TestComputeKeepsStatedReason(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(t0.Add(40 * 24 * time.Hour)) }, func(t *testing.T, db *store.DB) {
		l := buildCampaign(t, db)
		l.ev("G", t0.Add(30*24*time.Hour), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined"})
		l.ev("B", t0.Add(30*24*time.Hour), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined", "reason": "no_time", "verbatim": "too busy now"})
		r, err := metrics.Compute(context.Background(), db, metrics.Filter{Campaign: "c1", QuietHours: rules.DefaultWindow, OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"cost": 1, "no_time": 1}; !reflect.DeepEqual(r.DeclineReasons, want) {
			t.Errorf("decline reasons %v, want %v (G's bare no keeps cost; B's new reason replaces it)", r.DeclineReasons, want)
		}
	})
}
