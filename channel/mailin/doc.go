// Package mailin receives patients' email replies: an SMTP listener
// ([Server], built on emersion/go-smtp) and the parser both it and the
// hosted inbound-parse webhook use ([Parse], [FromParts]). Every reply goes
// through [Receiver.Deliver] into the messaging pipeline's Receive, the same
// path as an inbound SMS: stored first, then keywords (STOP), intents,
// journey replies and the staff inbox.
//
// A reply is threaded to the message it answers by its In-Reply-To and
// References headers (rapport's Message-ID carries the message id), then by
// a reply address carrying the id (reply+<id>@domain, when outgoing email
// sets Reply-To), then, in the pipeline, by the sender's address, as SMS is.
//
// Out-of-office answers (Auto-Submitted, X-Autoreply, Precedence, common
// subjects) are recognised and dropped with a log line; bounces (RFC 3464
// delivery status notifications, MAILER-DAEMON) are never read as answers:
// a hard bounce of a rapport message marks it undelivered, as the bounce
// webhook does. Logs carry no addresses or text.
package mailin
