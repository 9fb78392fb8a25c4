#!/bin/bash
# OSS-Fuzz / ClusterFuzzLite build: every fuzz target into $OUT, built with
# $CC, $CFLAGS and $LIB_FUZZING_ENGINE, each with a seed corpus
# (<target>_seed_corpus.zip), a dictionary and an options file.
#
# Targets: isofuzz_kcore (KCore, all oracles) and isofuzz_vanilla (the
# unmodified-KVM baseline, which is expected to crash: the oracles must
# catch it).  ISOFUZZ_CFLITE_TARGETS picks a subset; the Dockerfile keeps
# vanilla out of CI fuzzing.

set -eu -o pipefail

src=$PWD
[ -f "$src/harness/engines/fuzz_libfuzzer.c" ] || src=$SRC/isofuzz
here=$src/.clusterfuzzlite
build=$WORK/isofuzz-build
targets=${ISOFUZZ_CFLITE_TARGETS:-kcore vanilla}

# The project's libraries with OSS-Fuzz's flags.  buildtype plain: the
# optimization and debug flags are theirs; no -Werror for a foreign
# compiler's warnings.
if [ ! -f "$build/build.ninja" ]; then
	CC="$CC" CFLAGS="$CFLAGS" LDFLAGS="$CFLAGS" meson setup "$build" "$src" \
		--buildtype=plain -Dwerror=false -Db_lundef=false
fi
libs=$(meson introspect "$build" --targets | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["type"] == "static library" and not os.path.relpath(t["defined_in"], sys.argv[1]).startswith("tests"):
        print(os.path.relpath(t["filename"][0], sys.argv[2]))' "$src" "$build")
# How the harness library compiles: its include directories and defines.
cflags=$(meson introspect "$build" --targets | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["name"] == "harness" and t["type"] == "static library":
        args = t["target_sources"][0]["parameters"]
        print(" ".join(a for a in args if a.startswith(("-I", "-D"))))
        break')
ninja -C "$build" $libs harness/isofuzz

for t in $targets; do
	name=isofuzz_$t
	$CC $CFLAGS $cflags -c "$src/harness/engines/fuzz_libfuzzer.c" -o "$WORK/fuzz_libfuzzer.o"
	$CC $CFLAGS -DISOFUZZ_SELECT_TARGET="\"$t\"" -c "$here/select_target.c" -o "$WORK/select_$t.o"
	${CXX:-clang++} ${CXXFLAGS:-$CFLAGS} "$WORK/fuzz_libfuzzer.o" "$WORK/select_$t.o" \
		-Wl,--start-group $(printf "$build/%s " $libs) -Wl,--end-group $LIB_FUZZING_ENGINE -o "$OUT/$name"

	# Seeds: the text programs as binary inputs, encoded for this target.
	seeds=$WORK/seeds-$t
	rm -rf "$seeds" && mkdir -p "$seeds"
	for s in "$src"/corpus/seeds/*; do
		ASAN_OPTIONS=detect_leaks=0 "$build/harness/isofuzz" convert "$s" \
			"$seeds/$(basename "$s").bin" --to binary --target "$t"
	done
	rm -f "$OUT/${name}_seed_corpus.zip"
	(cd "$seeds" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*.bin)
	python3 "$here/make_dict.py" "$OUT/$name.dict" "$seeds"/*.bin
	printf '[libfuzzer]\nmax_len = 8192\ndict = %s.dict\n' "$name" > "$OUT/$name.options"
done
