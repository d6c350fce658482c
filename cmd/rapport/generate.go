package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/rapporthq/rapport/sim/population"
)

const generateUsage = "usage: rapport generate --patients N [--seed S] --out DIR [--resources all|patients] [--params FILE.yaml] | generate --print-params"

// runGenerate writes a synthetic population (package sim/population) and
// prints what it wrote. It needs no database.
func runGenerate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	n := fs.Int("patients", 0, "how many people to generate (duplicate records come on top)")
	seed := fs.Int64("seed", 1, "random seed: the same seed and parameters give byte-identical files")
	out := fs.String("out", "", "output folder: fhir/*.ndjson, crm.csv, crm-mapping.yaml, truth.ndjson")
	res := fs.String("resources", "all", "all, or patients (fhir/Patient.000.ndjson only, for import benchmarks)")
	paramsFile := fs.String("params", "", "YAML file overriding the default population parameters")
	printParams := fs.Bool("print-params", false, "print the parameters in effect as YAML and exit")
	if err := parseFlags(fs, args); err != nil {
		return withUsage(err, generateUsage)
	}
	params := population.DefaultParams()
	if *paramsFile != "" {
		var err error
		if params, err = population.LoadParams(*paramsFile); err != nil {
			return err
		}
	}
	if *printParams {
		data, err := params.YAML()
		if err != nil {
			return fmt.Errorf("print params: %w", err)
		}
		_, err = env.Stdout.Write(data)
		return err
	}
	if *n <= 0 || *out == "" {
		return usagef("%s", generateUsage)
	}
	if *res != string(population.AllResources) && *res != string(population.PatientsOnly) {
		return usagef("--resources %q: want all or patients", *res)
	}
	start := time.Now()
	sum, err := population.Write(ctx, *out, population.Config{People: *n, Seed: *seed, Params: params, Resources: population.Resources(*res)})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(env.Stdout, "%d people, %d patient records (seed %d) in %s (%.0f people/s)\n",
		sum.People, sum.Records, *seed, elapsed.Round(time.Millisecond), float64(sum.People)/elapsed.Seconds())
	for _, f := range sum.Files {
		fmt.Fprintf(env.Stdout, "  %-50s %9d lines %12d bytes\n", f.Path, f.Lines, f.Bytes)
	}
	return nil
}
