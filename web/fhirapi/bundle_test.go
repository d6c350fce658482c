package fhirapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

func TestPostBundleTwice(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		a := e.do("POST", "", e.integration, syntheaBundle(t)).want(t, http.StatusOK, "OperationOutcome")
		d := a.diagnostics(t)
		for _, want := range []string{"information/informational: Bundle imported: ", "Patient: 1 created, 0 updated, 0 unchanged, 0 rejected",
			"Encounter: 15 created", "not imported (types rapport does not import): ", "Observation 51"} {
			if !strings.Contains(d, want) {
				t.Errorf("first import: %s\nwant it to contain %q", d, want)
			}
		}
		before := counts(t, db)
		if before["patients"] != 1 || before["encounters"] != 15 {
			t.Errorf("stored: %v", before)
		}
		// The data's source is the token's name, and the shared importer is untouched.
		pid := e.patientID("http://hl7.org/fhir/sid/us-ssn", syntheaSSN)
		evs, err := db.FindEvents(context.Background(), rapport.EventFilter{PatientID: pid, Kind: rapport.EventRecordCreated})
		if err != nil || len(evs) == 0 {
			t.Fatalf("%d created events, err %v", len(evs), err)
		}
		var payload struct{ Source string }
		if err := json.Unmarshal(evs[0].Payload, &payload); err != nil || payload.Source != "ehr-push" {
			t.Errorf("created event payload %s (err %v), want source ehr-push", evs[0].Payload, err)
		}

		// The import is audited per patient, by the importing token.
		if as := patientAudit(t, db, pid); len(as) != 1 || as[0].Action != "create" || as[0].Actor.Name != "ehr-push" || as[0].Resource != "Patient/"+string(pid) {
			t.Errorf("audit of the imported patient: %+v", as)
		}

		// The same bundle again changes nothing.
		a = e.do("POST", "", e.integration, syntheaBundle(t), "Content-Type", "application/json; charset=utf-8").want(t, http.StatusOK, "OperationOutcome")
		if d := a.diagnostics(t); !strings.Contains(d, " 0 created, 0 updated, ") || !strings.Contains(d, "Patient: 0 created, 0 updated, 1 unchanged") {
			t.Errorf("second import: %s", d)
		}
		if after := counts(t, db); !maps.Equal(before, after) {
			t.Errorf("second import changed the database:\n before %v\n after  %v", before, after)
		}
		// And it can be read back.
		e.do("GET", "/Patient/"+string(pid), e.integration, nil).want(t, http.StatusOK, "Patient")
	})
}

// patientAudit is the audit trail of one patient.
func patientAudit(t *testing.T, db *store.DB, pid rapport.PatientID) []rapport.Audit {
	t.Helper()
	as, err := db.FindAudit(context.Background(), rapport.AuditFilter{PatientID: pid})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// brokenSynthea is the Synthea bundle with old replaced by new, once.
func brokenSynthea(t *testing.T, old, new string) []byte {
	t.Helper()
	b := syntheaBundle(t)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("test bundle lacks %s", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func TestPostBadBundle(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{maxUpload: 600_000})
		for _, c := range []struct {
			name        string
			body        []byte
			contentType string
			status      int
			mention     []string
		}{
			{"not JSON", []byte("resourceType: Bundle"), "", http.StatusBadRequest, []string{"not a JSON Bundle"}},
			{"empty", []byte(" "), "", http.StatusBadRequest, []string{"empty"}},
			{"a Patient", []byte(`{"resourceType":"Patient","id":"x"}`), "", http.StatusBadRequest, []string{"resourceType", `"Patient" is not Bundle`}},
			{"a history bundle", []byte(`{"resourceType":"Bundle","type":"history","entry":[]}`), "", http.StatusBadRequest, []string{"type", `"history"`}},
			{"a DELETE entry", []byte(`{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Patient/1"}}]}`), "",
				http.StatusBadRequest, []string{"entry 0", "request.method", "DELETE"}},
			{"a bad birth date", brokenSynthea(t, `"birthDate": "`, `"birthDate": "19x0`), "", http.StatusBadRequest,
				[]string{"Bundle entry 0 (Patient/" + syntheaPatient + ")", "birthDate"}},
			{"a bad encounter", brokenSynthea(t, `"resourceType": "Encounter",`, `"resourceType": "Encounter", "status": 7,`), "", http.StatusBadRequest,
				[]string{"(Encounter/", "status"}},
			{"XML", []byte(`<Bundle xmlns="http://hl7.org/fhir"/>`), "application/fhir+xml", http.StatusUnsupportedMediaType, []string{"application/fhir+xml"}},
			{"too large", bytes.Repeat([]byte(" "), 600_001), "", http.StatusRequestEntityTooLarge, []string{"600000 bytes"}},
		} {
			var hdr []string
			if c.contentType != "" {
				hdr = []string{"Content-Type", c.contentType}
			}
			for _, prefer := range []string{"", "respond-async"} {
				a := e.do("POST", "", e.integration, c.body, append(hdr, "Prefer", prefer)...).want(t, c.status, "OperationOutcome")
				d := a.diagnostics(t)
				for _, m := range c.mention {
					if !strings.Contains(d, m) {
						t.Errorf("%s (prefer %q): %s\nwant it to mention %s", c.name, prefer, d, m)
					}
				}
			}
		}
		for table, n := range counts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after refused bundles", table, n)
			}
		}
		// Nor was any upload queued.
		depth, err := e.queue.Depth(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for state, n := range depth {
			if n != 0 {
				t.Errorf("%d %s jobs after refused bundles", n, state)
			}
		}
	})
}

