package store

// Lookups that run once per message, reply, callback or trigger poll. Each
// must be answered from an index, or the work per event grows with the
// tables and a long run (the demo's 100,000 patients) slows to a crawl;
// TestLookupsUseIndexes checks their query plans on SQLite.
//
// A partial index (… WHERE col <> ”) serves "col = ?" only when the query
// repeats the index's condition: neither SQLite nor PostgreSQL can prove
// that a bound parameter is not empty.
const (
	whereMessageByProvider = "WHERE provider_id = ? AND provider_id <> ''"
	// A reply is never tied to a message to a caregiver: it was not the
	// patient's conversation (a caregiver's STOP is heard by its address).
	whereLastMessageTo = "WHERE channel = ? AND to_addr = ? AND caregiver_id = '' AND (status IN ('sent', 'delivered', 'unknown') OR (status = 'queued' AND not_before <= ?)) ORDER BY coalesce(sent_at, not_before) DESC, id DESC LIMIT 1"
	// whereLastWaitedMessageTo probes enrollments_waiting for each message to
	// the address; an IN (SELECT waiting_for …) listed every waiting
	// enrollment at each reply from a shared phone.
	whereLastWaitedMessageTo = "WHERE channel = ? AND to_addr = ? AND caregiver_id = '' AND (status IN ('sent', 'delivered', 'unknown') OR (status = 'queued' AND not_before <= ?)) " +
		"AND EXISTS (SELECT 1 FROM enrollments e WHERE e.waiting_for = messages.id AND e.waiting_for <> '' AND e.status = 'waiting') ORDER BY coalesce(sent_at, not_before) DESC, id DESC LIMIT 1"
	// whereLastStepMessageTo is whereLastMessageTo for one step, sent at or after a time.
	whereLastStepMessageTo = "WHERE channel = ? AND to_addr = ? AND caregiver_id = '' AND step = ? AND (status IN ('sent', 'delivered', 'unknown') OR (status = 'queued' AND not_before <= ?)) " +
		"AND coalesce(sent_at, not_before) >= ? ORDER BY coalesce(sent_at, not_before) DESC, id DESC LIMIT 1"
	whereQueuedCampaign      = "WHERE campaign = ? AND campaign <> '' AND status = 'queued'"
	whereEnrollmentWaiting   = "WHERE waiting_for = ? AND waiting_for <> '' AND status = 'waiting'"
	whereCampaignEnrollments = "WHERE campaign = ? AND campaign <> '' ORDER BY id"
	queryInboundByProvider   = "SELECT id FROM inbound_messages WHERE channel = ? AND provider_id = ? AND provider_id <> ''"
	// queryTriggerEvents reads the next events of one kind, up to a seq
	// bound (Tx.TriggerEvents). Each page is a seek in ledger (kind, seq)
	// that stops at its limit: one query over all the kinds (kind IN …)
	// read every later event of those kinds and sorted them for each page,
	// so a population's import (a million record events at 100,000
	// patients) cost a sort of the rest of it per page of 500.
	queryTriggerEvents = "SELECT " + eventCols + " FROM ledger WHERE kind = ? AND seq > ? AND seq <= ? AND at <= ? ORDER BY seq LIMIT ?"
	// The importer's lookups, once per batch: by source resource (takes
	// the IN list of resource ids) and by business identifier (takes the
	// VALUES list of system and value pairs).
	querySourceRecords        = "SELECT resource_id, entity_id, content_hash, imported_at FROM source_records WHERE source = ? AND resource_type = ? AND resource_id IN (%s)"
	queryPatientsByIdentifier = "SELECT system, value, patient_id FROM patient_identifiers WHERE (system, value) IN (VALUES %s)"
	// Which of a batch's candidate patients are linked to a record of the
	// importing source, read to tell whether a record seen through another
	// system is the same person; the IN list of patient ids follows.
	queryPatientsLinkedToSource = "SELECT DISTINCT entity_id FROM source_records WHERE resource_type = 'Patient' AND source = ? AND entity_id IN ("
)
