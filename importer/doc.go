// Package importer brings patients and their clinical records from EHRs and
// CRMs into rapport: FHIR R4 Bundles and bulk NDJSON (package fhir reads
// them) and CSV exports (package csvimport), through one batch writer.
//
// Each file is imported in one transaction: by default a file with a bad
// record changes nothing; with ContinueOnError the good records land and each
// rejected one is written, with its reason, to a report. Re-importing the same
// data creates nothing: a record is recognised by its source and resource id,
// then by a business identifier. Two different source records that share an
// identifier (a mother and child with one SSN) are both kept and reported as
// a possible duplicate, never merged. Every creation and change is a ledger
// event.
//
// A FHIR RelatedPerson becomes a caregiver of its patient (caregivers.go),
// with its own contact points judged as a patient's are. A re-import that
// changed the person keeps what the patient or staff decided since: a
// revocation, and a consent the source does not state (see
// [rapport.Caregiver.Reimported]).
package importer
