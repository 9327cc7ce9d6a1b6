#!/bin/sh
# Validates the packaging files with the tools Debian and the desktops use:
#
#   desktop-file-validate   the desktop entry
#   appstreamcli            the AppStream metadata (offline)
#   promtool                the Prometheus rules and their unit tests
#   man                     the manual pages, the way lintian checks them
#   lintian                 the .deb files in BUILD_DIR, when `cpack -G DEB` made them
#   python3                 the Grafana dashboard is valid JSON
#
# Usage: packaging/check-packaging.sh [BUILD_DIR [--make-debs]]
# With --make-debs (what ctest runs), the .deb files are made first with
# `cpack -G DEB` from BUILD_DIR into a temporary directory, and lintian checks those.
# A tool that is not installed is skipped with a message. Exit status: 0 when every
# check that ran passed, 1 when one failed, 77 when none could run (ctest: skipped).
# The *_check functions are run through check(): shellcheck cannot see that.
# shellcheck disable=SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd)
build_dir=${1:-}
make_debs=${2:-}
deb_dir=$build_dir
ran=0
failed=0

have() { command -v "$1" >/dev/null 2>&1; }
skip() { echo "SKIP: $1 not installed"; }
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failed=1; }

# Runs "$@", shows its output, and passes or fails the check named $label.
check() {
	label=$1
	shift
	ran=$((ran + 1))
	if "$@"; then pass "$label"; else fail "$label"; fi
}

echo "== desktop entry"
if have desktop-file-validate; then
	# It prints nothing when the file is valid, and hints, warnings or errors otherwise.
	desktop_check() {
		out=$(desktop-file-validate "$here/io.flywheel.Flywheel.desktop" 2>&1)
		rc=$?
		[ -n "$out" ] && echo "$out"
		[ "$rc" -eq 0 ] && [ -z "$out" ]
	}
	check "desktop-file-validate io.flywheel.Flywheel.desktop" desktop_check
else
	skip desktop-file-validate
fi

echo "== AppStream metadata"
if have appstreamcli; then
	# Errors and warnings fail; infos and pedantic hints do not.
	appstream_check() {
		out=$(appstreamcli validate --no-net --no-color "$here/io.flywheel.Flywheel.metainfo.xml" 2>&1)
		rc=$?
		echo "$out"
		[ "$rc" -eq 0 ] && ! echo "$out" | grep -q '^[EW]:'
	}
	check "appstreamcli validate io.flywheel.Flywheel.metainfo.xml" appstream_check
else
	skip appstreamcli
fi

echo "== Prometheus rules"
if have promtool; then
	check "promtool check rules flywheel-rules.yml" promtool check rules "$here/prometheus/flywheel-rules.yml"
	# The test file names the rules file relative to itself.
	rules_test() { (cd "$here/prometheus" && promtool test rules flywheel-rules.test.yml); }
	check "promtool test rules flywheel-rules.test.yml" rules_test
else
	skip promtool
fi

echo "== Grafana dashboard"
if have python3; then
	check "flywheel-dashboard.json is valid JSON" \
		python3 -m json.tool "$here/grafana/flywheel-dashboard.json" /dev/null
else
	skip python3
fi

echo "== manual pages"
if have man; then
	# As lintian's manpage check runs it: any output on stderr is a warning, and fails.
	man_check() {
		out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$1" 2>&1 >/dev/null)
		rc=$?
		[ -n "$out" ] && echo "$out"
		[ "$rc" -eq 0 ] && [ -z "$out" ]
	}
	for page in "$here/man/flywheel.1" "$here/man/flywheeld.8"; do
		check "man --warnings $(basename "$page")" man_check "$page"
	done
else
	skip man
fi

echo "== Debian packages"
if have lintian; then
	debs=""
	if [ "$make_debs" = "--make-debs" ] && [ -n "$build_dir" ]; then
		if have cpack; then
			deb_dir=$(mktemp -d)
			trap 'rm -rf "$deb_dir"' EXIT
			ran=$((ran + 1))
			if (cd "$build_dir" && cpack -G DEB -B "$deb_dir" >"$deb_dir/cpack.log" 2>&1); then
				pass "cpack -G DEB"
			else
				cat "$deb_dir/cpack.log"
				fail "cpack -G DEB"
			fi
		else
			skip cpack
		fi
	fi
	if [ -n "$deb_dir" ]; then
		for deb in "$deb_dir"/flywheel_*.deb "$deb_dir"/flywheeld_*.deb; do
			[ -f "$deb" ] && debs="$debs $deb"
		done
	fi
	if [ -z "$debs" ]; then
		echo "SKIP: no flywheel_*.deb or flywheeld_*.deb in ${deb_dir:-(no build directory given)}; run cpack -G DEB there first"
	else
		# Errors fail; warnings are shown too (infos are not).
		lintian_check() {
			# shellcheck disable=SC2086 # $debs is a list of paths without spaces
			lintian --fail-on error $debs
		}
		check "lintian$debs" lintian_check
	fi
else
	skip lintian
fi

echo
if [ $ran -eq 0 ]; then
	echo "No validator is installed: nothing was checked."
	exit 77
fi
if [ $failed -ne 0 ]; then
	echo "Packaging checks failed."
	exit 1
fi
echo "All $ran packaging checks passed."
exit 0
