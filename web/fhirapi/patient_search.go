package fhirapi

import (
	"fmt"
	"net/http"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
)

// searchPatients answers GET Patient?…: a searchset Bundle with the total,
// a self link and, when more matches follow, a next link. Each returned
// patient is audited (action "search") before the bundle is sent.
func (a *api) searchPatients(w http.ResponseWriter, r *http.Request) {
	q, err := parsePatientQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := rapport.PatientFilter{Identifier: q.Identifier, Phone: q.Phone, Offset: q.Offset, Limit: max(q.Count, 1)}
	ps, total, err := a.DB.FindPatients(r.Context(), f)
	if err != nil {
		writeError(w, r, fmt.Errorf("search patients: %w", err))
		return
	}
	var audit []rapport.Audit
	if q.Count == 0 {
		ps = nil // _count=0 asks for the total only
		// A total still tells whether a number or identifier belongs to a
		// patient: audited, by what was searched (not its value).
		audit = append(audit, rapport.Audit{At: a.now(), Actor: actor(r), Action: "search",
			Resource: fmt.Sprintf("Patient?%s&_count=0 (count only, total %d)", q.searchedBy(), total)})
	}
	set := fhir.Searchset{Self: a.Base + "/Patient?" + q.values().Encode(), Total: total}
	if len(ps) > 0 && q.Offset+len(ps) < total {
		next := q
		next.Offset += len(ps)
		set.Next = a.Base + "/Patient?" + next.values().Encode()
	}
	for _, p := range ps {
		e, err := fhir.PatientEntry(p, a.Base)
		if err != nil {
			writeError(w, r, fmt.Errorf("search patients: %w", err))
			return
		}
		set.Entries = append(set.Entries, e)
		audit = append(audit, rapport.Audit{At: a.now(), Actor: actor(r), Action: "search", Resource: "Patient/" + string(p.ID), PatientID: p.ID})
	}
	body, err := fhir.SearchsetBundle(set)
	if err != nil {
		writeError(w, r, fmt.Errorf("search patients: %w", err))
		return
	}
	if len(audit) > 0 {
		if err := a.DB.AppendAudit(r.Context(), audit...); err != nil {
			writeError(w, r, fmt.Errorf("search patients: %w", err))
			return
		}
	}
	writeResource(w, http.StatusOK, body)
}
