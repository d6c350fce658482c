package linkage

// dateLevel compares two birth dates given as 8 digits YYYYMMDD:
//   - exact: the same date;
//   - close: day and month transposed, one digit off, or two neighbouring
//     digits swapped — the usual keying slips;
//   - partial: the same year and month;
//   - different: anything else; missing when either is unknown.
func dateLevel(a, b string) Level {
	switch {
	case a == "" || b == "":
		return Missing
	case a == b:
		return Exact
	case a[:4] == b[:4] && a[4:6] == b[6:8] && a[6:8] == b[4:6]:
		return Close
	case len(a) == len(b) && oneEdit(a, b):
		return Close
	case a[:6] == b[:6]:
		return Partial
	}
	return Different
}
