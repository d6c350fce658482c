package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/journeys"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// setupCampaigns is setup with the journey engine and its workers, and the
// API mounted with Journeys and Metrics.
func setupCampaigns(t *testing.T, d store.Dialect) *env {
	t.Helper()
	e, eng := newEnv(t, d, true)
	report := func(ctx context.Context, f metrics.Filter) (*metrics.Report, error) {
		f.QuietHours, f.OrgTimeZone = rules.DefaultWindow, "America/Chicago"
		return metrics.Compute(ctx, e.db, f)
	}
	e.serve(api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock, Journeys: eng, Metrics: report, Registry: eng})
	return e
}

// hypertensive creates n patients in outreach's segment (hypertension) with a mobile each.
func (e *env) hypertensive(n int) {
	e.t.Helper()
	err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
		for i := range n {
			phone := fmt.Sprintf("+1512%07d", 3000000+i)
			p := &rapport.Patient{Given: "Pat", Family: fmt.Sprint(i), Language: "en", TimeZone: "America/Chicago", Contacts: []rapport.ContactPoint{
				{Kind: rapport.ContactPhone, Value: phone, Raw: phone, Use: rapport.UseMobile, LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}}
			if err := tx.CreatePatients(e.ctx, []*rapport.Patient{p}); err != nil {
				return err
			}
			if err := tx.SaveCondition(e.ctx, &rapport.Condition{PatientID: p.ID, Code: rapport.Code{Code: "I10"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// settle moves the clock a minute (wake jobs are on the minute) and waits.
func (e *env) settle() {
	e.t.Helper()
	e.idle()
	e.clock.Advance(time.Minute)
	if _, err := e.q.PromoteDue(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	e.idle()
}

func TestCampaignLifecycle(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		e.hypertensive(10)
		a := e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "holdout_percent": 30, "name": "Spring BP"})
		if a.status != http.StatusCreated {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
		var c api.CampaignView
		a.into(t, &c)
		if c.ID == "" || c.Status != rapport.CampaignScheduled || c.Name != "Spring BP" || c.HoldoutPercent != 30 || c.Version != shippedVersion(t, "outreach") {
			t.Fatalf("created %+v", c.Campaign)
		}
		e.settle()

		a = e.do("GET", "/api/v1/campaigns/"+c.ID, e.staff, nil)
		var got api.CampaignView
		a.into(t, &got)
		if a.status != http.StatusOK || got.Status != rapport.CampaignRunning || got.Live != got.Enrolled || got.Enrolled+got.HeldOut != 10 || got.Report == nil {
			t.Fatalf("get: %d %s", a.status, a.body)
		}
		if got.Report.Campaign != c.ID || got.Report.Enrolled != got.Enrolled || got.Report.Holdout.Size != got.HeldOut ||
			got.Report.Funnel.Contacted != got.Enrolled || got.Report.Holdout.Contacted != 0 {
			t.Errorf("report %+v of campaign %+v", got.Report, got.Campaign)
		}

		var rep metrics.Report
		a = e.do("GET", "/api/v1/metrics/campaigns/"+c.ID, e.staff, nil)
		a.into(t, &rep)
		if a.status != http.StatusOK || rep.Funnel != got.Report.Funnel {
			t.Errorf("campaign metrics: %d %s", a.status, a.body)
		}
		var all metrics.Report
		a = e.do("GET", "/api/v1/metrics", e.admin, nil)
		a.into(t, &all)
		if a.status != http.StatusOK || all.Campaign != "" || all.Funnel.Contacted != got.Enrolled {
			t.Errorf("overall metrics: %d %s", a.status, a.body)
		}

		for _, step := range []struct {
			action string
			status int
			want   rapport.CampaignStatus
		}{
			{"pause", 200, rapport.CampaignPaused},
			{"pause", 200, rapport.CampaignPaused},
			{"resume", 200, rapport.CampaignLaunching}, // the launch job finishes what a pause cut short
			{"cancel", 200, rapport.CampaignCancelled},
			{"resume", 409, ""},
		} {
			a := e.do("POST", "/api/v1/campaigns/"+c.ID+"/"+step.action, e.staff, nil)
			if a.status != step.status {
				t.Fatalf("%s: %d %s, want %d", step.action, a.status, a.body, step.status)
			}
			if step.want != "" {
				var v api.CampaignView
				a.into(t, &v)
				if v.Status != step.want {
					t.Errorf("%s: status %s, want %s", step.action, v.Status, step.want)
				}
			}
		}
		// Cancelled: no enrollment of it is live.
		ens, err := e.db.FindCampaignEnrollments(e.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range ens {
			if en.Status == rapport.EnrollmentActive || en.Status == rapport.EnrollmentWaiting {
				t.Errorf("enrollment %s still %s after cancel", en.ID, en.Status)
			}
		}
	})
}

// TestCampaignStatusIsTrue: a launched campaign is running while an
// enrollment lives and done when none does, in GET /campaigns/{id} and in
// the list, whatever the stored status.
func TestCampaignStatusIsTrue(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		e.hypertensive(3)
		var c api.CampaignView
		e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach"}).into(t, &c)
		e.settle()
		status := func() (api.CampaignView, api.CampaignView) {
			t.Helper()
			var one api.CampaignView
			var page api.CampaignPage
			e.do("GET", "/api/v1/campaigns/"+c.ID, e.staff, nil).into(t, &one)
			e.do("GET", "/api/v1/campaigns", e.staff, nil).into(t, &page)
			if len(page.Campaigns) != 1 {
				t.Fatalf("list: %+v", page)
			}
			return one, page.Campaigns[0]
		}
		if one, listed := status(); one.Status != rapport.CampaignRunning || listed.Status != rapport.CampaignRunning || one.Live != 3 || listed.Live != 3 {
			t.Fatalf("launched, waiting for replies: %s (%d live), listed %s (%d live), want running (3 live)", one.Status, one.Live, listed.Status, listed.Live)
		}
		ens, err := e.db.FindCampaignEnrollments(e.ctx, c.ID)
		if err != nil || len(ens) != 3 {
			t.Fatalf("enrollments %d, %v", len(ens), err)
		}
		for i, en := range ens { // the journeys end, one by one
			en.Status = rapport.EnrollmentDone
			if err := e.db.InTx(e.ctx, func(tx *store.Tx) error { return tx.UpdateEnrollment(e.ctx, en) }); err != nil {
				t.Fatal(err)
			}
			want := rapport.CampaignRunning
			if i == len(ens)-1 {
				want = rapport.CampaignDone
			}
			if one, listed := status(); one.Status != want || listed.Status != want || one.Live != 2-i {
				t.Errorf("%d of 3 enrollments ended: %s, listed %s, %d live; want %s", i+1, one.Status, listed.Status, one.Live, want)
			}
		}
	})
}

// TestCampaignList: newest first, a page at a time by the next link, for
// staff only.
func TestCampaignList(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		var made []string
		for i := range 3 {
			var c api.CampaignView
			e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "name": fmt.Sprint("c", i)}).into(t, &c)
			made = append(made, c.ID)
			e.clock.Advance(time.Second)
		}
		var got []string
		path := "/api/v1/campaigns?limit=2"
		for pages := 0; path != ""; pages++ {
			if pages > 3 {
				t.Fatalf("more pages than campaigns: %v", got)
			}
			var page api.CampaignPage
			a := e.do("GET", path, e.staff, nil)
			a.into(t, &page)
			if a.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, a.status, a.body)
			}
			for _, c := range page.Campaigns {
				got = append(got, c.ID)
				if c.Journey != "outreach" || c.Status == "" || c.CreatedAt.IsZero() || c.Report != nil {
					t.Errorf("listed %+v", c)
				}
			}
			path = page.Next
		}
		if want := []string{made[2], made[1], made[0]}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("listed %v, want newest first %v", got, want)
		}
		for _, c := range []struct {
			name, path, token string
			status            int
		}{
			{"no token", "/api/v1/campaigns", "", 401},
			{"integration role", "/api/v1/campaigns", e.integration, 403},
			{"limit 0", "/api/v1/campaigns?limit=0", e.staff, 400},
			{"limit too big", "/api/v1/campaigns?limit=100000", e.staff, 400},
		} {
			if a := e.do("GET", c.path, c.token, nil); a.status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, a.status, a.body, c.status)
			}
		}
	})
}

