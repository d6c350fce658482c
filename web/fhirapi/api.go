package fhirapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// Prefix is where the FHIR API is mounted on the server's mux.
const Prefix = "/fhir/R4"

// DefaultMaxUpload is the largest request body POST accepts when
// [Deps.MaxUpload] is zero: 64 MB.
const DefaultMaxUpload int64 = 64 << 20

// Store is the part of the database the FHIR API uses; [*store.DB] is one.
type Store interface {
	FindPatientByID(ctx context.Context, id rapport.PatientID) (*rapport.Patient, error)
	FindPatients(ctx context.Context, f rapport.PatientFilter) ([]*rapport.Patient, int, error)
	FindUpload(ctx context.Context, id string, withContent bool) (*rapport.Upload, error)
	AppendAudit(ctx context.Context, as ...rapport.Audit) error
	InTx(ctx context.Context, fn func(*store.Tx) error) error
}

// Queue enqueues jobs inside a transaction; [*jobs.Queue] is one.
type Queue interface {
	InsertTx(ctx context.Context, tx *store.Tx, params ...river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Deps is what the FHIR API needs.
type Deps struct {
	DB    Store
	Queue Queue
	// Importer imports POSTed Bundles synchronously. Each request works on
	// a copy whose Source is the calling token's name; the shared value is
	// never changed.
	Importer *importer.Importer
	Tokens   web.TokenFinder
	// Base is the public URL of the FHIR endpoint, e.g.
	// "http://127.0.0.1:8080/fhir/R4": fullUrls, links and Content-Location
	// headers start with it.
	Base    string
	Version string
	// Clock stamps audit entries and the CapabilityStatement's date.
	// Default [rapport.SystemClock].
	Clock rapport.Clock
	// MaxUpload is the largest request body accepted, in bytes; default
	// [DefaultMaxUpload]. A larger body is answered 413.
	MaxUpload int64
}

// api is the FHIR API's handlers and what they share.
type api struct {
	Deps
	capability []byte
	// together imports posted Bundles that wait at the same time in one
	// transaction.
	together importer.Together
}

// Register mounts the FHIR R4 API under [Prefix] on mux:
//
//	GET  /fhir/R4/metadata          CapabilityStatement, no authentication
//	GET  /fhir/R4/Patient/{id}      read (role staff or integration)
//	GET  /fhir/R4/Patient?…         search by identifier or phone (staff or integration)
//	GET  /fhir/R4/Observation?patient=  a patient's reported readings (staff or integration)
//	POST /fhir/R4                   import a Bundle (integration); Prefer: respond-async queues it
//	GET  /fhir/R4/_upload/{id}      status of a queued import (integration)
//
// Admin tokens pass every role check. Every answer, errors included, is
// FHIR JSON (application/fhir+json); errors are OperationOutcomes.
// Register panics when a required dependency is missing or the
// CapabilityStatement cannot be built, both programming errors.
func Register(mux *http.ServeMux, d Deps) {
	if d.DB == nil || d.Queue == nil || d.Importer == nil || d.Tokens == nil {
		panic("fhirapi: Register needs DB, Queue, Importer and Tokens")
	}
	if d.Clock == nil {
		d.Clock = rapport.SystemClock{}
	}
	if d.MaxUpload <= 0 {
		d.MaxUpload = DefaultMaxUpload
	}
	d.Base = strings.TrimRight(d.Base, "/")
	a := &api{Deps: d}
	cs, err := fhir.CapabilityStatement(capabilities(d.Clock.Now(), d.Version, d.Base))
	if err != nil {
		panic("fhirapi: capability statement: " + err.Error())
	}
	a.capability = cs

	readers := []rapport.Role{rapport.RoleStaff, rapport.RoleIntegration}
	integration := []rapport.Role{rapport.RoleIntegration}
	a.route(mux, Prefix+"/metadata", map[string]http.Handler{"GET": http.HandlerFunc(a.metadata)})
	a.route(mux, Prefix+"/Patient/{id}", map[string]http.Handler{"GET": a.auth(a.readPatient, readers...)})
	a.route(mux, Prefix+"/Patient", map[string]http.Handler{"GET": a.auth(a.searchPatients, readers...)})
	a.route(mux, Prefix+"/Observation", map[string]http.Handler{"GET": a.auth(a.searchObservations, readers...)})
	a.route(mux, Prefix+"/{$}", map[string]http.Handler{"POST": a.auth(a.postBundle, integration...)})
	a.route(mux, Prefix, map[string]http.Handler{"POST": a.auth(a.postBundle, integration...)})
	a.route(mux, Prefix+"/_upload/{id}", map[string]http.Handler{"GET": a.auth(a.uploadStatus, integration...)})
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeOutcome(w, http.StatusNotFound, "error", "not-supported", "this server offers no such resource type or operation; see "+d.Base+"/metadata")
	})
}

// route registers the handlers of one path by method, and answers other
// methods 405 with an OperationOutcome and an Allow header.
func (a *api) route(mux *http.ServeMux, path string, byMethod map[string]http.Handler) {
	var allow []string
	for m, h := range byMethod {
		mux.Handle(m+" "+path, h)
		allow = append(allow, m)
		if m == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
	}
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeOutcome(w, http.StatusMethodNotAllowed, "error", "not-supported", r.Method+" is not supported here")
	})
}

// actor returns who made the request; auth put it in the context.
func actor(r *http.Request) rapport.Actor {
	a, _ := web.ActorFrom(r.Context())
	return a
}

// now is the time for audit entries.
func (a *api) now() time.Time { return a.Clock.Now().UTC() }
