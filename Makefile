# rapport: `make` builds ./rapport; `make run` sets up and shows today's
# agenda on a demo database; `make check` runs every test; `make bench`
# runs the benchmarks.  Each installs what it needs (scripts/deps).

CC      ?= cc
OPT     ?= -O2 -g
CFLAGS  += -std=c17 -D_DEFAULT_SOURCE -pthread -Wall -Wextra -Werror -Isrc -I/usr/include/postgresql $(OPT)
LIBS     = -lpq -lsqlite3 -ljansson -lstemmer -lutf8proc -lcsv -lmicrohttpd -lsodium -lcurl -lical -lgsl -lgslcblas -lm
SAN      = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC     := $(shell find src -name '*.c' | sort)
LIBSRC  := $(filter-out src/main.c,$(SRC))
HDR     := $(shell find src -name '*.h')
UNIT    := $(sort $(wildcard tests/unit/test_*.c))

# The web UI (web/ and Debian's Chart.js) is compiled into the binary.
WEB     := $(shell find web -type f 2>/dev/null | sort)
CHARTJS := /usr/share/javascript/chart.js/chart.min.js
GEN     := build/gen/web_assets.c
# The concepts stories are compared by (data/lexicon.txt), as a C string.
LEX     := build/gen/lexicon.c
GENOBJ  := $(GEN:.c=.o) $(LEX:.c=.o)

OBJ     := $(SRC:%.c=build/rel/%.o) $(addprefix build/rel/,$(GENOBJ))
LIBOBJ  := $(LIBSRC:%.c=build/rel/%.o) $(addprefix build/rel/,$(GENOBJ))
SANOBJ  := $(LIBSRC:%.c=build/san/%.o) $(addprefix build/san/,$(GENOBJ))

DEMO    ?= demo/rapport.db

.PHONY: all deps run check check-pg unit cli bench soak clean clang-check build-clang crash fuzz fuzz-short fuzz-build
# Keep the objects that test programs are linked from.
.SECONDARY:
all: deps rapport

deps:
	@scripts/deps build

rapport: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

# The binary tests/cli/fault.sh runs: ./rapport's objects, with a main that
# arms the fault hooks from RAPPORT_FAULT (db/fault.h).  ./rapport never
# reads that variable.
build/fault/rapport: src/main.c $(LIBOBJ) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DRP_FAULT_ENV -o $@ src/main.c $(LIBOBJ) $(LIBS)

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

$(GEN): build/tools/embed $(WEB) $(CHARTJS)
	@mkdir -p $(dir $@)
	build/tools/embed web $(CHARTJS)=/vendor/chart.min.js >$@.tmp && mv $@.tmp $@

$(LEX): data/lexicon.txt
	@mkdir -p $(dir $@)
	{ echo '/* Generated from data/lexicon.txt by the Makefile. */'; \
	  echo 'const char rp_lexicon_text[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&\\n"/' $<; echo ';'; } >$@.tmp && mv $@.tmp $@

build/rel/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/san/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/rel/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/rel/tests/%: tests/unit/%.c $(LIBOBJ) tests/unit/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LIBS) -lcmocka

build/san/tests/%: tests/unit/%.c $(SANOBJ) tests/unit/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -o $@ $< $(SANOBJ) $(LIBS) -lcmocka

bench/gen: bench/gen.c src/util/date.c src/util/date.h
	$(CC) -std=c17 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -Isrc -o $@ bench/gen.c src/util/date.c

# The open-loop load generator of make soak: plain sockets, no library.
bench/openloop: bench/openloop.c bench/bench.h
	$(CC) -std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

bench/agenda: bench/agenda.c bench/bench.h $(LIBOBJ)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

bench/search: bench/search.c bench/bench.h $(LIBOBJ)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

bench/stories: bench/stories.c bench/bench.h $(LIBOBJ)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

bench/clv: bench/clv.c bench/bench.h $(LIBOBJ)
	$(CC) $(CFLAGS) -I. -o $@ $< $(LIBOBJ) $(LIBS)

bench/game: bench/game.c bench/bench.h $(LIBOBJ)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

# The main job: a demo database with a realistic population and a demo
# login (made once), then the server on it.
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_PASSWORD = rapport-demo

run: all bench/gen
	@if [ ! -f $(DEMO) ]; then \
		echo "creating a demo database in $(DEMO) ..."; \
		mkdir -p $(dir $(DEMO)) && rm -rf demo/csv && mkdir -p demo/csv && \
		bench/gen --contacts 5000 --out demo/csv && \
		./rapport --db $(DEMO).tmp init >/dev/null && \
		./rapport --db $(DEMO).tmp import contacts demo/csv/contacts.csv && \
		./rapport --db $(DEMO).tmp import interactions demo/csv/interactions.csv && \
		./rapport --db $(DEMO).tmp import facts demo/csv/facts.csv && \
		printf '%s\n' '$(DEMO_PASSWORD)' | ./rapport --db $(DEMO).tmp user add demo --role owner && \
		mv $(DEMO).tmp $(DEMO) && rm -f $(DEMO).tmp-wal $(DEMO).tmp-shm && rm -rf demo/csv; \
	fi
	@./rapport --db $(DEMO) agenda --limit 5
	@echo
	@echo "Open http://$(DEMO_LISTEN)/ and log in as demo / $(DEMO_PASSWORD) (Ctrl-C stops the server)."
	./rapport --db $(DEMO) serve --listen $(DEMO_LISTEN)