func TestAsyncImport(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{work: true})
		a := e.do("POST", "", e.integration, syntheaBundle(t), "Prefer", "respond-async").want(t, http.StatusAccepted, "OperationOutcome")
		loc := a.header.Get("Content-Location")
		if !strings.HasPrefix(loc, e.base+"/_upload/") {
			t.Fatalf("Content-Location %q", loc)
		}
		// Queued, not imported: the status says pending until the queue runs.
		e.do("GET", loc, e.integration, nil).want(t, http.StatusAccepted, "OperationOutcome")
		if n := counts(t, db)["patients"]; n != 0 {
			t.Fatalf("%d patients before the job ran", n)
		}
		// Another integration's token does not see the upload; an admin does.
		e.do("GET", loc, e.otherIntegration, nil).want(t, http.StatusNotFound, "OperationOutcome")
		e.do("GET", loc, e.admin, nil).want(t, http.StatusAccepted, "OperationOutcome")
		e.do("GET", e.base+"/_upload/nope", e.integration, nil).want(t, http.StatusNotFound, "OperationOutcome")

		e.startQueue()
		var done answer
		waitFor(t, "the queued import", func() bool {
			done = e.do("GET", loc, e.integration, nil)
			return done.status != http.StatusAccepted
		})
		done.want(t, http.StatusOK, "OperationOutcome")
		if d := done.diagnostics(t); !strings.Contains(d, "Patient: 1 created") || !strings.Contains(d, "Encounter: 15 created") {
			t.Errorf("done: %s", d)
		}
		pid := e.patientID("http://hl7.org/fhir/sid/us-ssn", syntheaSSN)
		if as := patientAudit(t, db, pid); len(as) != 1 || as[0].Action != "create" || as[0].Actor.Name != "ehr-push" || as[0].Actor.ID == "" {
			t.Errorf("audit of the patient the queued import created: %+v", as)
		}
		s, _ := e.search(e.integration, "identifier="+syntheaSSN)
		if s.Total != 1 || s.Entry[0].Resource.ID != string(pid) {
			t.Errorf("search after the async import: %+v", s)
		}
		u, err := db.FindUpload(context.Background(), loc[strings.LastIndex(loc, "/")+1:], false)
		if err != nil || u.Source != "ehr-push" || u.Status != rapport.UploadDone {
			t.Errorf("upload %+v, err %v", u, err)
		}

		// A bundle that only the database can refute (its Condition is about
		// a patient not imported) is accepted, then rejected by the job.
		orphan := []byte(`{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"POST","url":"Condition"},"resource":` +
			`{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/nobody"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}}]}`)
		a = e.do("POST", "", e.integration, orphan, "Prefer", "respond-async, wait=10").want(t, http.StatusAccepted, "OperationOutcome")
		var rejected answer
		waitFor(t, "the rejected import", func() bool {
			rejected = e.do("GET", a.header.Get("Content-Location"), e.integration, nil)
			return rejected.status != http.StatusAccepted
		})
		rejected.want(t, http.StatusBadRequest, "OperationOutcome")
		if d := rejected.diagnostics(t); !strings.Contains(d, "entry 0 (Condition/c1)") || !strings.Contains(d, "Patient/nobody is not known") {
			t.Errorf("rejected: %s", d)
		}
	})
}
