// Package linkagetest makes synthetic patient lists with known duplicates
// for the linkage engine's tests and benchmarks.
//
// sim/population makes richer people (FHIR resources, contact dirt,
// clinical history) for the demo and the importers; it was not reused here
// because these tests need control over exactly what makes two records one
// person — the rate of second records, their kinds of typo, households
// sharing an address and a landline — and a truth keyed by record. This
// generator makes only the fields linkage compares, cheaply enough for a
// million records in a benchmark's set-up.
package linkagetest

import (
	"math/rand/v2"
	"strconv"

	"github.com/rapporthq/rapport/linkage"
)

// Population is a generated list and its truth.
type Population struct {
	Records []linkage.Record
	// Person maps a record id to the person it describes: records of one
	// person are true duplicates.
	Person map[string]int
}

// Params shape a population.
type Params struct {
	People int // distinct persons
	// DupRate is the share of persons with a second record (typos,
	// a missing field, a swapped day and month, a new MRN).
	DupRate float64
	// HouseholdRate is the share of persons who live with the previous
	// person: same surname, street, city, postcode and landline.
	HouseholdRate float64
	Seed          uint64
}

// Generate makes a population; the same Params give the same records.
// Its cost is linear: one record is a few small strings.
func Generate(p Params) Population {
	rng := rand.New(rand.NewPCG(p.Seed, 0x5eed))
	out := Population{
		Records: make([]linkage.Record, 0, p.People+int(float64(p.People)*p.DupRate)+1),
		Person:  make(map[string]int, p.People),
	}
	var prev linkage.Record
	for i := range p.People {
		r := person(rng, i)
		if i > 0 && rng.Float64() < p.HouseholdRate {
			r.Family, r.Street, r.City, r.State, r.PostalCode, r.Phone =
				prev.Family, prev.Street, prev.City, prev.State, prev.PostalCode, prev.Phone
			r.Email = ""
		}
		out.add(r, i)
		if rng.Float64() < p.DupRate {
			d := Dirty(rng, r)
			d.ID = "p" + strconv.Itoa(i) + "-dup"
			d.Identifiers = []string{mrn(rng)} // registered anew
			out.add(d, i)
		}
		prev = r
	}
	return out
}

func (p *Population) add(r linkage.Record, person int) {
	p.Records = append(p.Records, r)
	p.Person[r.ID] = person
}

func person(rng *rand.Rand, i int) linkage.Record {
	g := rng.IntN(len(givenNames))
	sex := "female"
	if g%2 == 1 {
		sex = "male"
	}
	family := surname(rng)
	city := rng.IntN(len(cities))
	return linkage.Record{
		ID:     "p" + strconv.Itoa(i),
		Given:  givenNames[g],
		Family: family,
		BirthDate: strconv.Itoa(1930+rng.IntN(80)) + "-" + two(1+rng.IntN(12)) + "-" +
			two(1+rng.IntN(28)),
		Sex:         sex,
		Street:      strconv.Itoa(1+rng.IntN(999)) + " " + streets[rng.IntN(len(streets))] + " " + suffixes[rng.IntN(len(suffixes))],
		City:        cities[city],
		State:       states[city%len(states)],
		PostalCode:  strconv.Itoa(10000 + city*97 + rng.IntN(40)),
		Phone:       "+1" + strconv.Itoa(200+rng.IntN(800)) + strconv.Itoa(2000000+rng.IntN(7999999)),
		Email:       givenNames[g] + "." + family + strconv.Itoa(rng.IntN(100)) + "@" + domains[rng.IntN(len(domains))],
		Identifiers: []string{mrn(rng)},
	}
}

// surname draws from a skewed distribution over a few thousand
// two-syllable names, so that common names make large blocks, as "smith"
// and "garcia" do.
func surname(rng *rand.Rand) string {
	a := int(float64(len(syllables)) * rng.Float64() * rng.Float64())
	b := rng.IntN(len(syllables))
	return syllables[a] + syllables[b]
}

// mrn is a random 8-digit record number: numbers handed out in sequence
// would make neighbours look like typos of each other.
func mrn(rng *rand.Rand) string { return "mrn|" + strconv.Itoa(10000000+rng.IntN(90000000)) }

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