UNIT_REL := $(UNIT:tests/unit/%.c=build/rel/tests/%)
UNIT_SAN := $(UNIT:tests/unit/%.c=build/san/tests/%)

# Every test: unit tests built plainly and under ASan+UBSan, the binary end
# to end, and a warnings-as-errors build with clang.  tests/run runs the
# tests on SQLite, then again on a throwaway PostgreSQL server (tests/pg),
# and prints the closing summary.  check-pg runs the PostgreSQL pass alone.
check:
	@scripts/deps check
	@$(MAKE) --no-print-directory rapport build/fault/rapport bench/gen $(UNIT_REL) $(UNIT_SAN)
	@$(MAKE) --no-print-directory clang-check
	@$(MAKE) --no-print-directory fuzz-short
	@tests/run $(UNIT_REL) $(UNIT_SAN)

check-pg:
	@scripts/deps check
	@$(MAKE) --no-print-directory rapport build/fault/rapport $(UNIT_REL) $(UNIT_SAN)
	@tests/pg tests/run $(UNIT_REL) $(UNIT_SAN)

# Kill the writer 100 times (imports, merges, API writes) and check what
# survives (tests/crash/run.sh); KILLS=N for another count, and the same on
# PostgreSQL with CRASH_PG=1.  make check runs six kills (tests/cli/crash.sh).
crash: rapport bench/gen
	@RAPPORT=$(CURDIR)/rapport KILLS=$${KILLS:-100} ROWS=$${ROWS:-20000} tests/crash/run.sh
	@if [ -n "$${CRASH_PG:-}" ]; then RAPPORT=$(CURDIR)/rapport KILLS=$${KILLS:-100} ROWS=$${ROWS:-20000} \
		tests/pg tests/crash/run.sh; fi


clang-check:
	@$(MAKE) --no-print-directory CC=clang OPT=-O0 build-clang

build-clang: $(SRC:%.c=build/clang/%.o) $(addprefix build/clang/,$(GENOBJ))
	@echo "clang: built clean with -Wall -Wextra -Werror"

build/clang/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/clang/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Load and soak (tests/soak/run.sh): wrk and an open-loop load on the
# benchmarks' store of SOAK_CONTACTS (1,000,000) contacts, then slow and
# oversized clients; the figures are in docs/OPERATIONS.md.
soak: all bench/gen bench/openloop
	@scripts/deps bench
	@tests/soak/run.sh

bench: all bench/gen bench/agenda bench/search bench/stories bench/clv bench/game
	@scripts/deps bench
	@bench/run

# Fuzzing: every tests/fuzz/fuzz_NAME.c is a libFuzzer target, linked with
# the library built by clang under ASan+UBSan and seeded from
# tests/fuzz/corpus/NAME/.  make fuzz runs each for FUZZ_SECONDS (or
# FUZZ_RUNS inputs); make fuzz-short runs each briefly, replaying the seeds
# (and so every past finding kept there) first.
FUZZ       := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZBIN    := $(FUZZ:tests/fuzz/%.c=build/fuzz/bin/%)
FUZZSAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZOBJ    := $(LIBSRC:%.c=build/fuzz/%.o) $(addprefix build/fuzz/,$(GENOBJ))
FUZZ_SECONDS ?= 600
FUZZ_RUNS    ?=
FUZZ_SHORT_RUNS ?= 20000

build/fuzz/build/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "clang (fuzz) $<"
	@clang $(CFLAGS) $(FUZZSAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "clang (fuzz) $<"
	@clang $(CFLAGS) $(FUZZSAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZOBJ)
	@mkdir -p $(dir $@)
	@echo "clang (fuzz) -o $@"
	@clang $(CFLAGS) $(FUZZSAN) -fsanitize=fuzzer -o $@ $< $(FUZZOBJ) $(LIBS)

fuzz-build: $(FUZZBIN)

fuzz: fuzz-build
	@tests/fuzz/run $(if $(FUZZ_RUNS),--runs $(FUZZ_RUNS),--seconds $(FUZZ_SECONDS)) $(FUZZBIN)

# The short runs of make check are the same every time on a clean clone: a
# fixed number of inputs from a fixed seed (a finding is then one a change
# brought in, not the luck of the draw).
fuzz-short: fuzz-build
	@FUZZ_SEED=1 tests/fuzz/run --runs $(FUZZ_SHORT_RUNS) $(FUZZBIN)

clean:
	rm -rf build rapport bench/gen bench/openloop bench/agenda bench/search bench/stories bench/clv bench/game
