package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// Campaign endpoints (role staff; admin passes too):
//
//	GET  /api/v1/campaigns?limit=&after=  campaigns newest first, a page at a time
//	POST /api/v1/campaigns                launch a journey over a segment, now or at start_at
//	GET  /api/v1/campaigns/{id}           the campaign, its counts and its metrics report
//	POST /api/v1/campaigns/{id}/pause     stop starting patients and advancing enrollments
//	POST /api/v1/campaigns/{id}/resume    carry on where it stopped
//	POST /api/v1/campaigns/{id}/cancel    end it: nothing more is sent

// Journeys creates campaigns and changes their status inside a
// transaction; [*journey.Engine] is one.
type Journeys interface {
	CreateCampaign(ctx context.Context, tx *store.Tx, c *rapport.Campaign) error
	SetCampaignStatus(ctx context.Context, tx *store.Tx, id string, status rapport.CampaignStatus) (*rapport.Campaign, error)
}

// MetricsFunc computes a metrics report; [metrics.Compute] over the
// database, with the organisation's quiet hours and zone, is one.
type MetricsFunc func(ctx context.Context, f metrics.Filter) (*metrics.Report, error)

// CampaignRequest is the body of POST /api/v1/campaigns. Only journey is required.
type CampaignRequest struct {
	Journey string `json:"journey"`
	Name    string `json:"name"`
	// Segment is an expression over patient attributes; empty takes the journey's.
	Segment        string  `json:"segment"`
	HoldoutPercent float64 `json:"holdout_percent"`
	// ThrottlePerHour is patients started per hour; 0 starts all at once.
	ThrottlePerHour int `json:"throttle_per_hour"`
	// StartAt is when the launch begins, RFC 3339; empty is now.
	StartAt string `json:"start_at"`
}

// CampaignView is the answer of the campaign endpoints: the campaign (its
// counts of patients enrolled and held out), what is true of it now and,
// for GET /campaigns/{id}, its metrics report.
type CampaignView struct {
	*rapport.Campaign
	// Status shadows the stored one with [rapport.Campaign.Progress]:
	// scheduled, launching, running, done, paused or cancelled.
	Status rapport.CampaignStatus `json:"status"`
	// Live counts the enrollments still active or waiting.
	Live   int             `json:"live"`
	Report *metrics.Report `json:"report,omitempty"`
}

// CampaignPage is the answer of GET /api/v1/campaigns: campaigns newest
// first, and the query of the next page when more may follow.
type CampaignPage struct {
	Campaigns []CampaignView `json:"campaigns"`
	Next      string         `json:"next,omitempty"`
}

// maxCampaignPage bounds one page of GET /campaigns.
const maxCampaignPage = 200

// views says what is true of each campaign now, from its live enrollments.
func views(ctx context.Context, live func(context.Context, []string) (map[string]int, error), cs ...*rapport.Campaign) ([]CampaignView, error) {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	n, err := live(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CampaignView, len(cs))
	for i, c := range cs {
		out[i] = CampaignView{Campaign: c, Status: c.Progress(n[c.ID]), Live: n[c.ID]}
	}
	return out, nil
}

// listCampaigns answers GET /api/v1/campaigns: a page of limit campaigns
// (default 50) after the one named by after, newest first.
func (a *api) listCampaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := rapport.CampaignFilter{After: q.Get("after"), Limit: 50}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxCampaignPage {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "query parameter limit: %q is not between 1 and %d", v, maxCampaignPage))
			return
		}
		f.Limit = n
	}
	cs, err := a.DB.FindCampaigns(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	page := CampaignPage{}
	if page.Campaigns, err = views(r.Context(), a.DB.CountLive, cs...); err != nil {
		web.Error(w, r, err)
		return
	}
	if len(cs) == f.Limit {
		q.Set("after", cs[len(cs)-1].ID)
		page.Next = Prefix + "/campaigns?" + q.Encode()
	}
	web.JSON(w, http.StatusOK, page)
}

// maxCampaignName bounds the name and the segment expression.
const maxCampaignName = 4000

// createCampaign answers POST /api/v1/campaigns: 201 with the campaign,
// scheduled to launch at its start; 400 naming the field for an unknown
// journey, a segment that does not compile or numbers out of range.
func (a *api) createCampaign(w http.ResponseWriter, r *http.Request) {
	var req CampaignRequest
	if !decode(w, r, &req) {
		return
	}
	switch {
	case strings.TrimSpace(req.Journey) == "":
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "journey is required"))
		return
	case len(req.Name) > maxCampaignName || len(req.Segment) > maxCampaignName:
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "name and segment must be at most %d bytes", maxCampaignName))
		return
	}
	c := &rapport.Campaign{Journey: req.Journey, Name: req.Name, Segment: req.Segment, HoldoutPercent: req.HoldoutPercent,
		Throttle: req.ThrottlePerHour}
	if req.StartAt != "" {
		t, err := time.Parse(time.RFC3339, req.StartAt)
		if err != nil {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "start_at %q is not an RFC 3339 time such as 2026-12-01T09:00:00Z", req.StartAt))
			return
		}
		c.StartAt = t.UTC()
	}
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error { return a.Journeys.CreateCampaign(r.Context(), tx, c) })
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		err = rapport.Errorf(rapport.EINVALID, "journey: %s", rapport.ErrorMessage(err))
	} else if rapport.ErrorCode(err) == rapport.EINVALID && strings.HasPrefix(rapport.ErrorMessage(err), "expression") {
		err = rapport.Errorf(rapport.EINVALID, "segment: %s", rapport.ErrorMessage(err))
	}
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, CampaignView{Campaign: c, Status: c.Progress(0)})
}

// campaign answers GET /api/v1/campaigns/{id}: the campaign and its
// metrics report; 404 for an unknown campaign.
func (a *api) campaign(w http.ResponseWriter, r *http.Request) {
	c, err := a.findCampaign(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	vs, err := views(r.Context(), a.DB.CountLive, c)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if vs[0].Report, err = a.Metrics(r.Context(), metrics.Filter{Campaign: c.ID}); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, vs[0])
}

// findCampaign reads one campaign.
func (a *api) findCampaign(ctx context.Context, id string) (*rapport.Campaign, error) {
	var c *rapport.Campaign
	err := a.DB.InTx(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.FindCampaign(ctx, id)
		return err
	})
	return c, err
}

// setCampaignStatus answers POST /api/v1/campaigns/{id}/pause, resume and
// cancel: 200 with the campaign; 404 for an unknown campaign, 409 for a
// cancelled one. Pausing a paused campaign or resuming a running one
// changes nothing and answers 200.
func (a *api) setCampaignStatus(status rapport.CampaignStatus) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var vs []CampaignView
		err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
			c, err := a.Journeys.SetCampaignStatus(r.Context(), tx, r.PathValue("id"), status)
			if err != nil {
				return err
			}
			vs, err = views(r.Context(), tx.CountLive, c)
			return err
		})
		if err != nil {
			web.Error(w, r, err)
			return
		}
		web.JSON(w, http.StatusOK, vs[0])
	}
}
