package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/rapporthq/rapport"
)

// statuses maps application error codes to HTTP statuses, in one place.
var statuses = map[string]int{
	rapport.ECONFLICT:     http.StatusConflict,
	rapport.EINVALID:      http.StatusBadRequest,
	rapport.ENOTFOUND:     http.StatusNotFound,
	rapport.EUNAUTHORIZED: http.StatusUnauthorized,
	rapport.EFORBIDDEN:    http.StatusForbidden,
	rapport.EINTERNAL:     http.StatusInternalServerError,
	rapport.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// ErrorStatus returns the HTTP status for err.
func ErrorStatus(err error) int {
	if s, ok := statuses[rapport.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorResponse is the one JSON error shape of the API.
type ErrorResponse struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Error writes err as JSON with its status. Internal errors are logged
// (without request data, which may name patients) and shown generically.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	code := rapport.ErrorCode(err)
	if code == rapport.EINTERNAL {
		slog.ErrorContext(r.Context(), "internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	var body ErrorResponse
	body.Error.Code, body.Error.Message = code, rapport.ErrorMessage(err)
	JSON(w, ErrorStatus(err), body)
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
