package fhirapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// seedSynthea imports the Synthea test bundle through the API.
func (e *env) seedSynthea() rapport.PatientID {
	e.t.Helper()
	e.do("POST", "", e.integration, syntheaBundle(e.t)).want(e.t, http.StatusOK, "OperationOutcome")
	return e.patientID("http://hl7.org/fhir/sid/us-ssn", syntheaSSN)
}

func TestReadPatient(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		pid := e.seedSynthea()
		path := "/Patient/" + string(pid)

		// Without a token, with a bad or revoked one: 401 with a challenge.
		revoked, hash := "rpt_revoked", ""
		{
			tok := &rapport.Token{Name: "gone", Role: rapport.RoleStaff}
			hash = web.HashToken(revoked)
			if err := db.CreateToken(context.Background(), tok, hash); err != nil {
				t.Fatal(err)
			}
			if err := db.RevokeToken(context.Background(), tok.ID); err != nil {
				t.Fatal(err)
			}
		}
		for _, tok := range []string{"", "rpt_not-a-token", revoked} {
			a := e.do("GET", path, tok, nil).want(t, http.StatusUnauthorized, "OperationOutcome")
			if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(a.diagnostics(t), "error/login") {
				t.Errorf("token %q: %v %s", tok, a.header, a.diagnostics(t))
			}
		}

		// Staff and integration read; the patient is the one imported.
		for _, tok := range []string{e.staff, e.integration} {
			a := e.do("GET", path, tok, nil).want(t, http.StatusOK, "Patient")
			var p struct {
				ID         string
				Identifier []struct{ System, Value string }
				Telecom    []struct{ System, Value string }
			}
			if err := json.Unmarshal(a.body, &p); err != nil {
				t.Fatal(err)
			}
			if p.ID != string(pid) || len(p.Identifier) != 5 || len(p.Telecom) != 1 || p.Telecom[0].Value != "+15556845534" {
				t.Errorf("patient read: %s", a.body)
			}
			if a.header.Get("Last-Modified") == "" {
				t.Error("no Last-Modified")
			}
		}

		// Unknown and malformed ids: 404 OperationOutcome, nothing audited.
		for _, id := range []string{"no-such-patient", url.PathEscape("has space"), strings.Repeat("x", 65)} {
			a := e.do("GET", "/Patient/"+id, e.staff, nil).want(t, http.StatusNotFound, "OperationOutcome")
			if !strings.Contains(a.diagnostics(t), "error/not-found") {
				t.Errorf("%s: %s", id, a.diagnostics(t))
			}
		}

		// Who imported and read which patient: the import, then two reads, by the staff and the integration token.
		audit, err := db.FindAudit(context.Background(), rapport.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range audit {
			got = append(got, fmt.Sprintf("%s %s %s %s", a.Actor.Name, a.Action, a.Resource, a.PatientID))
		}
		want := []string{"ehr-push create Patient/" + string(pid) + " " + string(pid), // its import
			"nurse-desk read Patient/" + string(pid) + " " + string(pid), "ehr-push read Patient/" + string(pid) + " " + string(pid)}
		if !slices.Equal(got, want) {
			t.Errorf("audit trail:\n got  %q\n want %q", got, want)
		}
	})
}

func TestRoles(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		// Staff may not push data or see uploads; admin passes every check.
		a := e.do("POST", "", e.staff, syntheaBundle(t)).want(t, http.StatusForbidden, "OperationOutcome")
		if d := a.diagnostics(t); !strings.Contains(d, "error/forbidden") || !strings.Contains(d, "integration") {
			t.Errorf("forbidden: %s", d)
		}
		e.do("GET", "/_upload/x", e.staff, nil).want(t, http.StatusForbidden, "OperationOutcome")
		if n := counts(t, db)["patients"]; n != 0 {
			t.Fatalf("a refused POST stored %d patients", n)
		}
		e.do("POST", "", e.admin, syntheaBundle(t)).want(t, http.StatusOK, "OperationOutcome")
		pid := e.patientID("http://hl7.org/fhir/sid/us-ssn", syntheaSSN)
		e.do("GET", "/Patient/"+string(pid), e.admin, nil).want(t, http.StatusOK, "Patient")
	})
}

