// Package ruca tells what the USDA knows of a US ZIP code: its Rural-Urban
// Commuting Area (RUCA) primary code and its state.
//
// The table is RUCA2010zipcode.csv, the 2010 RUCA codes approximated to ZIP
// codes by the USDA Economic Research Service
// (https://www.ers.usda.gov/data-products/rural-urban-commuting-area-codes/;
// the file as mirrored in GitHub wvg1/mehko-data), a work of the U.S.
// government in the public domain. It is embedded gzipped (134 KB for
// 41,164 rows, of which 41,048 are ZIP codes) so that the one binary needs
// no data files, and read once, on first use, into an array indexed by ZIP
// (about 10 ms, 300 KB).
//
// Rurality: [Rural] takes codes 4–10 as rural, the USDA's own common
// categorisation, which groups 1–3 as metropolitan (urban) and 4–6
// micropolitan, 7–9 small town and 10 rural as non-metropolitan (see the
// ERS page above, "Documentation", and the WWAMI Rural Health Research
// Center's "Using RUCA Data", categorization A). Code 99 (not coded:
// no population) is unknown, like a ZIP the table does not list.
package ruca
