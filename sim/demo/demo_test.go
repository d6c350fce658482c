package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestSmallDemo runs the demo at 200 patients and 30 days on SQLite and
// checks the invariants of its report against the ledger.
func TestSmallDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := Config{Patients: 200, Days: 30, Seed: 3, DB: "sqlite:" + filepath.Join(dir, "rapport.db"),
		BaselineDB: "sqlite:" + filepath.Join(dir, "baseline.db")}
	var mu sync.Mutex
	var days []int
	cfg.Progress = func(strategy string, day, n int) {
		mu.Lock()
		defer mu.Unlock()
		if strategy == StrategyRapport {
			days = append(days, day)
		}
	}
	began := time.Now()
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo of 200 patients and 30 days in %s", time.Since(began))
	if len(days) == 0 || days[len(days)-1] != 30 {
		t.Errorf("progress ended at %v, want day 30", days)
	}

	for name, c := range map[string]struct {
		rep      *metrics.Report
		dsn      string
		campaign string
		journey  string
	}{
		StrategyRapport:  {&res.Rapport, cfg.DB, res.Campaign, "outreach"},
		StrategyBaseline: {&res.Baseline, cfg.BaselineDB, res.BaselineCampaign, "baseline-once"},
	} {
		t.Run(name, func(t *testing.T) {
			r := c.rep
			f := r.Funnel
			if f.Contacted == 0 {
				t.Fatal("nobody was contacted")
			}
			if !(f.Contacted >= f.Reached && f.Reached >= f.Replied && f.Replied >= f.Interested) {
				t.Errorf("funnel does not narrow: %+v", f)
			}
			if sum := f.Interested + f.Declined + f.NoReply + f.OptedOut + f.Undeliverable; sum > f.Contacted+f.Undeliverable {
				t.Errorf("outcomes %d exceed contacted %d + undeliverable %d: %+v", sum, f.Contacted, f.Undeliverable, f)
			}
			if seg := r.BySegment["rural"].Contacted + r.BySegment["urban"].Contacted; seg > f.Contacted {
				t.Errorf("rural + urban contacted = %d > %d", seg, f.Contacted)
			}
			if r.QuietHoursViolations != 0 {
				t.Errorf("%d messages sent in quiet hours", r.QuietHoursViolations)
			}
			if r.Holdout.Size == 0 || r.Holdout.Contacted != 0 {
				t.Errorf("hold-out %+v: want some patients, none contacted", r.Holdout)
			}
			if r.EngagedDecliners < 0 || r.EngagedDecliners > f.Declined+f.NoReply+f.Interested {
				t.Errorf("engaged decliners %d out of range (funnel %+v)", r.EngagedDecliners, f)
			}
			d := r.DeclinersSince
			if d.EngagedLater+d.OptedOutLater+d.StillDeclining+d.StillSilent != d.Declined+d.NoReply || d.EngagedLater != r.EngagedDecliners {
				t.Errorf("decliners since %+v: want a partition of the first decliners, engaged later = %d engaged decliners", d, r.EngagedDecliners)
			}
			if d.Declined < f.Declined {
				t.Errorf("%d declined first, fewer than the %d whose latest outcome is a decline", d.Declined, f.Declined)
			}
			if r.CommonLift.TreatedN != r.Lift.TreatedN || r.CommonLift.TreatedEngaged > r.Lift.TreatedEngaged {
				t.Errorf("common-outcome lift %+v against any engagement %+v", r.CommonLift, r.Lift)
			}
			checkLedger(t, ctx, c.dsn, c.campaign, c.journey)
		})
	}
	if res.Rapport.Messages.Sent <= res.Baseline.Messages.Sent {
		t.Errorf("rapport sent %d messages, the one-shot baseline %d: want more (retry and nurture)", res.Rapport.Messages.Sent, res.Baseline.Messages.Sent)
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"patients", "funnel", "engaged_decliners", "first_outcomes", "decliners_since", "holdout", "lift", "lift_common_outcome", "decline_reasons", "by_segment", "messages", "quiet_hours_violations", "baseline"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	var text bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "ENGAGED DECLINERS") || !strings.Contains(text.String(), "one-shot baseline") ||
		!strings.Contains(text.String(), "on a common outcome") || !strings.Contains(text.String(), "declined first") {
		t.Errorf("text report:\n%s", text.String())
	}
}

// checkLedger reopens a demo database and checks, from the ledger alone,
// that every patient enrolled in the campaign's journey has exactly one
// outcome of it — or none and an enrollment still under way when the run
// ended — and that no held-out patient was sent a campaign message.
func checkLedger(t *testing.T, ctx context.Context, dsn, campaign, journeyID string) {
	t.Helper()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events := func(kind rapport.EventKind) []rapport.Event {
		var out []rapport.Event
		var after int64
		for {
			evs, err := db.FindEvents(ctx, rapport.EventFilter{Kind: kind, Campaign: campaign, AfterSeq: after, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, evs...)
			if len(evs) < 1000 {
				return out
			}
			after = evs[len(evs)-1].Seq
		}
	}
	outcomes := map[rapport.PatientID]int{}
	for _, e := range events(rapport.EventJourneyOutcome) {
		if e.Journey == journeyID {
			outcomes[e.PatientID]++
		}
	}
	ens, err := db.FindCampaignEnrollments(ctx, campaign)
	if err != nil {
		t.Fatal(err)
	}
	enrolled, live := 0, 0
	for _, en := range ens {
		if en.Journey != journeyID {
			continue
		}
		enrolled++
		n := outcomes[en.PatientID]
		switch {
		case n == 1:
		case n == 0 && (en.Status == rapport.EnrollmentActive || en.Status == rapport.EnrollmentWaiting):
			live++
		default:
			t.Errorf("patient %s: %d outcomes of %s, enrollment %s", en.PatientID, n, journeyID, en.Status)
		}
	}
	if enrolled == 0 || live > enrolled/4 {
		t.Errorf("%d enrolled in %s, %d still under way: want most finished", enrolled, journeyID, live)
	}
	held := map[rapport.PatientID]bool{}
	for _, e := range events(rapport.EventCampaignHoldout) {
		held[e.PatientID] = true
	}
	if len(held) == 0 {
		t.Error("no hold-out events")
	}
	sent := events(rapport.EventMessageSent)
	if len(sent) == 0 {
		t.Error("no message.sent events carry the campaign")
	}
	for _, e := range sent {
		if held[e.PatientID] {
			t.Errorf("held-out patient %s was sent a message of the campaign", e.PatientID)
		}
	}
	for _, en := range ens {
		if held[en.PatientID] {
			t.Errorf("held-out patient %s is enrolled in %s", en.PatientID, en.Journey)
		}
	}
}
