package dosing

import "slices"

// Represcribe returns old with the dose days and times of upd, a newer
// prescription of the same medication; old itself is not modified.
//
// The patient's choices stand: each current time of old the patient chose
// takes the place of the nearest time of upd (around the clock), so a
// patient who moved their 09:00 dose to 07:30 keeps 07:30 when the new
// prescription still says one a day; a chosen time is dropped only when
// upd has fewer doses a day than the patient chose.
//
// from is the first day of the new times, for a regimen already reminded:
// days before it keep the doses they had (old times end the day before,
// new ones start on from), as for a patient's move. A zero from replaces
// the times outright, for a regimen not yet reminded. With from, the
// start stays unless the day step changes. Snoozes stay.
func Represcribe(old, upd Regimen, from Date) Regimen {
	want := withChosen(old.Times, upd.Times)
	out := old
	out.EveryDays, out.Start, out.End, out.AsNeeded = upd.EveryDays, upd.Start, upd.End, upd.AsNeeded
	if from.IsZero() {
		out.Times = want
		return out
	}
	if upd.every() == old.every() {
		out.Start = old.Start // the same day step: past dose days stay
	}
	var times []DoseTime
	for _, dt := range old.Times {
		switch j := slices.IndexFunc(want, func(w DoseTime) bool { return w.At == dt.At }); {
		case !dt.current():
			times = append(times, dt) // the past, as reminded
		case j >= 0 && want[j].PatientChosen == dt.PatientChosen:
			times = append(times, dt) // the same time goes on
			want = slices.Delete(want, j, j+1)
		case !dt.From.IsZero() && !from.After(dt.From):
			// began on or after from: it never applied
		default:
			dt.Until = from.AddDays(-1)
			times = append(times, dt)
		}
	}
	for _, w := range want {
		w.From = from
		for _, dt := range times { // never onto a day an ended entry of the time covers
			if dt.At == w.At && !dt.current() && !dt.Until.Before(w.From) {
				w.From = dt.Until.AddDays(1)
			}
		}
		times = append(times, w)
	}
	slices.SortStableFunc(times, func(a, b DoseTime) int {
		if a.At != b.At {
			return int(a.At - b.At)
		}
		return dateCompare(a.From, b.From)
	})
	out.Times = times
	return out
}

// withChosen returns the current times of upd, each of old's current
// patient-chosen times in place of the nearest one, sorted and without
// repeats.
func withChosen(old, upd []DoseTime) []DoseTime {
	var chosen []TimeOfDay
	for _, dt := range old {
		if dt.current() && dt.PatientChosen {
			chosen = append(chosen, dt.At)
		}
	}
	var out []DoseTime
	for _, dt := range upd {
		if dt.current() {
			out = append(out, DoseTime{At: dt.At})
		}
	}
	taken := make([]bool, len(out))
	// Pair the closest chosen time and slot first, then the next closest:
	// a greedy matching, exact for the few times a day regimens have.
	for range min(len(chosen), len(out)) {
		bc, bs, best := -1, -1, 0
		for c, t := range chosen {
			if t < 0 {
				continue
			}
			for s := range out {
				if d := clockDistance(t, out[s].At); !taken[s] && (bc < 0 || d < best) {
					bc, bs, best = c, s, d
				}
			}
		}
		out[bs], taken[bs], chosen[bc] = DoseTime{At: chosen[bc], PatientChosen: true}, true, -1
	}
	slices.SortStableFunc(out, func(a, b DoseTime) int { return int(a.At - b.At) })
	kept := out[:0]
	for _, dt := range out {
		if n := len(kept); n > 0 && kept[n-1].At == dt.At {
			kept[n-1].PatientChosen = kept[n-1].PatientChosen || dt.PatientChosen
			continue
		}
		kept = append(kept, dt)
	}
	return kept
}

// clockDistance is the minutes between two times of day, around the clock.
func clockDistance(a, b TimeOfDay) int {
	d := int(a - b)
	if d < 0 {
		d = -d
	}
	return min(d, minutesPerDay-d)
}
