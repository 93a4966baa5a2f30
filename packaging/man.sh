#!/bin/sh
# Writes gatecheck(1) and gatecheckd(8) from the programs' own --help (help2man), so the manuals cannot
# drift from the code. gatecheck(1) gets every subcommand's help as its own section.
# Usage: packaging/man.sh BINDIR OUTDIR VERSION
# A binary built for another architecture runs through GATECHECK_EMULATOR (a command taking the program and
# its arguments, as `packaging/cross-arm64.sh run` does).
set -eu
bindir=$1
out=$2
version=$3
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# gatecheckd is gatecheck called by that name (one multi-call binary), as the package installs it.
ln -s "$(cd "$bindir" && pwd)/gatecheck" "$work/gatecheckd"
daemon=$work/gatecheckd
if [ -n "${GATECHECK_EMULATOR:-}" ]; then
    # help2man runs programs by path: wrappers of those names run the real ones through the emulator.
    mkdir "$work/run"
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$GATECHECK_EMULATOR" "$(cd "$bindir" && pwd)/gatecheck" > "$work/run/gatecheck"
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$GATECHECK_EMULATOR" "$work/gatecheckd" > "$work/run/gatecheckd"
    chmod +x "$work/run/gatecheck" "$work/run/gatecheckd"
    bindir=$work/run
    daemon=$work/run/gatecheckd
fi

# roff-safe verbatim block: backslashes doubled, lines starting with . or ' protected.
verbatim() {
    printf '.nf\n'
    sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"
    printf '.fi\n'
}

{
    printf '[SUBCOMMANDS]\n'
    for sub in "verify" "scan" "status" "camera list" "camera aim" "camera snapshot" "trust import" "trust fetch" "trust show" "trust export" \
        "trust bundle create" "trust bundle verify" "trust bundle inspect"; do
        printf '.SS "gatecheck %s"\n' "$sub"
        # shellcheck disable=SC2086 # the subcommand path is meant to split into words
        "$bindir/gatecheck" $sub --help | verbatim
    done
    printf '[FILES]\n.TP\n/var/lib/gatecheck\ninstalled trust bundle, rollback mark, clock high-water mark, fetch state\n'
    printf '.TP\n/etc/gatecheck/anchors\nCA certificates that may sign trust bundles\n'
    printf '[SEE ALSO]\n.BR gatecheckd (8)\n'
} > "$work/gatecheck.h2m"

{
    printf '[FILES]\n.TP\n/etc/gatecheck/gatecheck.conf\nconfiguration; every key is documented in the installed example\n'
    printf '.TP\n/run/gatecheck/status.sock\nstatus and counters, read by \\fBgatecheck status\\fR\n'
    printf '.TP\n/var/lib/gatecheck\ninstalled trust and the clock high-water mark\n'
    printf '[SIGNALS]\n.TP\nSIGHUP\nreread the configuration (all or nothing) and the trust store\n'
    printf '.TP\nSIGTERM, SIGINT\nstop: lamps off, gate relay locked\n'
    printf '[SEE ALSO]\n.BR gatecheck (1),\n.BR systemd.service (5)\n'
} > "$work/gatecheckd.h2m"

help2man --no-info --no-discard-stderr --version-string="$version" --section=1 \
    --name="offline verification of health-certificate QR codes" \
    --include="$work/gatecheck.h2m" --output="$out/gatecheck.1" "$bindir/gatecheck"
help2man --no-info --no-discard-stderr --version-string="$version" --section=8 \
    --name="GateCheck daemon: camera, offline verification, lamps and gate relay" \
    --include="$work/gatecheckd.h2m" --output="$out/gatecheckd.8" "$daemon"
