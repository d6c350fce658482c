package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs method, route pattern, status and duration. It logs the
// route pattern ("GET /fhir/R4/Patient/{id}"), never the path or query,
// which may carry identifiers or phone numbers.
func logRequests(logger *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = r.Method + " (unrouted)"
		}
		logger.Info("request", "route", route, "status", sw.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

// recoverer turns a panic into a 500 and a log line with the stack.
func recoverer(logger *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic in handler", "route", r.Pattern, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, `{"error":{"code":"internal","message":"Internal error."}}`, http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}
