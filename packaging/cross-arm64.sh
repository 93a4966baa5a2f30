#!/bin/bash
# Cross-builds GateCheck for Debian 13 (trixie) arm64 on an amd64 Debian machine from Debian's own packages
# (swift.org is not needed). `make deb ARCH=arm64` calls it.
#
# The host's Swift cannot build for arm64: it has no aarch64 runtime, and a runtime must come from the same
# compiler version that builds against it. Debian sid has swiftlang for amd64 and arm64 at one version, so:
#   - the compiler is sid's amd64 swiftlang, run in a sid chroot (it needs sid's glibc);
#   - the target's Swift runtime (swift/linux and swift_static/linux for aarch64) comes from sid's arm64 swiftlang;
#   - the sysroot is a trixie arm64 root with the C libraries' -dev packages, so the binary links against
#     trixie's glibc and libraries and needs no newer symbol versions than the board has.
# The arm64 runtime goes into the sysroot's usr/lib/swift and usr/lib/swift_static (where the Swift driver looks
# for swiftrt.o), and a Swift SDK artifact bundle (swift-sdk.json and a toolset) names both: `swift build
# --swift-sdk gatecheck-trixie-aarch64` cross-compiles and links with the toolchain's lld.
#
# Everything is cached in $GATECHECK_CROSS_CACHE (default .build-release/cross, git-ignored). Each step leaves a stamp and is
# skipped when its stamp is there, so a second run costs nothing. The chroot's mounts live in a private mount
# namespace (unshare): none outlives the command, and deleting the cache can never reach the bind-mounted worktree.
#
# Usage (as root: debootstrap, chroot and mounts need it):
#   packaging/cross-arm64.sh setup                 downloads and assembles the compiler, the sysroot and the SDK
#   packaging/cross-arm64.sh swift build ARGS...   `swift build ARGS...` in the chroot, cross-compiling for arm64
#                                                  (runs setup first; the SDK's flags are added)
#   packaging/cross-arm64.sh run PROGRAM ARGS...   runs an arm64 PROGRAM with qemu-aarch64-static on the sysroot
#   packaging/cross-arm64.sh sysroot               prints the sysroot's path
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cross=$(realpath -m "${GATECHECK_CROSS_CACHE:-$root/.build-release/cross}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The compiler (amd64) and the runtime (arm64) must be the same build: pinned here, both from sid.
swiftlang_version=${SWIFTLANG_VERSION:-6.2.3-1+b1}
# What the sysroot needs to link gatecheck (and the benchmark and demo tools): Debian names, trixie versions.
sysroot_packages=libc6-dev,libssl-dev,libzbar-dev,libv4l-dev,libpng-dev,libjpeg62-turbo-dev,zlib1g-dev,libqrencode-dev,libcurl4-openssl-dev,libstdc++-14-dev,libgcc-14-dev
sdk_name=gatecheck-trixie-aarch64
triple=aarch64-unknown-linux-gnu

chroot_dir=$cross/sid-amd64
sysroot=$cross/trixie-arm64
sdks=$cross/sdks
debs=$cross/debs
aptdir=$cross/apt
# A step is redone when what it is made from changes: its stamp's name holds a hash of that.
chroot_key=$(echo "$swiftlang_version" | md5sum | cut -c1-12)
sysroot_key=$(echo "$swiftlang_version $sysroot_packages with-shared-runtime" | md5sum | cut -c1-12)
deb_version=${swiftlang_version/:/%3a}

log() { echo "cross-arm64: $*" >&2; }
stamp() { # STEP
    case $1 in chroot) echo "$cross/.done-chroot-$chroot_key" ;; sysroot) echo "$cross/.done-sysroot-$sysroot_key" ;; esac
}
timed() { # NAME COMMAND...: runs COMMAND and logs how long it took
    local start=$SECONDS
    "${@:2}"
    log "$1: $((SECONDS - start)) s"
}
quiet() { nice -n 19 ionice -c3 "$@"; }

# A private apt configuration (sid, amd64 and arm64) that only downloads: the host's apt is untouched.
apt_private() {
    if [ ! -f "$aptdir/apt.conf" ]; then
        mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/etc/preferences.d" "$aptdir/etc/sources.list.d"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" > "$aptdir/etc/sources.list"
        cat > "$aptdir/apt.conf" <<EOF
Dir::Etc::SourceList "$aptdir/etc/sources.list";
Dir::Etc::SourceParts "$aptdir/etc/sources.list.d";
Dir::Etc::Preferences "$aptdir/etc/preferences";
Dir::Etc::PreferencesParts "$aptdir/etc/preferences.d";
Dir::State::Lists "$aptdir/lists";
Dir::State::status "/dev/null";
Dir::Cache "$aptdir/cache";
APT::Architectures { "amd64"; "arm64"; };
APT::Architecture "amd64";
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
EOF
    fi
    APT_CONFIG=$aptdir/apt.conf "$@"
}

