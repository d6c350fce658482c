// Package linelookup keeps the line types of patients' phone numbers fresh
// from a provider (Twilio Lookup's Line Type Intelligence), so that a
// landline recorded as a mobile gets a call first, not a text that fails.
//
// A run asks about the numbers due — never looked up, looked up longer ago
// than the maximum age, or failed with their retry time come — at most Rate
// a second, caches each answer per number with its date, and gives every
// contact point holding the number the answered line type (with a ledger
// event, like any contact change). A contact point added later with a number
// already looked up gets the cached answer without a new question, when
// the numbering plan left its line type open. Answers are written in small batches: a
// crash loses at most the unwritten ones, which are still due and asked
// again on the next run. Failures back off per number; a throttled answer
// ends the run and its number waits for Retry-After; refused credentials
// end the run with an error.
package linelookup