// searchset is the part of a searchset Bundle the tests look at.
type searchset struct {
	Type  string
	Total int
	Link  []struct{ Relation, URL string }
	Entry []struct {
		FullURL  string
		Resource struct{ ID string }
		Search   struct{ Mode string }
	}
}

func (e *env) search(token, query string) (searchset, answer) {
	e.t.Helper()
	a := e.do("GET", "/Patient?"+query, token, nil).want(e.t, http.StatusOK, "Bundle")
	var s searchset
	if err := json.Unmarshal(a.body, &s); err != nil {
		e.t.Fatal(err)
	}
	if s.Type != "searchset" {
		e.t.Errorf("bundle type %q", s.Type)
	}
	return s, a
}

func (s searchset) link(rel string) string {
	for _, l := range s.Link {
		if l.Relation == rel {
			return l.URL
		}
	}
	return ""
}

func TestSearchPatients(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		pid := e.seedSynthea()
		q := url.QueryEscape
		for _, c := range []struct {
			query string
			total int
		}{
			{"identifier=" + q("http://hl7.org/fhir/sid/us-ssn|"+syntheaSSN), 1},
			{"identifier=" + syntheaSSN, 1},
			// The MRN is in two systems of the same patient: one match.
			{"identifier=" + syntheaMRN, 1},
			{"identifier=" + q("http://hospital.smarthealthit.org|"+syntheaMRN), 1},
			{"identifier=" + q("http://other.example|"+syntheaMRN), 0},
			{"identifier=999-00-0000", 0},
			// Phones in any common format match the normalised number.
			{"phone=" + q(syntheaPhone), 1},
			{"phone=" + q("(555) 684 5534"), 1},
			{"phone=" + q("+1 555 684 5534"), 1},
			{"phone=" + q("555-684-5535"), 0},
			{"phone=" + q(syntheaPhone) + "&identifier=" + syntheaSSN, 1},
			{"phone=" + q(syntheaPhone) + "&identifier=999-00-0000", 0},
		} {
			s, _ := e.search(e.staff, c.query)
			if s.Total != c.total || len(s.Entry) != c.total {
				t.Errorf("%s: total %d, %d entries; want %d", c.query, s.Total, len(s.Entry), c.total)
				continue
			}
			if !strings.HasPrefix(s.link("self"), e.base+"/Patient?") || s.link("next") != "" {
				t.Errorf("%s: links %+v", c.query, s.Link)
			}
			if c.total == 1 {
				if en := s.Entry[0]; en.Resource.ID != string(pid) || en.FullURL != e.base+"/Patient/"+string(pid) || en.Search.Mode != "match" {
					t.Errorf("%s: entry %+v", c.query, en)
				}
			}
		}
		// One "search" audit entry per patient returned: 8 searches found the patient.
		audit, err := db.FindAudit(context.Background(), rapport.AuditFilter{PatientID: pid, Actor: "nurse-desk"})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 8 {
			t.Errorf("audit entries = %d, want 8", len(audit))
		}
		for _, a := range audit {
			if a.Actor.Name != "nurse-desk" || a.Action != "search" || a.Resource != "Patient/"+string(pid) {
				t.Errorf("audit entry %+v", a)
			}
		}
	})
}

func TestSearchRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t, openSQLite(t), options{})
	for _, c := range []struct{ query, mention string }{
		{"", "needs identifier or phone"},
		{"_count=5", "needs identifier or phone"},
		{"name=Smith", `"name"`},
		{"identifier:exact=1", `"identifier:exact"`},
		{"identifier=1&identifier=2", "identifier is given 2 times"},
		{"identifier=a,b", "several values"},
		{"identifier=" + url.QueryEscape("|123"), "without a system"},
		{"identifier=" + url.QueryEscape("http://x|"), "no value"},
		{"phone=hello", `phone: "hello" is not a phone number`},
		{"phone=" + url.QueryEscape("tel|5125550100"), "not SYSTEM|VALUE"},
		{"phone=5125550100&_count=-1", "_count"},
		{"phone=5125550100&_count=ten", "_count"},
		{"phone=5125550100&_offset=-3", "_offset"},
		{"phone=5125550100&_format=xml", "_format"},
		{"phone=%zz", "query string"},
	} {
		a := e.do("GET", "/Patient?"+c.query, e.staff, nil).want(t, http.StatusBadRequest, "OperationOutcome")
		if d := a.diagnostics(t); !strings.Contains(d, c.mention) || !strings.Contains(d, "error/invalid") {
			t.Errorf("%q: %s, want it to mention %s", c.query, d, c.mention)
		}
	}
}

