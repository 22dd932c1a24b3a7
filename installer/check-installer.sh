#!/usr/bin/env bash
# Installer check, run by .ci/run after the test suite: builds the Linux installer exactly as README says,
# unpacks the .deb into a scratch root (as dpkg would install it, without touching this system), and uses the
# installed program as a quality engineer would, headless and offline, with a fresh home folder:
#   make a tiny dataset, train a model, score images; results.csv must hold a score for each image.
# It also checks what the installer bundles (runtime modules, teacher weights, menu entry, icon), that the
# program writes nothing into its installation folder, and that the package scripts leave user data alone.
#
# Usage: installer/check-installer.sh            (builds, then checks)
#        DMDD_CHECK_SKIP_BUILD=1 installer/check-installer.sh   (checks the installer already in installer/target)
#        DMDD_CHECK_KEEP=1 ...   (keeps the scratch folder with the logs, the data and the unpacked installation)
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)
target="$project/installer/target"

say() { printf '[check-installer] %s\n' "$*"; }
fail() { printf '[check-installer] FAILED: %s\n' "$*" >&2; exit 1; }
started=$SECONDS

# --- tools: jpackage needs fakeroot and dpkg-deb for a .deb, jlink needs the JDK's jmods -------------------
missing=()
command -v fakeroot >/dev/null || missing+=(fakeroot)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    apt-get install -y -q "${missing[@]}" >/dev/null
  else
    fail "missing tools: ${missing[*]} (apt-get install ${missing[*]})"
  fi
fi
if [ -n "${JAVA_HOME:-}" ]; then
  java_home=$JAVA_HOME  # the JDK Maven uses
else
  command -v javac >/dev/null || fail "javac not found: jlink and jpackage need a JDK 17"
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
[ -f "$java_home/jmods/java.base.jmod" ] || fail "$java_home/jmods is missing: jlink needs a full JDK 17 (Debian: openjdk-17-jdk-headless)"
[ -s "$project/.fixtures/npm/nsfwjs-4.3.0.tgz" ] || scripts/fetch-test-fixtures

# --- build, as README's "Install" section says --------------------------------------------------------------
if [ "${DMDD_CHECK_SKIP_BUILD:-0}" != 1 ]; then
  say "building the installer (mvn -Pinstaller)"
  # A quick gzip instead of xz for the package here: the check is about contents, and xz takes minutes.
  DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1 \
    mvn -B -q -Pinstaller -DskipTests package
