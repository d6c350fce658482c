package selfreport

import "math"

// ParseReading reads a measurement texted in English or Spanish:
//
//   - blood pressure: "142/90", "BP 142/90", "bp: 142 / 90", "presión
//     142/90", "142 sobre 90", "142 over 90 mmHg", with an optional pulse
//     "142/90 p 72", "142/90 pulse 72", "142/90 72 bpm", "142/90 72";
//   - glucose: "glucose 180", "sugar 180", "bs 180", "glucosa 180", "azúcar
//     180 mg/dl", "180 mg/dL"; in mmol/L ("glucose 10 mmol") it is converted
//     to mg/dL and FromUnit says so;
//   - weight, with its unit: "weight 182 lb", "peso 82 kg", "82,5 kilos";
//   - heart rate alone: "pulse 72".
//
// lang is the question's language; both languages are read whatever it is.
//
// A text that is not exactly one reading — no number, a bare number ("180":
// of what?), two readings, a weight without its unit, extra numbers ("at
// 8"), more than a few other words — is a [*NotUnderstoodError]; a
// reading out of the plausible range ("1420/90", "glucose 5000", "90/142")
// is an [*ImplausibleError] naming the field, to ask the patient again.
func ParseReading(text, lang string) (Reading, error) {
	const q = QuestionReading
	items, ok := readingItems(text)
	if !ok {
		return Reading{}, notUnderstood(q, "too long")
	}
	var nums []int // indexes of numbers in items
	hints := map[hint]int{}
	other := 0
	for i, it := range items {
		switch it.kind {
		case iNum:
			nums = append(nums, i)
		case iHint:
			hints[it.hint]++
		case iOther:
			other++
		}
	}
	if len(nums) == 0 {
		return Reading{}, notUnderstood(q, "no number")
	}
	if other > maxOtherWords {
		return Reading{}, notUnderstood(q, "too many other words")
	}
	if r, ok, err := bloodPressure(items, nums, hints); ok || err != nil {
		return r, err
	}
	if len(nums) != 1 {
		return Reading{}, notUnderstood(q, "%d numbers and no blood pressure", len(nums))
	}
	v, frac := items[nums[0]].num, items[nums[0]].frac
	kinds := 0
	for _, h := range []hint{hGlucose, hWeight, hPulse, hBP} {
		if hints[h] > 0 {
			kinds++
		}
	}
	glucose := hints[hGlucose] > 0 || hints[hMgDL] > 0 || hints[hMmol] > 0
	weight := hints[hWeight] > 0 || hints[hLb] > 0 || hints[hKg] > 0
	pulse := hints[hPulse] > 0
	var r Reading
	switch {
	case hints[hMg] > 0 && hints[hGlucose] == 0:
		return Reading{}, notUnderstood(q, "mg without a glucose word")
	case kinds > 1 || (glucose && weight) || (pulse && (glucose || weight)) || hints[hBP] > 0 || hints[hMmHg] > 0:
		return Reading{}, notUnderstood(q, "words of different readings")
	case glucose:
		r = Reading{Kind: Glucose, Value: v, Unit: UnitMgDL}
		if hints[hMmol] > 0 {
			if hints[hMgDL] > 0 || hints[hMg] > 0 {
				return Reading{}, notUnderstood(q, "two glucose units")
			}
			r.Value, r.FromUnit = math.Round(v*mgPerMmol), UnitMmolL
		} else if frac {
			// "sugar 7.8": a decimal in mg/dL is a reading in mmol/L
			// without its unit. Ask, do not guess.
			return Reading{}, notUnderstood(q, "glucose with a decimal and no unit")
		}
	case weight:
		switch {
		case hints[hLb] > 0 && hints[hKg] == 0:
			r = Reading{Kind: Weight, Value: v, Unit: UnitLb}
		case hints[hKg] > 0 && hints[hLb] == 0:
			r = Reading{Kind: Weight, Value: v, Unit: UnitKg}
		default:
			return Reading{}, notUnderstood(q, "weight needs one unit, lb or kg")
		}
	case pulse:
		if frac {
			return Reading{}, notUnderstood(q, "pulse with a decimal")
		}
		r = Reading{Kind: HeartRate, Pulse: int(v), Unit: UnitPerMin}
	default:
		return Reading{}, notUnderstood(q, "a number without a kind")
	}
	if err := r.Validate(); err != nil {
		return Reading{}, err
	}
	return r, nil
}

// bloodPressure reads "S/D" or "S over D" with an optional pulse. ok is
// false when the items hold no such pair.
func bloodPressure(items []item, nums []int, hints map[hint]int) (Reading, bool, error) {
	const q = QuestionReading
	pair := -1
	for _, i := range nums {
		if pair >= 0 && i == pair+2 {
			continue
		}
		if i+2 < len(items) && items[i+1].kind == iOver && items[i+2].kind == iNum {
			if pair >= 0 {
				return Reading{}, false, notUnderstood(q, "two blood pressures")
			}
			pair = i
		}
	}
	if pair < 0 {
		if hints[hBP] > 0 || hints[hMmHg] > 0 {
			return Reading{}, false, notUnderstood(q, "blood pressure without two numbers")
		}
		return Reading{}, false, nil
	}
	if hints[hGlucose] > 0 || hints[hWeight] > 0 || hints[hMgDL] > 0 || hints[hMg] > 0 || hints[hMmol] > 0 || hints[hLb] > 0 || hints[hKg] > 0 {
		return Reading{}, false, notUnderstood(q, "words of different readings")
	}
	s, d := items[pair], items[pair+2]
	if s.frac || d.frac {
		return Reading{}, false, notUnderstood(q, "blood pressure with a decimal")
	}
	r := Reading{Kind: BloodPressure, Systolic: int(s.num), Diastolic: int(d.num), Unit: UnitMmHg}
	rest := 0
	for _, i := range nums {
		if i == pair || i == pair+2 {
			continue
		}
		rest++
		// A pulse: named ("p 72", "72 bpm"), or a bare third number
		// right after the pair ("142/90 72", as a cuff's screen shows).
		named := (i > 0 && items[i-1].kind == iHint && items[i-1].hint == hPulse) ||
			(i+1 < len(items) && items[i+1].kind == iHint && items[i+1].hint == hPulse)
		third := i == pair+3 || (i == pair+4 && items[pair+3].kind == iOver) // "142/90/72"
		if i < pair {
			third = false // a number before the pair: a date, a time
		}
		if rest > 1 || items[i].frac || !(named || third) {
			return Reading{}, false, notUnderstood(q, "a number that is not part of the blood pressure")
		}
		r.Pulse = int(items[i].num)
	}
	if hints[hPulse] > 0 && r.Pulse == 0 {
		return Reading{}, false, notUnderstood(q, "pulse without a number")
	}
	if err := r.Validate(); err != nil {
		return Reading{}, false, err
	}
	return r, true, nil
}
