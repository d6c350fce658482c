package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web"
)

// maxAuditPage bounds one page of GET /audit.
const maxAuditPage = 1000

// auditPage is the answer of GET /audit: entries oldest first, and the
// query of the next page when more may follow.
type auditPage struct {
	Entries []rapport.Audit `json:"entries"`
	Next    string          `json:"next,omitempty"`
}

// auditTrail answers GET /api/v1/audit (admin): the audit trail filtered
// by patient, actor (a token's id or name), since and until (RFC 3339), a
// page of limit entries after the seq named by after.
func (a *api) auditTrail(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r.URL.Query())
	if err != nil {
		web.Error(w, r, err)
		return
	}
	es, err := a.DB.FindAudit(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	page := auditPage{Entries: es}
	if page.Entries == nil {
		page.Entries = []rapport.Audit{}
	}
	if len(es) == f.Limit {
		q := r.URL.Query()
		q.Set("after", strconv.FormatInt(es[len(es)-1].Seq, 10))
		page.Next = Prefix + "/audit?" + q.Encode()
	}
	web.JSON(w, http.StatusOK, page)
}

// auditFilter reads GET /audit's query; a bad value is EINVALID naming
// the parameter.
func auditFilter(q url.Values) (rapport.AuditFilter, error) {
	f := rapport.AuditFilter{PatientID: rapport.PatientID(q.Get("patient")), Actor: q.Get("actor"), Limit: 100}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, rapport.Errorf(rapport.EINVALID, "query parameter %s: %q is not an RFC 3339 time", p.name, v)
			}
			*p.dst = t
		}
	}
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, rapport.Errorf(rapport.EINVALID, "query parameter after: %q is not a sequence number", v)
		}
		f.After = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditPage {
			return f, rapport.Errorf(rapport.EINVALID, "query parameter limit: %q is not between 1 and %d", v, maxAuditPage)
		}
		f.Limit = n
	}
	return f, nil
}
