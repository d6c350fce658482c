# Makefile for rapport. `make` (or `make help`) lists the targets.
# Extra flags for go test go through ARGS: make test ARGS='-run TestImport -v'

SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
export CGO_ENABLED ?= 0
GO ?= go
FUZZTIME ?= 20s
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help build test test-race bench lint fuzz run clean

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: ## Build the rapport binary into bin/rapport
	$(GO) build -o bin/rapport ./cmd/rapport

test: ## Run go vet and all tests with a throwaway PostgreSQL (installs what is missing as root)
	@bash scripts/test.sh $(ARGS)

test-race: ## Run go vet and all tests with the race detector
	@bash scripts/test.sh -race $(ARGS)

bench: ## Run the benchmarks, append the figures to BENCHMARKS.md (PARTS='go e2e import messaging demo')
	@bash scripts/bench.sh $(PARTS)

lint: ## Check gofmt and go vet
	@bash scripts/lint.sh

fuzz: ## Run each fuzz test for FUZZTIME (default 20s)
	@FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

run: ## Run the demo (go run ./cmd/rapport demo)
	$(GO) run ./cmd/rapport demo

clean: ## Remove build output and demo reports
	rm -rf bin/ rapport-demo-report.html coverage.out *.prof *.test
