# isofuzz: entry points.  `make test` and `make campaign` work on a fresh
# Debian 12 machine: they install what is missing first.
#
#   make campaign [CAMPAIGN_SECONDS=600] [CAMPAIGN_JOBS=2] [ENGINE=libfuzzer|afl]
#                 [TARGET=kcore|vanilla] [CAMPAIGN_OUT=out/campaign] [VANILLA_SECONDS=N]
#       CAMPAIGN_SECONDS is the whole campaign's budget: a stopped campaign
#       (Ctrl-C, kill) resumes in CAMPAIGN_OUT when run again.  On KCore a
#       short leg on vanilla (VANILLA_SECONDS of the budget, a tenth by
#       default, 0 for none) follows in CAMPAIGN_OUT/vanilla-leg; its
#       findings are replayed on real KVM in the report.  Ends with the
#       report in CAMPAIGN_OUT/report/ (index.html, summary.md, report.json).
#   make report       the report of CAMPAIGN_OUT again (REPORT_FLAGS: more
#                     options of reports/campaign_report.py, e.g.
#                     --image-inputs N to replay only N inputs in the image)
#   make cflite-test  the ClusterFuzzLite build, run here as OSS-Fuzz would
#   make test         every test suite (all run; non-zero if any failed)
#   make test-fresh   `make test` and a 60 s `make campaign` in a clean
#                     Debian 12 root, from a fresh clone of HEAD

BUILD ?= build
LF_BUILD ?= build-libfuzzer
LF_FAST_BUILD ?= build-libfuzzer-fast
AFL_BUILD ?= build-afl
AFL_CMPLOG_BUILD ?= build-afl-cmplog
CROSS_BUILD ?= build-aarch64
CAMPAIGN_SECONDS ?= 600
CAMPAIGN_JOBS ?= 2
ENGINE ?= libfuzzer
TARGET ?= kcore
CAMPAIGN_OUT ?= out/campaign
VANILLA_SECONDS ?= $(if $(filter vanilla,$(TARGET)),0,$(shell expr $(CAMPAIGN_SECONDS) / 10))
COV_BUILD ?= build-coverage
CFLITE_WORK ?= build-cflite

# Debian 12 packages the project builds and runs with.
DEB_PACKAGES := meson ninja-build clang llvm libclang-rt-14-dev afl++ \
	libcapstone-dev libglib2.0-dev qemu-system-arm gcc-aarch64-linux-gnu \
	libc6-dev-arm64-cross pkg-config python3 dpkg-dev zip unzip git debootstrap \
	chromium

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build build-fuzzers test test-fresh test-unit test-asan test-afl test-baremetal campaign report cflite-test bug-check bench-bugs bench clean compare-kvm

all: build

# Idempotent: asks dpkg which packages are missing and installs only those.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# One build directory per configuration.
# QEMU's plugin header comes from Debian's source package of the installed
# QEMU, fetched when the build directory is set up (never committed); if it
# cannot be had, the plugin and its test are left out.
$(BUILD)/build.ninja:
	-qemu-plugins/fetch-plugin-header.sh $(BUILD)/qemu-plugins
	meson setup $(BUILD)

$(LF_BUILD)/build.ninja:
	CC=clang meson setup $(LF_BUILD) -Dfuzz_engine=libfuzzer \
		-Db_sanitize=address,undefined -Db_lundef=false

# What libFuzzer campaigns fuzz: no sanitizers, coverage of hyp/ only (the
# hyp-sim library alone is built with -fsanitize=fuzzer-no-link); every
# input they keep is re-run under $(LF_BUILD) (ASan+UBSan).  Link-time
# optimisation inlines the checks' many small calls across files: about
# 15% more executions per second.
$(LF_FAST_BUILD)/build.ninja:
	CC=clang meson setup $(LF_FAST_BUILD) -Dfuzz_engine=libfuzzer -Db_lundef=false -Db_lto=true

$(AFL_BUILD)/build.ninja:
	CC=afl-clang-fast meson setup $(AFL_BUILD) -Dfuzz_engine=afl -Db_lundef=false

