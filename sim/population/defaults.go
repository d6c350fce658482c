package population

// DefaultParams returns the parameters of a multi-state community clinic
// network: adults skewed older, a fifth rural, three in ten preferring
// Spanish, and the CRM dirt of a list nobody has cleaned in years.
func DefaultParams() Params {
	return Params{
		AsOf: "2026-11-01",
		Ages: []AgeBand{
			{Min: 18, Max: 34, Weight: 0.16},
			{Min: 35, Max: 49, Weight: 0.19},
			{Min: 50, Max: 64, Weight: 0.28},
			{Min: 65, Max: 79, Weight: 0.26},
			{Min: 80, Max: 95, Weight: 0.11},
		},
		OlderAge:     65,
		FemaleShare:  0.55,
		SpanishShare: 0.30,
		RuralShare:   0.20,
		Areas:        defaultAreas(),

		Mobile:               GroupRates{UrbanYounger: 0.96, UrbanOlder: 0.85, RuralYounger: 0.90, RuralOlder: 0.70},
		Landline:             GroupRates{UrbanYounger: 0.08, UrbanOlder: 0.35, RuralYounger: 0.25, RuralOlder: 0.55},
		NoInternet:           GroupRates{UrbanYounger: 0.05, UrbanOlder: 0.20, RuralYounger: 0.18, RuralOlder: 0.40},
		InternetKnownShare:   0.60,
		Email:                GroupRates{UrbanYounger: 0.85, UrbanOlder: 0.60, RuralYounger: 0.70, RuralOlder: 0.45},
		EmailWithoutInternet: 0.30,
		EmailProviders: []Weighted{
			{"gmail.com", 0.42}, {"yahoo.com", 0.18}, {"hotmail.com", 0.09}, {"outlook.com", 0.07},
			{"aol.com", 0.07}, {"icloud.com", 0.06}, {"comcast.net", 0.04}, {"att.net", 0.03},
			{"sbcglobal.net", 0.02}, {"bellsouth.net", 0.02},
		},

		Conditions: defaultConditions(),
		Visits:     VisitParams{WindowDays: 730, Base: 1.5, PerCondition: 1.5, RecentShare: 0.04, RecentDays: 7},
		Adherence:  AdherenceParams{AdherentShare: 0.60, PartialShare: 0.25, NinetyDayShare: 0.35, RenewalDays: 365},

		PractitionersPerArea: 3,

		Dirt: DirtParams{
			MalformedPhone:         0.03,
			Disconnected:           0.05,
			Reassigned:             0.03,
			LandlineAsMobile:       0.30,
			EmailTypo:              0.04,
			EmailAbandoned:         0.06,
			Duplicate:              0.03,
			DuplicateNameTypo:      0.70,
			DuplicateBirthDateSwap: 0.50,
			StaleAddress:           0.08,
			StaleAddressOtherArea:  0.30,
		},
		Behaviour: BehaviourParams{
			ResponsivenessMean: 0.55,
			DeclinerShare:      0.35,
			DeclineReasons: []Weighted{
				{"cost", 0.20}, {"no_need", 0.20}, {"no_time", 0.18}, {"transport", 0.12},
				{"distrust", 0.10}, {"other", 0.08}, {"privacy", 0.06}, {"language", 0.06},
			},
			RuralTransport:  2.5,
			SpanishLanguage: 3,
			SpontaneousMean: 0.08,
			ChannelsYounger: []Weighted{{ChannelSMS, 0.50}, {ChannelEmail, 0.20}, {ChannelWeb, 0.15}, {ChannelVoice, 0.15}},
			ChannelsOlder:   []Weighted{{ChannelVoice, 0.45}, {ChannelSMS, 0.30}, {ChannelEmail, 0.15}, {ChannelWeb, 0.10}},
		},
	}
}

