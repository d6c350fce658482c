// Package rules holds the pure rules the outbound messaging pipeline and
// the inbound router apply: no I/O, no clock, standard library only.
//
//   - Carrier keywords ([Catalogue], [DefaultCatalogue]): whole-message
//     STOP / START / HELP words in English and Spanish, matched ignoring
//     case, accents, spaces and punctuation. Weak opt-in words (YES, SÍ)
//     are marked so the caller re-opts-in only a patient who is opted out.
//   - Reply intents ([ParseIntent]): yes, no, a numbered choice, free text
//     or empty, with a guess of the language.
//   - SMS segments ([Segments]): GSM-7 or UCS-2, units and billed parts.
//   - Quiet hours ([Window]): the part of the patient's local day in which
//     messages may go, and the next allowed instant across DST changes.
//   - Frequency caps ([Caps]): sends per local calendar day and per rolling
//     7×24-hour week, and the next instant one more send fits.
//   - Time zone choice ([PatientLocation]): patient record, phone number,
//     US ZIP prefix, organisation, in that order.
//
// Every function is safe for concurrent use; a [Catalogue] is once it has
// been built. The package embeds the zone database (time/tzdata), so zone
// names resolve even on hosts without one.
package rules
