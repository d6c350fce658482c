package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

func TestCampaignCommands(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	code, out, errOut := run(t, nil, "campaign", "launch", "--db", db, "--journey", "outreach", "--holdout", "10", "--throttle", "500",
		"--start", "2026-12-01T09:00:00Z", "--name", "Winter BP", "--segment", "rural && age >= 65")
	if code != 0 || !strings.Contains(errOut, "launches at 2026-12-01T09:00:00Z") {
		t.Fatalf("launch: %d %q %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)

	code, out, _ = run(t, nil, "campaign", "list", "--db", db)
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "scheduled") || !strings.Contains(out, "Winter BP") {
		t.Errorf("list: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "campaign", "show", id, "--db", db)
	for _, want := range []string{"rural && age >= 65", "hold-out  10%  throttle 500/h", "still in the journey 0", "ENGAGED DECLINERS  0", "CONTACT", "OUTCOMES"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show: %d, want %q in\n%s", code, want, out)
		}
	}
	for _, step := range []struct {
		action, want string
		code         int
	}{{"pause", "paused", 0}, {"resume", "scheduled", 0}, {"cancel", "cancelled", 0}, {"pause", "is cancelled", 1}} { // resumed before its start: scheduled again
		code, out, errOut := run(t, nil, "campaign", step.action, id, "--db", db)
		if code != step.code || !strings.Contains(out+errOut, step.want) {
			t.Errorf("%s: %d %q %q, want %d and %q", step.action, code, out, errOut, step.code, step.want)
		}
	}
}

func TestCampaignUsage(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"campaign"}, 2, "usage: rapport campaign launch"},
		{[]string{"campaign", "launch", "--db", db}, 2, "needs --journey"},
		{[]string{"campaign", "launch", "--db", db, "--journey", "outreach", "--start", "soon"}, 2, `--start "soon"`},
		{[]string{"campaign", "show", "--db", db}, 2, "usage"},
		{[]string{"campaign", "explode", "x", "--db", db}, 2, "usage"},
		{[]string{"campaign", "launch", "--db", db, "--journey", "nope"}, 1, "journey nope"},
		{[]string{"campaign", "launch", "--db", db, "--journey", "outreach", "--holdout", "100"}, 1, "holdout_percent"},
		{[]string{"campaign", "launch", "--db", db, "--journey", "outreach", "--segment", "age >"}, 1, "expression"},
		{[]string{"campaign", "show", "nope", "--db", db}, 1, "not found"},
		{[]string{"report", "--format", "xml", "--db", db}, 2, "usage: rapport report"},
		{[]string{"report", "extra", "--db", db}, 2, "usage: rapport report"},
		{[]string{"report", "--campaign", "nope", "--db", db}, 1, "not found"},
	} {
		code, _, errOut := run(t, nil, c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: %d %q, want %d and %q", c.args, code, errOut, c.code, c.err)
		}
	}
}

