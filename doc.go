// Package rapport holds the domain of the rapport patient-engagement server:
// patients and their contact points, consent, clinical facts imported from
// EHRs, the append-only engagement ledger, the clock and the error type.
//
// It knows nothing of SQL, HTTP or any provider. Adapters (store, web,
// channel/…, fhir, csvimport) depend on it; it depends on none of them.
package rapport
