package smtp

import "io"

// DecodeCTE undoes a MIME part's Content-Transfer-Encoding (base64 or
// quoted-printable; anything else is read as is), for the inbound parser.
func DecodeCTE(cte string, r io.Reader) io.Reader { return decodeCTE(cte, r) }
