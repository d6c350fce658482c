package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// RecordAddressConsents appends address consent decisions, skipping those
// already in force for their address, channel and purpose (a second STOP
// from a number records nothing).
func (tx *Tx) RecordAddressConsents(ctx context.Context, cs []rapport.AddressConsent) error {
	if len(cs) == 0 {
		return nil
	}
	addrs := make([]string, 0, len(cs))
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			return err
		}
		addrs = append(addrs, cs[i].Address)
	}
	existing, err := tx.FindAddressConsents(ctx, addrs)
	if err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		if rapport.AddressAllowed(existing[c.Address], c.Channel, c.Purpose) == (c.Decision == rapport.OptIn) {
			continue // already in force
		}
		if c.ID == "" {
			c.ID = newID()
		}
		if c.RecordedAt.IsZero() {
			c.RecordedAt = tx.now
		}
		if _, err := tx.q.exec(ctx, "INSERT INTO address_consents (id, address, channel, purpose, decision, source, evidence, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			c.ID, c.Address, string(c.Channel), string(c.Purpose), string(c.Decision), string(c.Source), c.Evidence, c.RecordedAt.UTC()); err != nil {
			return fmt.Errorf("record address consent: %w", err)
		}
		existing[c.Address] = append(existing[c.Address], *c)
	}
	return nil
}

// FindAddressConsents returns the decisions recorded about each of the
// addresses (in [rapport.AddressKey] form), oldest first, in one query per
// 500 addresses.
func (tx *Tx) FindAddressConsents(ctx context.Context, addrs []string) (map[string][]rapport.AddressConsent, error) {
	out := map[string][]rapport.AddressConsent{}
	if len(addrs) == 0 {
		return out, nil
	}
	err := eachRowIn(ctx, tx.q, addrs, "SELECT id, address, channel, purpose, decision, source, evidence, recorded_at FROM address_consents WHERE address IN (%s) ORDER BY recorded_at, id", func(rs rows) error {
		var c rapport.AddressConsent
		var ch, purpose, decision, source string
		if err := rs.Scan(&c.ID, &c.Address, &ch, &purpose, &decision, &source, &c.Evidence, &c.RecordedAt); err != nil {
			return err
		}
		c.Channel, c.Purpose, c.Decision, c.Source = rapport.Channel(ch), rapport.Purpose(purpose), rapport.ConsentDecision(decision), rapport.ContactSource(source)
		c.RecordedAt = c.RecordedAt.UTC()
		out[c.Address] = append(out[c.Address], c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find address consents: %w", err)
	}
	return out, nil
}