func defaultAreas() []Area {
	return []Area{
		{City: "Austin", State: "TX", TimeZone: "America/Chicago", AreaCodes: []string{"512", "737"}, ZIPs: []string{"78701", "78702", "78704", "78723", "78745", "78753"}, Weight: 3, Latitude: 30.2672, Longitude: -97.7431},
		{City: "El Paso", State: "TX", TimeZone: "America/Denver", AreaCodes: []string{"915"}, ZIPs: []string{"79901", "79902", "79907", "79912", "79924"}, Weight: 2, Latitude: 31.7619, Longitude: -106.4850},
		{City: "Alpine", State: "TX", Rural: true, TimeZone: "America/Chicago", AreaCodes: []string{"432"}, ZIPs: []string{"79830", "79842", "79843"}, Weight: 1, Latitude: 30.3585, Longitude: -103.6610},
		{City: "Albuquerque", State: "NM", TimeZone: "America/Denver", AreaCodes: []string{"505"}, ZIPs: []string{"87102", "87105", "87108", "87110", "87121"}, Weight: 2, Latitude: 35.0844, Longitude: -106.6504},
		{City: "Taos", State: "NM", Rural: true, TimeZone: "America/Denver", AreaCodes: []string{"575"}, ZIPs: []string{"87571", "87557", "87529"}, Weight: 1, Latitude: 36.4072, Longitude: -105.5731},
		{City: "Gallup", State: "NM", Rural: true, TimeZone: "America/Denver", AreaCodes: []string{"505"}, ZIPs: []string{"87301", "87305"}, Weight: 1, Latitude: 35.5281, Longitude: -108.7426},
		{City: "Phoenix", State: "AZ", TimeZone: "America/Phoenix", AreaCodes: []string{"602", "480", "623"}, ZIPs: []string{"85004", "85008", "85015", "85033", "85041"}, Weight: 3, Latitude: 33.4484, Longitude: -112.0740},
		{City: "Show Low", State: "AZ", Rural: true, TimeZone: "America/Phoenix", AreaCodes: []string{"928"}, ZIPs: []string{"85901", "85929", "85935"}, Weight: 1, Latitude: 34.2542, Longitude: -110.0298},
		// The Navajo Nation keeps daylight saving time, unlike the rest of Arizona.
		{City: "Chinle", State: "AZ", Rural: true, TimeZone: "America/Denver", AreaCodes: []string{"928"}, ZIPs: []string{"86503"}, Weight: 0.5, Latitude: 36.1544, Longitude: -109.5526},
		{City: "Denver", State: "CO", TimeZone: "America/Denver", AreaCodes: []string{"303", "720"}, ZIPs: []string{"80202", "80204", "80205", "80211", "80219"}, Weight: 2, Latitude: 39.7392, Longitude: -104.9903},
		{City: "Alamosa", State: "CO", Rural: true, TimeZone: "America/Denver", AreaCodes: []string{"719"}, ZIPs: []string{"81101", "81102"}, Weight: 1, Latitude: 37.4695, Longitude: -105.8700},
		{City: "Billings", State: "MT", TimeZone: "America/Denver", AreaCodes: []string{"406"}, ZIPs: []string{"59101", "59102", "59105"}, Weight: 1, Latitude: 45.7833, Longitude: -108.5007},
		{City: "Glasgow", State: "MT", Rural: true, TimeZone: "America/Denver", AreaCodes: []string{"406"}, ZIPs: []string{"59230"}, Weight: 1, Latitude: 48.1966, Longitude: -106.6367},
		{City: "Atlanta", State: "GA", TimeZone: "America/New_York", AreaCodes: []string{"404", "470", "678"}, ZIPs: []string{"30303", "30310", "30314", "30318", "30331"}, Weight: 3, Latitude: 33.7490, Longitude: -84.3880},
		{City: "Tifton", State: "GA", Rural: true, TimeZone: "America/New_York", AreaCodes: []string{"229"}, ZIPs: []string{"31793", "31794"}, Weight: 1, Latitude: 31.4505, Longitude: -83.5085},
		{City: "Dahlonega", State: "GA", Rural: true, TimeZone: "America/New_York", AreaCodes: []string{"706"}, ZIPs: []string{"30533"}, Weight: 1, Latitude: 34.5326, Longitude: -83.9849},
		{City: "New York", State: "NY", TimeZone: "America/New_York", AreaCodes: []string{"212", "718", "646", "917"}, ZIPs: []string{"10002", "10025", "10031", "10453", "11211", "11368"}, Weight: 4, Latitude: 40.7128, Longitude: -74.0060},
		{City: "Malone", State: "NY", Rural: true, TimeZone: "America/New_York", AreaCodes: []string{"518"}, ZIPs: []string{"12953"}, Weight: 1, Latitude: 44.8487, Longitude: -74.2949},
		{City: "Olean", State: "NY", Rural: true, TimeZone: "America/New_York", AreaCodes: []string{"716"}, ZIPs: []string{"14760"}, Weight: 1, Latitude: 42.0776, Longitude: -78.4297},
	}
}

