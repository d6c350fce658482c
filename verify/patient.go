package verify

import (
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/ruca"
)

// Patient judges what an importer read about p at now: its address
// ([Address]), its rurality ([Rurality]) and each contact point
// ([ContactPoint]). Phone numbers without a country code are read in the
// region of the patient's address when its country names one (an ISO 3166
// alpha-2 code, or a spelling of the United States), else in defaultRegion;
// a US address is normalised when its country says US or, without a
// country, when defaultRegion is US.
//
// Every importer calls it, once per patient, after the record's content
// hash is taken: its judgements carry times and are rapport's, not the
// source's.
func Patient(p *rapport.Patient, defaultRegion string, now time.Time) {
	region := PatientRegion(p, defaultRegion)
	p.Address = Address(p.Address, region)
	Rurality(p, region)
	for i := range p.Contacts {
		ContactPoint(&p.Contacts[i], region, now)
	}
}

// PatientRegion is the region p's phone numbers and address are read in:
// the address's country when it names one, else defaultRegion.
func PatientRegion(p *rapport.Patient, defaultRegion string) string {
	c := p.Address.Country
	if len(c) == 2 && KnownRegion(c) {
		return normRegion(c)
	}
	if c != "" && usCountry[upperWords(c)] == "US" {
		return "US"
	}
	return normRegion(defaultRegion)
}

// Rurality sets p.RUCA from the ZIP code of p's US address (0 when there is
// none or the USDA table does not list it) and, unless the source record
// stated it (p.RuralStated), p.Rural from the code: codes 4–10 are rural
// ([ruca.Code.Rural]). With an unknown code and no statement, Rural is left
// as it was. region is the region the address is read in, as for [Address].
func Rurality(p *rapport.Patient, region string) {
	p.RUCA = 0
	c := upperWords(p.Address.Country)
	if usCountry[c] != "US" && !(c == "" && normRegion(region) == "US") {
		return
	}
	e, ok := ruca.Lookup(p.Address.PostalCode)
	if !ok || !e.Code.Known() {
		return
	}
	p.RUCA = int(e.Code)
	if !p.RuralStated {
		p.Rural = e.Code.Rural()
	}
}
