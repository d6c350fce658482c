// Package verify judges contact details as they arrive: phone numbers against
// the numbering plans (through github.com/nyaruka/phonenumbers, a port of
// Google's libphonenumber) and NANPA's and Ofcom's reserved ranges, email
// addresses against a practical subset of RFC 5322 plus checks for misspelt
// big-provider domains, role addresses and disposable-mailbox domains, and
// US postal addresses against USPS Publication 28 and the USDA's ZIP table
// (package ruca), which also gives a patient's rurality.
//
// What is found beyond valid or invalid is a flag with its evidence
// ([rapport.ContactFlag]); a probable correction is a suggestion, never
// written over the value.
//
// Every importer calls [Patient] for each patient it reads (which calls
// [ContactPoint] for each contact point); CRM hygiene and the messaging
// pipeline call [Phone], [Email] and [TimeZonesForPhone] directly. Nothing here touches the network: a number
// that numbering plans accept can still be disconnected, and an address with
// good syntax can still bounce. That is why a contact point that passes is
// marked [rapport.StatusUnverified], never [rapport.StatusValid]: only
// delivery evidence makes it valid.
//
// Reasons given for invalid values and flags are short, human-readable and
// free of the value itself where possible ("area code 555 is not assigned in
// US", "too short", "domain gmial.com looks like a typo of gmail.com"), so
// they can be stored as [rapport.ContactPoint.StatusReason] or with the flag
// and shown to staff.
//
// All functions are safe for concurrent use.
package verify