# 1. sid's swiftlang for amd64 (the compiler) and arm64 (the runtime), at the pinned version. Once the chroot
#    and the sysroot are made, the 1.1 GB of packages are deleted (see setup).
swiftlang_debs() {
    local p
    for p in swiftlang_"$deb_version"_amd64 libswiftlang_"$deb_version"_amd64 swiftlang_"$deb_version"_arm64 libswiftlang_"$deb_version"_arm64; do
        echo "$debs/$p.deb"
    done
}
download_swiftlang() {
    [ -f "$(stamp chroot)" ] && [ -f "$(stamp sysroot)" ] && return
    local deb missing=0
    for deb in $(swiftlang_debs); do [ -f "$deb" ] || missing=1; done
    [ "$missing" = 0 ] && return
    mkdir -p "$debs"
    apt_private quiet apt-get update -q >&2
    local v=$swiftlang_version
    if ! (cd "$debs" && apt_private quiet apt-get download -q \
        "swiftlang:amd64=$v" "libswiftlang:amd64=$v" "swiftlang:arm64=$v" "libswiftlang:arm64=$v" >&2); then
        log "sid no longer has swiftlang $v for both amd64 and arm64; it has:"
        apt_private apt-cache policy swiftlang:amd64 swiftlang:arm64 >&2 || true
        log "set SWIFTLANG_VERSION to a version both have (and check the build), or update the pin in $0"
        exit 1
    fi
}

