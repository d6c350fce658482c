// Package fhir maps between FHIR R4 JSON and rapport's domain types.
//
// Input: [ReadNDJSON] streams FHIR Bulk Data ($export) NDJSON files one line
// at a time, [ReadBundle] reads a Bundle (collection, transaction, batch or
// searchset) and resolves its urn:uuid references through the entries'
// fullUrls, and [Sniff] tells the two apart from a file's first bytes. Both
// readers hand every resource to a callback as an [Item]: the mapped record
// (*rapport.Patient, *rapport.Condition, *rapport.Encounter,
// *rapport.Appointment, *rapport.MedicationRequest,
// *rapport.MedicationDispense, *rapport.Practitioner, *rapport.Location or,
// from a RelatedPerson, *rapport.Caregiver; nil for resource types rapport
// does not import), the patient it belongs to
// ([Item.Subject]) and, when the resource cannot be mapped, an [*ItemError]
// naming the file, line or entry, resource and FHIR field. Item errors do not
// stop a reader: the callback decides. Only I/O errors, a callback's error or
// a file that is not a Bundle at all end a reader early.
//
// Records carry the source's data only: their rapport ids (Patient.ID,
// Encounter.ID, …) and resolved foreign keys (PatientID, PractitionerID, …)
// are left empty for the importer, which finds or assigns them. The source's
// resource id is in [Item.ID]; references to other resources are kept as
// [rapport.Ref] values (source id, or business identifier for conditional
// references such as Synthea's "Practitioner?identifier=SYSTEM|VALUE").
// Contact points are raw: Kind, Raw, Use and Rank are set, and the importer
// validates and normalises them.
//
// Output, for the server's FHIR API: [PatientResource], [SearchsetBundle],
// [OperationOutcome] and [CapabilityStatement] build R4 JSON that validates
// against the official FHIR R4 JSON schema (see the tests).
//
// The package does no I/O beyond the readers it is given: no database, no
// HTTP.
package fhir
