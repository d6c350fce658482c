package fhir

import "encoding/json"

// OperationOutcome returns a FHIR R4 OperationOutcome with one issue.
// severity is fatal, error, warning or information; code is an IssueType
// code such as "invalid", "not-found", "processing", "exception" or
// "security"; diagnostics is free text for the client (no patient data).
func OperationOutcome(severity, code, diagnostics string) []byte {
	type issue struct {
		Severity    string `json:"severity"`
		Code        string `json:"code"`
		Diagnostics string `json:"diagnostics,omitempty"`
	}
	out := struct {
		ResourceType string  `json:"resourceType"`
		Issue        []issue `json:"issue"`
	}{"OperationOutcome", []issue{{severity, code, diagnostics}}}
	b, _ := json.Marshal(out) // cannot fail: strings only
	return b
}