# 2. A sid amd64 chroot with the compiler, and libc6-dev and git (package manifests and dependencies need them).
make_chroot() {
    [ -f "$(stamp chroot)" ] && return
    rm -rf "$chroot_dir"
    quiet debootstrap --variant=minbase --arch=amd64 --include=git,ca-certificates,libc6-dev sid "$chroot_dir" "$mirror" >&2
    mkdir -p "$chroot_dir/tmp/debs"
    cp "$debs/swiftlang_${deb_version}_amd64.deb" "$debs/libswiftlang_${deb_version}_amd64.deb" "$chroot_dir/tmp/debs/"
    in_chroot / apt-get -q -o Acquire::Check-Valid-Until=false update >&2
    in_chroot / env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "/tmp/debs/libswiftlang_${deb_version}_amd64.deb" "/tmp/debs/swiftlang_${deb_version}_amd64.deb" >&2
    rm -rf "$chroot_dir/tmp/debs" "$chroot_dir"/var/cache/apt/archives/*.deb
    touch "$(stamp chroot)"
}

# The host git's URL rewrites (say GitHub to a local mirror) hold in the chroot too; local mirror directories
# are bind-mounted at their own paths.
url_rewrites() { git config --get-regexp '^url\..*\.insteadof$' 2>/dev/null | sort -u || true; }
git_config_for_chroot() {
    local file=$chroot_dir/etc/gitconfig name value base
    : > "$file"
    git config --file "$file" safe.directory '*'
    url_rewrites | while read -r name value; do
        base=${name#url.}
        git config --file "$file" --add "url.${base%.insteadof}.insteadOf" "$value"
    done
}
local_mirrors() {
    local name value base
    url_rewrites | while read -r name value; do
        base=${name#url.}
        base=${base%.insteadof}
        case $base in /*) [ -d "$base" ] && echo "${base%/}" ;; esac
    done | sort -u
}

# in_chroot DIR COMMAND...: runs COMMAND in DIR in the chroot, in a private mount namespace where /proc, /dev,
# the worktree and local git mirrors are mounted at their own paths (every path means the same inside and out).
in_chroot() {
    local dir=$1 m mounts
    shift
    mounts="mount -t proc proc '$chroot_dir/proc' && mount --rbind /dev '$chroot_dir/dev'"
    mounts+=" && mkdir -p '$chroot_dir$root' && mount --bind '$root' '$chroot_dir$root'"
    # The sysroot and the SDK too, for a CROSS outside the worktree (inside it, these mounts change nothing).
    for m in "$sysroot" "$sdks"; do
        [ -d "$m" ] && mounts+=" && mkdir -p '$chroot_dir$m' && mount --bind '$m' '$chroot_dir$m'"
    done
    for m in $(local_mirrors); do
        mounts+=" && mkdir -p '$chroot_dir$m' && mount --bind -o ro '$m' '$chroot_dir$m'"
    done
    cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null || true
    # In the outer bash -c, $0 is the chroot, $1 the directory and the rest the command.
    quiet unshare --mount --propagation private bash -c \
        "$mounts"' && exec chroot "$0" /usr/bin/env HOME=/root bash -c '\''cd "$0" && exec "$@"'\'' "$@"' \
        "$chroot_dir" "$dir" "$@"
}

# 3. The trixie arm64 sysroot: debootstrap's first stage (no emulator needed), every downloaded package
#    unpacked, absolute symbolic links made relative (so they stay inside the sysroot), and the arm64 Swift
#    runtime (usr/libexec/swift/lib/{swift,swift_static,clang} of swiftlang:arm64, and libswiftlang:arm64's
#    shared libraries for builds without --static-swift-stdlib) added under usr/lib.
make_sysroot() {
    [ -f "$(stamp sysroot)" ] && return
    rm -rf "$sysroot"
    quiet debootstrap --foreign --variant=minbase --arch=arm64 --include="$sysroot_packages" trixie "$sysroot" "$mirror" >&2
    local deb link target
    for deb in "$sysroot"/var/cache/apt/archives/*.deb; do quiet dpkg-deb -x "$deb" "$sysroot"; done
    rm -f "$sysroot"/var/cache/apt/archives/*.deb
    find "$sysroot" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot$target")" "$link"
    done
    quiet dpkg-deb --fsys-tarfile "$debs/swiftlang_${deb_version}_arm64.deb" |
        quiet tar -x -C "$sysroot" --transform 's,^\./usr/libexec/swift/lib/,./usr/lib/,' \
            --exclude='./usr/libexec/swift/lib/swift/host' --exclude='./usr/libexec/swift/lib/swift/pm' \
            ./usr/libexec/swift/lib/swift ./usr/libexec/swift/lib/swift_static ./usr/libexec/swift/lib/clang
    quiet dpkg-deb --fsys-tarfile "$debs/libswiftlang_${deb_version}_arm64.deb" |
        quiet tar -x -C "$sysroot" --transform 's,^\./usr/libexec/swift/lib/,./usr/lib/,' \
            --exclude='./usr/libexec/swift/lib/swift/host' ./usr/libexec/swift/lib/swift
    [ -f "$sysroot/usr/lib/swift_static/linux/aarch64/swiftrt.o" ] || { log "no aarch64 static runtime in swiftlang:arm64"; exit 1; }
    touch "$(stamp sysroot)"
}

# 4. The Swift SDK artifact bundle. Its paths are absolute: the chroot sees the worktree at its own path.
make_sdk() {
    local dir=$sdks/$sdk_name.artifactbundle
    mkdir -p "$dir/trixie-aarch64"
    cat > "$dir/info.json" <<EOF
{
  "schemaVersion": "1.0",
  "artifacts": {
    "$sdk_name": {
      "type": "swiftSDK",
      "version": "${swiftlang_version%%-*}",
      "variants": [ { "path": "trixie-aarch64" } ]
    }
  }
}
EOF
    cat > "$dir/trixie-aarch64/swift-sdk.json" <<EOF
{
  "schemaVersion": "4.0",
  "targetTriples": {
    "$triple": {
      "sdkRootPath": "$sysroot",
      "swiftResourcesPath": "$sysroot/usr/lib/swift",
      "swiftStaticResourcesPath": "$sysroot/usr/lib/swift_static",
      "toolsetPaths": ["toolset.json"]
    }
  }
}
EOF
    cat > "$dir/trixie-aarch64/toolset.json" <<EOF
{
  "schemaVersion": "1.0",
  "swiftCompiler": { "extraCLIOptions": ["-use-ld=lld"] }
}
EOF
}

setup() {
    if [ "$(id -u)" -ne 0 ]; then log "needs root (debootstrap, chroot, mounts)"; exit 1; fi
    mkdir -p "$cross"
    timed "swiftlang $swiftlang_version downloaded (amd64, arm64)" download_swiftlang
    timed "sid amd64 chroot with swiftlang" make_chroot
    timed "trixie arm64 sysroot" make_sysroot
    # shellcheck disable=SC2046 # the paths have no spaces
    rm -f $(swiftlang_debs)
    make_sdk
    git_config_for_chroot
}

case ${1:-} in
setup) setup ;;
swift)
    [ "${2:-}" = build ] || { log "usage: $0 swift build ARGS..."; exit 2; }
    shift 2
    setup
    # SwiftPM reads the C libraries' .pc files from the sysroot and prefixes their -I and -L with it.
    in_chroot "$PWD" env PKG_CONFIG_PATH="$sysroot/usr/lib/aarch64-linux-gnu/pkgconfig:$sysroot/usr/share/pkgconfig" \
        PKG_CONFIG_SYSROOT_DIR="$sysroot" GATECHECK_WARNINGS_AS_ERRORS="${GATECHECK_WARNINGS_AS_ERRORS:-}" \
        swift build --swift-sdks-path "$sdks" --swift-sdk "$sdk_name" "$@"
    ;;
run)
    shift
    QEMU_LD_PREFIX=$sysroot exec qemu-aarch64-static "$@"
    ;;
sysroot) echo "$sysroot" ;;
*)
    sed -n '2,/^set -e/p' "$0" | grep -v '^set -e' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
