// Package storetest is the conformance suite of package store: the same
// tests, run against every supported database.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// OpenFunc opens a fresh, empty database for one test, driven by clock.
type OpenFunc func(t *testing.T, clock rapport.Clock) *store.DB

// Start is the time every suite clock starts at.
var Start = time.Date(2026, 3, 1, 14, 30, 0, 0, time.UTC)

// Run runs the whole suite. Every test gets its own database.
func Run(t *testing.T, open OpenFunc) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s suite)
	}{
		{"MigrateTwice", testMigrateTwice},
		{"PatientRoundTrip", testPatientRoundTrip},
		{"FindPatients", testFindPatients},
		{"PartialPatientReads", testPartialPatientReads},
		{"ManyPatientsInOneCall", testManyPatients},
		{"UpdatePatientMergesContacts", testUpdateMergesContacts},
		{"UpdatePatientsAsOne", testUpdatePatientsAsOne},
		{"LedgerIsAppendOnly", testLedgerAppendOnly},
		{"ManyEventsInOneCall", testManyEvents},
		{"Consent", testConsent},
		{"SourceRecords", testSourceRecords},
		{"PendingReferences", testPendingRefs},
		{"PossibleDuplicates", testPossibleDuplicates},
		{"DuplicateQueue", testDuplicateQueue},
		{"StepSends", testStepSends},
		{"MergeSettings", testMergeSettings},
		{"RollbackLeavesNothing", testRollback},
		{"AllOrNothing", testAllOrNothing},
		{"ClinicalRecordsReplace", testClinicalReplace},
		{"TokensAndAudit", testTokensAndAudit},
		{"MessageContent", testMessageContent},
		{"LastMessageTo", testLastMessageTo},
		{"UpdateEnrollments", testUpdateEnrollments},
		{"SharedNumbers", testSharedNumbers},
		{"SharedRecountWritesOnlyChanges", testSharedRecountWritesOnlyChanges},
		{"BulkLoadCountsSharedAtTheEnd", testBulkLoadCountsSharedAtTheEnd},
		{"ImportCountsSharedAtCommit", testImportCountsSharedAtCommit},
		{"ConfirmAndStaleness", testConfirmAndStaleness},
		{"LineLookups", testLineLookups},
		{"CampaignPages", testCampaignPages},
		{"CountLive", testCountLive},
		{"TriggerEvents", testTriggerEvents},
		{"ScanDispensed", testScanDispensed},
		{"Regimens", testRegimens},
		{"RefillChecks", testRefillChecks},
		{"RefillPages", testRefillPages},
		{"Observations", testObservations},
		{"Caregivers", testCaregivers},
		{"CaregiverRevoke", testCaregiverRevoke},
		{"CaregiverMessages", testCaregiverMessages},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := rapport.NewManualClock(Start)
			db := open(t, clock)
			ctx := context.Background()
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			tc.fn(t, suite{db: db, clock: clock, ctx: ctx})
		})
	}
}

type suite struct {
	db    *store.DB
	clock *rapport.ManualClock
	ctx   context.Context
}

// tx runs fn in a committed transaction and fails the test on error.
func (s suite) tx(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.db.InTx(s.ctx, fn); err != nil {
		t.Fatal(err)
	}
}
