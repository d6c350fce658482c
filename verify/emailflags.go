package verify

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"

	"github.com/rapporthq/rapport"
)

// roles are local parts that name a function rather than a person (RFC 2142
// mailbox names and what clinics and CRMs commonly hold). Mail to them
// reaches whoever holds the role, or nobody (noreply@): patient messages
// sent there may be read by the wrong person.
var roles = map[string]bool{
	"abuse": true, "accounts": true, "accounting": true, "admin": true, "administrator": true,
	"appointments": true, "billing": true, "careers": true, "clinic": true, "contact": true,
	"customerservice": true, "do-not-reply": true, "donotreply": true, "enquiries": true, "feedback": true,
	"frontdesk": true, "front.desk": true, "hello": true, "help": true, "helpdesk": true, "hostmaster": true,
	"hr": true, "info": true, "inquiries": true, "jobs": true, "mail": true, "mailer-daemon": true,
	"marketing": true, "news": true, "newsletter": true, "no-reply": true, "noc": true, "noreply": true,
	"office": true, "orders": true, "postmaster": true, "privacy": true, "reception": true, "root": true,
	"sales": true, "scheduling": true, "security": true, "service": true, "staff": true, "support": true,
	"team": true, "webmaster": true,
}

// roleFlag flags local (the part before the @) when it is a role name,
// ignoring case and a "+tag".
func roleFlag(local string) (rapport.ContactFlag, bool) {
	l := local
	if plus := strings.IndexByte(l, '+'); plus > 0 {
		l = l[:plus]
	}
	if len(l) > len("customerservice") {
		return rapport.ContactFlag{}, false
	}
	l = strings.ToLower(l)
	if !roles[l] {
		return rapport.ContactFlag{}, false
	}
	return rapport.ContactFlag{Code: rapport.FlagRole, Reason: l + "@ is a role address, not a person's"}, true
}

// disposableList is the community-kept blocklist of disposable-mailbox
// domains (github.com/disposable-email-domains/disposable-email-domains,
// disposable_email_blocklist.conf at commit a645893 of 2026-08-21, CC0),
// gzipped. A hand-kept list would miss most of its 8,335 domains.
//
//go:embed disposable_email_blocklist.conf.gz
var disposableList []byte

var disposableDomains = sync.OnceValue(func() map[string]bool {
	zr, err := gzip.NewReader(bytes.NewReader(disposableList))
	if err != nil {
		panic("verify: embedded disposable list: " + err.Error()) // part of the source
	}
	m := make(map[string]bool, 8400)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if d := strings.TrimSpace(sc.Text()); d != "" && d[0] != '#' {
			m[d] = true
		}
	}
	return m
})

// disposableFlag flags domain (lower-case) when it or a parent domain is a
// disposable-mailbox service.
func disposableFlag(domain string) (rapport.ContactFlag, bool) {
	m := disposableDomains()
	for d := domain; ; {
		if m[d] {
			return rapport.ContactFlag{Code: rapport.FlagDisposable, Reason: "domain " + d + " gives throwaway mailboxes"}, true
		}
		dot := strings.IndexByte(d, '.')
		if dot < 0 || strings.IndexByte(d[dot+1:], '.') < 0 {
			return rapport.ContactFlag{}, false // stop before the bare TLD
		}
		d = d[dot+1:]
	}
}
