package verify

import "strings"

// providers are the mail domains most patients use, in the markets rapport
// serves first (US, UK, Mexico, Spain). A domain one edit away from one of
// them is taken for a typo, unless it is itself in the list: several real
// providers sit one edit from another (mail.com, ymail.com, email.com and
// gmail.com).
var providers = []string{
	"gmail.com", "googlemail.com",
	"yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.com.mx", "yahoo.es", "yahoo.ca",
	"hotmail.com", "hotmail.co.uk", "hotmail.es", "hotmail.fr", "hotmail.it", "hotmail.de",
	"outlook.com", "outlook.es", "live.com", "live.com.mx", "live.co.uk", "msn.com", "passport.com",
	"aol.com", "aim.com", "icloud.com", "me.com", "mac.com",
	"comcast.net", "att.net", "sbcglobal.net", "bellsouth.net", "verizon.net", "charter.net", "cox.net",
	"earthlink.net", "juno.com", "optonline.net", "frontier.com", "windstream.net", "centurylink.net",
	"protonmail.com", "protonmail.ch", "proton.me", "pm.me", "gmx.com", "gmx.net", "mail.com", "email.com",
	"zoho.com", "yandex.com", "btinternet.com", "sky.com", "virginmedia.com", "prodigy.net.mx", "telefonica.net",
}

var providerSet = func() map[string]bool {
	m := make(map[string]bool, len(providers))
	for _, p := range providers {
		m[p] = true
	}
	return m
}()

// tldTypos are endings that are no top-level domain but a slip of the
// fingers on a real one.
var tldTypos = map[string]string{
	"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "cpm": "com",
	"comm": "com", "coom": "com", "c0m": "com", "cim": "com", "clm": "com",
	"nte": "net", "nett": "net", "ner": "net",
	"ogr": "org", "orgg": "org",
}

// minTypoLen is the shortest provider domain checked for typos, and
// minSubstLen the shortest for which a substituted letter counts as one: one
// edit from a short domain (me.com, cox.net → fox.net) reaches too many real
// ones, and a false alarm makes a good address unusable.
const (
	minTypoLen  = 7
	minSubstLen = 9
)

// domainTypo returns the domain that domain (lower-case) is probably a typo
// of and true; or "", false. badTLD is true when domain ends in a known slip
// that is no top-level domain (".con"), so that it cannot receive mail.
func domainTypo(domain string) (fix string, badTLD, ok bool) {
	if providerSet[domain] {
		return "", false, false
	}
	// The TLD first: gmail.con is one edit from gmail.com too, but its
	// ending, not its closeness, is what says it cannot receive mail.
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
		if tld, found := tldTypos[domain[dot+1:]]; found {
			fixed := domain[:dot+1] + tld
			if p, _, ok := domainTypo(fixed); ok {
				return p, true, true // gmai.con: both the name and the TLD slipped
			}
			return fixed, true, true
		}
	}
	for _, p := range providers {
		if len(p) >= minTypoLen && withinOneEdit(domain, p, len(p) >= minSubstLen) {
			return p, false, true
		}
	}
	return "", false, false
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, transposition of adjacent bytes or, when subst, substitution (the
// optimal string alignment distance is at most 1). It is linear and allocates
// nothing: the check runs for every imported address.
func withinOneEdit(a, b string, subst bool) bool {
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	if i == la && i == lb {
		return true
	}
	switch {
	case la == lb:
		if subst && a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:] // deletion from a
	default:
		return a[i:] == b[i+1:] // insertion into a
	}
}