func TestCampaignScheduled(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		e.hypertensive(3)
		at := start.Add(48 * time.Hour)
		a := e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "start_at": at.Format(time.RFC3339), "throttle_per_hour": 60})
		var c api.CampaignView
		a.into(t, &c)
		if a.status != http.StatusCreated || !c.StartAt.Equal(at) || c.Throttle != 60 {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
		e.settle()
		var got api.CampaignView
		e.do("GET", "/api/v1/campaigns/"+c.ID, e.staff, nil).into(t, &got)
		if got.Status != rapport.CampaignScheduled || got.Enrolled != 0 || got.Report.Funnel.Contacted != 0 {
			t.Errorf("before its start: %+v", got.Campaign)
		}
	})
}

func TestCampaignErrors(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		for _, c := range []struct {
			name   string
			method string
			path   string
			token  string
			body   any
			status int
			msg    string
		}{
			{"no token", "POST", "/api/v1/campaigns", "", map[string]any{"journey": "outreach"}, 401, "bearer"},
			{"integration role", "POST", "/api/v1/campaigns", e.integration, map[string]any{"journey": "outreach"}, 403, "role"},
			{"no journey", "POST", "/api/v1/campaigns", e.staff, map[string]any{}, 400, "journey is required"},
			{"unknown journey", "POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "nope"}, 400, "journey"},
			{"bad segment", "POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "segment": "age >"}, 400, "segment"},
			{"holdout 100", "POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "holdout_percent": 100}, 400, "holdout_percent"},
			{"negative throttle", "POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "throttle_per_hour": -1}, 400, "throttle_per_hour"},
			{"unknown field", "POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "outreach", "holdout": 5}, 400, "holdout"},
			{"bad start", "POST", "/api/v1/campaigns", e.staff, []byte(`{"journey":"outreach","start_at":"tomorrow"}`), 400, "start_at"},
			{"unknown campaign", "GET", "/api/v1/campaigns/nope", e.staff, nil, 404, "nope"},
			{"pause unknown", "POST", "/api/v1/campaigns/nope/pause", e.staff, nil, 404, "nope"},
			{"metrics of unknown", "GET", "/api/v1/metrics/campaigns/nope", e.staff, nil, 404, "nope"},
			{"metrics bad from", "GET", "/api/v1/metrics?from=yesterday", e.staff, nil, 400, "from"},
			{"metrics from after to", "GET", "/api/v1/metrics?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", e.staff, nil, 400, "before"},
			{"metrics unknown parameter", "GET", "/api/v1/metrics?campaign=x", e.staff, nil, 400, "campaign"},
		} {
			a := e.do(c.method, c.path, c.token, c.body)
			if a.status != c.status || !strings.Contains(a.errorMessage(t), c.msg) {
				t.Errorf("%s: %d %s, want %d mentioning %q", c.name, a.status, a.body, c.status, c.msg)
			}
		}
		var rep metrics.Report
		a := e.do("GET", "/api/v1/metrics?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z", e.staff, nil)
		a.into(t, &rep)
		if a.status != 200 || !rep.From.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("metrics window: %d %s", a.status, a.body)
		}
	})
}

func eachCampaigns(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setupCampaigns(t, d))
		})
	}
}

// shippedVersion is the version of a journey as shipped: a campaign runs the latest.
func shippedVersion(t *testing.T, id string) int {
	t.Helper()
	defs, err := journeys.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		if d.ID == id {
			return d.Version
		}
	}
	t.Fatalf("no shipped journey %s", id)
	return 0
}
