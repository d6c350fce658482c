// Package behaviour simulates the patients of a synthetic population when
// rapport writes to them, for the demo and tests. A [Model] is built from
// the population's ground truth (population.TruthRecord) and a seed.
//
// [Model.Behave] is the simulator channel's BehaveFunc: it looks the
// recipient up by address in the truth and answers as the provider would —
// a disconnected number fails with Twilio's 30005, a landline given a text
// with 30006, a dead mailbox with 550 — and for delivered messages decides
// whether and how the person answers: by channel, rurality, age, time of
// day, earlier unanswered messages and what the message is (an offer, its
// retry, the nurture question "why not?", a re-offer, a check-in), with
// yes/no, numbered choices, decline sentences in English or Spanish, STOP,
// late answers, wrong numbers, and decliners who change their minds after
// being listened to. Answers wait in the model's agenda, keyed by
// simulated time; [Model.Due] pops those due. [Model.World] draws what
// happens without any message — spontaneous bookings and visits — the same
// for everyone, hold-out included, so that lift is honest.
//
// Every number and word of the model is in model.yaml (embedded; see
// [DefaultParams] and [LoadParams]). Draws come from PCG streams seeded by
// (seed, person, n-th message to that person), so the same person answers
// the same n-th message the same way in two runs — rapport's and the
// baseline's differ by strategy, not by luck.
package behaviour
