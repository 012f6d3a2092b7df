#!/usr/bin/env bash
# Lays out the native libraries of the trainer so that DJL loads them from read-only folders: nothing is extracted
# into a cache and nothing is downloaded when the trainer starts. The trainer image's build stage runs this script,
# and so does NativesLayoutTest, which then starts the trainer against the result: the layout is written once, here.
#
# Usage: extract-natives.sh FLAVOR JARS DEST [LIBTORCH_ZIP]
#   FLAVOR        cpu: libtorch comes from the pytorch-native-cpu jar (shaded into the trainer jar);
#                 cu128: libtorch comes from LIBTORCH_ZIP, the official libtorch-cxx11-abi-shared-with-deps zip.
#   JARS          the shaded trainer jar (trainer-image/target/prefalign-trainer.jar), or a ':'-separated list of
#                 jars holding the same entries (the test passes pytorch-jni, pytorch-native-cpu and tokenizers).
#   DEST          an empty or missing folder; it receives
#                   libtorch/                       libtorch.so, libc10.so, libtorch_cpu.so, ... (PYTORCH_LIBRARY_PATH)
#                   cache/pytorch/<torch>-<flavor>-linux-x86_64/<djl>-libdjl_torch.so        (ENGINE_CACHE_DIR=cache)
#                   tokenizers/libtokenizers.so                                              (RUST_LIBRARY_PATH)
#                   natives.env                     the environment the trainer needs, one NAME=value a line
# Environment: EXPECTED_PYTORCH_VERSION, when set, must equal the PyTorch version the jar's JNI library was built for.
#   SLIM_JAR, when set, is written as a copy of the single jar in JARS without the native binaries laid out here
#   (183 MB -> 49 MB for the trainer): DJL never reads them from the classpath once the folders above exist.
# Needs: bash, unzip; zip for SLIM_JAR.
set -euo pipefail

fail() { echo "extract-natives.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] && [ $# -le 4 ] || fail "usage: extract-natives.sh cpu|cu128 JARS DEST [LIBTORCH_ZIP]"
flavor=$1
IFS=: read -r -a jars <<< "$2"
dest=$3
zip=${4:-}
classifier=linux-x86_64

for j in "${jars[@]}"; do
  [ -f "$j" ] || fail "jar $j not found: run 'mvn -B -q -DskipTests package' first"
done

# The jar in JARS that holds ENTRY (a path inside the jar, wildcards allowed).
jar_with() {
  local j
  for j in "${jars[@]}"; do
    if unzip -l "$j" "$1" > /dev/null 2>&1; then echo "$j"; return 0; fi
  done
  fail "no jar of ${jars[*]} holds $1"
}
# Prints one entry of whichever jar holds it.
entry() { local j; j=$(jar_with "$1"); unzip -p "$j" "$1"; }
case "$flavor" in
  cpu) [ -z "$zip" ] || fail "the cpu flavor takes libtorch from the jar; drop the LIBTORCH_ZIP argument" ;;
  cu128) [ -f "$zip" ] || fail "the cu128 flavor needs the libtorch ${EXPECTED_PYTORCH_VERSION:-<pytorch.version>}+cu128 zip as 4th argument (got '$zip')" ;;
  *) fail "unknown flavor '$flavor': use cpu or cu128" ;;
esac

# DJL names the folder of its JNI library after these versions (LibUtils.findJniLibrary): read them from the jar
# instead of repeating them here.
jni_version=$(entry jnilib/pytorch.properties | sed -n 's/^jni_version=//p' | tr -d '\r')
[ -n "$jni_version" ] || fail "jnilib/pytorch.properties has no jni_version (is pytorch-jni shaded in?)"
torch_version=${jni_version%%-*}
djl_version=${jni_version#*-}
if [ -n "${EXPECTED_PYTORCH_VERSION:-}" ] && [ "$EXPECTED_PYTORCH_VERSION" != "$torch_version" ]; then
  fail "the jars hold the JNI library for PyTorch $torch_version, but $EXPECTED_PYTORCH_VERSION was expected"
fi

if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  fail "destination $dest is not empty"
fi
mkdir -p "$dest/libtorch" "$dest/tokenizers"
dest=$(cd "$dest" && pwd)

case "$flavor" in
  cpu)
    native_version=$(entry native/lib/pytorch.properties | sed -n 's/^version=//p' | tr -d '\r')
    case "$native_version" in
      "$torch_version"|"$torch_version"-*) ;;
      *) fail "the jars bundle libtorch '$native_version' but the JNI library is for PyTorch $torch_version" ;;
    esac
    native_jar=$(jar_with "pytorch/cpu/$classifier/*")
    unzip -q -j "$native_jar" "pytorch/cpu/$classifier/*" -d "$dest/libtorch"
    ;;
  cu128)
    unzip -q -j "$zip" 'libtorch/lib/*.so*' -d "$dest/libtorch"
    # DJL loads every shared library in the folder at start (LibUtils.loadLibTorch): PyTorch's own test and demo
    # backends would only cost start time and memory.
    rm -f "$dest"/libtorch/*test*.so "$dest"/libtorch/libbackend_with_compiler.so
    ;;
esac
for lib in libtorch.so libc10.so libtorch_cpu.so; do
  [ -f "$dest/libtorch/$lib" ] || fail "$lib is missing from the extracted libtorch in $dest/libtorch"
done

# DJL always looks for its JNI library in the engine cache and extracts it there when it is missing; placed here
# beforehand, it is only read.
jni_dir="$dest/cache/pytorch/$torch_version-$flavor-$classifier"
mkdir -p "$jni_dir"
jni_lib=$(jar_with "jnilib/$classifier/$flavor/libdjl_torch.so")
unzip -p "$jni_lib" "jnilib/$classifier/$flavor/libdjl_torch.so" > "$jni_dir/$djl_version-libdjl_torch.so"

# The tokenizer's library is the same for every flavor; RUST_LIBRARY_PATH names it, so it is not extracted either.
tokenizers_lib="native/lib/$classifier/cpu/libtokenizers.so"
tokenizers_jar=$(jar_with "$tokenizers_lib")
unzip -q -j "$tokenizers_jar" "$tokenizers_lib" -d "$dest/tokenizers"

cat > "$dest/natives.env" <<ENV
PYTORCH_LIBRARY_PATH=$dest/libtorch
PYTORCH_VERSION=$torch_version
PYTORCH_FLAVOR=$flavor
ENGINE_CACHE_DIR=$dest/cache
RUST_LIBRARY_PATH=$dest/tokenizers/libtokenizers.so
RUST_FLAVOR=cpu
ENV
chmod -R a+rX "$dest"

if [ -n "${SLIM_JAR:-}" ]; then
  [ ${#jars[@]} -eq 1 ] || fail "SLIM_JAR needs exactly one jar in JARS"
  cp "${jars[0]}" "$SLIM_JAR"
  # Only the binaries go: the .properties files stay, DJL reads its versions from them.
  zip -q -d "$SLIM_JAR" 'pytorch/cpu/*.so*' 'jnilib/*/*/*' 'native/lib/*/*/*'
fi
echo "extract-natives.sh: PyTorch $torch_version ($flavor), DJL $djl_version -> $dest"
