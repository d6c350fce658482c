package mailin

import (
	"slices"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/smtp"
)

// Thread returns the id of the rapport message m answers: from In-Reply-To,
// then References (the latest first), then a recipient address made by
// [smtp.ReplyAddress] from replyTo (skipped when replyTo is ""). It returns
// "" when none names a rapport message; the pipeline then matches by the
// sender's address.
func Thread(m *Mail, replyTo string) rapport.MessageID {
	ids := append(slices.Clone(m.InReplyTo), m.References...)
	slices.Reverse(ids[len(m.InReplyTo):])
	for _, id := range ids {
		if r, ok := smtp.RapportID(id); ok {
			return rapport.MessageID(r)
		}
	}
	if replyTo == "" {
		return ""
	}
	for _, to := range m.To {
		if r, ok := smtp.ReplyID(replyTo, to); ok {
			return rapport.MessageID(r)
		}
	}
	return ""
}
