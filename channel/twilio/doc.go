// Package twilio is rapport's channel adapter for Twilio Programmable
// Messaging (SMS) and Programmable Voice (outbound calls that read a message
// aloud and gather one keypad answer).
//
// # Sending
//
// [Client] implements [channel.Sender]. An SMS is a form-encoded
// POST {BaseURL}/2010-04-01/Accounts/{AccountSID}/Messages.json with To, From,
// Body and StatusCallback; a voice message is a POST to .../Calls.json with
// To, From, StatusCallback and inline TwiML in the Twiml parameter (see
// [VoiceTwiML]). Both use HTTP basic auth with the account SID and auth token.
//
// Failures come back as [*channel.Error]: HTTP 429 and 503 are
// [channel.ErrRetryable] with RetryAfter taken from the Retry-After header;
// other 5xx answers, timeouts and connection errors are retryable too; Twilio
// error codes are classified by the table in codes.go (bad number,
// opted out, or permanent).
//
// # Idempotency
//
// Twilio's Messages and Calls APIs accept no idempotency key, so a message
// sent twice cannot be refused by Twilio. A send that ends without an
// answer after the request was written is therefore [channel.ErrUnknown],
// never retried blindly, and [Client.Lookup] lists what Twilio accepted to
// tell whether it has the message. rapport's message id is also carried
// where it round-trips, so a duplicate after a crash is detectable:
//
//   - as the query parameter mid on the StatusCallback URL
//     (https://host/webhooks/twilio/status?mid=<id>). Twilio calls that URL
//     verbatim, so every status callback names the rapport message, and two
//     provider SIDs reporting the same mid are the duplicate. The query is part
//     of the signed URL, so the mid cannot be forged.
//   - as mid on the Gather action URL of a voice call, so keypad answers name
//     the message they answer.
//   - as the I-Twilio-Idempotency-Token request header. Twilio itself sets
//     this header on the webhooks it sends (one token per event, repeated on
//     retries); on the REST API it is ignored, so it prevents nothing, but it costs nothing,
//     shows up in request logs and proxies, and is what the local test server
//     [github.com/rapporthq/rapport/channel/twiliotest] counts duplicates by.
//
// # Webhooks
//
// The webhook helpers parse and verify, but do not route: the web package
// mounts /webhooks/twilio/sms, /webhooks/twilio/status and
// /webhooks/twilio/voice, checks [ValidateSignature] against r.PostForm and
// the public URL Twilio called, then calls [ParseInbound], [ParseStatus] or
// [ParseGather] with r.Form (which also holds the query, and so the mid), and
// answers with [MessageTwiML] or [SayTwiML].
//
// # Voice languages
//
// Text-to-speech is chosen from Message.Language (see [VoiceFor]): tags for
// Spanish in the United States (es-US) speak es-US with Polly.Lupe; any other
// Spanish tag speaks es-MX with Polly.Mia; everything else speaks en-US with
// Polly.Joanna.
//
// # Line types
//
// [LineTypes] asks Lookup v2 (GET {LookupURL}/v2/PhoneNumbers/{E.164}
// ?Fields=line_type_intelligence, on its own host lookups.twilio.com) what
// kind of line a number is; [LineTypeOf] maps Twilio's types to rapport's.
package twilio
