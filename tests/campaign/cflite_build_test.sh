#!/bin/bash
# Runs .clusterfuzzlite/build.sh here the way OSS-Fuzz runs it for
# libFuzzer with AddressSanitizer, then each target over its seed corpus:
# KCore must run every seed clean; vanilla may stop only on an oracle
# violation (never a sanitizer report).  Work goes under $CFLITE_WORK.
set -eu
root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mkdir -p "${CFLITE_WORK:-build-cflite}" && cd "${CFLITE_WORK:-build-cflite}" && pwd)
export SRC=$work/src OUT=$work/out WORK=$work/work
rm -rf "$OUT" && mkdir -p "$SRC" "$OUT" "$WORK"
export CC=clang CXX=clang++ SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
unset ISOFUZZ_CFLITE_TARGETS ISOFUZZ_TARGET ISOFUZZ_ORACLES

cd "$root"
bash .clusterfuzzlite/build.sh > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }

fail=0
check() { if "$@"; then echo "ok   $desc"; else echo "FAIL $desc"; fail=1; fi; }
for t in kcore vanilla; do
	name=isofuzz_$t
	for f in "$name" "${name}_seed_corpus.zip" "$name.dict" "$name.options"; do
		desc="$OUT/$f exists"; check test -s "$OUT/$f"
	done
	desc="$name is executable"; check test -x "$OUT/$name"
	desc="$name.options names its dictionary"; check grep -q "dict = $name.dict" "$OUT/$name.options"
	seeds=$work/unzipped-$t
	rm -rf "$seeds" && mkdir -p "$seeds" && unzip -q "$OUT/${name}_seed_corpus.zip" -d "$seeds"
	n=$(ls "$seeds" | wc -l)
	desc="$name's seed corpus holds every seed ($n of $(ls corpus/seeds | wc -l))"
	check test "$n" -eq "$(ls corpus/seeds | wc -l)"
	log=$work/run-$t.log
	set +e
	(cd "$OUT" && "./$name" -dict="$name.dict" -runs=200 -seed=1 -artifact_prefix="$work/" "$seeds") > "$log" 2>&1
	rc=$?
	set -e
	desc="$name took its dictionary"; check grep -q "Dictionary: [1-9][0-9]* entries" "$log"
	desc="$name ran without a sanitizer report"; check bash -c "! grep -q -E 'ERROR: [A-Za-z]+Sanitizer|runtime error:' '$log'"
	if [ $t = kcore ]; then
		desc="$name ran its seeds clean (exit $rc)"; check test $rc -eq 0
		desc="$name read every seed"; check grep -q "INFO: seed corpus: files: $n " "$log"
	else
		desc="$name ends clean or on an oracle violation (exit $rc)"
		check bash -c "[ $rc -eq 0 ] || grep -q '==isofuzz== violation' '$log'"
	fi
done
[ $fail = 0 ] && echo "ClusterFuzzLite build: all checks passed"
exit $fail
