package api

import (
	_ "embed"
	"net/http"

	"github.com/rapporthq/rapport"
)

// Endpoint is one route of the API: its method, its path below [Prefix]
// in the OpenAPI document's form ("/patients/{id}") and the role its token
// needs ("" for none).
type Endpoint struct {
	Method, Path string
	Role         rapport.Role
}

// route is an endpoint with its handler and the dependency it needs to be
// mounted (nil: always).
type route struct {
	Endpoint
	handler func(a *api) http.HandlerFunc
	needs   func(d Deps) bool
}

func hasJourneys(d Deps) bool  { return d.Journeys != nil && d.Metrics != nil }
func hasRegistry(d Deps) bool  { return d.Registry != nil }
func hasMetrics(d Deps) bool   { return d.Metrics != nil }
func hasHygiene(d Deps) bool   { return d.Hygiene != nil }
func hasAdherence(d Deps) bool { return d.Adherence != nil }

// routes is the one table of the API: Register mounts it, and the tests
// hold it against openapi.json both ways.
var routes = []route{
	{Endpoint{"GET", "/openapi.json", ""}, func(a *api) http.HandlerFunc { return serveOpenAPI }, nil},
	{Endpoint{"POST", "/messages", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.sendMessage }, nil},
	{Endpoint{"GET", "/patients/{id}", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.patient }, nil},
	{Endpoint{"GET", "/patients/{id}/conversation", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.conversation }, nil},
	{Endpoint{"POST", "/patients/{id}/unmerge", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.unmerge }, nil},
	{Endpoint{"GET", "/patients/{id}/caregivers", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.caregivers }, nil},
	{Endpoint{"POST", "/patients/{id}/caregivers", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.addCaregiver }, nil},
	{Endpoint{"POST", "/caregivers/{id}/revoke", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.revokeCaregiver }, nil},
	{Endpoint{"GET", "/patients/{id}/regimens", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.regimens }, nil},
	{Endpoint{"POST", "/patients/{id}/regimens", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.addRegimen }, nil},
	{Endpoint{"POST", "/regimens/{id}/start", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.startRegimen }, nil},
	{Endpoint{"POST", "/regimens/{id}/stop", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.stopRegimen }, nil},
	{Endpoint{"PATCH", "/regimens/{id}", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.patchRegimen }, nil},
	{Endpoint{"GET", "/patients/{id}/observations", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.observations }, nil},
	{Endpoint{"PUT", "/patients/{id}/thresholds", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.setThresholds }, nil},
	{Endpoint{"GET", "/inbox", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.inbox }, nil},
	{Endpoint{"POST", "/inbox/{id}/resolve", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.resolve }, nil},
	{Endpoint{"GET", "/audit", rapport.RoleAdmin}, func(a *api) http.HandlerFunc { return a.auditTrail }, nil},
	{Endpoint{"GET", "/duplicates", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.duplicateQueue }, nil},
	{Endpoint{"GET", "/duplicates/settings", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.mergeSettings }, nil},
	{Endpoint{"PUT", "/duplicates/settings", rapport.RoleAdmin}, func(a *api) http.HandlerFunc { return a.setMergeSettings }, nil},
	{Endpoint{"POST", "/duplicates/{id}/merge", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.mergeDuplicate }, nil},
	{Endpoint{"POST", "/duplicates/{id}/reject", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.rejectDuplicate }, nil},
	{Endpoint{"GET", "/campaigns", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.listCampaigns }, hasJourneys},
	{Endpoint{"POST", "/campaigns", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.createCampaign }, hasJourneys},
	{Endpoint{"GET", "/campaigns/{id}", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.campaign }, hasJourneys},
	{Endpoint{"POST", "/campaigns/{id}/pause", rapport.RoleStaff},
		func(a *api) http.HandlerFunc { return a.setCampaignStatus(rapport.CampaignPaused) }, hasJourneys},
	{Endpoint{"POST", "/campaigns/{id}/resume", rapport.RoleStaff},
		func(a *api) http.HandlerFunc { return a.setCampaignStatus(rapport.CampaignRunning) }, hasJourneys},
	{Endpoint{"POST", "/campaigns/{id}/cancel", rapport.RoleStaff},
		func(a *api) http.HandlerFunc { return a.setCampaignStatus(rapport.CampaignCancelled) }, hasJourneys},
	{Endpoint{"GET", "/journeys", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.listJourneys }, hasRegistry},
	{Endpoint{"POST", "/journeys", rapport.RoleAdmin}, func(a *api) http.HandlerFunc { return a.addJourney }, hasRegistry},
	{Endpoint{"GET", "/metrics", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.metricsOverall }, hasMetrics},
	{Endpoint{"GET", "/metrics/campaigns/{id}", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.metricsCampaign }, hasMetrics},
	{Endpoint{"GET", "/metrics/adherence", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.metricsAdherence }, hasAdherence},
	{Endpoint{"GET", "/hygiene/report", rapport.RoleStaff}, func(a *api) http.HandlerFunc { return a.hygieneReport }, hasHygiene},
}

// Endpoints lists every endpoint of the API, mounted or not, in the order
// of the route table.
func Endpoints() []Endpoint {
	out := make([]Endpoint, len(routes))
	for i, r := range routes {
		out[i] = r.Endpoint
	}
	return out
}

// Mounted lists the endpoints Register mounts with d.
func Mounted(d Deps) []Endpoint {
	var out []Endpoint
	for _, r := range routes {
		if r.needs == nil || r.needs(d) {
			out = append(out, r.Endpoint)
		}
	}
	return out
}

// OpenAPI is the OpenAPI 3.1 description of the API, served at
// GET /api/v1/openapi.json; a test holds it against the route table.
//
//go:embed openapi.json
var OpenAPI []byte

// serveOpenAPI answers GET /api/v1/openapi.json without a token: the
// description names endpoints and shapes, never data, and a client or a
// tool reads it before it has a token (as is usual for an API's
// description).
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(OpenAPI)
}
