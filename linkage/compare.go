package linkage

import "github.com/xrash/smetrics"

// Thresholds of Jaro–Winkler similarity for the close and partial levels,
// the values commonly used for person names in the record-linkage
// literature (Winkler; Splink's defaults are 0.92 and 0.88 for names).
const (
	jwClose   = 0.94
	jwPartial = 0.85
)

// compare returns the comparison vector of two prepared records. It is
// symmetric: compare(a, b) == compare(b, a).
func compare(a, b *prepared) levels {
	var v levels
	given, family := nameLevel(a.given, b.given), nameLevel(a.family, b.family)
	// A swapped given and family name is a classic data-entry slip.
	if given < Close && family < Close {
		if g, f := nameLevel(a.given, b.family), nameLevel(a.family, b.given); g >= Close && f >= Close {
			given, family = Partial, Partial
		}
	}
	v = v.with(FieldGiven, given)
	v = v.with(FieldFamily, family)
	v = v.with(FieldBirthDate, dateLevel(a.birth, b.birth))
	v = v.with(FieldSex, exactLevel(a.sex == 0 || b.sex == 0, a.sex == b.sex))
	v = v.with(FieldStreet, textLevel(a.street, b.street))
	v = v.with(FieldCity, textLevel(a.city, b.city))
	v = v.with(FieldState, exactLevel(a.state == "" || b.state == "", a.state == b.state))
	v = v.with(FieldPostalCode, codeLevel(a.postal, b.postal))
	v = v.with(FieldPhone, codeLevel(a.phone, b.phone))
	v = v.with(FieldEmail, emailLevel(a.email, b.email))
	v = v.with(FieldIdentifier, idLevel(a.ids, b.ids))
	return v
}

func exactLevel(missing, equal bool) Level {
	switch {
	case missing:
		return Missing
	case equal:
		return Exact
	}
	return Different
}

// jaroWinkler is symmetric by construction: the greedy matching of Jaro can
// differ with argument order, so the smaller string always goes first.
// xrash/smetrics is used for its byte-wise, allocation-light implementation
// (names are normalised to lower-case ASCII for the common case).
func jaroWinkler(a, b string) float64 {
	if b < a {
		a, b = b, a
	}
	return smetrics.JaroWinkler(a, b, 0.7, 4)
}

func nameLevel(a, b string) Level {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return Exact
	}
	// An initial against a full name agrees only as far as it goes.
	if (len(a) == 1 || len(b) == 1) && a[0] == b[0] {
		return Partial
	}
	return jwLevel(jaroWinkler(a, b))
}

func textLevel(a, b string) Level {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return Exact
	}
	return jwLevel(jaroWinkler(a, b))
}

func jwLevel(s float64) Level {
	switch {
	case s >= jwClose:
		return Close
	case s >= jwPartial:
		return Partial
	}
	return Different
}

// codeLevel compares codes (postcodes, phone digits): one typo is close.
func codeLevel(a, b string) Level {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return Exact
	case oneEdit(a, b):
		return Close
	}
	return Different
}

func emailLevel(a, b string) Level {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return Exact
	case oneEdit(a, b) || localPart(a) == localPart(b):
		return Close
	}
	return Different
}

func localPart(e string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == '@' {
			return e[:i]
		}
	}
	return e
}

// idLevel compares identifier lists: exact when they share an identifier,
// close when two of the same system are one typo apart, missing when the
// records have no system in common.
func idLevel(a, b []string) Level {
	best := Missing
	for _, x := range a {
		xs, xv := splitID(x)
		for _, y := range b {
			ys, yv := splitID(y)
			if xs != ys {
				continue
			}
			switch {
			case xv == yv:
				return Exact
			case oneEdit(xv, yv):
				best = Close
			case best == Missing:
				best = Different
			}
		}
	}
	return best
}

func splitID(s string) (system, value string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			return s[:i], s[i+1:]
		}
	}
	return "", s
}

// oneEdit reports whether a and b differ by one substitution, one
// insertion or deletion, or one swap of neighbouring characters.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}
