package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/web"
)

// Journey endpoints:
//
//	GET  /api/v1/journeys   the latest version of every journey (role staff)
//	POST /api/v1/journeys   add a journey, or a new version of one, as YAML (role admin)

// JourneyRegistry loads journey definitions; [*journey.Engine] is one.
type JourneyRegistry interface {
	Register(ctx context.Context, defs ...*journey.Definition) error
	Journeys() []*journey.Definition
	BrokenJourneys() []journey.Broken
}

// JourneyView is a journey as the API lists it.
type JourneyView struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Campaign    bool   `json:"campaign_trigger"`
	Event       string `json:"event_trigger,omitempty"`
	Segment     string `json:"segment,omitempty"`
	// Broken says which expression failed at run time: the journey
	// enrolls nobody until a new version replaces it.
	Broken *journey.Broken `json:"broken,omitempty"`
}

func journeyView(d *journey.Definition) JourneyView {
	v := JourneyView{ID: d.ID, Version: d.Version, Name: d.Name, Description: d.Description, Campaign: d.Trigger.Campaign, Segment: d.Segment}
	if d.Trigger.Event != nil {
		v.Event = d.Trigger.Event.Kind
	}
	return v
}

// listJourneys answers GET /api/v1/journeys.
func (a *api) listJourneys(w http.ResponseWriter, r *http.Request) {
	broken := map[string]journey.Broken{}
	for _, b := range a.Registry.BrokenJourneys() {
		broken[b.Journey+"@"+strconv.Itoa(b.Version)] = b
	}
	out := []JourneyView{}
	for _, d := range a.Registry.Journeys() {
		v := journeyView(d)
		if b, ok := broken[d.ID+"@"+strconv.Itoa(d.Version)]; ok {
			v.Broken = &b
		}
		out = append(out, v)
	}
	web.JSON(w, http.StatusOK, map[string]any{"journeys": out})
}

// addJourney answers POST /api/v1/journeys: the body is a journey's YAML.
// 201 with the journey; 400 listing every problem with its line and field;
// 409 when that version is already saved with other content.
func (a *api) addJourney(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "journey body: %v", err))
		return
	}
	d, err := journey.Parse("request", body)
	if err != nil {
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "%v", err))
		return
	}
	if err := a.Registry.Register(r.Context(), d); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, journeyView(d))
}
