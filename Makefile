# covplan — build, demo, test and benchmark.
#
#   make demo    run the planner on the example data in examples/ and write reports to out/
#   make test    run every test (vet, unit, golden, CLI, browser check of the report; the
#                parallel core and readers again under the race detector)
#   make bench   Go micro-benchmarks and the end-to-end benchmark against the peers
#
# The Makefile installs what it needs: Go modules, echarts from npm (inlined
# into the report at build time, never committed), and, when running as root
# on Debian, the packages the tests use (npm, chromium) if they are missing.

GO            ?= go
ECHARTS       ?= 5.6.0
BIN           := bin/covplan
ECHARTS_JS    := render/assets/echarts.min.js
OUT           ?= out
APT_GET       := DEBIAN_FRONTEND=noninteractive apt-get
BENCH_SCALES  ?= S,M,L
BENCH_REPS    ?= 3

.PHONY: all build assets deps demo test bench fuzz clean browser

all: build

deps:
	$(GO) mod download

# echarts comes from the npm registry at build time; the report inlines it so
# it works offline.
assets: $(ECHARTS_JS)

$(ECHARTS_JS):
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing npm (Debian package)"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq npm >/dev/null; \
	  else echo "npm is needed to fetch echarts: install Node.js/npm" >&2; exit 1; fi; }
	@mkdir -p .cache/npm
	cd .cache/npm && rm -rf package && npm pack --silent echarts@$(ECHARTS) >/dev/null && tar xzf echarts-$(ECHARTS).tgz
	cp .cache/npm/package/dist/echarts.min.js $@
	@echo "fetched echarts $(ECHARTS) into $@"

build: deps assets
	$(GO) build -trimpath -o $(BIN) ./cmd/covplan

demo: build
	@rm -rf $(OUT)/cantal $(OUT)/mont-bonvillers
	$(BIN) plan --scenario examples/cantal/scenario.yaml \
	  --zones examples/cantal/communes.geojson \
	  --zone-table examples/cantal/population.csv \
	  --fibre examples/cantal/public-network-2014-2021.geojson \
	  --fibre examples/cantal/amii-orange.geojson \
	  --fibre examples/cantal/nro-nodes.csv \
	  --title "Cantal (15)" \
	  --source "communes.geojson: IGN Admin Express COG 2018 (simplified, via gregoiredavid/france-geojson), Licence Ouverte / Etalab" \
	  --source "population.csv: INSEE, populations légales (via @etalab/decoupage-administratif 6.0.0)" \
	  --source "public-network-2014-2021.geojson: Auvergne Très Haut Débit deployment maps (via jubo/auvergne-thd-opendata)" \
	  --source "amii-orange.geojson: communes of Orange's AMII (reussir.fr, 2013) on IGN Admin Express polygons" \
	  --source "nro-nodes.csv: derived by covplan: centroid of each optical node's zones" \
	  --out $(OUT)/cantal
	$(BIN) plan \
	  --premises examples/mont-bonvillers/adresses.csv \
	  --grid-m 250 \
	  --fibre examples/mont-bonvillers/nro-assumed.csv \
	  --aps examples/mont-bonvillers/wifi-assumed.csv \
	  --title "Mont-Bonvillers (54084)" \
	  --source "adresses.csv: Base Adresse Nationale (BAN), ODbL (via BaseAdresseNationale/mes-adresses-api)" \
	  --source "nro-assumed.csv: assumed (the real node location is not open data)" \
	  --source "wifi-assumed.csv: assumed" \
	  --out $(OUT)/mont-bonvillers
	@echo
	@echo "Reports:"
	@echo "  $(CURDIR)/$(OUT)/cantal/report.html"
	@echo "  $(CURDIR)/$(OUT)/mont-bonvillers/report.html"

# chromium is used by the report's browser test; installed when root and missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (Debian package) for the report's browser test"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: the browser test will be skipped"; fi; }

test: deps assets browser
	$(GO) mod tidy -diff
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 ./coverage ./geodata
	$(GO) test -count=1 -race -run 'Batch|AreaWriter|CompareEquals' ./cmd/covplan
	@# every benchmark once, so that one broken by a change fails here, not
	@# in make bench (their figures are read in make bench, never asserted)
	@echo "$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./... (output shown on failure)"
	@log=$$(mktemp); $(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./... > $$log 2>&1 || { cat $$log; rm -f $$log; exit 1; }; rm -f $$log

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...
	$(GO) run ./cmd/covplan-bench -covplan $(BIN) -scales $(BENCH_SCALES) -reps $(BENCH_REPS)

# Short fuzzing of every fuzz target of every package (not part of make
# test; the seed corpora run in go test). Minimisation is capped at
# FUZZMINIMIZE so that a new interesting input does not stall the run (the
# default minute per input left the points reader at 19 executions in 25 s).
FUZZTIME     ?= 20s
FUZZMINIMIZE ?= 2s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz: $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg; \
	  done; done

clean:
	rm -rf bin $(OUT) .cache
