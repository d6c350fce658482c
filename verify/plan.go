package verify

import (
	"regexp"
	"slices"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// The numbering plans, compiled once. phonenumbers' GetNumberType and
// GetRegionCodeForNumber build each pattern string afresh and look it up in
// a regexp cache on every call, and each of them finds the region again; for
// a number of the North American plan, invalid ones (Synthea's) try all
// 25 regions twice. classify answers both questions in one pass over
// precompiled patterns. It follows phonenumbers' algorithm exactly, and
// TestClassifyAgreesWithPhonenumbers holds it to that.

// desc is one compiled number description of a region.
type desc struct {
	lengths []int32        // possible lengths; none means any
	re      *regexp.Regexp // nil when the description has no pattern
}

func compileDesc(d *phonenumbers.PhoneNumberDesc) desc {
	if d == nil || d.GetNationalNumberPattern() == "" {
		return desc{}
	}
	return desc{lengths: d.GetPossibleLength(), re: regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$")}
}

func (d *desc) matches(nsn string) bool {
	if d.re == nil {
		return false
	}
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.re.MatchString(nsn)
}

// plan is one region's numbering plan.
type plan struct {
	region  string
	leading *regexp.Regexp // leading digits that pick this region among those sharing its code
	general desc
	// typed lists the typed descriptions in the order they are tried.
	typed           []typedDesc
	fixed, mobile   desc
	sameMobileFixed bool
}

type typedDesc struct {
	typ phonenumbers.PhoneNumberType
	desc
}

var plans = sync.OnceValue(func() map[int32][]*plan {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		panic("verify: phonenumbers metadata: " + err.Error())
	}
	byRegion := map[string]*phonenumbers.PhoneMetadata{}
	nonGeo := map[int32]*phonenumbers.PhoneMetadata{}
	for _, md := range coll.GetMetadata() {
		if md.GetId() == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
			nonGeo[md.GetCountryCode()] = md
		} else {
			byRegion[md.GetId()] = md
		}
	}
	out := map[int32][]*plan{}
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(cc) {
			md := byRegion[region]
			if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
				md = nonGeo[int32(cc)]
			}
			if md == nil {
				continue
			}
			out[int32(cc)] = append(out[int32(cc)], compilePlan(region, md))
		}
	}
	return out
})

func compilePlan(region string, md *phonenumbers.PhoneMetadata) *plan {
	p := &plan{
		region:          region,
		general:         compileDesc(md.GetGeneralDesc()),
		fixed:           compileDesc(md.GetFixedLine()),
		mobile:          compileDesc(md.GetMobile()),
		sameMobileFixed: md.GetSameMobileAndFixedLinePattern(),
		typed: []typedDesc{
			{phonenumbers.PREMIUM_RATE, compileDesc(md.GetPremiumRate())},
			{phonenumbers.TOLL_FREE, compileDesc(md.GetTollFree())},
			{phonenumbers.SHARED_COST, compileDesc(md.GetSharedCost())},
			{phonenumbers.VOIP, compileDesc(md.GetVoip())},
			{phonenumbers.PERSONAL_NUMBER, compileDesc(md.GetPersonalNumber())},
			{phonenumbers.PAGER, compileDesc(md.GetPager())},
			{phonenumbers.UAN, compileDesc(md.GetUan())},
			{phonenumbers.VOICEMAIL, compileDesc(md.GetVoicemail())},
		},
	}
	if ld := md.GetLeadingDigits(); ld != "" {
		p.leading = regexp.MustCompile("^(?:" + ld + ")")
	}
	return p
}

// numberType is the type of nsn in p's plan, UNKNOWN when it is not valid there.
func (p *plan) numberType(nsn string) phonenumbers.PhoneNumberType {
	if !p.general.matches(nsn) {
		return phonenumbers.UNKNOWN
	}
	for i := range p.typed {
		if p.typed[i].matches(nsn) {
			return p.typed[i].typ
		}
	}
	if p.fixed.matches(nsn) {
		if p.sameMobileFixed || p.mobile.matches(nsn) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	}
	if !p.sameMobileFixed && p.mobile.matches(nsn) {
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// classify returns the region of a number (country code cc, national
// significant number nsn) and its type: what phonenumbers'
// GetRegionCodeForNumber and GetNumberType return. The type is UNKNOWN
// exactly when the number is invalid.
func classify(cc int32, nsn string) (string, phonenumbers.PhoneNumberType) {
	ps := plans()[cc]
	switch len(ps) {
	case 0:
		return "", phonenumbers.UNKNOWN
	case 1:
		return ps[0].region, ps[0].numberType(nsn)
	}
	for _, p := range ps {
		if p.leading != nil {
			if p.leading.MatchString(nsn) {
				return p.region, p.numberType(nsn)
			}
		} else if t := p.numberType(nsn); t != phonenumbers.UNKNOWN {
			return p.region, t
		}
	}
	return "", phonenumbers.UNKNOWN
}
