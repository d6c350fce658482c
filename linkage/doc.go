// Package linkage finds probable duplicate patient records with
// probabilistic record linkage in the Fellegi–Sunter model.
//
// It knows nothing of SQL or HTTP: callers hand it [Record] values (a few
// comparison fields and a string id) and get back scored [Pair] values whose
// [FieldWeight] list explains, field by field, why a pair scored as it did.
//
// The steps are:
//
//  1. Normalise each record once (lower case, digits only for phones and
//     postcodes, phonetic surname key), interning repeated strings.
//  2. Block: every record gets a few strict keys (phonetic surname + birth
//     year, postcode + birth date, phone, email, identifier). Records sharing
//     a key become candidate pairs; the union over all keys is scored.
//     Blocks are found by sorting keys, not with a map of slices, and
//     oversized blocks are capped (see [Config.MaxBlock]).
//  3. Compare: every field of a candidate pair reaches a [Level] (exact,
//     close, partial, different, or missing when either side lacks it).
//  4. Estimate: the m and u probabilities of each field level are estimated
//     from the data by expectation maximisation ([Estimate]); u starts from
//     random pairs. A third latent class, households (people sharing an
//     address and a landline), keeps EM from learning "same household" as
//     the match class, which it does with two classes on a list of families.
//  5. Score: a pair's weight is log2 of its likelihood among matches over
//     that among non-matches: the sum of the fields' log2(m/u) (missing
//     fields add 0) plus a household correction. Its probability follows
//     from the weight and the estimated share of matches among candidates.
//     [Pair.Automatic] marks the pairs safe to merge without review.
//
// A [Model] can be stored (it is plain JSON) so that a later incremental
// run ([Model.DetectChanged]) scores exactly as the full run that fitted it.
//
// Results are deterministic for a given input: no map iteration order
// reaches them, and the random pairs come from a fixed seed.
package linkage
