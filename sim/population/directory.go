package population

import (
	"math/rand/v2"
	"strconv"
)

// appendPractitioner appends practitioner k (k = area × PractitionersPerArea
// + j works at the clinic of that area). Practitioners depend on the seed
// only, through their own random stream.
func (g *Generator) appendPractitioner(b []byte, k int) []byte {
	r := rand.New(rand.NewPCG(g.seed, 1<<63|uint64(k)))
	given, family := givenFemale, familyNames
	switch r.IntN(4) {
	case 1:
		given = givenMale
	case 2:
		given, family = givenFemaleHispanic, familyNamesHispanic
	case 3:
		given, family = givenMaleHispanic, familyNamesHispanic
	}
	b = append(b, `{"resourceType":"Practitioner","id":"`...)
	b = append(b, practitionerID(k)...)
	b = append(b, `","identifier":[{"system":"`+npiSystem+`","value":"`...)
	b = append(b, npi(r)...)
	b = append(b, `"}],"active":true,"name":[{"use":"official","family":`...)
	b = appendStr(b, family[r.IntN(len(family))])
	b = append(b, `,"given":[`...)
	b = appendStr(b, given[r.IntN(len(given))])
	b = append(b, `],"prefix":["Dr."]}]}`...)
	return b
}

// npi draws a National Provider Identifier with a valid check digit (Luhn
// over the prefix 80840 and the nine digits).
func npi(r *rand.Rand) string {
	d := []byte("1" + strconv.Itoa(10_000_000+r.IntN(89_999_999)))
	full := append([]byte("80840"), d...)
	sum := 0
	for i := len(full) - 1; i >= 0; i-- {
		v := int(full[i] - '0')
		if (len(full)-1-i)%2 == 0 { // doubled: every other digit from the right of the payload
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return string(d) + strconv.Itoa((10-sum%10)%10)
}

// appendLocation appends the clinic of area.
func (g *Generator) appendLocation(b []byte, area int) []byte {
	a := &g.p.Areas[area]
	r := rand.New(rand.NewPCG(g.seed, 1<<62|uint64(area)))
	b = append(b, `{"resourceType":"Location","id":"`...)
	b = append(b, locationID(area)...)
	b = append(b, `","status":"active","name":`...)
	b = appendStr(b, "Meridian Health "+a.City+" Clinic")
	b = append(b, `,"telecom":[{"system":"phone","value":`...)
	b = appendStr(b, drawNumber(r, a.AreaCodes).format(0))
	b = append(b, `,"use":"work"}],"address":{"use":"work","line":[`...)
	b = appendStr(b, strconv.Itoa(100+r.IntN(900))+" "+streetNames[r.IntN(len(streetNames))]+" "+streetKinds[r.IntN(len(streetKinds))])
	b = append(b, `],"city":`...)
	b = appendStr(b, a.City)
	b = append(b, `,"state":`...)
	b = appendStr(b, a.State)
	b = append(b, `,"postalCode":`...)
	b = appendStr(b, a.ZIPs[0])
	b = append(b, `,"country":"US"},"position":{"longitude":`...)
	b = appendFloat(b, a.Longitude)
	b = append(b, `,"latitude":`...)
	b = appendFloat(b, a.Latitude)
	return append(b, `}}`...)
}
