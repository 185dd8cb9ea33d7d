# mutate.mk - `make mutate`: mutation testing (not part of `make check`).
# Included by tests/tests.mk. See tests/mutate/README.md.
#
#   make mutate                      40 sampled mutants per area, seed 1
#   make mutate MUTANTS=200 MUTATE_SEED=7
#   make mutate MUTANTS=all          every mutant (hours)
#   make mutate MUTATE_AREAS="compiler js" MUTATE_JOBS=2
#
# Areas: compiler (compiler/*.c *.y *.l, runtime/gen_tables.c), runtime
# (runtime/wg_*.c), both through
# tests/mutate/mutate.mjs; js (the JS runtime) through Stryker
# (tests/mutate/stryker.mjs). The report: build/mutate/report.md.
MUTANTS      ?= 40
MUTATE_SEED  ?= 1
MUTATE_JOBS  ?= 1
MUTATE_AREAS ?= compiler runtime js
MUTATE_OUT   := $(BUILD)/mutate
MUTATE_C     := $(filter compiler runtime,$(MUTATE_AREAS))

.PHONY: mutate mutate-report
mutate: $(TSC)
ifneq ($(MUTATE_C),)
	$(NODE) tests/mutate/mutate.mjs $(MUTATE_C) --mutants $(MUTANTS) --seed $(MUTATE_SEED) \
	  --jobs $(MUTATE_JOBS) --out $(MUTATE_OUT)
endif
ifneq ($(filter js,$(MUTATE_AREAS)),)
	$(NODE) tests/mutate/stryker.mjs --mutants $(MUTANTS) --seed $(MUTATE_SEED) --out $(MUTATE_OUT)
endif
	$(NODE) tests/mutate/report.mjs $(MUTATE_OUT)

# The report again, from the last results (after editing equivalent.txt).
mutate-report:
	$(NODE) tests/mutate/report.mjs $(MUTATE_OUT)
