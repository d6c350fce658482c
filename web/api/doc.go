// Package api is rapport's JSON API for staff, mounted under /api/v1 by
// [Register] from the one route table in routes.go. openapi.json describes
// every endpoint (served, without a token, at GET /api/v1/openapi.json),
// and the tests hold it against the table and every exchange they make.
// Every other endpoint needs "Authorization: Bearer TOKEN" of a live token
// of role staff (admin passes too; the audit trail, merge settings and
// adding journeys need admin):
//
//	POST /api/v1/messages                     send one message through the pipeline
//	GET  /api/v1/patients/{id}                the patient, with contact flags, RUCA and rurality
//	GET  /api/v1/patients/{id}/conversation   the thread, inbound and outbound
//	GET  /api/v1/patients/{id}/caregivers     the patient's caregivers (caregivers.go)
//	POST /api/v1/patients/{id}/caregivers     add a caregiver
//	POST /api/v1/caregivers/{id}/revoke       end a caregiver's role
//	GET  /api/v1/inbox?kind=&priority=&open=  the staff inbox
//	POST /api/v1/inbox/{id}/resolve           close an inbox item with a note
//	GET  /api/v1/campaigns?limit=&after=      campaigns newest first, with what is true of each now
//	POST /api/v1/campaigns                    launch a journey over a segment (campaigns.go)
//	GET  /api/v1/campaigns/{id}               a campaign, its counts and report
//	POST /api/v1/campaigns/{id}/pause|resume|cancel
//	GET  /api/v1/metrics, /api/v1/metrics/campaigns/{id}
//	GET  /api/v1/metrics/adherence?from=&to=  medication adherence per drug class (adherence.go)
//	GET  /api/v1/hygiene/report?run=          the latest hygiene report, or run's (hygiene.go)
//	GET  /api/v1/journeys                     the latest version of every journey
//	POST /api/v1/journeys                     add a journey or a new version (YAML; role admin)
//
// Sending goes through the one messaging pipeline, so consent, quiet hours,
// channel choice and pacing apply to staff replies as to everything else. A
// message the pipeline will not send (the patient opted out, no usable
// contact point) is an answer, 200 with status "suppressed" and the reason,
// not an error; a queued message is 201.
//
// Errors are JSON in the shape of [web.ErrorResponse], with the status
// [web.ErrorStatus] gives their code: 400 names the field at fault, 401 and
// 403 come from the token, 404 for an unknown patient or item, 409 for an
// item already resolved, 413 for a body over 1 MB.
//
// Every disclosure and change is audited, naming the token: "send" for a
// message, "read" for a patient, a conversation and for each patient an
// inbox listing names, "create" for an added caregiver, "update" for a
// resolved item or a revoked caregiver. Reads are audited before the data is
// sent; if the audit cannot be written, nothing is. A send is audited after
// its transaction commits (the store has no audit inside a transaction): if
// that audit fails the message still goes, and the failure is logged.
package api
