// Package smtp sends rapport's email over SMTP with github.com/wneessen/go-mail
// and reads the delivery status notifications that come back.
//
// [Sender] implements [channel.Sender] for email. It keeps a small pool of
// open SMTP connections (Config.PoolSize, 4 by default) and sends each
// message as MAIL, RCPT, DATA on one of them, so a campaign costs a few TCP
// and TLS handshakes rather than one per message. Messages are rendered one
// at a time as they are sent; nothing holds a campaign in memory.
//
// Each message is text/plain, or multipart/alternative with text/plain and
// text/html. Where the server offers 8BITMIME (RFC 6152) a part goes as
// 8bit, unencoded, unless a line of it is longer than SMTP carries; other
// parts are quoted-printable. Each message carries:
//
//   - Message-ID <id@rapport> made from rapport's message id ([MessageID],
//     reversed by [RapportID]) and X-Rapport-Message-ID: id, so a bounce or
//     a duplicate after a crash is tied to the message;
//   - List-Unsubscribe with the message's unsubscribe URL (and a mailto:
//     when Config.UnsubscribeMailto is set) and, for an HTTPS URL,
//     List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058);
//   - Content-Language when the message's language is known.
//
// No Auto-Submitted header is sent. RFC 3834 reserves "auto-replied" for
// responses to a message, which these are not, and "auto-generated" would
// tell responders and filters that no person is behind the message and no
// answer is wanted — but rapport wants replies, routed to a journey or to
// staff. Vacation replies are better recognised on the way in (their own
// Auto-Submitted header) by the inbound router.
//
// Errors are [*channel.Error]s: connection failures and 4xx replies are
// channel.ErrRetryable; a 5xx reply to RCPT about the address (550 5.1.1,
// 553, 5.1.x, 5.2.1) is channel.ErrBadAddress; any other 5xx is
// channel.ErrPermanent. Failing to connect, start TLS or authenticate is
// retryable whatever the reply: it is about the server or the
// configuration, not the message. The server's text is kept with email addresses
// redacted.
//
// [ParseDSN] reads an RFC 3464 bounce into a [Bounce]: the recipient, the
// action and status (Hard for failed with 5.x.x), the diagnostic, and the
// returned message's Message-ID and rapport id.
//
// Configuration comes from RAPPORT_SMTP_URL (smtp://user:pass@host:port or
// smtps://…), RAPPORT_SMTP_FROM, RAPPORT_SMTP_UNSUBSCRIBE_MAILTO and
// RAPPORT_SMTP_POOL_SIZE through [ConfigFromEnv]; [Config.String] redacts
// the password. Credentials are only sent over TLS: go-mail will not offer
// PLAIN or LOGIN on an unencrypted connection.
package smtp
