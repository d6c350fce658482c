package api

import (
	"net/http"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/web"
)

// Metrics endpoints (role staff; admin passes too). Both take optional
// ?from= and ?to= (RFC 3339) bounding the events counted; the answer is a
// [metrics.Report]. They disclose aggregates only, so they are not audited.
//
//	GET /api/v1/metrics                      every campaign and message
//	GET /api/v1/metrics/campaigns/{id}       one campaign (404 if unknown)

// metricsFilter reads ?from=&to=, refusing other parameters and bad times
// (400 naming the parameter).
func metricsFilter(r *http.Request) (metrics.Filter, error) {
	var f metrics.Filter
	q := r.URL.Query()
	for k := range q {
		if k != "from" && k != "to" {
			return f, rapport.Errorf(rapport.EINVALID, "%s is not a known parameter: use from, to", k)
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, rapport.Errorf(rapport.EINVALID, "%s %q is not an RFC 3339 time such as 2026-11-01T00:00:00Z", p.name, v)
		}
		*p.dst = t.UTC()
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, rapport.Errorf(rapport.EINVALID, "from must be before to")
	}
	return f, nil
}

// metricsOverall answers GET /api/v1/metrics.
func (a *api) metricsOverall(w http.ResponseWriter, r *http.Request) {
	f, err := metricsFilter(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	a.writeReport(w, r, f)
}

// metricsCampaign answers GET /api/v1/metrics/campaigns/{id}.
func (a *api) metricsCampaign(w http.ResponseWriter, r *http.Request) {
	f, err := metricsFilter(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c, err := a.findCampaign(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	f.Campaign = c.ID
	a.writeReport(w, r, f)
}

func (a *api) writeReport(w http.ResponseWriter, r *http.Request, f metrics.Filter) {
	rep, err := a.Metrics(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	// The decline verbatims are patients' own words: each quoted patient's
	// data is read.
	var entries []rapport.Audit
	for _, pid := range rep.VerbatimPatients() {
		entries = append(entries, a.audit(r, "read", "Report/verbatim", pid))
	}
	if len(entries) > 0 {
		if err := a.DB.AppendAudit(r.Context(), entries...); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	web.JSON(w, http.StatusOK, rep)
}
