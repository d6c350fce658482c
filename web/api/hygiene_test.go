package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// TestHygieneReport: staff read the latest hygiene report or an older one
// by id; no token is 401, a token without the staff role 403, an unknown
// run 404, an unknown parameter 400.
func TestHygieneReport(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e, _ := newEnv(t, d, false)
			e.serve(api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock, Hygiene: e.db})
			if a := e.do("GET", "/api/v1/hygiene/report", e.staff, nil); a.status != 404 || !strings.Contains(string(a.body), "hygiene run not found") {
				t.Errorf("before any run: %d %s", a.status, a.body)
			}
			var ids []string
			for range 2 {
				r, err := hygiene.Run(e.ctx, hygiene.Deps{DB: e.db}, e.clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.RunID)
				e.clock.Advance(24 * time.Hour)
			}
			for _, c := range []struct {
				path, token string
				status      int
				run         string
			}{
				{"/api/v1/hygiene/report", e.staff, 200, ids[1]},
				{"/api/v1/hygiene/report", e.admin, 200, ids[1]},
				{"/api/v1/hygiene/report?run=" + ids[0], e.staff, 200, ids[0]},
				{"/api/v1/hygiene/report", "", 401, ""},
				{"/api/v1/hygiene/report", e.integration, 403, ""},
				{"/api/v1/hygiene/report?run=nope", e.staff, 404, ""},
				{"/api/v1/hygiene/report?since=x", e.staff, 400, ""},
			} {
				a := e.do("GET", c.path, c.token, nil)
				var r hygiene.Report
				_ = json.Unmarshal(a.body, &r)
				if a.status != c.status || r.RunID != c.run {
					t.Errorf("GET %s: %d run %q, want %d run %q\n%s", c.path, a.status, r.RunID, c.status, c.run, a.body)
				}
			}
		})
	}
}

var _ api.HygieneRuns = (*store.DB)(nil)
