// Package dosing holds medication regimens and their dose schedules in the
// patient's local time, and reads patients' replies that move a reminder.
// It is pure: no database, no HTTP, no clock (callers pass now).
//
// A [Regimen] is built from an imported dosage with [FromDosage] or
// [FromRequest]; [Regimen.Next] and [Regimen.DosesBetween] list its
// doses; [ParseTimeChange] reads "LATER", "8PM" or "cambiar a las 9" and
// [ApplyChange] carries it out.
//
// # Local time and daylight saving
//
// Dose times are wall-clock times in the patient's IANA zone, never fixed
// offsets: a 09:00 dose is at 09:00 local on both sides of a change, so its
// UTC instant moves by an hour. On the two days a year when the wall clock
// jumps, [Instant] follows RFC 5545 §3.3.5, as phone calendars do:
//
//   - Spring forward (US: 02:00 → 03:00; Europe/Madrid: 02:00 → 03:00): a
//     02:30 dose is due at 03:30 local. The time is read with the offset in
//     force before the jump, so the dose keeps its distance from the
//     previous day's dose (exactly 24 hours) and from midnight, rather than
//     piling up at 03:00 with every other time in the gap; it is also what
//     Go's time.Date and most alarm apps do, so the reminder agrees with the
//     patient's phone. [Dose.Shifted] marks it. One corner: a schedule with
//     both 02:30 and 03:30 has both doses due at 03:30 on that day; they
//     stay two doses with two keys.
//   - Fall back (US: 02:00 → 01:00; Madrid: 03:00 → 02:00): a 01:30 dose
//     (02:30 in Madrid) happens twice on the wall clock but is due once, at
//     the first occurrence — the patient takes it when the clock first
//     shows the time, and a second reminder an hour later could read as a
//     second dose.
//   - Zones without daylight saving (America/Phoenix) never shift.
//
// Each dose has a key "YYYY-MM-DD@HH:MM" (local date and scheduled time)
// that does not change when the dose is shifted or snoozed; its reminder
// is keyed by [Dose.ReminderKey], which adds the new due minute of a
// snoozed dose, so each reminder job is idempotent.
//
// # Replies
//
// "LATER" snoozes the dose it answers by an hour. A new time ("8PM",
// "cambiar a las 9") moves the regimen's dose time from the reply on: days
// whose dose was already due keep it as reminded, the new time starts the
// next day, and a dose already reminded today moves to the new time if
// that is still ahead — no day gets both the old and the new dose.
//
// # Default times
//
// A dosage without times of day gets defaults (see [FromDosage]): one to
// four times a day over waking hours (09:00; 09:00 21:00; 08:00 14:00
// 20:00; 08:00 12:00 16:00 20:00), every N hours around the clock from
// 09:00, every k days and weekly at 09:00 from the start date. Five or more
// a day, twice a week, monthly and the like have no defaults and are
// refused with an error naming the field, rather than guessed.
//
// # Patient-chosen times
//
// A time the patient set by reply ([DoseTime.PatientChosen],
// [Dose.PatientChosen]) is theirs to ask for: the messaging pipeline lets its
// reminder through the organisation's quiet hours. Defaults and prescribed
// times are not patient-chosen.
package dosing
