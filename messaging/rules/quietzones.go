package rules

import "time"

// QuietZones returns the zones whose quiet hours a message must keep: the
// one zone [PatientLocation] chooses, except when the patient's record
// names no zone, the phone's zones disagree (an area code across zones)
// and no ZIP code decides — then every zone the number may be in, since
// the patient may be in any of them and the organisation's zone is only a
// guess. A message then goes only inside the intersection of their windows
// (see [Window.NextAllowedAll]).
func QuietZones(patientTZ string, phoneZones []string, postalCode string, orgTZ string) []*time.Location {
	primary := PatientLocation(patientTZ, phoneZones, postalCode, orgTZ)
	if loadZone(patientTZ) != nil || agreedZone(phoneZones) != nil {
		return []*time.Location{primary}
	}
	org := loadZone(orgTZ)
	if (org == nil || usZones[org.String()]) && loadZone(ZIPZone(postalCode)) != nil {
		return []*time.Location{primary}
	}
	var out []*time.Location
	seen := map[string]bool{}
	for _, z := range phoneZones {
		if loc := loadZone(z); loc != nil && !seen[loc.String()] {
			seen[loc.String()] = true
			out = append(out, loc)
		}
	}
	if len(out) < 2 {
		return []*time.Location{primary}
	}
	return out
}

// AllowedAll reports whether t falls in the window on the wall clock of
// every zone of locs.
func (w Window) AllowedAll(t time.Time, locs []*time.Location) bool {
	for _, loc := range locs {
		if !w.Allowed(t, loc) {
			return false
		}
	}
	return true
}

// NextAllowedAll returns the first instant at or after t that is allowed
// in every zone of locs (the intersection of their windows), in UTC, or t
// itself when it is. When the windows never meet (zones half a day apart
// with a short window), it falls back to the first zone's next allowed
// instant: the patient is better reached in the likeliest zone than never.
func (w Window) NextAllowedAll(t time.Time, locs []*time.Location) time.Time {
	if len(locs) == 1 {
		return w.NextAllowed(t, locs[0])
	}
	cur := t
	// Each round moves cur forward to where one more zone allows it; within
	// two days the rounds settle unless the windows never meet.
	for range 4 * len(locs) * 3 {
		moved := false
		for _, loc := range locs {
			if next := w.NextAllowed(cur, loc); !next.Equal(cur) {
				cur, moved = next, true
			}
		}
		if !moved {
			if cur.Equal(t) {
				return t
			}
			return cur.UTC()
		}
		if cur.Sub(t) > 3*24*time.Hour {
			break
		}
	}
	if len(locs) == 0 {
		return t
	}
	return w.NextAllowed(t, locs[0])
}
