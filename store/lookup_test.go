package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestLookupsUseIndexes asks SQLite's planner how it answers each
// per-event lookup: a full scan of the table would make every message,
// reply or poll cost more as the tables grow.
func TestLookupsUseIndexes(t *testing.T) {
	t.Parallel()
	db := testSQLite(t, true)
	cases := []struct{ name, table, sql string }{
		{"message by provider id", "messages", "SELECT " + messageCols + " FROM messages " + whereMessageByProvider},
		{"last message to an address", "messages", "SELECT " + messageCols + " FROM messages " + whereLastMessageTo},
		{"queued campaign messages", "messages", "SELECT " + messageCols + " FROM messages " + whereQueuedCampaign},
		{"enrollment waiting for a message", "enrollments", "SELECT " + enrollmentCols + " FROM enrollments " + whereEnrollmentWaiting},
		{"campaign enrollments", "enrollments", "SELECT " + enrollmentCols + " FROM enrollments " + whereCampaignEnrollments},
		{"inbound by provider id", "inbound_messages", queryInboundByProvider},
		{"pending inbound from addresses", "inbound_messages", fmt.Sprintf(queryPendingInbound, "?, ?")},
		{"trigger events after a cursor", "ledger", queryTriggerEvents},
		{"source records of an import batch", "source_records", fmt.Sprintf(querySourceRecords, "?, ?, ?")},
		{"patients by identifier", "patient_identifiers", fmt.Sprintf(queryPatientsByIdentifier, placeholders(3, 2))},
		{"patients linked to a source", "source_records", queryPatientsLinkedToSource + "?, ?)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := explain(t, db, c.sql)
			if strings.Contains(plan, "SCAN "+c.table) || !(strings.Contains(plan, "INDEX") || strings.Contains(plan, "PRIMARY KEY")) {
				t.Errorf("%s is answered without an index:\n%s", c.name, plan)
			}
			if strings.HasPrefix(c.name, "pending inbound") && !strings.Contains(plan, "inbound_pending_from") {
				t.Errorf("pending inbound should be found in the partial index inbound_pending_from:\n%s", plan)
			}
			if c.table == "ledger" && !strings.Contains(plan, "ledger_kind_seq") {
				t.Errorf("trigger events should seek from the cursor in ledger_kind_seq:\n%s", plan)
			}
			if strings.HasPrefix(c.name, "source records") && !strings.Contains(plan, "source_records_resource") {
				t.Errorf("source records should be found by resource in source_records_resource:\n%s", plan)
			}
		})
	}
}

func explain(t *testing.T, db *DB, q string) string {
	t.Helper()
	plan, err := QueryPlan(context.Background(), db, q)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	return plan
}

// TestSharedCountsReadTheIndex: counting who else holds a phone number or
// an email reads contact_points_value alone, patient ids included: looking
// each entry's row up made the recount at the end of a million-patient
// bulk load take 35 s.
// TestPeopleCountsReadByValue: counting people for the values merged
// records hold reads those values' contact points and merges by key.
func TestPeopleCountsReadByValue(t *testing.T) {
	t.Parallel()
	db := testSQLite(t, true)
	for name, q := range map[string]string{"people holding a value": fmt.Sprintf(countPeople, "?, ?"), "values one person holds": fmt.Sprintf(deleteOnePerson, "?, ?")} {
		plan := explain(t, db, q)
		if strings.Contains(plan, "SCAN c\n") || strings.Contains(plan, "SCAN contact_points") || strings.Contains(plan, "SCAN shared_values") || strings.Contains(plan, "SCAN m\n") {
			t.Errorf("%s: a table is scanned:\n%s", name, plan)
		}
	}
}

func TestSharedCountsReadTheIndex(t *testing.T) {
	t.Parallel()
	db := testSQLite(t, true)
	for name, q := range map[string]string{"values of a batch": fmt.Sprintf(upsertShared, "?, ?"),
		"values no longer shared": fmt.Sprintf(deleteUnshared, "?, ?"), "every value": upsertAllShared} {
		plan := explain(t, db, q)
		if strings.Contains(plan, "SCAN contact_points\n") || !strings.Contains(plan, "COVERING INDEX contact_points_value") ||
			strings.Contains(plan, "TEMP B-TREE FOR count(DISTINCT)") {
			t.Errorf("%s: the holders are not counted from contact_points_value alone:\n%s", name, plan)
		}
	}
}
