// Package web is rapport's HTTP server: routing, middleware (recovery,
// request logs without patient data, bearer-token authentication with
// roles), the one JSON error shape, and the operational endpoints /healthz,
// /readyz and /metrics. The API, FHIR, webhook, console and portal handlers
// live in sub-packages and mount themselves on the server's mux.
package web
