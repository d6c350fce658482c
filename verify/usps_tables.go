package verify

// USPS Publication 28 tables (Postal Addressing Standards, appendix C1
// street suffixes, C2 secondary unit designators, and directionals from
// section 233), as maps from each spelling to the standard abbreviation.
// The suffix table holds the primary names and the common variants of
// appendix C1; rarer variants are left as written.

// suffixAbbr maps a primary street suffix name, its standard abbreviation
// and its common variants to the standard abbreviation.
var suffixAbbr = buildAbbr(map[string][]string{
	"ALY": {"ALLEY", "ALLEE", "ALLY"}, "ANX": {"ANNEX", "ANEX", "ANNX"}, "ARC": {"ARCADE"},
	"AVE": {"AVENUE", "AV", "AVEN", "AVENU", "AVN", "AVNUE"}, "BYU": {"BAYOU", "BAYOO"}, "BCH": {"BEACH"},
	"BND": {"BEND"}, "BLF": {"BLUFF", "BLUF"}, "BTM": {"BOTTOM", "BOT", "BOTTM"},
	"BLVD": {"BOULEVARD", "BOUL", "BOULV"}, "BR": {"BRANCH", "BRNCH"}, "BRG": {"BRIDGE", "BRDGE"},
	"BRK": {"BROOK"}, "BG": {"BURG"}, "BYP": {"BYPASS", "BYPA", "BYPAS", "BYPS"}, "CP": {"CAMP", "CMP"},
	"CYN": {"CANYON", "CANYN", "CNYN"}, "CPE": {"CAPE"}, "CSWY": {"CAUSEWAY", "CAUSWA"},
	"CTR": {"CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER", "CNTR"}, "CIR": {"CIRCLE", "CIRC", "CIRCL", "CRCL", "CRCLE"},
	"CLF": {"CLIFF"}, "CLFS": {"CLIFFS"}, "CLB": {"CLUB"}, "CMN": {"COMMON"}, "COR": {"CORNER"}, "CORS": {"CORNERS"},
	"CRSE": {"COURSE"}, "CT": {"COURT"}, "CTS": {"COURTS"}, "CV": {"COVE"}, "CRK": {"CREEK"},
	"CRES": {"CRESCENT", "CRSENT", "CRSNT"}, "CRST": {"CREST"}, "XING": {"CROSSING", "CRSSNG"},
	"CURV": {"CURVE"}, "DL": {"DALE"}, "DM": {"DAM"}, "DV": {"DIVIDE", "DIV", "DVD"}, "DR": {"DRIVE", "DRIV", "DRV"},
	"EST": {"ESTATE"}, "ESTS": {"ESTATES"}, "EXPY": {"EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW"},
	"EXT": {"EXTENSION", "EXTN", "EXTNSN"}, "FLS": {"FALLS"}, "FRY": {"FERRY", "FRRY"}, "FLD": {"FIELD"},
	"FLDS": {"FIELDS"}, "FLT": {"FLAT"}, "FRD": {"FORD"}, "FRST": {"FOREST", "FORESTS"}, "FRG": {"FORGE", "FORG"},
	"FRK": {"FORK"}, "FT": {"FORT", "FRT"}, "FWY": {"FREEWAY", "FREEWY", "FRWAY", "FRWY"},
	"GDN": {"GARDEN", "GARDN", "GRDEN", "GRDN"}, "GDNS": {"GARDENS", "GRDNS"}, "GTWY": {"GATEWAY", "GATEWY", "GATWAY", "GTWAY"},
	"GLN": {"GLEN"}, "GRN": {"GREEN"}, "GRV": {"GROVE", "GROV"}, "HBR": {"HARBOR", "HARB", "HARBR", "HRBOR"},
	"HVN": {"HAVEN"}, "HTS": {"HEIGHTS", "HT"}, "HWY": {"HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY"},
	"HL": {"HILL"}, "HLS": {"HILLS"}, "HOLW": {"HOLLOW", "HLLW", "HOLLOWS", "HOLWS"}, "INLT": {"INLET"},
	"IS": {"ISLAND", "ISLND"}, "ISS": {"ISLANDS", "ISLNDS"}, "JCT": {"JUNCTION", "JCTION", "JCTN", "JUNCTN", "JUNCTON"},
	"KY": {"KEY"}, "KNL": {"KNOLL", "KNOL"}, "LK": {"LAKE"}, "LKS": {"LAKES"}, "LNDG": {"LANDING", "LNDNG"},
	"LN": {"LANE"}, "LGT": {"LIGHT"}, "LF": {"LOAF"}, "LCK": {"LOCK"}, "LDG": {"LODGE", "LDGE", "LODG"},
	"LOOP": {"LOOPS"}, "MALL": {}, "MNR": {"MANOR"}, "MDW": {"MEADOW"}, "MDWS": {"MEADOWS", "MEDOWS"},
	"ML": {"MILL"}, "MSN": {"MISSION", "MISSN", "MSSN"}, "MTWY": {"MOTORWAY"}, "MT": {"MOUNT", "MNT"},
	"MTN": {"MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN"}, "NCK": {"NECK"}, "ORCH": {"ORCHARD", "ORCHRD"},
	"OVAL": {"OVL"}, "OPAS": {"OVERPASS"}, "PARK": {"PRK"}, "PKWY": {"PARKWAY", "PARKWY", "PKWAY", "PKY"},
	"PASS": {}, "PSGE": {"PASSAGE"}, "PATH": {"PATHS"}, "PIKE": {"PIKES"}, "PNE": {"PINE"}, "PNES": {"PINES"},
	"PL": {"PLACE"}, "PLN": {"PLAIN"}, "PLNS": {"PLAINS"}, "PLZ": {"PLAZA", "PLZA"}, "PT": {"POINT"},
	"PTS": {"POINTS"}, "PRT": {"PORT"}, "PR": {"PRAIRIE", "PRR"}, "RADL": {"RADIAL", "RAD", "RADIEL"},
	"RNCH": {"RANCH", "RANCHES", "RNCHS"}, "RPDS": {"RAPIDS"}, "RST": {"REST"}, "RDG": {"RIDGE", "RDGE"},
	"RIV": {"RIVER", "RVR", "RIVR"}, "RD": {"ROAD"}, "RDS": {"ROADS"}, "RTE": {"ROUTE"}, "ROW": {}, "RUN": {},
	"SHL": {"SHOAL"}, "SHR": {"SHORE", "SHOAR"}, "SHRS": {"SHORES", "SHOARS"}, "SKWY": {"SKYWAY"},
	"SPG": {"SPRING", "SPNG", "SPRNG"}, "SPGS": {"SPRINGS", "SPNGS", "SPRNGS"}, "SQ": {"SQUARE", "SQR", "SQRE", "SQU"},
	"STA": {"STATION", "STATN", "STN"}, "STRM": {"STREAM", "STREME"}, "ST": {"STREET", "STRT", "STR"},
	"SMT": {"SUMMIT", "SUMIT", "SUMITT"}, "TER": {"TERRACE", "TERR"}, "TRCE": {"TRACE", "TRACES"},
	"TRAK": {"TRACK", "TRACKS", "TRK", "TRKS"}, "TRL": {"TRAIL", "TRAILS", "TRLS"}, "TRLR": {"TRAILER", "TRLRS"},
	"TUNL": {"TUNNEL", "TUNEL", "TUNLS", "TUNNELS", "TUNNL"}, "TPKE": {"TURNPIKE", "TRNPK", "TURNPK"},
	"UPAS": {"UNDERPASS"}, "UN": {"UNION"}, "VLY": {"VALLEY", "VALLY", "VLLY"}, "VIA": {"VIADUCT", "VDCT", "VIADCT"},
	"VW": {"VIEW"}, "VLG": {"VILLAGE", "VILL", "VILLAG", "VILLG", "VILLIAGE"}, "VL": {"VILLE"},
	"VIS": {"VISTA", "VIST", "VST", "VSTA"}, "WALK": {"WALKS"}, "WALL": {}, "WAY": {"WY"}, "WL": {"WELL"}, "WLS": {"WELLS"},
})