fi
deb=$(ls "$target"/installer/dmdd-inspector_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no .deb in $target/installer"
say "built $(basename "$deb") ($(du -h "$deb" | cut -f1)) after $((SECONDS - started)) s"

# --- the bundled runtime has every JDK module the jars need --------------------------------------------------
modules=$(sed -n 's:.*<installer.jdk.modules>\(.*\)</installer.jdk.modules>.*:\1:p' installer/pom.xml)
needed=$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
  --class-path "$target/jpackage-input/lib/*" "$target/jpackage-input/dmdd.jar" "$target"/jpackage-input/lib/*.jar 2>/dev/null | tail -n 1)
for m in ${needed//,/ }; do
  case ",$modules," in *",$m,"*) ;; *) fail "jdeps says the jars need JDK module $m; add it to installer.jdk.modules in installer/pom.xml" ;; esac
done
say "runtime modules cover what jdeps finds ($needed)"

# --- the Windows and macOS settings, which cannot be built here, at least name files that exist -------------
for args in "$target"/jpackage-config/*.args; do
  for f in $(grep -o 'target/jpackage-config/[^" ]*' "$args"); do
    [ -e "installer/$f" ] || fail "$(basename "$args") names $f, which the build did not make"
  done
  if grep -v '^#' "$args" | grep '\${'; then fail "$(basename "$args") has an unfilled Maven property"; fi
done
say "jpackage settings for Linux, Windows and macOS name existing icons and files"

# --- package metadata and maintainer scripts ----------------------------------------------------------------
scratch=$(mktemp -d "${TMPDIR:-/tmp}/dmdd-installer-check.XXXXXX")
if [ "${DMDD_CHECK_KEEP:-0}" = 1 ]; then say "keeping $scratch"; else trap 'rm -rf "$scratch"' EXIT; fi
dpkg-deb -f "$deb" Package | grep -qx dmdd-inspector || fail "package name is not dmdd-inspector"
dpkg-deb -f "$deb" Depends | grep -q 'libgtk-3-0' || fail "the package does not depend on libgtk-3-0 (the GUI needs GTK 3)"
dpkg-deb -e "$deb" "$scratch/control"
grep -q 'xdg-desktop-menu install' "$scratch/control/postinst" || fail "postinst does not add the menu entry"
grep -q 'ln -sf /opt/dmdd-inspector/bin/dmdd-inspector /usr/bin/dmdd-inspector' "$scratch/control/postinst" \
  || fail "postinst does not put dmdd-inspector on the PATH"
grep -q 'rm -f /usr/bin/dmdd-inspector' "$scratch/control/prerm" || fail "prerm does not remove the PATH link"
# An upgrade or removal must leave user data alone: no maintainer script may touch home folders.
if grep -nE 'HOME|/home/|\.local/share|dmdd\.data' "$scratch"/control/{preinst,postinst,prerm,postrm}; then
  fail "a package script refers to user folders"
fi

# --- "install": unpack into a scratch root -------------------------------------------------------------------
root="$scratch/root"
dpkg-deb -x "$deb" "$root"
app="$root/opt/dmdd-inspector"
launcher="$app/bin/dmdd-inspector"
[ -x "$launcher" ] || fail "no launcher at /opt/dmdd-inspector/bin/dmdd-inspector"
[ -x "$app/lib/runtime/bin/java" ] || fail "no bundled Java runtime"
[ -s "$app/lib/dmdd-inspector.png" ] || fail "no icon"
desktop=$(ls "$app"/lib/*.desktop)
grep -qx 'Name=DMDD Inspector' "$desktop" || fail "menu entry has no display name: $desktop"
grep -qx 'Exec=/opt/dmdd-inspector/bin/dmdd-inspector' "$desktop" || fail "menu entry does not start the launcher"
weights="$app/lib/app/weights/mobilenetv2-nsfwjs-4.3.0.safetensors"
[ -s "$weights" ] && [ -s "$weights.sha256" ] || fail "teacher weights are not bundled at $weights"
(cd "$(dirname "$weights")" && sha256sum -c --quiet "$weights.sha256") || fail "bundled weights do not match their checksum"
grep -q 'Infinite Red' "$(dirname "$weights")/THIRD-PARTY-NOTICES.txt" || fail "the licence notice of the bundled weights is missing"
say "unpacked into a scratch root: launcher, runtime, icon, menu entry, weights present"

# --- run it as a user: fresh home, no network, no display ---------------------------------------------------
home="$scratch/home"
work="$scratch/work"
mkdir -p "$home" "$work"
find "$app" -printf '%P %s %T@\n' | sort > "$scratch/install-before.txt"
run() {
  # user.home is taken from the password database, not $HOME: set both. Any network access fails at once
  # (no proxy listens on port 9), so a run that works proves the installation is self-contained.
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-Duser.home=$home -Djava.awt.headless=true -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9 -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9" \
    "$launcher" "$@" 2>&1 | grep -v '^Picked up JAVA_TOOL_OPTIONS'
  return "${PIPESTATUS[0]}"
}
texture="$project/.fixtures/deb/usr/lib/python3/dist-packages/skimage/data/brick.png"
[ -s "$texture" ] || fail "fixture texture $texture is missing (scripts/fetch-test-fixtures)"

say "dmdd-inspector --version"
version=$(run --version) || { echo "$version"; fail "--version failed"; }
# the launcher starts the program once more with glibc's arena limit (NativeMemoryRelaunch)
grep -q 'MALLOC_ARENA_MAX="1"' <<<"$version" || { echo "$version"; fail "the program did not run with MALLOC_ARENA_MAX=1"; }
say "$(grep 'native memory' <<<"$version")"
say "dmdd-inspector make-benchmark"
run make-benchmark "$texture" --out "$work/data" --crop 96 --image-size 64 --train 6 --test-good 2 --test-per-defect 1 \
  > "$work/make.log" || { cat "$work/make.log"; fail "make-benchmark failed"; }
say "dmdd-inspector train"
run train --data "$work/data" --category brick --out "$work/model" --steps 4 --image-size 64 --batch 2 --device auto \
  > "$work/train.log" || { cat "$work/train.log"; fail "train failed"; }
device_line=$(grep -m 1 'No CUDA GPU found: using the CPU\|Using GPU' "$work/train.log") \
  || { cat "$work/train.log"; fail "train did not report its device"; }
say "train chose its device: $device_line"
mkdir -p "$work/one"
one=$(find "$work/data/brick/test" -path '*/good/*' -name '*.png' | sort | head -n 1)
defect=$(find "$work/data/brick/test" -name '*.png' ! -path '*/good/*' | sort | head -n 1)
cp "$one" "$work/one/good.png"
cp "$defect" "$work/one/defect.png"
say "dmdd-inspector infer"
run infer --model "$work/model" --images "$work/one" --out "$work/results" --device cpu \
  > "$work/infer.log" || { cat "$work/infer.log"; fail "infer failed"; }
csv="$work/results/results.csv"
[ -s "$csv" ] || { cat "$work/infer.log"; fail "no results.csv"; }
for name in good.png defect.png; do
  line=$(grep -F "$name" "$csv" | head -n 1) || fail "results.csv has no line for $name: $(cat "$csv")"
  # the score is the second field and a finite number
  score=$(printf '%s\n' "$line" | cut -d, -f2)
  [[ "$score" =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]] || fail "no numeric score for $name in: $line"
  say "scored $name: $line"
done

# --- the workstation window starts (on a virtual display, where Xvfb is installed) --------------------------
if command -v xvfb-run >/dev/null; then
  say "dmdd-inspector (the workstation) on a virtual display for 25 s"
  set +e
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 JAVA_TOOL_OPTIONS="-Duser.home=$home" \
    xvfb-run -a -s "-screen 0 1280x800x24" timeout 25 "$launcher" > "$work/gui.log" 2>&1
  gui_rc=$?
  set -e
  # 124: still running when the time was up, which is what a window waiting for its user does
  [ "$gui_rc" = 124 ] || { tail -n 30 "$work/gui.log"; fail "the workstation ended by itself (exit code $gui_rc)"; }
  if grep -n 'Exception in thread\|^Error:\|^Exception' "$work/gui.log"; then fail "the workstation failed with an uncaught error"; fi
else
  say "xvfb-run not found: the workstation window is not checked"
fi

# --- nothing written into the installation; user data where the system expects it ---------------------------
find "$app" -printf '%P %s %T@\n' | sort > "$scratch/install-after.txt"
if ! diff -u "$scratch/install-before.txt" "$scratch/install-after.txt" > "$scratch/install.diff"; then
  head -n 20 "$scratch/install.diff"
  fail "the program changed its installation folder"
fi
# The teacher came from the installation: with the network blocked and no nsfwjs tarball at hand, the only
# other way would have been a conversion into the user's weights folder.
if find "$home" -name '*.safetensors' | grep .; then fail "teacher weights were converted again instead of using the bundled ones"; fi
[ -d "$home/.cache/dmdd-inspector/djl" ] || fail "libtorch was not unpacked into the user cache folder ~/.cache/dmdd-inspector/djl"
say "installation folder unchanged; user files under the home folder: $(cd "$home" && find . -maxdepth 3 -type d | sort | tr '\n' ' ')"

# --- an upgrade (the same package unpacked again over the installation) keeps the user's files --------------
find "$home" -type f -printf '%P %s\n' | sort > "$scratch/home-before.txt"
dpkg-deb -x "$deb" "$root"
find "$home" -type f -printf '%P %s\n' | sort > "$scratch/home-after.txt"
diff -q "$scratch/home-before.txt" "$scratch/home-after.txt" >/dev/null || fail "reinstalling changed files in the home folder"
run infer --model "$work/model" --images "$work/one" --out "$work/results2" --device cpu > "$work/infer2.log" \
  || { cat "$work/infer2.log"; fail "infer after reinstalling failed"; }
[ -s "$work/results2/results.csv" ] || fail "no results.csv after reinstalling"

say "installer check passed in $((SECONDS - started)) s"