# The same target built with AFL++'s CMPLOG instrumentation (afl-fuzz -c).
$(AFL_CMPLOG_BUILD)/build.ninja:
	CC=afl-clang-fast meson setup $(AFL_CMPLOG_BUILD) -Dfuzz_engine=afl -Db_lundef=false

$(CROSS_BUILD)/build.ninja:
	meson setup $(CROSS_BUILD) --cross-file hyp/arch/aarch64/cross-aarch64.ini

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-fuzzers: deps $(LF_BUILD)/build.ninja $(LF_FAST_BUILD)/build.ninja $(AFL_BUILD)/build.ninja $(AFL_CMPLOG_BUILD)/build.ninja
	ninja -C $(LF_BUILD)
	ninja -C $(LF_FAST_BUILD) harness/isofuzz-libfuzzer
	AFL_QUIET=1 AFL_LLVM_ALLOWLIST=$(CURDIR)/harness/afl-allowlist.txt ninja -C $(AFL_BUILD) harness/isofuzz-afl
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 AFL_LLVM_ALLOWLIST=$(CURDIR)/harness/afl-allowlist.txt \
		ninja -C $(AFL_CMPLOG_BUILD) harness/isofuzz-afl

# A test's time limit guards against hangs, not slowness: on a loaded
# 2-core machine a test may take several times as long as alone.
TEST_TIMEOUT_MULTIPLIER ?= 4
MESON_TEST_FLAGS = --print-errorlogs --num-processes 2 --timeout-multiplier $(TEST_TIMEOUT_MULTIPLIER)

test-unit: build
	meson test -C $(BUILD) $(MESON_TEST_FLAGS)

# The same tests under ASan and UBSan (the libFuzzer build).
test-asan: deps $(LF_BUILD)/build.ninja
	ninja -C $(LF_BUILD)
	meson test -C $(LF_BUILD) $(MESON_TEST_FLAGS)

test-baremetal: deps $(CROSS_BUILD)/build.ninja
	ninja -C $(CROSS_BUILD)
	meson test -C $(CROSS_BUILD) $(MESON_TEST_FLAGS) --suite baremetal

# The AFL++ target's side of afl-fuzz (fork server, direct mode, timeouts,
# affinity, orphans) can only be tested in its own build: its campaign
# suite, built as campaigns build it (hyp/ instrumented only).
test-afl: deps $(AFL_BUILD)/build.ninja
	AFL_QUIET=1 AFL_LLVM_ALLOWLIST=$(CURDIR)/harness/afl-allowlist.txt ninja -C $(AFL_BUILD)
	meson test -C $(AFL_BUILD) $(MESON_TEST_FLAGS) --suite campaign

# Every suite runs, whatever failed before it, and each failure is named;
# the status is non-zero if any failed.  The image first: the host build's
# replay-qemu tests run programs in it.
TEST_SUITES := test-baremetal test-unit test-asan test-afl
test: deps
	@failed=""; for t in $(TEST_SUITES); do \
		$(MAKE) --no-print-directory $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: every suite passed ($(TEST_SUITES))"

# The README's two commands in a clean Debian 12 root (debootstrap), from a
# fresh clone of HEAD: proves that they install everything they need.
# The root is cached as a tarball in FRESH_CACHE (outside the repository).
FRESH_SECONDS ?= 60
test-fresh: deps
	tests/fresh/test-fresh.sh $(FRESH_SECONDS)

# KCore (library and image), the baseline's model, and real KVM and pKVM
# (Debian's arm64 kernel, fetched into BUILD/linux by hyp/linux/setup.sh)
# on the corpora: COMPARE_OUT/compare.md and compare.json.
COMPARE_OUT ?= out/compare
compare-kvm: build $(CROSS_BUILD)/build.ninja
	ninja -C $(CROSS_BUILD)
	hyp/linux/setup.sh $(BUILD)/linux $(BUILD)/hyp/linux/isofuzz-vmm
	plugin=$(BUILD)/tests/replay_qemu/libisofuzz-insn-watch.so; \
	ISOFUZZ_IMAGE=$(CROSS_BUILD)/tests/baremetal/isofuzz-hyp.elf $(BUILD)/harness/isofuzz compare \
		--linux $(BUILD)/linux --out $(COMPARE_OUT) $$([ -f $$plugin ] && echo --plugin $$plugin)