// TestReport writes a small ledger for a launched campaign and reads it
// back as text and JSON.
func TestReport(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "r.db")
	code, out, errOut := run(t, nil, "campaign", "launch", "--db", "sqlite:"+path, "--journey", "outreach", "--holdout", "50")
	if code != 0 {
		t.Fatalf("launch: %d %s", code, errOut)
	}
	id := strings.TrimSpace(out)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, "sqlite:"+path, rapport.NewManualClock(now))
	if err != nil {
		t.Fatal(err)
	}
	ps := []*rapport.Patient{{Given: "Ana", Family: "R", Rural: true, Language: "es"}, {Given: "Ben", Family: "U", Language: "en"}, {Given: "Cy", Family: "H"}}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(ctx, ps); err != nil {
			return err
		}
		ev := func(p *rapport.Patient, at time.Duration, kind rapport.EventKind, payload string) rapport.Event {
			return rapport.Event{PatientID: p.ID, At: now.Add(at), Kind: kind, Channel: rapport.ChannelSMS, Journey: "outreach", Campaign: id, Payload: []byte(payload)}
		}
		return tx.AppendEvents(ctx,
			ev(ps[0], 0, rapport.EventJourneyEnrolled, `{"trigger":"campaign"}`), ev(ps[1], 0, rapport.EventJourneyEnrolled, `{"trigger":"campaign"}`),
			ev(ps[2], 0, rapport.EventCampaignHoldout, `{}`),
			ev(ps[0], time.Minute, rapport.EventMessageSent, `{}`), ev(ps[1], time.Minute, rapport.EventMessageSent, `{}`),
			ev(ps[0], time.Hour, rapport.EventMessageDelivered, `{}`), ev(ps[0], time.Hour, rapport.EventMessageReceived, `{}`),
			ev(ps[0], 2*time.Hour, rapport.EventJourneyOutcome, `{"outcome":"declined","reason":"cost","verbatim":"it costs\u001b[31m too much"}`),
			ev(ps[1], 72*time.Hour, rapport.EventJourneyOutcome, `{"outcome":"no_reply"}`),
			ev(ps[0], 96*time.Hour, rapport.EventEngaged, `{"how":"booking"}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut = run(t, nil, "report", "--campaign", id, "--db", "sqlite:"+path, "--format", "json")
	var r metrics.Report
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("report json: %d %s %s", code, out, errOut)
	}
	want := metrics.Funnel{Contacted: 2, Reached: 1, Replied: 1, Declined: 1, NoReply: 1, InJourney: 2}
	if r.Funnel != want || r.EngagedDecliners != 1 || r.Holdout.Size != 1 || r.Enrolled != 2 || r.DeclineReasons["cost"] != 1 ||
		r.CommonLift.TreatedEngaged != 1 || !r.CommonLift.Measurable || r.DeclinersSince.Declined != 1 {
		t.Errorf("report: %+v", r)
	}

	code, out, _ = run(t, nil, "report", "--campaign", id, "--db", "sqlite:"+path)
	lines := strings.Split(out, "\n")
	if code != 0 || lines[1] != metrics.EngagedDeclinerDefinition || !strings.HasPrefix(lines[4], "ENGAGED DECLINERS  1") {
		t.Fatalf("the definition of an engaged decliner, then the headline, come first:\n%s", out)
	}
	half := strings.Repeat("█", 15) + strings.Repeat("·", 15)
	for _, want := range []string{
		"CONTACT (patients; % of the 2 contacted)",
		"contacted            2 " + strings.Repeat("█", 30) + " 100% of contacted",
		"reached              1 " + half + "  50% of contacted",
		// replied and did not reply add up to contacted
		"replied              1 " + half + "  50% of contacted",
		"did not reply        1 " + half + "  50% of contacted",
		// the outcomes add up to the patients in a journey
		"OUTCOMES (patients' latest; % of the 2 in a journey, the rows add up to them)",
		"declined             1 " + half + "  50% of in a journey",
		"no reply             1 " + half + "  50% of in a journey",
		"no outcome yet       0 " + strings.Repeat("·", 30) + "   0% of in a journey",
		"DECLINE REASONS (the latest reason stated by each of the 1 patients who declined)",
		"reason                 patients  examples",
		"cost                          1  “it costs\\x1b[31m too much”",
		"sent 2 = delivered 1 + failed after sending 0 + no receipt yet 1",
		"rural                   1 / 1      " + strings.Repeat("█", 30) + " 100%",
		"urban                   0 / 1      " + strings.Repeat("·", 30) + "   0%",
		"lift      +50.0 points (95% CI -19.3 to +119.3, Wald)",
		"on a common outcome",
		"declined first 1 · silent first 1",
		"engaged later 1 (common outcome 1) · opted out later 0 · still declining 0 · still silent 1",
		"hold-out contacted: 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}

	// Each report quoted Ana's words: two reads of her data, by the CLI;
	// nobody else was quoted.
	db, err = store.Open(ctx, "sqlite:"+path, rapport.NewManualClock(now))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as, err := db.FindAudit(ctx, rapport.AuditFilter{Actor: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].PatientID != ps[0].ID || as[1].PatientID != ps[0].ID || as[0].Resource != "Report/verbatim" {
		t.Errorf("audit of the reports: %+v, want two reads of %s's verbatim", as, ps[0].ID)
	}
}
