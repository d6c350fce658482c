package rules

import (
	"strings"
	"time"
	_ "time/tzdata" // zones must resolve even on hosts without /usr/share/zoneinfo

	"github.com/rapporthq/rapport/internal/zones"
)

// PatientLocation chooses the zone a patient's wall clock runs in, for
// quiet hours, reminders and daily caps:
//
//  1. the zone on the patient record, when it names a known zone;
//  2. else the zones of the patient's phone numbers (as a numbering plan
//     reports them), when all of the known ones are one zone;
//  3. else the zone of the US ZIP code's 3-digit prefix — only when the
//     organisation's zone is a US zone or unknown, since a 5-digit postal
//     code of another country would read as a ZIP;
//  4. else the organisation's zone;
//  5. else UTC.
//
// Unknown zone names are skipped, never an error: a patient is better
// reached in an approximate zone than not at all.
func PatientLocation(patientTZ string, phoneZones []string, postalCode string, orgTZ string) *time.Location {
	if loc := loadZone(patientTZ); loc != nil {
		return loc
	}
	if loc := agreedZone(phoneZones); loc != nil {
		return loc
	}
	org := loadZone(orgTZ)
	if org == nil || usZones[org.String()] {
		if loc := loadZone(ZIPZone(postalCode)); loc != nil {
			return loc
		}
	}
	if org != nil {
		return org
	}
	return time.UTC
}

// agreedZone returns the one zone all known zones name, or nil.
func agreedZone(zones []string) *time.Location {
	var agreed *time.Location
	for _, z := range zones {
		loc := loadZone(z)
		if loc == nil {
			continue // "Etc/Unknown" and the like
		}
		if agreed != nil && agreed.String() != loc.String() {
			return nil
		}
		agreed = loc
	}
	return agreed
}

// loadZone returns the named zone, or nil for "", "Local", unknown or
// placeholder names.
func loadZone(name string) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || strings.HasPrefix(name, "Etc/Unknown") || len(name) > 64 {
		return nil
	}
	loc, err := zones.Load(name)
	if err != nil {
		return nil
	}
	return loc
}