// collectionBundle returns a collection Bundle of n patients sharing phone.
func collectionBundle(n int, phone string) []byte {
	var entries []string
	for i := range n {
		entries = append(entries, fmt.Sprintf(`{"fullUrl":"urn:uuid:p-%d","resource":{"resourceType":"Patient","id":"p-%d",`+
			`"identifier":[{"system":"urn:test:mrn","value":"M%d"}],"name":[{"family":"Family%d","given":["Ana"]}],`+
			`"birthDate":"1960-01-%02d","telecom":[{"system":"phone","value":%q,"use":"mobile"}]}}`, i, i, i, i, i+1, phone))
	}
	return []byte(`{"resourceType":"Bundle","type":"collection","entry":[` + strings.Join(entries, ",") + `]}`)
}

func TestSearchPaging(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		e.do("POST", "", e.integration, collectionBundle(7, "(512) 555-0142")).want(t, http.StatusOK, "OperationOutcome")

		// Following next links from the first page visits every match once.
		next := e.base + "/Patient?phone=" + url.QueryEscape("+1 512 555 0142") + "&_count=3"
		var ids []string
		pages := 0
		for next != "" {
			a := e.do("GET", next, e.integration, nil).want(t, http.StatusOK, "Bundle")
			var s searchset
			if err := json.Unmarshal(a.body, &s); err != nil {
				t.Fatal(err)
			}
			if s.Total != 7 || s.link("self") != next && pages > 0 {
				t.Errorf("page %d: total %d, self %q (requested %q)", pages, s.Total, s.link("self"), next)
			}
			for _, en := range s.Entry {
				ids = append(ids, en.Resource.ID)
			}
			next = s.link("next")
			pages++
			if pages > 5 {
				t.Fatal("next links do not end")
			}
		}
		slices.Sort(ids)
		if pages != 3 || len(slices.Compact(ids)) != 7 || len(ids) != 7 {
			t.Errorf("%d pages, ids %v; want 3 pages of 7 distinct patients", pages, ids)
		}
		if n := len(mustAudit(t, db, "search")); n != 7 {
			t.Errorf("%d audit entries for 7 patients returned", n)
		}

		// _count=0 gives the total alone; a huge _count is lowered to 500.
		s, _ := e.search(e.staff, "phone=5125550142&_count=0")
		if s.Total != 7 || len(s.Entry) != 0 || s.link("next") != "" {
			t.Errorf("_count=0: %+v", s)
		}
		// It still says whether the number is a patient's: audited, by
		// what was searched, never the number itself.
		as := mustAudit(t, db, "search")
		if last := as[len(as)-1]; len(as) != 8 || last.Action != "search" || last.Resource != "Patient?phone&_count=0 (count only, total 7)" || last.Actor.Name == "" {
			t.Errorf("count-only search: %d audit entries, last %+v; want an 8th naming the count-only phone search", len(as), last)
		}
		s, _ = e.search(e.staff, "phone=5125550142&_count=100000")
		if len(s.Entry) != 7 || !strings.Contains(s.link("self"), "_count=500") {
			t.Errorf("_count=100000: %d entries, self %s", len(s.Entry), s.link("self"))
		}
		s, _ = e.search(e.staff, "phone=5125550142&_offset=50")
		if s.Total != 7 || len(s.Entry) != 0 || s.link("next") != "" {
			t.Errorf("_offset past the end: %+v", s)
		}
	})
}

func mustAudit(t *testing.T, db *store.DB, action string) []rapport.Audit {
	t.Helper()
	a, err := db.FindAudit(context.Background(), rapport.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []rapport.Audit
	for _, e := range a {
		if e.Action == action { // the imports that made the patients are audited too
			out = append(out, e)
		}
	}
	return out
}
