// Package twiliotest runs a local HTTP server that speaks Twilio's wire
// format, for the Twilio channel's tests and for end-to-end tests and
// benchmarks of the whole messaging pipeline. It stands in for the real
// api.twilio.com, which no test may reach (see [LoopbackOnly]).
//
// The [Server] implements POST /2010-04-01/Accounts/{sid}/Messages.json and
// .../Calls.json: it checks basic auth, form encoding and the required
// fields, answers 201 with the real JSON shape of a Message or Call resource
// (34-character SM…/CA… SIDs, status "queued", num_segments from the body's
// GSM-7 or UCS-2 length, RFC 1123 dates), and answers Twilio's error JSON
// ({"code":21211,"message":…,"more_info":…,"status":400}) for numbers
// configured as invalid, landlines or opted out. GET on the same paths lists
// the accepted messages or calls, newest first, filtered by To and From, in
// Twilio's list envelope ({"messages":[…],"page_size":50,…}): how a client
// finds out whether a send whose answer it lost was accepted. By default it knows
// Twilio's test-credential magic numbers:
//
//	+15005550001  21211 invalid number
//	+15005550002  21612 cannot route to this number
//	+15005550003  21408 no permission for the number's region
//	+15005550004  21610 recipient opted out (replied STOP)
//	+15005550009  21614 not a mobile number (landline)
//
// GET /v2/PhoneNumbers/{number}?Fields=line_type_intelligence answers as
// Lookup v2 does (lookups.twilio.com; point Config.LookupURL here): valid,
// validation_errors and line_type_intelligence with type, carrier_name and
// error_code. Each number's answer is [DefaultLineType] unless a test sets
// it with [Server.SetLineType] (an error status such as 404 or 429 too), and
// [Server.Lookups] counts the look-ups asked.
//
// Every accepted request is recorded, with its I-Twilio-Idempotency-Token,
// and requests repeating a token (or a mid on the StatusCallback URL) are
// counted as duplicates. A call made with a Url instead of inline Twiml
// gets its TwiML the way Twilio's does, by a signed POST to that Url right
// after the answer; the TwiML is recorded either way. Faults are injected on demand: the next N requests,
// or a seeded fraction of them, answer 429 with Retry-After, 503, 500, hang
// until the client gives up, or are accepted and then hang (the answer is
// lost, so a retry makes a duplicate).
//
// Webhooks are sent only when asked, so tests stay deterministic:
// [Server.DeliverStatus] posts the status callbacks of every accepted
// message (sent, then delivered, or undelivered with the configured error
// code) and call, [Server.SendInbound] posts an inbound SMS and
// [Server.Press] posts the keys a patient pressed during a call; each is
// signed with X-Twilio-Signature like Twilio's.
//
// The server is built for volume: 100,000 messages through loopback at
// thousands per second, with hand-written JSON and one short lock per request.
package twiliotest
