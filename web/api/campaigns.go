package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// Campaign endpoints (role staff; admin passes too):
//
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
// status and counts of patients enrolled and held out) and, for GET, its
// metrics report.
type CampaignView struct {
	*rapport.Campaign
	Report *metrics.Report `json:"report,omitempty"`
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
	web.JSON(w, http.StatusCreated, CampaignView{Campaign: c})
}

// campaign answers GET /api/v1/campaigns/{id}: the campaign and its
// metrics report; 404 for an unknown campaign.
func (a *api) campaign(w http.ResponseWriter, r *http.Request) {
	c, err := a.findCampaign(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	rep, err := a.Metrics(r.Context(), metrics.Filter{Campaign: c.ID})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, CampaignView{Campaign: c, Report: rep})
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
		var c *rapport.Campaign
		err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
			c, err = a.Journeys.SetCampaignStatus(r.Context(), tx, r.PathValue("id"), status)
			return err
		})
		if err != nil {
			web.Error(w, r, err)
			return
		}
		web.JSON(w, http.StatusOK, CampaignView{Campaign: c})
	}
}
