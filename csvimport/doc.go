// Package csvimport reads CRM exports in CSV into patients, column by column
// as a hand-written YAML mapping file says. `rapport import csv FILE
// --mapping MAP.yaml` uses it.
//
// # The mapping file
//
// testdata/example-mapping.yaml is a complete, commented example. In short:
//
//	source: acme-crm            # the source system: a short token, or a URI (required)
//	id_column: contact_id       # the CRM's own record id (required)
//	delimiter: ","              # one character, or "tab"; default ","
//	default_region: US          # for phone numbers without a country code
//	identifiers:
//	  - {column: mrn, system: "http://acme.example/mrn", type: MR}
//	patient:
//	  given: first_name
//	  family: last_name
//	  birth_date: {column: dob, format: "%m/%d/%Y"}
//	  sex: {column: gender, values: {F: female, M: male, U: unknown}}
//	  language: {column: lang, values: {English: en, Spanish: es}}
//	  time_zone: tz
//	  address: {line: street, city: city, state: state, postal_code: zip, country: country}
//	  rural: rural_flag
//	  internet_access: {column: has_internet, values: {Y: true, N: false}}
//	  deceased: deceased_flag
//	contacts:
//	  - {column: cell_phone, kind: phone, use: mobile}
//	  - {column: home_phone, kind: phone, use: home}
//	  - {column: email, kind: email, separator: ";"}
//
// Every patient field is either a column name or a mapping with `column` and
// options. `values` translates cells (matched without regard to case or
// surrounding spaces) to what rapport stores; with it, an unlisted cell is a
// row error. Without it, sex understands female/male/other/unknown and
// F/M/O/U; rural, internet_access and deceased understand Y/N, yes/no,
// true/false and 1/0 (with `values`, map to true and false); language must be
// a BCP 47 tag; time_zone an IANA name. Address parts and contact columns
// take the cell as it is (address parts may have `values`, handy for
// countries). A contact's `separator` splits a cell holding several values.
//
// # Caregivers
//
// A row may also name the patient's caregivers (an emergency contact, a
// daughter), each imported as a person of their own: one `caregivers`
// entry per caregiver on the row (testdata/caregivers-mapping.yaml):
//
//	caregivers:
//	  - name: Emergency Contact Name       # or given: and family:
//	    contacts:                          # phone or email; the caregiver's own
//	      - {column: Emergency Contact Phone, kind: phone, use: mobile}
//	    relationship: {column: Relationship, values: {Caretaker: FAMMEMB}, default: FAMMEMB}
//	    consent: Caregiver Consent         # yes/no/blank: granted/refused/not recorded
//	    language: Caregiver Language       # a BCP 47 tag, or values; kept as its primary subtag
//	    scope: {column: Access, default: reminders}   # reminders or conversation
//
// A name in one column is split: "Reyes, Rosa" is family first, otherwise
// the last word is the family name. relationship is required (a column, a
// default, or both): a v3-RoleCode (DAU, SPS, GUARD, in any case) or a word
// rapport knows (daughter, son, wife, husband, spouse, mother, father,
// friend, guardian, neighbor… and Spanish hija, esposo, madre…); values add
// words of the CRM's own. consent understands Y/N, yes/no, true/false, 1/0
// (values may map to granted, refused, not_recorded); the importer dates a
// stated consent at the import. scope defaults to reminders. Only
// relationship and scope take a default. An entry whose name and contact
// cells are all empty is no caregiver, whatever its other cells say; a bad
// value in an entry that names somebody is a row error like any other.
//
// A CSV gives a caregiver no id, so [CaregiverID] derives one from the
// row's id and the person's name and relationship: re-importing the file
// finds the same caregivers, and the same person twice on one row is one
// caregiver. A new person in the same columns is a new caregiver; the one
// a row no longer names is ended by the import (the row names all of its
// patient's). A caregivers file of its own (below) ends the ones it leaves
// out only when the import is told it is a full export.
//
// A CRM that exports caregivers in a file of their own, one a row, keyed
// by the patient, is mapped with caregivers_of instead of patient fields:
//
//	source: acme-crm                     # the patients' export's source
//	caregivers_of: {column: MRN, system: "http://acme.example/mrn"}
//	id_column: caregiver_id              # optional: the caregiver's own record id
//	caregivers:
//	  - {given: first, family: last, relationship: rel, contacts: [{column: phone, kind: phone}]}
//
// With a system, the column holds an identifier of the patient (one
// patient must have it); without, the patient's record id in the same
// source. The patients must be imported first. With id_column, each row
// holds one caregiver and that id is its resource id; without, it is
// derived as above from the patient column (hashed when it is an
// identifier) and the person. Such rows give [Record.Of] and no patient.
//
// A filled rural cell is the record's statement and wins; an empty one (or
// no rural column) leaves rurality to the ZIP code's USDA RUCA code, which
// [Mapping.Verify] derives for US addresses (see package verify).
//
// Dates use strftime-like formats, chosen over Go layouts because a clinic's
// IT person is likelier to know them: %Y (four-digit year), %y (two-digit
// year, never in the future: 45 is 1945), %m (month), %d or %e (day), %b
// (Jan), %B (January), and punctuation. "%m/%d/%Y" reads 01/02/1980 and
// 1/2/1980 alike. A format without a day keeps a partial date (1980-07 or
// 1980). The default is %Y-%m-%d.
//
// [ParseMapping] rejects unknown fields, missing required ones, bad
// delimiters, unknown regions, bad date formats and values that rapport
// cannot store, each error naming the mapping file, its line and the field.
//
// # Reading
//
// [Read] streams the CSV, one row in memory at a time, and hands each row to
// a callback as a [Record]. The mapping's columns are checked against the
// header first. Problems in a row become [Record.Err] (one [*FieldError] per
// cell: file, line, column, field, value) and reading goes on; the caller
// decides whether to stop. Empty cells mean unknown.
//
// Every patient gets the identifier {System: [Mapping.SourceSystem], Value:
// the id cell} first, so that re-importing the same export finds the same
// patients. Duplicate ids within one file are not detected here (that would
// need memory growing with the file): the importer's upsert by identifier
// handles them.
//
// Read does not judge contact points, because it has no clock: the importer
// calls [Mapping.Verify] (which calls verify.ContactPoint with the right
// region) on each patient, once.
package csvimport
