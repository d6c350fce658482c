package journey

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// TestEnvSharedPhone: a usable phone held by other patients too is
// shared_phone; one of this patient alone, or an invalid one, is not.
func TestEnvSharedPhone(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    rapport.ContactPoint
		want bool
	}{
		{"family landline", rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550100", Status: rapport.StatusValid, SharedBy: 3}, true},
		{"own phone", rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550100", Status: rapport.StatusValid}, false},
		{"shared but invalid", rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550100", Status: rapport.StatusInvalid, SharedBy: 2}, false},
	}
	for _, tc := range tests {
		if got := NewEnv(&rapport.Patient{Contacts: []rapport.ContactPoint{tc.c}}, now, nil, nil).SharedPhone; got != tc.want {
			t.Errorf("%s: shared_phone = %v, want %v", tc.name, got, tc.want)
		}
	}
}
