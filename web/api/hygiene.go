package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// HygieneRuns reads stored hygiene runs; [*store.DB] is one.
type HygieneRuns interface {
	LatestHygieneRun(ctx context.Context) (*store.HygieneRun, error)
	FindHygieneRun(ctx context.Context, id string) (*store.HygieneRun, error)
}

// hygieneReport answers GET /api/v1/hygiene/report (role staff): the
// latest hygiene run's report, or ?run=ID's; 404 when there is none. The
// report holds counts only, no patient's data, so it is not audited.
func (a *api) hygieneReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "run" {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "%s is not a known parameter: use run", k))
			return
		}
	}
	var run *store.HygieneRun
	var err error
	if id := q.Get("run"); id != "" {
		run, err = a.Hygiene.FindHygieneRun(r.Context(), id)
	} else {
		run, err = a.Hygiene.LatestHygieneRun(r.Context())
	}
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, json.RawMessage(run.Report))
}
