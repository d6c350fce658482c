package verify

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapporthq/rapport"
)

// EmailResult is what syntax and a typo check say about one email address.
type EmailResult struct {
	// Normalised is the address trimmed, with its domain lower-cased (the local
	// part is kept as written: some servers treat it case-sensitively). It is
	// set whenever the address has one '@' with text on both sides, even when
	// invalid; empty otherwise.
	Normalised string
	// Valid is true when the address passes the syntax checks and its domain
	// does not end in a misspelt top-level domain (".con").
	Valid bool
	// Reason says why the address is invalid; empty when Valid.
	Reason string
	// Suggestion is the corrected address when the domain looks like a typo
	// ("ana@gmial.com" → "ana@gmail.com"); empty otherwise.
	Suggestion string
	// Flags mark role and disposable addresses and likely typos, with their
	// evidence; none of them makes the address invalid.
	Flags []rapport.ContactFlag
}

// Length limits of RFC 5321 (a path is at most 256 octets including the
// angle brackets).
const (
	maxEmailLen  = 254
	maxLocalLen  = 64
	maxDomainLen = 253
	maxLabelLen  = 63
)

// Email judges raw, an email address as written by a person or a CRM.
//
// Syntax: it accepts the dot-atom form of an RFC 5322 addr-spec, checked
// with net/mail, plus stricter rules for what mail servers deliver: a bare
// address (no display name, no comments, no quoted local part, no domain
// literal), no spaces, a domain of at least two dot-separated labels of
// letters, digits and hyphens (internationalised letters allowed), a
// top-level domain of two or more characters that is not all digits, and the
// length limits of RFC 5321. Anything else is invalid, with the reason.
//
// Typos: a domain within one edit (an insertion, deletion, substitution or
// transposition) of a big provider's gets a [EmailResult.Suggestion] and a
// [rapport.FlagTypo] flag but stays valid: "gmial.com" is a registered domain
// that may accept mail, and whether it does is not knowable offline, so the
// address is kept usable and staff or delivery feedback decide. A
// top-level domain that is a known slip (".con", ".cmo") is different: no
// such domain exists, so the address is invalid, with the suggestion.
//
// Role addresses (info@, noreply@, …) and addresses at disposable-mailbox
// services are flagged ([rapport.FlagRole], [rapport.FlagDisposable]).
//
// Email never fails: problems are reported through Valid and Reason.
func Email(raw string) EmailResult {
	var res EmailResult
	s := strings.TrimSpace(raw)
	if s == "" {
		res.Reason = "empty"
		return res
	}
	at := strings.LastIndexByte(s, '@')
	if at > 0 && at < len(s)-1 {
		res.Normalised = s[:at+1] + strings.ToLower(s[at+1:])
	}
	res.Reason = emailSyntax(s, at)
	if res.Reason != "" {
		return res
	}
	local, domain := res.Normalised[:at], res.Normalised[at+1:]
	res.Valid = true
	fix, badTLD, typo := domainTypo(domain)
	if typo {
		why := fmt.Sprintf("domain %s looks like a typo of %s", domain, fix)
		res.Suggestion = local + "@" + fix
		res.Flags = append(res.Flags, rapport.ContactFlag{Code: rapport.FlagTypo, Reason: why})
		if badTLD {
			res.Valid, res.Reason = false, why
		}
	}
	if f, ok := roleFlag(local); ok {
		res.Flags = append(res.Flags, f)
	}
	// The disposable list holds typo-squatted provider domains (gmial.com):
	// for those the typo flag is the useful evidence, not "throwaway".
	if f, ok := disposableFlag(domain); ok && !typo {
		res.Flags = append(res.Flags, f)
	}
	return res
}

// emailSyntax returns why s is not an address, or "" when it is one. at is
// the index of the last '@' in s, or -1.
func emailSyntax(s string, at int) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if len(s) > maxEmailLen {
		return fmt.Sprintf("too long (%d characters, at most %d)", len(s), maxEmailLen)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return "contains a space"
	}
	if at < 0 {
		return "missing @"
	}
	if strings.Count(s, "@") > 1 {
		return "more than one @"
	}
	if at == 0 {
		return "nothing before the @"
	}
	if at == len(s)-1 {
		return "no domain after the @"
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > maxLocalLen {
		return fmt.Sprintf("part before the @ too long (%d characters, at most %d)", len(local), maxLocalLen)
	}
	if r := domainSyntax(domain); r != "" {
		return r
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "invalid characters before the @"
	}
	if addr.Name != "" || addr.Address != s {
		// net/mail accepted something outside the subset (a quoted local
		// part, a comment): rapport stores bare addresses only.
		return "not a plain address"
	}
	return ""
}

// domainSyntax returns why domain is not a host name, or "".
func domainSyntax(domain string) string {
	if len(domain) > maxDomainLen {
		return "domain too long"
	}
	if domain[0] == '[' {
		return "domain is an IP address literal"
	}
	if !strings.Contains(domain, ".") {
		return fmt.Sprintf("domain %s has no dot", domain)
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" {
			return fmt.Sprintf("domain %s has an empty label (two dots, or a dot at an end)", domain)
		}
		if len(l) > maxLabelLen {
			return "domain label too long"
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Sprintf("domain %s has a label starting or ending with a hyphen", domain)
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
				return fmt.Sprintf("domain has an invalid character %q", r)
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return fmt.Sprintf("domain %s ends in a number", domain)
	}
	if utf8.RuneCountInString(tld) < 2 {
		return fmt.Sprintf("domain %s has a one-letter top-level domain", domain)
	}
	return ""
}
