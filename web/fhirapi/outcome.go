package fhirapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/web"
)

// ContentType is the media type of every answer.
const ContentType = "application/fhir+json"

// issueTypes maps application error codes to FHIR IssueType codes.
var issueTypes = map[string]string{
	rapport.EINVALID:      "invalid",
	rapport.ENOTFOUND:     "not-found",
	rapport.EUNAUTHORIZED: "login",
	rapport.EFORBIDDEN:    "forbidden",
	rapport.ECONFLICT:     "conflict",
	rapport.EINTERNAL:     "exception",
}

// writeResource writes FHIR JSON with status.
func writeResource(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeOutcome writes a one-issue OperationOutcome with status.
func writeOutcome(w http.ResponseWriter, status int, severity, code, diagnostics string) {
	writeResource(w, status, fhir.OperationOutcome(severity, code, diagnostics))
}

// writeError writes err as an OperationOutcome, with the status
// [web.ErrorStatus] gives. Internal errors are logged (with the route, never
// the path or query, which may name patients) and shown generically.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := rapport.ErrorCode(err)
	if code == rapport.EINTERNAL {
		slog.ErrorContext(r.Context(), "internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	typ, ok := issueTypes[code]
	if !ok {
		typ = "exception"
	}
	writeOutcome(w, web.ErrorStatus(err), "error", typ, rapport.ErrorMessage(err))
}

// Issue is one issue of an [outcome].
type issue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics,omitempty"`
}

// outcome returns an OperationOutcome with several issues.
func outcome(issues []issue) []byte {
	b, _ := json.Marshal(struct {
		ResourceType string  `json:"resourceType"`
		Issue        []issue `json:"issue"`
	}{"OperationOutcome", issues}) // cannot fail: strings only
	return b
}
