// Package reminders sends medication dose reminders through the one
// messaging pipeline, from regimens stored per patient and medication
// (the schedule is package dosing's), and moves a reminder when the
// patient replies "LATER" or a time.
//
// A periodic job ([Every]) plans every dose due within the next [Lead] as a queued
// message with NotBefore at the dose, and advances the regimen to its next
// dose in the same transaction: a dose is planned once, whatever crashes.
// The message keeps the dose's local time: a time the patient chose goes
// out in the organisation's quiet hours, a prescriber's time keeps them and
// is dropped if they would hold it past [Deadline] after the dose.
//
// Reminder traffic the patient did not ask for keeps the limits of the
// FCC's healthcare exemption by default: one reminder a day and three a
// week per patient ([Limits]); a regimen whose reminders the patient
// requested is not limited.
package reminders
