package rapport

import "time"

// Role is what a staff member or system may do through the API.
type Role string

const (
	// RoleAdmin may do everything, including managing tokens.
	RoleAdmin Role = "admin"
	// RoleStaff reads patients and conversations and sends messages.
	RoleStaff Role = "staff"
	// RoleIntegration is for systems: an EHR pushing FHIR data, reading patients.
	RoleIntegration Role = "integration"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleStaff || r == RoleIntegration }

// Allows reports whether a holder of r may act as need.
func (r Role) Allows(need Role) bool { return r == RoleAdmin || r == need }

// Token is an API token's record. The secret itself is shown once, when
// created; only its hash is stored.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Actor is who did something, for the audit trail: a token's name and id,
// or a command run on the server ("cli").
type Actor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// Audit is one entry of the audit trail: who read or changed patient data.
type Audit struct {
	// Seq orders the trail; a page of it ends at a seq the next page starts after.
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Actor     Actor     `json:"actor"`
	Action    string    `json:"action"`   // "read", "search", "create", "update", "send"
	Resource  string    `json:"resource"` // "Patient/…", "Bundle", "messages"
	PatientID PatientID `json:"patient_id,omitempty"`
}

// AuditFilter selects entries of the audit trail. Zero fields select all.
type AuditFilter struct {
	PatientID PatientID
	// Actor matches a token's id or name ("cli" for commands run on the server).
	Actor string
	// Since and Until bound the time: Since ≤ at < Until.
	Since, Until time.Time
	// After is the seq the page starts after; Limit the page's size (1000
	// when 0).
	After int64
	Limit int
}
