// Package population generates a synthetic clinic population, reproducibly,
// for rapport's demo and benchmarks: a FHIR R4 bulk export of the EHR, a CSV
// export of the CRM with its csvimport mapping, and the ground truth the
// clinic does not know, kept in a file of its own that rapport never reads.
//
// # Use
//
//	sum, err := population.Write(ctx, "out", population.Config{People: 5000, Seed: 1, Params: population.DefaultParams()})
//
// or `rapport generate --patients 5000 --seed 1 --out out`. [Write]
// streams: memory stays flat however many people (about 50 MB for a
// million), and patients-only output ([PatientsOnly]) runs at about 290,000
// people a second on one core (BenchmarkGeneratePatients; JSON is built by
// appending, not with encoding/json). [Generator] gives one [Person] at a
// time for callers that want the people in memory.
//
// # Reproducibility
//
// The same seed, people count and parameters give byte-identical files.
// Person i is drawn from two PCG streams seeded with (seed, 2i) — demography,
// contacts, traits and records — and (seed, 2i+1) — clinical history — so a
// person does not depend on who came before, and the Patient file of a
// patients-only run equals that of a full run. Nothing reads the clock or
// iterates a map: dates count back from [Params.AsOf].
//
// # Output
//
//	fhir/Practitioner.000.ndjson       PractitionersPerArea per area, with NPIs
//	fhir/Location.000.ndjson           one clinic per area
//	fhir/Patient.000.ndjson            one per record (people plus duplicates)
//	fhir/Encounter.000.ndjson          finished ambulatory visits
//	fhir/Condition.000.ndjson          SNOMED CT and ICD-10-CM codings
//	fhir/MedicationRequest.000.ndjson  RxNorm, dose times, days' supply
//	fhir/MedicationDispense.000.ndjson fills, with their gaps
//	crm.csv, crm-mapping.yaml          the CRM's view of the same records
//	truth.ndjson                       one [TruthRecord] per record
//
// Every FHIR line is an R4 resource (tests check the official JSON schema);
// references are "Patient/ID", "Practitioner/ID", "Location/ID" and
// "MedicationRequest/ID", all to resources of the export. Patients carry
// rapport's extensions: the time zone (fhir.ExtPatientTimezone), rural
// (fhir.ExtRural) and, when the record knows it, internet access
// (fhir.ExtInternetAccess). Clinical records hang off a person's main
// record only; duplicates are bare registrations.
//
// Ids: the FHIR id, the CRM id and the MRN of a record are three different
// scrambles of its number, unique and revealing neither order nor
// duplicates. The CSV has its own ids (crm_id, source [CRMSource]) and
// carries the MRN under [MRNSystem], the same system the FHIR Patients use,
// so importing both (`rapport import fhir out/fhir`, then `rapport import
// csv out/crm.csv --mapping out/crm-mapping.yaml`) links each CRM row to its
// EHR patient. Both systems hold the same (dirty) data for a record.
//
// # Parameters
//
// [Params] holds every rate; [DefaultParams] gives these defaults, and
// [LoadParams] reads a YAML file of overrides (snake_case names; a list
// replaces the default list whole; `rapport generate --print-params` prints
// them all). Rates in [GroupRates] depend on rural/urban and younger/older
// (older_age, default 65).
//
//	as_of                 2026-11-01: ages, visits and fills count back from it
//	ages                  18–34 16%, 35–49 19%, 50–64 28%, 65–79 26%, 80–95 11%
//	older_age             65
//	female_share          0.55
//	spanish_share         0.30 (the rest English); Spanish speakers have Hispanic names, as do 15% of English speakers
//	rural_share           0.20
//	areas                 19 towns and cities in TX, NM, AZ, CO, MT, GA and NY, urban and rural, with
//	                      real area codes and ZIP codes, in America/New_York, Chicago, Denver and Phoenix
//	                      (no DST; Chinle, on the Navajo Nation, keeps DST as America/Denver)
//	mobile                0.96 urban younger, 0.85 urban older, 0.90 rural younger, 0.70 rural older
//	landline              0.08, 0.35, 0.25, 0.55 (same order); nobody is left without a phone
//	no_internet           0.05, 0.20, 0.18, 0.40
//	internet_known_share  0.60 of records say whether the person has internet access
//	email                 0.85, 0.60, 0.70, 0.45, times email_without_internet (0.30) without internet
//	email_providers       gmail.com 42%, yahoo.com 18%, hotmail.com 9%, … comcast.net, att.net …
//	conditions            by age <45 / 45–64 / 65+: hypertension (I10, 59621000) 12/40/62%,
//	                      type 2 diabetes (E11.9, 44054006) 4/14/24%, hyperlipidemia (E78.5, 55822004) 8/28/42%,
//	                      prior stroke (Z86.73, 230690007) 0.4/2/7%, COPD (J44.9, 13645005) 1/6/11%,
//	                      depression (F32.A, 35489007) 10/9/7%
//	  medications         lisinopril 10 mg (314076) and amlodipine 5 mg (197361) 08:00; metformin 500 mg
//	                      (861007) 08:00 and 20:00; atorvastatin 20 mg (617310) 21:00; clopidogrel 75 mg
//	                      (309362) 08:00; sertraline 50 mg (312940) 08:00; albuterol inhaler (745679) as needed
//	visits                over window_days 730: Poisson, mean base 1.5 + per_condition 1.5 per condition;
//	                      recent_share 0.04 of people had a visit in the last recent_days 7
//	adherence             adherent_share 0.60 (refill within days of running out), partial_share 0.25
//	                      (5–25 days late), the rest non-adherent (20–60 days late, often stopping);
//	                      ninety_day_share 0.35 of prescriptions for 90 days (3 refills), else 30 (11);
//	                      the current prescription was written 30 to renewal_days 365 days ago
//	practitioners_per_area 3
//
// CRM dirt ([DirtParams]), each rate per recorded phone, email or record:
//
//	malformed_phone        0.03  a digit dropped, a letter typed for a digit, or the end cut off: verify.Phone rejects it
//	disconnected           0.05  well-formed, out of service
//	reassigned             0.03  well-formed, someone else's now
//	landline_as_mobile     0.30  of landlines, recorded with use mobile
//	email_typo             0.04  gmial.com, hotmial.com, yaho.com, gmail.con: verify.Email flags it
//	email_abandoned        0.06  well-formed, mailbox gone
//	duplicate              0.03  of people have a second record (new id, CRM id and MRN), with a
//	                             misspelt name (duplicate_name_typo 0.70) and/or transposed birth date
//	                             digits (duplicate_birth_date_swap 0.50), at least one of the two
//	stale_address          0.08  the record's address is one the person left; stale_address_other_area
//	                             0.30 of those in another area (so city, ZIP, rural flag and zone are wrong too)
//
// Behaviour ([BehaviourParams]), for the demo's simulator: decliner_share
// 0.35 decline with propensity 0.55–0.95 (others 0.02–0.30);
// responsiveness around responsiveness_mean 0.55 (0.15 lower for decliners);
// decline_reasons cost, no_need, no_time, transport (×rural_transport 2.5
// for rural people), distrust, other, privacy, language (×spanish_language 3
// for Spanish speakers); spontaneous engagement exponential with mean
// spontaneous_mean 0.08; preferred channel from channels_younger (sms
// first) or channels_older (voice first), dropping sms without a mobile,
// email without an address and web without internet.
//
// # The truth file
//
// truth.ndjson has one JSON object per record, in the order of the Patient
// file ([TruthRecord]):
//
//	record_id, crm_id, mrn   the record's ids in the FHIR export and the CRM
//	person_id                the real person ("person-N"); duplicates share it
//	duplicate_of             the record_id of the main record, for a duplicate
//	name_typo, birth_date_typo  the record's name or birth date differ from the person's
//	given, family, birth_date, sex, age, language  the person's real ones
//	rural, older, internet_access  real; the record may differ (stale address, unknown access)
//	address                  where the person really lives (line, city, state, zip, time_zone)
//	address_stale            the record's address is an old one
//	phones[]                 each recorded phone: raw (as recorded), recorded_use (mobile/home),
//	                         status (ok, disconnected, reassigned, landline = a landline recorded
//	                         as a mobile, malformed), line_type (mobile/landline, the real one),
//	                         actual (E.164 that reaches the person on this line now)
//	email                    raw, status (ok, typo, abandoned), deliverable, intended
//	adherence                adherent, partial or non_adherent
//	conditions               condition keys (main records of full runs)
//	traits                   responsiveness, preferred_channel (sms, voice, email, web),
//	                         decline_propensity, decline_reason, spontaneous_engagement (per week)
//
// Generated numbers are drawn at random, so two people may rarely share
// one, as households do.
package population