// unitAbbr maps the secondary unit designators that take a number or
// letter after them ("APT 4B") to their abbreviation. Designators without
// one (REAR, FRONT, BASEMENT) are left as written: they are also street
// words, and a line's last word alone is no evidence.
var unitAbbr = buildAbbr(map[string][]string{
	"APT": {"APARTMENT"}, "BLDG": {"BUILDING"}, "DEPT": {"DEPARTMENT"}, "FL": {"FLOOR"},
	"HNGR": {"HANGAR", "HANGER"}, "LOT": {}, "RM": {"ROOM"}, "SPC": {"SPACE"}, "STE": {"SUITE"},
	"TRLR": {"TRAILER"}, "UNIT": {}, "#": {},
})

// directionalAbbr maps directionals to their one- or two-letter form.
var directionalAbbr = buildAbbr(map[string][]string{
	"N": {"NORTH"}, "S": {"SOUTH"}, "E": {"EAST"}, "W": {"WEST"},
	"NE": {"NORTHEAST", "NORTH-EAST"}, "NW": {"NORTHWEST", "NORTH-WEST"},
	"SE": {"SOUTHEAST", "SOUTH-EAST"}, "SW": {"SOUTHWEST", "SOUTH-WEST"},
})

// stateAbbr maps US state, district and territory names and their USPS
// codes to the code.
var stateAbbr = buildAbbr(map[string][]string{
	"AL": {"ALABAMA"}, "AK": {"ALASKA"}, "AZ": {"ARIZONA"}, "AR": {"ARKANSAS"}, "CA": {"CALIFORNIA"},
	"CO": {"COLORADO"}, "CT": {"CONNECTICUT"}, "DE": {"DELAWARE"}, "DC": {"DISTRICT OF COLUMBIA", "WASHINGTON DC"},
	"FL": {"FLORIDA"}, "GA": {"GEORGIA"}, "HI": {"HAWAII"}, "ID": {"IDAHO"}, "IL": {"ILLINOIS"}, "IN": {"INDIANA"},
	"IA": {"IOWA"}, "KS": {"KANSAS"}, "KY": {"KENTUCKY"}, "LA": {"LOUISIANA"}, "ME": {"MAINE"}, "MD": {"MARYLAND"},
	"MA": {"MASSACHUSETTS"}, "MI": {"MICHIGAN"}, "MN": {"MINNESOTA"}, "MS": {"MISSISSIPPI"}, "MO": {"MISSOURI"},
	"MT": {"MONTANA"}, "NE": {"NEBRASKA"}, "NV": {"NEVADA"}, "NH": {"NEW HAMPSHIRE"}, "NJ": {"NEW JERSEY"},
	"NM": {"NEW MEXICO"}, "NY": {"NEW YORK"}, "NC": {"NORTH CAROLINA"}, "ND": {"NORTH DAKOTA"}, "OH": {"OHIO"},
	"OK": {"OKLAHOMA"}, "OR": {"OREGON"}, "PA": {"PENNSYLVANIA"}, "RI": {"RHODE ISLAND"}, "SC": {"SOUTH CAROLINA"},
	"SD": {"SOUTH DAKOTA"}, "TN": {"TENNESSEE"}, "TX": {"TEXAS"}, "UT": {"UTAH"}, "VT": {"VERMONT"},
	"VA": {"VIRGINIA"}, "WA": {"WASHINGTON"}, "WV": {"WEST VIRGINIA"}, "WI": {"WISCONSIN"}, "WY": {"WYOMING"},
	"PR": {"PUERTO RICO"}, "VI": {"VIRGIN ISLANDS", "US VIRGIN ISLANDS"}, "GU": {"GUAM"}, "AS": {"AMERICAN SAMOA"},
	"MP": {"NORTHERN MARIANA ISLANDS"}, "AA": {}, "AE": {}, "AP": {},
})

// usCountry are the spellings of the United States a CRM may hold.
var usCountry = buildAbbr(map[string][]string{
	"US": {"USA", "U S", "U S A", "UNITED STATES", "UNITED STATES OF AMERICA", "AMERICA"},
})

func buildAbbr(m map[string][]string) map[string]string {
	out := map[string]string{}
	for abbr, names := range m {
		out[abbr] = abbr
		for _, n := range names {
			out[n] = abbr
		}
	}
	return out
}
