package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// MaxBody is the largest request body accepted: 1 MB.
const MaxBody = 1 << 20

// Store is the part of the database the API uses; [*store.DB] is one.
type Store interface {
	InTx(ctx context.Context, fn func(*store.Tx) error) error
	FindPatientByID(ctx context.Context, id rapport.PatientID) (*rapport.Patient, error)
	FindPatientMessages(ctx context.Context, id rapport.PatientID) ([]*rapport.Message, error)
	FindPatientInbound(ctx context.Context, id rapport.PatientID) ([]*rapport.Inbound, error)
	FindInboxItems(ctx context.Context, f rapport.InboxFilter) ([]*rapport.InboxItem, error)
	AppendAudit(ctx context.Context, as ...rapport.Audit) error
	FindAudit(ctx context.Context, f rapport.AuditFilter) ([]rapport.Audit, error)
	FindDuplicateCandidates(ctx context.Context, f rapport.DuplicateFilter) ([]rapport.DuplicateCandidate, error)
	FindCampaigns(ctx context.Context, f rapport.CampaignFilter) ([]*rapport.Campaign, error)
	CountLive(ctx context.Context, campaigns []string) (map[string]int, error)
	FindCaregiversByPatient(ctx context.Context, pid rapport.PatientID) ([]*rapport.Caregiver, error)
}

// Sender plans and queues a message inside a transaction;
// [*messaging.Pipeline] is one.
type Sender interface {
	Send(ctx context.Context, tx *store.Tx, req messaging.Request) (*rapport.Message, error)
	// Configured lists the channels the server can send on.
	Configured() []rapport.Channel
}

// Deps is what the API needs.
type Deps struct {
	DB       Store
	Pipeline Sender
	Tokens   web.TokenFinder
	// Clock stamps audit entries; [rapport.SystemClock] when nil.
	Clock rapport.Clock
	// Logger logs internal errors, never patient data; slog.Default when nil.
	Logger *slog.Logger
	// Journeys launches and steers campaigns; the campaign endpoints are
	// mounted only when it is set.
	Journeys Journeys
	// Metrics computes reports; the metrics endpoints (and the report in a
	// campaign's answer) need it, and are mounted only when it is set.
	Metrics MetricsFunc
	// Adherence computes medication adherence; GET /metrics/adherence is
	// mounted only when it is set.
	Adherence AdherenceFunc
	// Registry lists and adds journeys; the journey endpoints are mounted
	// only when it is set.
	Registry JourneyRegistry
	// Hygiene reads stored hygiene reports; GET /hygiene/report is mounted
	// only when it is set.
	Hygiene HygieneRuns
}

type api struct{ Deps }

// Register mounts the API on mux (see the package documentation). It
// panics when DB, Pipeline or Tokens is missing, a programming error.
func Register(mux *http.ServeMux, d Deps) {
	if d.DB == nil || d.Pipeline == nil || d.Tokens == nil {
		panic("api: Register needs DB, Pipeline and Tokens")
	}
	if d.Clock == nil {
		d.Clock = rapport.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	a := &api{Deps: d}
	for _, rt := range routes {
		if rt.needs != nil && !rt.needs(d) {
			continue
		}
		var h http.Handler = rt.handler(a)
		if rt.Role != "" {
			h = web.Auth(d.Tokens, rt.Role, h)
		}
		mux.Handle(rt.Method+" "+Prefix+rt.Path, h)
	}
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		web.Error(w, r, rapport.Errorf(rapport.ENOTFOUND, "no such API endpoint: %s %s", r.Method, r.URL.Path))
	})
}

// decode reads a JSON body of at most MaxBody bytes into v, refusing
// unknown fields and trailing data. It has answered (400 or 413) when it
// returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, next := dec.Token(); next != io.EOF {
			err = errors.New("the request body has data after the JSON object")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		var body web.ErrorResponse
		body.Error.Code, body.Error.Message = rapport.EINVALID, "the request body is larger than 1 MB"
		web.JSON(w, http.StatusRequestEntityTooLarge, body)
		return false
	case errors.As(err, &typeErr):
		err = fmt.Errorf("%s: want a JSON %s, not %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.Is(err, io.EOF):
		err = errors.New("the request body is empty: send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		err = fmt.Errorf("%s is not a known field", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	web.Error(w, r, rapport.Errorf(rapport.EINVALID, "%v", err))
	return false
}

// actor is who made the request; web.Auth put it there.
func actor(r *http.Request) rapport.Actor {
	a, _ := web.ActorFrom(r.Context())
	return a
}

func (a *api) audit(r *http.Request, action, resource string, pid rapport.PatientID) rapport.Audit {
	return rapport.Audit{At: a.Clock.Now(), Actor: actor(r), Action: action, Resource: resource, PatientID: pid}
}