# The campaign's status follows isofuzz run's contract (README): 0 clean,
# 1 a violation was found (the report lists it), 2 broken or bad usage,
# 130 stopped (run again to resume).  make itself can only exit 0 or 2, so
# the status is printed last and kept in CAMPAIGN_OUT/exit-status for
# scripts that must tell a finding from a failure.
# The vanilla leg's status is its own (it is there to find violations):
# the campaign's is the main run's.
CAMPAIGN_RUN = $(BUILD)/harness/isofuzz run --engine $(ENGINE) --jobs $(CAMPAIGN_JOBS) \
	--fuzzer $(if $(filter afl,$(ENGINE)),$(AFL_BUILD)/harness/isofuzz-afl,$(LF_FAST_BUILD)/harness/isofuzz-libfuzzer) \
	$(if $(filter afl,$(ENGINE)),,--recheck $(LF_BUILD)/harness/isofuzz-libfuzzer) \
	--afl-mutator $(BUILD)/harness/isofuzz-afl-mutator.so \
	--afl-cmplog $(AFL_CMPLOG_BUILD)/harness/isofuzz-afl
campaign: build build-fuzzers
	@rc=0; $(CAMPAIGN_RUN) --target $(TARGET) --time $$(( $(CAMPAIGN_SECONDS) - $(VANILLA_SECONDS) )) \
		--out $(CAMPAIGN_OUT) || rc=$$?; \
	if [ $$rc -le 1 ] && [ $(VANILLA_SECONDS) -gt 0 ]; then \
		echo "campaign: a $(VANILLA_SECONDS) s leg on vanilla, for the comparison with real KVM"; \
		leg=0; $(CAMPAIGN_RUN) --target vanilla --time $(VANILLA_SECONDS) --out $(CAMPAIGN_OUT)/vanilla-leg \
			|| leg=$$?; \
		[ $$leg -le 1 ] || echo "campaign: the vanilla leg could not run (status $$leg)"; \
		[ $$leg = 130 ] && rc=130; \
	fi; \
	if [ $$rc -le 1 ]; then python3 reports/campaign_report.py $(CAMPAIGN_OUT) \
		--vanilla-leg $(CAMPAIGN_OUT)/vanilla-leg \
		--coverage-build $(COV_BUILD) --print-summary $(REPORT_FLAGS) || rc=2; fi; \
	mkdir -p $(CAMPAIGN_OUT) && echo $$rc > $(CAMPAIGN_OUT)/exit-status; \
	case $$rc in 0) what="clean";; 1) what="a violation was found";; \
		130) what="stopped; run again to resume";; *) what="the campaign could not run";; esac; \
	echo "campaign: status $$rc ($$what), kept in $(CAMPAIGN_OUT)/exit-status"; \
	exit $$rc

# The coverage build (clang source-based coverage) is set up by the report.
report: deps
	python3 reports/campaign_report.py $(CAMPAIGN_OUT) --vanilla-leg $(CAMPAIGN_OUT)/vanilla-leg \
		--coverage-build $(COV_BUILD) --print-summary $(REPORT_FLAGS)

cflite-test: deps
	CFLITE_WORK=$(CFLITE_WORK) tests/campaign/cflite_build_test.sh

# Planted bugs: each bug's program against its own build; the benchmark;
# and the throughput benchmark.  Outputs go to reports/out/.
BENCH_TRIALS ?= 5
BENCH_SECONDS ?= 120

bug-check: deps
	python3 reports/bugs/check_bugs.py

bench-bugs: deps
	python3 reports/bugs/bench_bugs.py --trials $(BENCH_TRIALS) --seconds $(BENCH_SECONDS)

bench: build
	mkdir -p reports/out
	$(BUILD)/harness/isofuzz bench --csv reports/out/throughput.csv

clean:
	rm -rf $(BUILD) $(LF_BUILD) $(AFL_BUILD) $(AFL_CMPLOG_BUILD) $(CROSS_BUILD) $(COV_BUILD) $(CFLITE_WORK)
