package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// setupAll is the API on SQLite with every dependency set, so every
// endpoint is mounted.
func setupAll(t *testing.T) (*env, api.Deps) {
	t.Helper()
	e, eng := newEnv(t, store.SQLite, true)
	report := func(ctx context.Context, f metrics.Filter) (*metrics.Report, error) {
		return metrics.Compute(ctx, e.db, f)
	}
	deps := api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock, Journeys: eng, Registry: eng, Metrics: report, Hygiene: e.db}
	deps.Adherence = adherenceFunc(e)
	e.serve(deps)
	return e, deps
}

var (
	oasOnce   sync.Once
	oasDoc    *openapi3.T
	oasRouter routers.Router
	oasErr    error
)

// openAPI loads openapi.json once and checks it is a valid OpenAPI 3.1
// document: every schema compiles, every $ref resolves.
func openAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	oasOnce.Do(func() {
		loader := openapi3.NewLoader()
		if oasDoc, oasErr = loader.LoadFromData(api.OpenAPI); oasErr != nil {
			return
		}
		if oasErr = oasDoc.Validate(loader.Context); oasErr != nil {
			return
		}
		// The router matches paths below the server url, /api/v1, without
		// a host: it gets a copy with no servers and paths without the prefix.
		routed := *oasDoc
		routed.Servers = nil
		oasRouter, oasErr = legacy.NewRouter(&routed)
	})
	if oasErr != nil {
		t.Fatalf("openapi.json: %v", oasErr)
	}
	return oasDoc, oasRouter
}

func TestOpenAPIIsValid31(t *testing.T) {
	doc, _ := openAPI(t)
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("no bearer security scheme: %+v", s)
	}
}

// roleOf is the role an operation's security names: "" for a public one.
func roleOf(t *testing.T, op *openapi3.Operation) rapport.Role {
	t.Helper()
	if op.Security == nil || len(*op.Security) != 1 {
		if op.Security != nil && len(*op.Security) == 0 {
			return ""
		}
		t.Fatalf("%s: security %v, want one bearer requirement naming a role, or none", op.OperationID, op.Security)
	}
	roles := (*op.Security)[0]["bearer"]
	if len(roles) != 1 {
		t.Fatalf("%s: bearer roles %v, want one", op.OperationID, roles)
	}
	return rapport.Role(roles[0])
}

// TestOpenAPIMatchesRoutes holds openapi.json against the route table both
// ways, method, path and role, and the table against the mux: every
// endpoint is served by its own pattern when every dependency is set.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, _ := openAPI(t)
	documented := map[string]rapport.Role{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+path] = roleOf(t, op)
			for _, code := range []string{"401", "403"} {
				if (op.Responses.Value(code) == nil) != (roleOf(t, op) == "") {
					t.Errorf("%s %s: a %s answer documented for role %q", method, path, code, roleOf(t, op))
				}
			}
		}
	}
	routed := map[string]bool{}
	for _, ep := range api.Endpoints() {
		key := ep.Method + " " + ep.Path
		routed[key] = true
		role, ok := documented[key]
		switch {
		case !ok:
			t.Errorf("%s is routed but not in openapi.json", key)
		case role != ep.Role:
			t.Errorf("%s needs role %q, openapi.json says %q", key, ep.Role, role)
		}
	}
	for key := range documented {
		if !routed[key] {
			t.Errorf("%s is in openapi.json but not routed", key)
		}
	}

	_, deps := setupAll(t)
	if got := api.Mounted(deps); !slices.Equal(got, api.Endpoints()) {
		t.Errorf("with every dependency %d endpoints mounted, want all %d", len(got), len(api.Endpoints()))
	}
	mux := http.NewServeMux()
	api.Register(mux, deps)
	for _, ep := range api.Endpoints() {
		req := httptest.NewRequest(ep.Method, api.Prefix+strings.ReplaceAll(ep.Path, "{id}", "x1"), nil)
		if _, pattern := mux.Handler(req); pattern != ep.Method+" "+api.Prefix+ep.Path {
			t.Errorf("%s %s is served by %q", ep.Method, req.URL.Path, pattern)
		}
	}
}

// TestEndpointsCheckTheirRoles: what the route table (and so openapi.json)
// says of each endpoint's role is what its handler enforces.
func TestEndpointsCheckTheirRoles(t *testing.T) {
	t.Parallel()
	e, _ := setupAll(t)
	for _, ep := range api.Endpoints() {
		path := api.Prefix + strings.ReplaceAll(ep.Path, "{id}", "nope")
		if ep.Role == "" {
			if a := e.do(ep.Method, path, "", nil); a.status != http.StatusOK {
				t.Errorf("%s %s with no token: %d, want 200 (public)", ep.Method, path, a.status)
			}
			continue
		}
		want := map[string]int{"nobody": 401, "integration": 403, "staff": 0}
		if ep.Role == rapport.RoleAdmin {
			want["staff"] = 403
		}
		for who, tok := range map[string]string{"nobody": "", "integration": e.integration, "staff": e.staff} {
			a := e.do(ep.Method, path, tok, nil)
			if w := want[who]; (w != 0 && a.status != w) || (w == 0 && (a.status == 401 || a.status == 403)) {
				t.Errorf("%s %s as %s: %d, want %d (role %s)", ep.Method, path, who, a.status, w, ep.Role)
			}
		}
	}
}

// TestOpenAPIServed: the description is public, the embedded document.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite)
	a := e.do("GET", "/api/v1/openapi.json", "", nil)
	if a.status != http.StatusOK || !bytes.Equal(a.body, api.OpenAPI) {
		t.Errorf("GET /api/v1/openapi.json: %d, %d bytes, want 200 and the %d bytes of openapi.json", a.status, len(a.body), len(api.OpenAPI))
	}
}

// conforms checks one exchange of the tests against openapi.json: a request
// the API accepted (2xx) is one the document accepts, and every answer of
// a documented endpoint is documented, status and body.
func conforms(t *testing.T, req *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	_, router := openAPI(t)
	r := req.Clone(context.Background())
	r.URL.Path = strings.TrimPrefix(r.URL.Path, api.Prefix)
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	if strings.HasSuffix(r.URL.Path, "/journeys") && r.Method == "POST" {
		r.Header.Set("Content-Type", "application/yaml") // the tests send YAML as []byte
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s answered %d but is not in openapi.json: %v", req.Method, req.URL.Path, status, err)
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if status/100 == 2 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s was accepted (%d) but openapi.json refuses the request: %v", req.Method, req.URL.Path, status, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s answered %d %s, which openapi.json does not describe: %v", req.Method, req.URL.Path, status, body, err)
	}
}
