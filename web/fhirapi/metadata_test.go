package fhirapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

func TestMetadata(t *testing.T) {
	t.Parallel()
	e := setup(t, dbtest.Open(t, store.SQLite, newClock()), options{})
	a := e.do("GET", "/metadata", "", nil).want(t, http.StatusOK, "CapabilityStatement")
	var cs struct {
		FHIRVersion    string
		Date           string
		Software       struct{ Version string }
		Implementation struct{ URL string }
		Rest           []struct {
			Resource []struct {
				Type        string
				Interaction []struct{ Code string }
				SearchParam []struct{ Name string }
			}
			Interaction []struct{ Code string }
		}
	}
	if err := json.Unmarshal(a.body, &cs); err != nil {
		t.Fatal(err)
	}
	if cs.FHIRVersion != "4.0.1" || cs.Software.Version != "0.9.0-test" || cs.Implementation.URL != e.base || cs.Date != "2026-06-01T12:00:00Z" {
		t.Errorf("statement: %s", a.body)
	}
	// It claims what the API does, and no transaction or batch: POST of a
	// Bundle answers an OperationOutcome, not a transaction-response.
	if len(cs.Rest) != 1 || len(cs.Rest[0].Interaction) != 0 {
		t.Errorf("system interactions claimed: %s", a.body)
	}
	var got []string
	for _, r := range cs.Rest[0].Resource {
		for _, i := range r.Interaction {
			got = append(got, r.Type+":"+i.Code)
		}
		for _, p := range r.SearchParam {
			got = append(got, r.Type+"?"+p.Name)
		}
	}
	slices.Sort(got)
	if want := []string{"Observation:search-type", "Observation?patient", "Patient:read", "Patient:search-type", "Patient?identifier", "Patient?phone"}; !slices.Equal(got, want) {
		t.Errorf("capabilities %v, want %v", got, want)
	}
	if !strings.Contains(string(a.body), "OperationOutcome") {
		t.Errorf("the description does not say how POST answers: %s", a.body)
	}
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	e := setup(t, dbtest.Open(t, store.SQLite, newClock()), options{})
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/Observation/1", http.StatusNotFound, ""},
		{"GET", "/Patient/", http.StatusNotFound, ""},
		{"DELETE", "/Patient/abc", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"PUT", "/Patient", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "", http.StatusMethodNotAllowed, "POST"},
		{"POST", "/metadata", http.StatusMethodNotAllowed, "GET, HEAD"},
	} {
		a := e.do(c.method, c.path, e.admin, nil).want(t, c.status, "OperationOutcome")
		if got := a.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}
