package rapport

import (
	"errors"
	"fmt"
)

// Application error codes. The web package maps them to HTTP statuses in one place.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	// EUNAVAILABLE says the server cannot do it as configured, such as
	// send with no channel.
	EUNAVAILABLE = "unavailable"
)

// Error is an application error: a code a caller can act on and a message
// meant for the person who made the request. Messages may quote the input
// they reject, so they are shown to that person, never logged.
type Error struct {
	Code    string
	Message string
}

// Error returns the message, so that wrapped with context it reads as one
// sentence ("import a.ndjson: line 3: birthDate: …").
func (e *Error) Error() string { return e.Message }

// Errorf returns an [*Error] with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first [*Error] in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first [*Error] in err's chain, or a
// generic message for internal errors, which must not leak details.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
