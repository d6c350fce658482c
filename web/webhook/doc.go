// Package webhook serves what providers and patients' mail clients post to
// rapport, mounted by [Register]:
//
//	POST /webhooks/twilio/sms      an inbound SMS (signed by Twilio)
//	POST /webhooks/twilio/status   a delivery report of an SMS or call (signed)
//	POST /webhooks/twilio/voice    the keys a patient pressed in a call (signed)
//	POST /webhooks/email/bounce    a delivery status notification (bearer secret)
//	POST /webhooks/email/inbound/{secret}  an email reply from a hosted inbound-parse service
//	GET  /unsubscribe/{token}      a tiny page with an unsubscribe button
//	POST /unsubscribe/{token}      RFC 8058 one-click unsubscribe, or the page's form
//
// # Twilio
//
// Every Twilio request is checked with X-Twilio-Signature over the public URL
// Twilio called ([Deps.PublicURL] + path + query, with and without the
// default port) and the POST parameters. A bad signature is answered 403 and
// logged as one line with the route and remote address only: no body, no
// numbers. Inbound messages and keypad answers are handed to the pipeline's
// Receive, which stores them (deduplicated by provider id) before anything
// else; if storing fails the answer is 500 so that Twilio retries, and
// nothing is dropped. Replies go out through the pipeline, never as TwiML:
// the SMS webhook answers an empty <Response/>. Status callbacks become
// [messaging.StatusReport]s; a report for a message rapport does not know is
// answered 200 (logged at debug) so that Twilio does not retry it forever.
//
// These endpoints are not rate-limited: the signature is the guard, and
// refusing a provider's burst would only make it retry.
//
// # Bounces
//
// A mailbox poller or the MTA posts each DSN (multipart/report or a whole
// message) with "Authorization: Bearer <bounce secret>". Hard bounces that
// say the address is wrong (RFC 3463 5.1.x, 5.2.1, 5.4.4) mark the message
// undelivered with [channel.ErrBadAddress], which marks the address invalid;
// other permanent failures (5.7.x policy refusals, a full mailbox) mark the
// message undelivered but keep the address; soft bounces change nothing.
//
// # Inbound email
//
// A hosted inbound-parse service (SendGrid Inbound Parse, default or raw
// mode) posts each email as multipart/form-data to
// /webhooks/email/inbound/<RAPPORT_INBOUND_EMAIL_SECRET>; the endpoint is
// not mounted without a secret. The secret is compared in constant time;
// a wrong one is answered 404 and spends one of the client IP's failures
// (10 at once, then one every 6 seconds), after which the client is
// answered 429 before anything is checked. A right secret is never
// rate-limited: the service's bursts are real replies. Attachments are
// skipped unread. The email then goes through [mailin.Receiver.Deliver],
// exactly as one received by the SMTP listener.
//
// # Unsubscribe
//
// [Unsubscribe] signs message ids into unguessable tokens (HMAC-SHA256), so
// the link in an email's List-Unsubscribe header needs no cookie, session or
// CSRF token: knowing the token is the authority. GET only shows a page of
// a few hundred bytes with a POST button (no JavaScript), because mail
// scanners follow links; POST records the opt-out. An unsubscribe opts the
// patient out of email for both purposes, care and outreach, exactly as
// STOP does for SMS: a patient who asks for no more email gets none.
// Staff can record a new opt-in if the patient asks for care email again.
// A request with a genuine token is never rate-limited, so no unsubscribe
// is dropped; requests whose token fails verification are, per client IP,
// by an in-memory token bucket; it protects one process only, which is
// enough against a client guessing on one server, not a distributed guess
// (the 128-bit MAC is the guard against that).
package webhook
