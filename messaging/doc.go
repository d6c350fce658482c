// Package messaging is the one pipeline every outbound message goes through,
// and the inbound side that listens to patients.
//
// Outbound, in order: consent for the channel and purpose; channel choice
// (the patient's preference, then what works: a landline gets a call, no
// valid phone means email, invalid or unreachable contact points are
// skipped); quiet hours in the patient's local time and frequency caps per
// purpose, which defer, never drop; rendering in the patient's language;
// then the message row and the job that sends it are written in one
// transaction. The send job paces each sender through slots reserved in the
// database (so several worker processes share one pace), gives each
// provider request its own deadline, retries with backoff honouring
// Retry-After, and gives up at the message's deadline with a final status.
// A send that ended without the provider's answer is unknown: it is looked
// up at the provider before any retry, never resent blindly (reconcile.go).
//
// Inbound: every message is stored first, then processed by a job: carrier
// keywords (STOP, HELP, START and their Spanish and other equivalents),
// matching the sender to a patient, the reply's intent, and routing to the
// journey waiting for it or to the staff inbox. Delivery feedback (bad
// numbers, bounces) sets the contact point's status with the evidence.
//
// The pure rules (keywords, intents, segments, quiet hours, caps, time
// zones) live in messaging/rules; plan.go applies them to one message.
package messaging
