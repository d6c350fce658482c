package fhirapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/rapporthq/rapport/fhir"
)

// capabilities is what this API implements: [fhir.ServerCapabilities]
// without the transaction and batch interactions. POST of a Bundle at the
// base imports it but answers with an OperationOutcome summarising the
// import, not a transaction-response or batch-response Bundle with one
// response per entry, and it skips resource types rapport does not import
// instead of failing the transaction: claiming either interaction would
// mislead clients.
func capabilities(date time.Time, version, base string) fhir.Capabilities {
	c := fhir.ServerCapabilities(date, version, base)
	c.SystemInteractions = slices.DeleteFunc(c.SystemInteractions, func(s string) bool { return s == "transaction" || s == "batch" })
	c.Description = "rapport patient-engagement server: Patient read and search by identifier or phone; Observation search by patient (readings patients texted). " +
		"A Bundle POSTed at the base is imported (Prefer: respond-async queues it) and answered with an OperationOutcome " +
		"summarising the import, not with a transaction-response or batch-response Bundle."
	return c
}

// metadata answers the CapabilityStatement, to anyone: FHIR clients ask
// for it before they authenticate.
func (a *api) metadata(w http.ResponseWriter, r *http.Request) {
	writeResource(w, http.StatusOK, a.capability)
}
