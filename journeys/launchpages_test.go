package journeys_test

import (
	"fmt"
	"testing"

	"github.com/rapporthq/rapport/journey"
)

// With LaunchPages set, a launch job hands over after that many pages of
// the segment (1,000 patients each), however fast it went: 2,500 patients
// are three pages and an empty one that finds the end, four launch jobs
// at one page each, and each patient is enrolled once.
func TestLaunchPages(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.e.LaunchPages = 1
		const n = 2500
		lines := make([]string, n)
		for i := range n {
			lines[i] = fhirPatient(fmt.Sprintf("p%04d", i), "Ana", "en", fmt.Sprintf("+1512556%04d", i))
		}
		h.importNDJSON(map[string][]string{"Patient.ndjson": lines})
		h.launch("outreach")
		var launches, enrolled, patients int
		for q, v := range map[string]*int{
			"SELECT count(*) FROM river_job WHERE kind = '" + journey.LaunchArgs{}.Kind() + "'": &launches,
			"SELECT count(*) FROM enrollments WHERE journey = 'outreach'":                       &enrolled,
			"SELECT count(DISTINCT patient_id) FROM enrollments WHERE journey = 'outreach'":     &patients,
		} {
			if err := h.db.SQLDB().QueryRowContext(h.ctx, q).Scan(v); err != nil {
				t.Fatal(err)
			}
		}
		if launches != 4 {
			t.Errorf("%d launch jobs, want 4 (one a page)", launches)
		}
		if enrolled != n || patients != n {
			t.Errorf("%d enrollments of %d patients, want %d of %d", enrolled, patients, n, n)
		}
	})
}
