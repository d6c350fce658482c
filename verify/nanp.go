package verify

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// nanpReason explains why a ten-digit number of the North American Numbering
// Plan (country code 1) is invalid, when its length is right: the area code
// is not in service, or the exchange code is malformed or unassigned.
// Synthea writes every phone as 555-NNN-NNNN, so the area-code answer is
// cached: the importer asks it for every row.
func nanpReason(nsn, where string) string {
	area, exch := nsn[:3], nsn[3:6]
	if area[0] == '0' || area[0] == '1' {
		return fmt.Sprintf("area code %s is not assigned in %s (area codes start with 2-9)", area, where)
	}
	if !nanpAreaAssigned(area) {
		return fmt.Sprintf("area code %s is not assigned in %s", area, where)
	}
	if exch[0] == '0' || exch[0] == '1' {
		return fmt.Sprintf("exchange %s is not valid in area code %s (exchanges start with 2-9)", exch, area)
	}
	return fmt.Sprintf("exchange %s is not assigned in area code %s", exch, area)
}

var nanpAreas sync.Map // area code (string) → bool

// nanpAreaAssigned reports whether any number in area code area (three
// digits, first 2-9) is valid anywhere in the NANP. It probes exchanges
// N D 0 (80 probes): numbering plan metadata lists area codes by prefix and
// the finest split in use is by the exchange's first two digits.
func nanpAreaAssigned(area string) bool {
	if v, ok := nanpAreas.Load(area); ok {
		return v.(bool)
	}
	assigned := false
	probe := &phonenumbers.PhoneNumber{}
	cc := int32(1)
	probe.CountryCode = &cc
	a, _ := strconv.ParseUint(area, 10, 64)
	for n := uint64(20); n <= 99 && !assigned; n++ {
		nat := a*10_000_000 + n*100_000 + 1234
		probe.NationalNumber = &nat
		assigned = phonenumbers.IsValidNumber(probe)
	}
	nanpAreas.Store(area, assigned)
	return assigned
}
