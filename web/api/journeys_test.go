package api_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestJourneysAPI(t *testing.T) {
	eachCampaigns(t, func(t *testing.T, e *env) {
		src, err := os.ReadFile("../../journeys/outreach.yaml")
		if err != nil {
			t.Fatal(err)
		}
		custom := strings.Replace(strings.Replace(string(src), "id: outreach", "id: flu-outreach", 1), "Offer remote blood-pressure monitoring", "Flu shots", 1)

		// Staff may read, not add.
		if a := e.do("POST", "/api/v1/journeys", e.staff, []byte(custom)); a.status != http.StatusForbidden {
			t.Errorf("staff adds a journey: %d %s", a.status, a.body)
		}
		a := e.do("POST", "/api/v1/journeys", e.admin, []byte(custom))
		if a.status != http.StatusCreated || !strings.Contains(string(a.body), `"id":"flu-outreach"`) {
			t.Fatalf("admin adds a journey: %d %s", a.status, a.body)
		}
		// The same version again with other content is a conflict.
		changed := strings.Replace(custom, "Flu shots", "Flu shots now", 1)
		if a := e.do("POST", "/api/v1/journeys", e.admin, []byte(changed)); a.status != http.StatusConflict {
			t.Errorf("changed content under the same version: %d %s", a.status, a.body)
		}
		// A broken journey: 400 naming line and field.
		broken := strings.Replace(custom, "next: nurture", "next: nowhere", 1)
		a = e.do("POST", "/api/v1/journeys", e.admin, []byte(broken))
		if a.status != http.StatusBadRequest || !strings.Contains(string(a.body), "line") || !strings.Contains(string(a.body), `unknown step \"nowhere\"`) {
			t.Errorf("broken journey: %d %s", a.status, a.body)
		}
		a = e.do("GET", "/api/v1/journeys", e.staff, nil)
		if a.status != http.StatusOK || !strings.Contains(string(a.body), `"id":"flu-outreach"`) || !strings.Contains(string(a.body), `"id":"decliner-nurture"`) {
			t.Errorf("list: %d %s", a.status, a.body)
		}
		// A campaign can launch the new journey.
		if a := e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "flu-outreach"}); a.status != http.StatusCreated {
			t.Errorf("campaign of the added journey: %d %s", a.status, a.body)
		}
		// A segment that fails at run time marks the journey broken in the list.
		e.hypertensive(1)
		if a := e.do("POST", "/api/v1/campaigns", e.staff, map[string]any{"journey": "flu-outreach", "segment": "age % (age - age) == 0"}); a.status != http.StatusCreated {
			t.Errorf("campaign with a failing segment: %d %s", a.status, a.body)
		}
		e.idle()
		a = e.do("GET", "/api/v1/journeys", e.staff, nil)
		if a.status != http.StatusOK || !strings.Contains(string(a.body), `"broken":{"journey":"flu-outreach","version":3,"field":"segment"`) {
			t.Errorf("list after a failing segment: %d %s", a.status, a.body)
		}
	})
}
