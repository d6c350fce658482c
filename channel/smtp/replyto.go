package smtp

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// validReplyTo wants "" or a bare address without a plus tag of its own.
func validReplyTo(v string) error {
	if v == "" {
		return nil
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		return fmt.Errorf("smtp reply-to %q (%s): want a bare address such as reply@clinic.example", v, EnvReplyTo)
	}
	if local, _, _ := cutAt(v); strings.Contains(local, "+") {
		return fmt.Errorf("smtp reply-to %q (%s): must not have a +tag, rapport adds +<message id>", v, EnvReplyTo)
	}
	return nil
}

// ReplyAddress is the Reply-To address that carries rapport's message id:
// base's local part, "+", the escaped id, then base's domain, so
// reply@clinic.example becomes reply+<id>@clinic.example. Mail servers
// deliver such plus-addresses to the base mailbox.
func ReplyAddress(base, id string) string {
	local, domain, ok := cutAt(base)
	if !ok {
		return base
	}
	return local + "+" + escapeID(id) + "@" + domain
}

// ReplyID returns the message id of an address made by [ReplyAddress]
// from base, and false for any other address.
func ReplyID(base, addr string) (string, bool) {
	bl, bd, ok := cutAt(base)
	al, ad, ok2 := cutAt(strings.Trim(strings.TrimSpace(addr), "<>"))
	if !ok || !ok2 || !strings.EqualFold(bd, ad) {
		return "", false
	}
	tag, ok := cutPrefixFold(al, bl+"+")
	if !ok || tag == "" {
		return "", false
	}
	id, err := url.PathUnescape(tag)
	if err != nil || escapeID(id) != tag {
		return "", false
	}
	return id, true
}

func cutAt(addr string) (local, domain string, ok bool) {
	i := strings.LastIndexByte(addr, '@')
	if i <= 0 || i == len(addr)-1 {
		return "", "", false
	}
	return addr[:i], addr[i+1:], true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", false
	}
	return s[len(prefix):], true
}
