// Package adherence computes medication adherence measures from plain
// values: proportion of days covered (PDC) and medication possession ratio
// (MPR) from pharmacy fills, the self-reported rate from check-in answers,
// and summaries per drug class and patient segment. It reads no database
// and serves no request; callers load [Fill], [Stay] and [SelfReport] values
// and hand them in, with the measurement [Period] fixed by a [Method].
//
// # Proportion of days covered
//
// PDC follows the Pharmacy Quality Alliance (PQA) method, per patient and
// drug class:
//
//   - Only fills dated within the period count. The first of them is the
//     index date (PQA's index prescription start date), and the patient's
//     own period runs from it to the end of the measurement period, both
//     days included. A fill before the period carries no supply into it: PQA
//     starts from the first fill in the period, and the days before that
//     fill are outside the denominator anyway.
//   - A patient needs fills on two different dates in the period; fewer, and
//     the result is excluded with a reason ([Exclusion]), never a PDC of 0.
//   - Each day is counted once. A day is covered when any drug of the class
//     has supply on hand, so a switch within the class, or two drugs taken
//     together, count the same day once.
//   - An early refill of the same drug starts the day after that drug's
//     previous supply ends; two drugs of the class are never shifted against
//     each other.
//   - Supply reaching past the period's end is cut off there.
//   - Inpatient stays ([Stay]) are left out of the period, as CMS adjusts its
//     Part D adherence measures: medicines in hospital are not dispensed by
//     the pharmacy. Supply on hand when the patient is admitted waits and
//     resumes at discharge, shifting the fills after it.
//   - A patient is adherent at a PDC of 80% or more ([DefaultThreshold];
//     [Method.Threshold] sets another, such as 90% for antiretrovirals).
//   - Older PQA specifications also wanted the index date at least 91 days
//     before the period's end; [Method.MinTreatmentDays] turns that rule on.
//
// PQA's published worked examples are reproduced in the package tests.
//
// # Medication possession ratio
//
// MPR is the days supply of the fills from the index date to the period's
// end, whole as dispensed, over the same denominator as PDC, capped at 1
// ([Result.RawMPR] keeps the uncapped figure). Sharing the denominator
// keeps the two side by side comparable and makes PDC ≤ MPR always: every
// covered day uses up one supplied day, while shifting and cut-off only drop
// supplied days past the period.
//
// # Self-reported adherence
//
// [RateOf] counts doses, not messages: answers with the same dose key are
// one dose whose latest answer stands, so "not yet" followed by "taken" is a
// dose taken. The rate is taken over answered doses; unanswered check-ins
// are not in it.
//
// # Drug classes
//
// [ClassOf] puts a dispensed drug in one of PQA's three Part D classes —
// statins ([ClassStatins]), RAS antagonists ([ClassRASA]) and diabetes
// medications but insulin ([ClassDiabetes]) — by its RxNorm code, listed
// with its source in the embedded classes.csv, or else by an ingredient
// named in the drug's name, so strengths the table lacks still classify.
// Any other drug is a class of its own ([OtherClass]): measured the same
// way, but not a PQA measure. [Excludes] names the drugs whose users PQA
// leaves out of a class (insulin from DR, sacubitril/valsartan from RASA).
//
// # Speed
//
// Days are a bitset over the period, so a 90-day supply is a few word
// writes and a patient's year six words. A [Calculator] reuses its buffers;
// give one to each worker to measure a population with no allocation per
// patient.
package adherence
