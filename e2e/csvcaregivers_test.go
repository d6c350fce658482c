package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/web/api"
)

// TestImportCSVCaregiversProcess is issue 15's CSV caregivers on the user's
// path: `rapport import csv` of an export with caregiver columns on the
// patients' rows (twice: the second run changes nothing), then `rapport
// serve` listing a patient's caregivers at GET
// /api/v1/patients/{id}/caregivers, with their own contact points, and
// the patient's record without them.
func TestImportCSVCaregiversProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	env := append(proctest.Env(), "RAPPORT_DB=sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	csvPath := filepath.Join(t.TempDir(), "patients.csv")
	rows := "Patient ID,MRN,First Name,Last Name,DOB,Mobile,Emergency Contact Name,Emergency Contact Phone,Relationship,Caregiver Consent,Caregiver Language,Caregiver 2 First,Caregiver 2 Last,Caregiver 2 Email,Caregiver 2 Relationship,Caregiver 2 Scope\n" +
		"P-1,MRN-1,Ana,García,03/14/1948,(512) 867-5309,Rosa García,(512) 867-5310,Daughter,Y,Spanish,Jorge,García,jorge@example.com,husband,conversation\n" +
		"P-2,MRN-2,Lin,Chen,1/2/1950,212-555-0100,,,,,,,,,,\n"
	if err := os.WriteFile(csvPath, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	mapping := "../csvimport/testdata/caregivers-mapping.yaml"
	out := rapportCmd(t, env, "import", "csv", csvPath, "--mapping", mapping)
	if !strings.Contains(out, "4 created") || !summaryRow(out, "RelatedPerson", "2 created") {
		t.Fatalf("import: %s", out)
	}
	if out := rapportCmd(t, env, "import", "csv", csvPath, "--mapping", mapping); !strings.Contains(out, "0 created, 0 updated, 4 unchanged") {
		t.Fatalf("second import: %s", out)
	}
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "e2e"))
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()

	var bundle struct {
		Entry []struct {
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"entry"`
	}
	getJSON(t, "http://"+addr+"/fhir/R4/Patient?identifier="+url.QueryEscape("http://clinic.example/mrn|MRN-1"), token, &bundle)
	if len(bundle.Entry) != 1 {
		t.Fatalf("MRN-1 found %d times", len(bundle.Entry))
	}
	id := bundle.Entry[0].Resource.ID
	var list api.CaregiverList
	getJSON(t, "http://"+addr+"/api/v1/patients/"+id+"/caregivers", token, &list)
	byRole := map[string]*rapport.Caregiver{}
	for _, c := range list.Caregivers {
		byRole[c.Relationship.Code] = c
	}
	dau, husb := byRole["DAU"], byRole["HUSB"]
	if len(list.Caregivers) != 2 || dau == nil || husb == nil {
		t.Fatalf("caregivers = %+v", list.Caregivers)
	}
	if dau.Name() != "Rosa García" || dau.Consent != rapport.ConsentGranted || dau.Language != "es" || dau.Scope != rapport.ScopeReminders ||
		len(dau.Contacts) != 1 || dau.Contacts[0].Value != "+15128675310" {
		t.Errorf("daughter = %+v", dau)
	}
	if husb.Name() != "Jorge García" || husb.Consent != rapport.ConsentNotRecorded || husb.Scope != rapport.ScopeConversation ||
		len(husb.Contacts) != 1 || husb.Contacts[0].Value != "jorge@example.com" {
		t.Errorf("husband = %+v", husb)
	}
	var p rapport.Patient
	getJSON(t, "http://"+addr+"/api/v1/patients/"+id, token, &p)
	if len(p.Contacts) != 1 || p.Contacts[0].Value != "+15128675309" {
		t.Errorf("patient's contacts = %+v: want only her own mobile", p.Contacts)
	}
}

// summaryRow reports whether a line of out starts (after spaces) with
// word and holds want: the import summary's per-type rows.
func summaryRow(out, word, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), word+" ") && strings.Contains(strings.Join(strings.Fields(l), " "), want) {
			return true
		}
	}
	return false
}
