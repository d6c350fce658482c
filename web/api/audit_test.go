package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestAuditTrail reads the trail through GET /api/v1/audit: admin only,
// filtered by patient, actor and time, page by page.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			auditTrail(t, d)
		})
	}
}

func auditTrail(t *testing.T, d store.Dialect) {
	e := setup(t, d)
	rosa, ana := e.patient("en"), e.patient("es")
	nurse := rapport.Actor{ID: "t1", Name: "nurse-desk"}
	cli := rapport.Actor{ID: "cli", Name: "cli"}
	entries := []rapport.Audit{
		{Actor: nurse, Action: "read", Resource: "Patient/" + string(rosa.ID), PatientID: rosa.ID},
		{Actor: cli, Action: "read", Resource: "Report", PatientID: ana.ID},
		{Actor: nurse, Action: "send", Resource: "Message/m1", PatientID: ana.ID},
	}
	for i, a := range entries {
		a.At = start.Add(time.Duration(i) * time.Hour)
		if err := e.db.AppendAudit(e.ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	type page struct {
		Entries []rapport.Audit `json:"entries"`
		Next    string          `json:"next"`
	}
	get := func(query string) (page, int, string) {
		t.Helper()
		a := e.do("GET", "/api/v1/audit?"+query, e.admin, nil)
		var p page
		if a.status == 200 {
			if err := json.Unmarshal(a.body, &p); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		return p, a.status, string(a.body)
	}
	resources := func(p page) string {
		var rs []string
		for _, a := range p.Entries {
			rs = append(rs, a.Resource)
		}
		return strings.Join(rs, " ")
	}

	for _, tok := range []string{e.staff, e.integration, ""} {
		if a := e.do("GET", "/api/v1/audit", tok, nil); a.status != 401 && a.status != 403 {
			t.Errorf("GET /audit without the admin role: %d", a.status)
		}
	}
	tests := []struct {
		query, want string
	}{
		{"patient=" + string(ana.ID), "Report Message/m1"},
		{"actor=nurse-desk", "Patient/" + string(rosa.ID) + " Message/m1"},
		{"actor=cli&patient=" + string(ana.ID), "Report"},
		{"since=" + url.QueryEscape(start.Add(time.Hour).Format(time.RFC3339)) + "&until=" + url.QueryEscape(start.Add(2*time.Hour).Format(time.RFC3339)), "Report"},
	}
	for _, tt := range tests {
		p, status, body := get(tt.query)
		if status != 200 || resources(p) != tt.want {
			t.Errorf("%s: %d %q, want %q (%s)", tt.query, status, resources(p), tt.want, body)
		}
	}

	// Pages of one, following next, give every entry once, in order.
	var all []string
	p, _, _ := get("actor=nurse-desk&limit=1")
	for range 5 {
		all = append(all, resources(p))
		if p.Next == "" {
			break
		}
		a := e.do("GET", p.Next, e.admin, nil)
		p = page{}
		if err := json.Unmarshal(a.body, &p); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.TrimSpace(strings.Join(all, " ")); got != "Patient/"+string(rosa.ID)+" Message/m1" {
		t.Errorf("paged: %q", got)
	}

	for _, bad := range []struct{ query, field string }{{"since=yesterday", "since"}, {"limit=0", "limit"}, {"after=-1", "after"}} {
		_, status, body := get(bad.query)
		if status != 400 || !strings.Contains(body, bad.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.query, status, body, bad.field)
		}
	}
}

// TestMetricsVerbatimsAudited: a report quoting a decliner's own words is
// a read of that patient's data, audited; a report without words is not.
func TestMetricsVerbatimsAudited(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := setupCampaigns(t, d)
			quiet, rosa := e.patient("en"), e.patient("en")
			if a := e.do("GET", "/api/v1/metrics", e.staff, nil); a.status != 200 {
				t.Fatalf("metrics: %d %s", a.status, a.body)
			}
			if n := len(e.audits(quiet.ID)) + len(e.audits(rosa.ID)); n != 0 {
				t.Fatalf("a report quoting nobody wrote %d audit entries", n)
			}
			err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
				return tx.AppendEvents(e.ctx,
					rapport.Event{PatientID: rosa.ID, Kind: rapport.EventJourneyOutcome, Journey: "outreach",
						Payload: []byte(`{"outcome":"declined","reason":"cost","verbatim":"I can't afford it"}`)},
					rapport.Event{PatientID: quiet.ID, Kind: rapport.EventJourneyOutcome, Journey: "outreach",
						Payload: []byte(`{"outcome":"declined"}`)})
			})
			if err != nil {
				t.Fatal(err)
			}
			a := e.do("GET", "/api/v1/metrics", e.staff, nil)
			if a.status != 200 || !strings.Contains(string(a.body), "I can't afford it") {
				t.Fatalf("metrics: %d %s", a.status, a.body)
			}
			as := e.audits(rosa.ID)
			if len(as) != 1 || as[0].Action != "read" || as[0].Resource != "Report/verbatim" || as[0].Actor.Name != "nurse-desk" {
				t.Errorf("audit of the quoted patient: %+v", as)
			}
			if as := e.audits(quiet.ID); len(as) != 0 {
				t.Errorf("a patient not quoted was audited: %+v", as)
			}
		})
	}
}
