package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapporthq/rapport"
)

const campaignCols = "id, name, journey, version, segment, holdout_percent, throttle_per_hour, start_at, status, cursor, enrolled, held_out, options, created_at, updated_at"

// CreateCampaign stores a new campaign.
func (tx *Tx) CreateCampaign(ctx context.Context, c *rapport.Campaign) error {
	if c.ID == "" {
		c.ID = newID()
	}
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	opts := string(c.Options)
	if opts == "" {
		opts = "{}"
	}
	if _, err := tx.q.exec(ctx, "INSERT INTO campaigns ("+campaignCols+") VALUES "+placeholders(1, 15),
		c.ID, c.Name, c.Journey, c.Version, c.Segment, c.HoldoutPercent, c.Throttle, c.StartAt.UTC(), string(c.Status), c.Cursor,
		c.Enrolled, c.HeldOut, opts, tx.now, tx.now); err != nil {
		return fmt.Errorf("create campaign: %w", err)
	}
	return nil
}

// UpdateCampaign writes a campaign's status, cursor and counts.
func (tx *Tx) UpdateCampaign(ctx context.Context, c *rapport.Campaign) error {
	c.UpdatedAt = tx.now
	if _, err := tx.q.exec(ctx, "UPDATE campaigns SET status = ?, cursor = ?, enrolled = ?, held_out = ?, updated_at = ? WHERE id = ?",
		string(c.Status), c.Cursor, c.Enrolled, c.HeldOut, tx.now, c.ID); err != nil {
		return fmt.Errorf("update campaign: %w", err)
	}
	return nil
}

func scanCampaign(rs row) (*rapport.Campaign, error) {
	var c rapport.Campaign
	var status, opts string
	err := rs.Scan(&c.ID, &c.Name, &c.Journey, &c.Version, &c.Segment, &c.HoldoutPercent, &c.Throttle, &c.StartAt, &status, &c.Cursor,
		&c.Enrolled, &c.HeldOut, &opts, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return nil, err
	}
	c.Status, c.Options = rapport.CampaignStatus(status), []byte(opts)
	c.StartAt, c.CreatedAt, c.UpdatedAt = c.StartAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// FindCampaign returns one campaign.
func (tx *Tx) FindCampaign(ctx context.Context, id string) (*rapport.Campaign, error) {
	return findCampaign(ctx, tx.q, id, "")
}

// FindCampaignForUpdate is [Tx.FindCampaign] for a transaction that
// changes the campaign: on PostgreSQL it locks the row, so that a launch
// page finishing in a worker cannot write "launched" over a cancel that
// committed meanwhile.
func (tx *Tx) FindCampaignForUpdate(ctx context.Context, id string) (*rapport.Campaign, error) {
	return findCampaign(ctx, tx.q, id, tx.forUpdate())
}

// FindCampaign returns one campaign.
func (db *DB) FindCampaign(ctx context.Context, id string) (*rapport.Campaign, error) {
	return findCampaign(ctx, db.q, id, "")
}

func findCampaign(ctx context.Context, q querier, id, lock string) (*rapport.Campaign, error) {
	c, err := scanCampaign(q.queryRow(ctx, "SELECT "+campaignCols+" FROM campaigns WHERE id = ?"+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "campaign %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find campaign: %w", err)
	}
	return c, nil
}

// FindCampaigns lists a page of campaigns, newest first (ties by id,
// descending, so a page boundary is exact).
func (db *DB) FindCampaigns(ctx context.Context, f rapport.CampaignFilter) ([]*rapport.Campaign, error) {
	q, args := "SELECT "+campaignCols+" FROM campaigns", []any{}
	if f.After != "" {
		q += " WHERE (created_at, id) < (SELECT created_at, id FROM campaigns WHERE id = ?)"
		args = append(args, f.After)
	}
	q += " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rs, err := db.q.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find campaigns: %w", err)
	}
	defer rs.Close()
	var out []*rapport.Campaign
	for rs.Next() {
		c, err := scanCampaign(rs)
		if err != nil {
			return nil, fmt.Errorf("scan campaign: %w", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// CountLive counts each named campaign's enrollments still active or
// waiting, from which [rapport.Campaign.Progress] says running or done; a
// campaign with none is absent.
func (db *DB) CountLive(ctx context.Context, ids []string) (map[string]int, error) {
	return countLive(ctx, db.q, ids)
}

// CountLive is [DB.CountLive] inside a transaction.
func (tx *Tx) CountLive(ctx context.Context, ids []string) (map[string]int, error) {
	return countLive(ctx, tx.q, ids)
}

func countLive(ctx context.Context, q querier, ids []string) (map[string]int, error) {
	out := map[string]int{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := q.query(ctx, "SELECT campaign, COUNT(*) FROM enrollments WHERE campaign IN ("+in+") AND status IN ('active', 'waiting') GROUP BY campaign", args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id string
			var n int
			if err := rs.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("count live enrollments: %w", err)
	}
	return out, nil
}

// CampaignStatuses returns the status of each campaign named, for the
// journey engine's checks while it works a batch.
func (tx *Tx) CampaignStatuses(ctx context.Context, ids []string) (map[string]rapport.CampaignStatus, error) {
	out := map[string]rapport.CampaignStatus{}
	err := chunked(ids, func(in string, args []any) error {
		rs, err := tx.q.query(ctx, "SELECT id, status FROM campaigns WHERE id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id, st string
			if err := rs.Scan(&id, &st); err != nil {
				return err
			}
			out[id] = rapport.CampaignStatus(st)
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("campaign statuses: %w", err)
	}
	return out, nil
}

// QueuedCampaignMessages returns the ids of a campaign's messages not sent yet.
func (tx *Tx) QueuedCampaignMessages(ctx context.Context, campaign string) ([]*rapport.Message, error) {
	return findMessages(ctx, tx.q, whereQueuedCampaign, campaign)
}
