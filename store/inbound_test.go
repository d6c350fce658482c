package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestFindPendingInboundFrom finds what was stored and not yet processed
// from the asked addresses, and nothing processed or from elsewhere.
func TestFindPendingInboundFrom(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ins := []*rapport.Inbound{
			{Channel: rapport.ChannelSMS, From: "+15125550101", Body: "STOP"},
			{Channel: rapport.ChannelSMS, From: "+15125550101", Body: "C", Status: rapport.InboundProcessed},
			{Channel: rapport.ChannelSMS, From: "+15125550102", Body: "PARAR"},
			{Channel: rapport.ChannelEmail, From: "rosa@example.net", Body: "unsubscribe"},
			{Channel: rapport.ChannelSMS, From: "+15125550103", Body: "STOP", Status: rapport.InboundUnmatched},
			{Channel: rapport.ChannelSMS, From: "+15125550104", Body: "STOP"},
		}
		inTx(t, db, func(tx *store.Tx) error {
			for _, in := range ins {
				if _, err := tx.CreateInbound(ctx, in); err != nil {
					return err
				}
			}
			return nil
		})
		var got []*rapport.Inbound
		inTx(t, db, func(tx *store.Tx) (err error) {
			got, err = tx.FindPendingInboundFrom(ctx, []string{"+15125550101", "+15125550102", "+15125550103", "rosa@example.net", "+15125550199"})
			return err
		})
		var ids []string
		for _, in := range got {
			ids = append(ids, in.ID)
			if in.Status != rapport.InboundReceived || in.Body == "" {
				t.Errorf("inbound %s: status %s, body %q", in.ID, in.Status, in.Body)
			}
		}
		slices.Sort(ids)
		want := []string{ins[0].ID, ins[2].ID, ins[3].ID}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("pending inbound %v, want %v", ids, want)
		}
		inTx(t, db, func(tx *store.Tx) (err error) {
			got, err = tx.FindPendingInboundFrom(ctx, nil)
			return err
		})
		if len(got) != 0 {
			t.Errorf("no addresses found %d messages", len(got))
		}
	})
}
