// Package csvtable reads the small CSV tables embedded in the code (drug
// classes, the drugs a reading concerns): lines starting with # are
// comments, then a header that must be as expected, then the rows.
package csvtable

import (
	"encoding/csv"
	"fmt"
	"strings"
)

// Read returns the rows of text after its header, which must be header
// (comma-separated); the error names the table.
func Read(name, text, header string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != header {
		return nil, fmt.Errorf("%s: want the header %s", name, header)
	}
	return rows[1:], nil
}
