package reminders

import (
	"testing"

	"github.com/rapporthq/rapport"
)

// One regimen per patient and drug: the code in its system names the
// drug; without a code, its name, however it is cased or spaced.
func TestDrugKey(t *testing.T) {
	t.Parallel()
	rx := "http://www.nlm.nih.gov/research/umls/rxnorm"
	tests := []struct {
		a, b rapport.Code
		same bool
	}{
		{rapport.Code{System: rx, Code: "314076", Display: "lisinopril 10 MG"}, rapport.Code{System: rx, Code: "314076", Display: "Lisinopril 10mg tab"}, true},
		{rapport.Code{System: rx, Code: "314076"}, rapport.Code{System: rx, Code: "314077"}, false},
		{rapport.Code{System: rx, Code: "314076"}, rapport.Code{System: "urn:local", Code: "314076"}, false},
		{rapport.Code{Display: "Lisinopril 10 MG "}, rapport.Code{Display: "lisinopril 10 mg"}, true},
		{rapport.Code{Display: "lisinopril 10 MG"}, rapport.Code{System: rx, Code: "314076", Display: "lisinopril 10 MG"}, false},
	}
	for _, tt := range tests {
		if got := drugKey(tt.a) == drugKey(tt.b); got != tt.same {
			t.Errorf("%+v and %+v the same drug: %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}
