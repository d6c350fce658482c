package api

import (
	"context"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/web"
)

// AdherenceFunc computes the medication adherence report of the period
// from..to, dates YYYY-MM-DD, either empty for the default (the last 365
// days ending today); a bad date is an EINVALID error naming the bound.
// The server's is [metrics.ComputeAdherence] over its database, with the
// organisation's zone deciding today.
type AdherenceFunc func(ctx context.Context, from, to string) (*metrics.AdherenceReport, error)

// metricsAdherence answers GET /api/v1/metrics/adherence?from=&to= (staff):
// a [metrics.AdherenceReport]. Like the other metrics endpoints it
// discloses aggregates only, so it is not audited.
func (a *api) metricsAdherence(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "from" && k != "to" {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "%s is not a known parameter: use from, to", k))
			return
		}
	}
	rep, err := a.Adherence(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, rep)
}
