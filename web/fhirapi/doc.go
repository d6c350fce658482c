// Package fhirapi is rapport's FHIR R4 API, mounted under /fhir/R4 by
// [Register]: the CapabilityStatement (no authentication), Patient read and
// search by identifier or phone (tokens of role staff or integration), and
// Bundle import by POST at the base (role integration), synchronous or —
// with "Prefer: respond-async" — queued, with a status URL.
//
// Every answer is FHIR JSON (application/fhir+json). Errors, authentication
// errors included, are OperationOutcomes with the status that
// [web.ErrorStatus] gives their code, plus 405, 413 and 415 for requests the
// API cannot take.
//
// Every patient disclosed is audited: one "read" or "search" entry per
// patient, naming the token, written before the answer; if the audit
// cannot be written, no patient data is sent.
//
// What the API does not do, and so the CapabilityStatement does not claim:
// POST of a Bundle is an import, not a FHIR transaction or batch. It is
// answered with an OperationOutcome summarising the import (counts per
// resource type), not with a transaction-response Bundle carrying one
// response per entry; resource types rapport does not import (Observation,
// Claim, …) are counted and passed over rather than failing the request;
// entries whose request method is not POST or PUT are refused. The import
// is all or nothing: a bad entry is answered 400, naming the entry and
// field, and nothing is stored. Patient search refuses parameters it does
// not understand (400 naming the parameter) rather than ignoring them, and
// needs identifier or phone: it does not list all patients.
package fhirapi
