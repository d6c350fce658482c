// Package hygiene runs the monthly cleaning of the patient list: it
// re-validates every contact point, has stale contacts marked (which
// enrolls them in the contact-reverify journey through its event trigger),
// finds duplicate patients incrementally with [linkage], and writes a
// [Report] stored per run.
//
// It knows nothing of HTTP and reaches SQL only through [store]. What other
// parts provide — staleness rules, the duplicate review queue — comes in as
// the small interfaces [Staleness] and [DuplicateSink], so the run can be
// wired to them without changing here.
package hygiene
