package hygiene

import (
	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/verify"
	"slices"
)

// revalidation is what validating one contact point again decided.
type revalidation struct {
	// rewrite: value, line type or region differ from the stored ones.
	rewrite bool
	// invalidate: the contact point becomes invalid with reason.
	invalidate bool
	reason     string
}

// revalidate checks cp again with [verify.ContactPoint] and says what to
// write. Validation judges syntax and numbering plans only, so it may make a
// contact point invalid (or give an invalid one a new reason) but never
// clears evidence it did not produce: a stale or unreachable mark, or an
// invalid status that delivery or the patient gave, stay. An opted-out
// contact point is left exactly as it is.
// (The stored row does not say who made it invalid, so no invalid status is
// cleared here; re-verification by the patient does that.)
func revalidate(cp rapport.ContactPoint, region string) (rapport.ContactPoint, revalidation) {
	if cp.Status == rapport.StatusOptedOut {
		// Untouched, value included: consent follows the address as stored.
		return cp, revalidation{}
	}
	next := cp
	verify.ContactPoint(&next, region, cp.StatusAt)
	next.LineType = learnedLineType(cp, next)
	var r revalidation
	r.rewrite = next.Value != cp.Value || next.LineType != cp.LineType || next.Region != cp.Region ||
		next.Suggestion != cp.Suggestion || !slices.Equal(next.Flags, cp.Flags)
	if next.Status == rapport.StatusInvalid &&
		(cp.Status != rapport.StatusInvalid || cp.StatusReason != next.StatusReason) {
		r.invalidate, r.reason = true, next.StatusReason
	}
	out := cp
	out.Value, out.LineType, out.Region, out.Flags, out.Suggestion = next.Value, next.LineType, next.Region, next.Flags, next.Suggestion
	if r.invalidate {
		out.Status, out.StatusReason = rapport.StatusInvalid, r.reason
	}
	return out, r
}

// region is the default region for a patient's phone numbers: the
// address's country when it is a known region, else fallback.
func region(p *rapport.Patient, fallback string) string {
	if c := p.Address.Country; c != "" && verify.KnownRegion(c) {
		return c
	}
	return fallback
}

// learnedLineType is the line type to keep after re-validation: what
// delivery or a line-type look-up taught (a landline, a VoIP line) stays
// when the numbering plan cannot tell (a US number is "fixed or mobile"
// to it) and the number is the same; otherwise the plan's.
func learnedLineType(stored, next rapport.ContactPoint) rapport.LineType {
	ambiguous := next.LineType == rapport.LineFixedMobile || next.LineType == rapport.LineUnknown || next.LineType == ""
	learned := stored.LineType != rapport.LineFixedMobile && stored.LineType != rapport.LineUnknown && stored.LineType != ""
	if stored.Kind == rapport.ContactPhone && next.Value == stored.Value && ambiguous && learned {
		return stored.LineType
	}
	return next.LineType
}
