# isofuzz: entry points.  `make test` and `make campaign` work on a fresh
# Debian 12 machine: they install what is missing first.
#
#   make campaign [CAMPAIGN_SECONDS=600] [CAMPAIGN_JOBS=2] [ENGINE=libfuzzer|afl]
#                 [TARGET=kcore|vanilla] [CAMPAIGN_OUT=out/campaign]
#       CAMPAIGN_SECONDS is the whole campaign's budget: a stopped campaign
#       (Ctrl-C, kill) resumes in CAMPAIGN_OUT when run again.  Ends with
#       the report in CAMPAIGN_OUT/report/ (index.html, summary.md, report.json).
#   make report       the report of CAMPAIGN_OUT again
#   make cflite-test  the ClusterFuzzLite build, run here as OSS-Fuzz would
#   make test

BUILD ?= build
LF_BUILD ?= build-libfuzzer
AFL_BUILD ?= build-afl
AFL_CMPLOG_BUILD ?= build-afl-cmplog
CROSS_BUILD ?= build-aarch64
CAMPAIGN_SECONDS ?= 600
CAMPAIGN_JOBS ?= 2
ENGINE ?= libfuzzer
TARGET ?= kcore
CAMPAIGN_OUT ?= out/campaign
COV_BUILD ?= build-coverage
CFLITE_WORK ?= build-cflite

# Debian 12 packages the project builds and runs with.
DEB_PACKAGES := meson ninja-build clang llvm libclang-rt-14-dev afl++ \
	libcapstone-dev libglib2.0-dev qemu-system-arm gcc-aarch64-linux-gnu \
	libc6-dev-arm64-cross pkg-config python3 dpkg-dev zip unzip git debootstrap

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build build-fuzzers test test-unit test-asan test-baremetal campaign report cflite-test test-report-render bug-check bench-bugs bench clean compare-kvm

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

$(AFL_BUILD)/build.ninja:
	CC=afl-clang-fast meson setup $(AFL_BUILD) -Dfuzz_engine=afl -Db_lundef=false

# The same target built with AFL++'s CMPLOG instrumentation (afl-fuzz -c).
$(AFL_CMPLOG_BUILD)/build.ninja:
	CC=afl-clang-fast meson setup $(AFL_CMPLOG_BUILD) -Dfuzz_engine=afl -Db_lundef=false

$(CROSS_BUILD)/build.ninja:
	meson setup $(CROSS_BUILD) --cross-file hyp/arch/aarch64/cross-aarch64.ini

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-fuzzers: deps $(LF_BUILD)/build.ninja $(AFL_BUILD)/build.ninja $(AFL_CMPLOG_BUILD)/build.ninja
	ninja -C $(LF_BUILD)
	AFL_QUIET=1 AFL_LLVM_ALLOWLIST=$(CURDIR)/harness/afl-allowlist.txt ninja -C $(AFL_BUILD) harness/isofuzz-afl
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 AFL_LLVM_ALLOWLIST=$(CURDIR)/harness/afl-allowlist.txt \
		ninja -C $(AFL_CMPLOG_BUILD) harness/isofuzz-afl

test-unit: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 2

# The same tests under ASan and UBSan (the libFuzzer build).
test-asan: deps $(LF_BUILD)/build.ninja
	ninja -C $(LF_BUILD)
	meson test -C $(LF_BUILD) --print-errorlogs --num-processes 2

test-baremetal: deps $(CROSS_BUILD)/build.ninja
	ninja -C $(CROSS_BUILD)
	meson test -C $(CROSS_BUILD) --print-errorlogs --suite baremetal

# The image first: the host build's replay-qemu tests run programs in it.
test: test-baremetal test-unit test-asan

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

# Exit status: 0 clean, 1 a violation was found (the report lists it),
# 130 stopped (run again to resume).
campaign: build build-fuzzers
	@rc=0; $(BUILD)/harness/isofuzz run --engine $(ENGINE) --target $(TARGET) \
		--time $(CAMPAIGN_SECONDS) --jobs $(CAMPAIGN_JOBS) --out $(CAMPAIGN_OUT) \
		--fuzzer $(if $(filter afl,$(ENGINE)),$(AFL_BUILD)/harness/isofuzz-afl,$(LF_BUILD)/harness/isofuzz-libfuzzer) \
		--afl-mutator $(BUILD)/harness/isofuzz-afl-mutator.so \
		--afl-cmplog $(AFL_CMPLOG_BUILD)/harness/isofuzz-afl || rc=$$?; \
	if [ $$rc -le 1 ]; then python3 reports/campaign_report.py $(CAMPAIGN_OUT) \
		--coverage-build $(COV_BUILD) --print-summary || rc=2; fi; \
	exit $$rc

# The coverage build (clang source-based coverage) is set up by the report.
report: deps
	python3 reports/campaign_report.py $(CAMPAIGN_OUT) --coverage-build $(COV_BUILD) --print-summary

# The campaign tests with Chromium installed, so the report's screenshot
# test runs instead of skipping.
test-report-render: deps $(LF_BUILD)/build.ninja
	@dpkg-query -W -f='$${Status}' chromium 2>/dev/null | grep -q 'install ok installed' || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }
	ninja -C $(LF_BUILD)
	meson test -C $(LF_BUILD) --print-errorlogs --suite campaign

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
