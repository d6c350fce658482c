package linkagetest

import (
	"math/rand/v2"
	"strconv"
)

// HouseholdParams shape a list made mostly of families.
type HouseholdParams struct {
	Households int
	// MaxSize is the largest household (default 8); sizes are drawn from 2
	// to MaxSize.
	MaxSize int
	// TwinRate is the share of households with twins: two children with
	// one birth date and different given names.
	TwinRate float64
	// OwnPhoneRate is the share of members with a mobile of their own in
	// place of the household's landline; the rest give the landline.
	OwnPhoneRate float64
	// DupRate is the share of persons with a second record, as in [Params].
	DupRate float64
	Seed    uint64
}

// GenerateHouseholds makes a population of households: parents and
// children who share a surname, a street address and a landline and differ
// in given name and birth date (twins only in given name, and often sex).
// Only the records in Person that map to one person are duplicates; every
// other pair within a household is a family, not a duplicate.
func GenerateHouseholds(p HouseholdParams) Population {
	if p.MaxSize < 2 {
		p.MaxSize = 8
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x4005e))
	out := Population{Person: map[string]int{}}
	n := 0
	for range p.Households {
		home := person(rng, n)
		size := 2 + rng.IntN(p.MaxSize-1)
		twins := rng.Float64() < p.TwinRate && size >= 4
		used := map[string]bool{}
		var twinBirth string
		for k := range size {
			r := person(rng, n)
			for used[r.Given] { // a family does not give one name twice
				r = person(rng, n)
			}
			used[r.Given] = true
			r.Family, r.Street, r.City, r.State, r.PostalCode = home.Family, home.Street, home.City, home.State, home.PostalCode
			if rng.Float64() >= p.OwnPhoneRate {
				r.Phone = home.Phone
			}
			switch {
			case k < 2: // the parents
				r.BirthDate = birth(rng, 1955, 30)
			case twins && k < 4:
				if twinBirth == "" {
					twinBirth = birth(rng, 1995, 25)
				}
				r.BirthDate = twinBirth
			default:
				r.BirthDate = birth(rng, 1990, 30)
			}
			if k >= 2 {
				r.Email = "" // the children have none of their own
			}
			out.add(r, n)
			if rng.Float64() < p.DupRate {
				d := Dirty(rng, r)
				d.ID = r.ID + "-dup"
				d.Identifiers = []string{mrn(rng)}
				out.add(d, n)
			}
			n++
		}
	}
	return out
}

// birth is a date in the span years from year.
func birth(rng *rand.Rand, year, span int) string {
	return strconv.Itoa(year+rng.IntN(span)) + "-" + two(1+rng.IntN(12)) + "-" + two(1+rng.IntN(28))
}
