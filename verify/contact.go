package verify

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// ContactPoint judges cp.Raw by cp.Kind and fills in what that tells:
//
//   - phone: Value (E.164, set even for an invalid number that parses),
//     LineType and Region from [Phone], reading numbers without a country code
//     in defaultRegion;
//   - email: Value (trimmed, domain lower-cased) from [Email];
//   - postal: Value is Raw trimmed;
//
// Flags and Suggestion (fictional or reserved numbers, role and disposable
// addresses, likely typos; see [Phone] and [Email]),
// and Status (unverified when the syntax passes, invalid otherwise),
// StatusReason (why invalid; empty otherwise) and StatusAt (now). Use, Rank
// and Source are left as given: a phone recorded with use mobile that the
// numbering plan says is a fixed line keeps its use, and its LineType says
// landline; the messaging pipeline routes by LineType.
//
// A contact point whose Status is [rapport.StatusOptedOut] keeps its status,
// reason and time: an opt-out is consent evidence that no syntax check may
// erase. An unknown Kind makes the contact point invalid.
func ContactPoint(cp *rapport.ContactPoint, defaultRegion string, now time.Time) {
	status, reason := rapport.StatusUnverified, ""
	switch cp.Kind {
	case rapport.ContactPhone:
		r := Phone(cp.Raw, defaultRegion)
		cp.Value, cp.LineType, cp.Region = r.E164, r.LineType, r.Region
		cp.Flags, cp.Suggestion = r.Flags, ""
		if !r.Valid {
			status, reason = rapport.StatusInvalid, r.Reason
		}
	case rapport.ContactEmail:
		r := Email(cp.Raw)
		cp.Value, cp.LineType, cp.Region = r.Normalised, "", ""
		cp.Flags, cp.Suggestion = r.Flags, r.Suggestion
		if !r.Valid {
			status, reason = rapport.StatusInvalid, r.Reason
		}
	case rapport.ContactPostal:
		cp.Value, cp.LineType, cp.Region = strings.TrimSpace(cp.Raw), "", ""
		cp.Flags, cp.Suggestion = nil, ""
		if cp.Value == "" {
			status, reason = rapport.StatusInvalid, "empty"
		}
	default:
		cp.Value, cp.LineType, cp.Region = "", "", ""
		cp.Flags, cp.Suggestion = nil, ""
		status, reason = rapport.StatusInvalid, fmt.Sprintf("kind %q is not one of phone, email, postal", cp.Kind)
	}
	if cp.Status == rapport.StatusOptedOut {
		return
	}
	cp.Status, cp.StatusReason, cp.StatusAt = status, reason, now
}
