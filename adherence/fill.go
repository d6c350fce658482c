package adherence

import "github.com/rapporthq/rapport"

// Fill is one dispense of a medication: what was handed over, when, and for
// how many days.
type Fill struct {
	// Drug identifies the product, such as an RxNorm code. Early refills
	// shift only against earlier fills of the same Drug.
	Drug string
	// Class is the therapeutic class the measure is reported for, such as
	// "statins": a day is covered when any drug of the class covers it.
	Class string
	// Date is the date of service (the day the patient got the supply).
	Date Date
	// DaysSupply is the number of days the dispensed quantity lasts.
	DaysSupply int
}

// NewFill returns a validated fill; see [Fill.Validate] for the errors.
func NewFill(drug, class string, date Date, daysSupply int) (Fill, error) {
	f := Fill{Drug: drug, Class: class, Date: date, DaysSupply: daysSupply}
	return f, f.Validate()
}

// maxDaysSupply bounds a single dispense at ten years; beyond that the
// figure is an entry error, and the bound keeps date arithmetic far from
// overflow.
const maxDaysSupply = 3650

// Validate returns an EINVALID error naming the first field that is wrong:
// an empty drug or class, or a days supply that is not between 1 and 3650.
// Messages name the field, never the value, which is patient data.
func (f Fill) Validate() error {
	switch {
	case f.Drug == "":
		return rapport.Errorf(rapport.EINVALID, "fill: drug is required")
	case f.Class == "":
		return rapport.Errorf(rapport.EINVALID, "fill: class is required")
	case f.DaysSupply <= 0:
		return rapport.Errorf(rapport.EINVALID, "fill: days_supply must be positive")
	case f.DaysSupply > maxDaysSupply:
		return rapport.Errorf(rapport.EINVALID, "fill: days_supply must be at most %d", maxDaysSupply)
	}
	return nil
}

// Stay is an inpatient stay, both ends included. Medicines given in hospital
// are not dispensed by the pharmacy, so the days of a stay are left out of
// the measure and supply held at home waits for the patient's discharge.
type Stay struct {
	Start Date
	End   Date
}

// Validate returns an EINVALID error when the stay ends before it starts.
// The message leaves out the dates, which are patient data.
func (s Stay) Validate() error {
	if s.End < s.Start {
		return rapport.Errorf(rapport.EINVALID, "stay: end is before start")
	}
	return nil
}