var (
	lisinopril   = MedicationParams{RxNorm: "314076", Display: "lisinopril 10 MG Oral Tablet", Share: 0.60, TimesOfDay: []string{"08:00"}, DoseValue: 1, DoseUnit: "tablet"}
	amlodipine   = MedicationParams{RxNorm: "197361", Display: "amlodipine 5 MG Oral Tablet", Share: 0.35, TimesOfDay: []string{"08:00"}, DoseValue: 1, DoseUnit: "tablet"}
	metformin    = MedicationParams{RxNorm: "861007", Display: "metformin hydrochloride 500 MG Oral Tablet", Share: 0.80, TimesOfDay: []string{"08:00", "20:00"}, DoseValue: 1, DoseUnit: "tablet"}
	atorvastatin = MedicationParams{RxNorm: "617310", Display: "atorvastatin 20 MG Oral Tablet", Share: 0.60, TimesOfDay: []string{"21:00"}, DoseValue: 1, DoseUnit: "tablet"}
	clopidogrel  = MedicationParams{RxNorm: "309362", Display: "clopidogrel 75 MG Oral Tablet", Share: 0.70, TimesOfDay: []string{"08:00"}, DoseValue: 1, DoseUnit: "tablet"}
	albuterol    = MedicationParams{RxNorm: "745679", Display: "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", Share: 0.80, DoseValue: 2, DoseUnit: "puff", AsNeeded: true}
	sertraline   = MedicationParams{RxNorm: "312940", Display: "sertraline 50 MG Oral Tablet", Share: 0.50, TimesOfDay: []string{"08:00"}, DoseValue: 1, DoseUnit: "tablet"}
)

func with(m MedicationParams, share float64) MedicationParams {
	m.Share = share
	return m
}

func defaultConditions() []ConditionParams {
	return []ConditionParams{
		{Key: "hypertension", SNOMED: "59621000", SNOMEDDisplay: "Essential hypertension (disorder)", ICD10: "I10", ICD10Display: "Essential (primary) hypertension",
			Prevalence: [3]float64{0.12, 0.40, 0.62}, Medications: []MedicationParams{lisinopril, amlodipine}},
		{Key: "type2_diabetes", SNOMED: "44054006", SNOMEDDisplay: "Diabetes mellitus type 2 (disorder)", ICD10: "E11.9", ICD10Display: "Type 2 diabetes mellitus without complications",
			Prevalence: [3]float64{0.04, 0.14, 0.24}, Medications: []MedicationParams{metformin, atorvastatin}},
		{Key: "hyperlipidemia", SNOMED: "55822004", SNOMEDDisplay: "Hyperlipidemia (disorder)", ICD10: "E78.5", ICD10Display: "Hyperlipidemia, unspecified",
			Prevalence: [3]float64{0.08, 0.28, 0.42}, Medications: []MedicationParams{with(atorvastatin, 0.70)}},
		{Key: "prior_stroke", SNOMED: "230690007", SNOMEDDisplay: "Cerebrovascular accident (disorder)", ICD10: "Z86.73", ICD10Display: "Personal history of transient ischemic attack (TIA), and cerebral infarction without residual deficits",
			Prevalence: [3]float64{0.004, 0.02, 0.07}, Medications: []MedicationParams{clopidogrel, with(atorvastatin, 0.80)}},
		{Key: "copd", SNOMED: "13645005", SNOMEDDisplay: "Chronic obstructive lung disease (disorder)", ICD10: "J44.9", ICD10Display: "Chronic obstructive pulmonary disease, unspecified",
			Prevalence: [3]float64{0.01, 0.06, 0.11}, Medications: []MedicationParams{albuterol}},
		{Key: "depression", SNOMED: "35489007", SNOMEDDisplay: "Depressive disorder (disorder)", ICD10: "F32.A", ICD10Display: "Depression, unspecified",
			Prevalence: [3]float64{0.10, 0.09, 0.07}, Medications: []MedicationParams{sertraline}},
	}
}
