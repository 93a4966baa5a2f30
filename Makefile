# GateCheck: one command each for the tests, the demo and the benchmarks.
# Each installs the Debian packages it needs first (apt-get, as root) when any is missing.

# What building needs (the demo needs no more): the C libraries' -dev packages and pkg-config (libcurl's OpenSSL
# flavour for `gatecheck trust fetch`).
BUILD_PACKAGES := pkg-config libssl-dev zlib1g-dev libzbar-dev libpng-dev libjpeg-dev libv4l-dev libqrencode-dev libcurl4-openssl-dev
# What the tests need on top:
# dosfstools, mtools, e2fsprogs and util-linux (mkfs.vfat, mcopy, mkfs.ext4 -d, losetup) make the FAT (and one
# ext4) sticks the tests read and import from a real block device;
# zbar-tools (zbarimg) is the independent reader the scan tests compare with; openssl, the benchmark's yardstick;
# python3 runs the soak's driver (make soak);
# systemd, udev, help2man and dpkg check and build the installable package (make check-packaging);
# debootstrap makes the clean bookworm root the .deb is installed into; QEMU runs the system-test tier
# (make test-system).
# prometheus (promtool) and python3-prometheus-client are the real parsers the Prometheus textfile and the example
# alert rules are checked with (docs/fleet.md); on a systemd host the prometheus package also starts a server on
# :9090, which no test uses.
TEST_PACKAGES := openssl e2fsprogs util-linux zbar-tools systemd udev help2man dpkg-dev fakeroot debootstrap \
	qemu-system-x86 dosfstools mtools python3 prometheus python3-prometheus-client
CORPUS ?= $(if $(GATECHECK_CORPUS),$(GATECHECK_CORPUS),../shared/corpus)
SWIFT ?= swift

.PHONY: build-deps deps cross-deps build test unit-test demo demo-samples bench fuzz fuzz-build fuzz-long test-asan test-tsan test-robustness clean release man install deb deb-path check-packaging test-system soak

# Installs what is missing of PACKAGES (apt-get; sudo when not root).
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi
endef

build-deps:
	$(call install_missing,$(BUILD_PACKAGES))

deps: build-deps
	$(call install_missing,$(TEST_PACKAGES))

build: build-deps
	$(SWIFT) build

# The Swift tests run one at a time. Run in parallel on 2 cores, the many tests that block a thread (spawning
# gatecheck, waiting on a subprocess) fill Swift's cooperative pool, and the in-process daemon tests then wait
# minutes for a thread and miss their start-up allowance. Serial costs about two minutes and is deterministic.
SWIFT_TEST := $(SWIFT) test --no-parallel

# Everything CI runs: the Swift tests; the robustness checks (docs/reliability.md: the tests again under
# AddressSanitizer, the concurrent ones under ThreadSanitizer, every fuzzer for a minute, a 3-minute soak;
# GATECHECK_ROBUSTNESS_TESTS=0 skips them); the packaging checks (units, udev rules, .deb in a clean root); the
# system-test tier on a real kernel under QEMU (GATECHECK_SYSTEM_TESTS=0 skips that tier), and the same tier
# on arm64 with the cross-built arm64 package (GATECHECK_ARM64_TESTS=0 skips only that one).
test: deps
	$(SWIFT_TEST)
	$(if $(filter 0,$(GATECHECK_ROBUSTNESS_TESTS)),@echo "NOTICE: GATECHECK_ROBUSTNESS_TESTS=0: no sanitizer runs; no fuzzing; no soak",\
		$(MAKE) test-robustness)
	$(MAKE) check-packaging
	$(MAKE) test-system
	$(if $(filter 0,$(GATECHECK_ARM64_TESTS)),@echo "NOTICE: GATECHECK_ARM64_TESTS=0: the arm64 system tier is skipped",\
		$(if $(filter 0,$(GATECHECK_SYSTEM_TESTS)),,$(MAKE) test-system ARCH=arm64))

# The Swift tests alone.
unit-test: deps
	$(SWIFT_TEST)

# The real daemon on the committed demo frames (demo/), console lamps; no camera, root, config or corpus.
# Both products: the demo's closing hint runs `gatecheck status`. The second build only compiles gatecheck's own target.
demo: build-deps
	$(SWIFT) build --product gatecheckd
	$(SWIFT) build --product gatecheck
	.build/debug/gatecheckd --demo --demo-dir demo

# The real pipeline (image file → zbar → HC1 decode → signature and policies) on the corpus's recorded samples.
demo-samples: deps
	$(SWIFT) build --product gatecheck
	@if [ ! -d "$(CORPUS)/samples" ]; then echo "demo-samples needs the shared corpus at $(CORPUS) (or set GATECHECK_CORPUS)"; exit 1; fi
	@echo "== what zbar reads in the recorded samples (QR only: the spurious barcode in the MK image is ignored)"
	@.build/debug/gatecheck scan --json $(CORPUS)/samples/vn-vaccination.png $(CORPUS)/samples/mk-test-spurious-i25.png | cut -c1-160
	@echo "== Vietnam vaccination certificate (PS256), German test trust list, clock 2022-06-01"
	@.build/debug/gatecheck verify --trust $(CORPUS)/trustlists/de-test \
		--trust-list-key $(CORPUS)/trustlists/de-test/dsc-list-signing-key.pem \
		--at 2022-06-01T00:00:00Z $(CORPUS)/samples/vn-vaccination.png || true
	@echo "== the same certificate today: its signer and the credential have expired"
	@.build/debug/gatecheck verify --trust $(CORPUS)/trustlists/de-test \
		--trust-list-key $(CORPUS)/trustlists/de-test/dsc-list-signing-key.pem \
		--json $(CORPUS)/samples/vn-vaccination.png || true
	@echo "== North Macedonia test certificate (spurious barcode in the image; RSA-1024 signer refused)"
	@.build/debug/gatecheck verify --trust $(CORPUS)/trustlists/de-test \
		--trust-list-key $(CORPUS)/trustlists/de-test/dsc-list-signing-key.pem \
		--at 2022-02-01T12:00:00Z $(CORPUS)/samples/mk-test-spurious-i25.png || true

bench: deps
	$(SWIFT) build -c release --product gatecheck-bench
	.build/release/gatecheck-bench
	.build/release/gatecheck-bench --revocation
	.build/release/gatecheck-bench --scan
	.build/release/gatecheck-bench --rules

clean:
	rm -rf .build

# The release gatecheckd for SOAK_MINUTES (default 3) on a looping replay of the demo frames and codeless frames,
# with SIGHUP reloads and trust bundle swaps: fails on a wrong decision, a dead daemon, or RSS, fds or threads that
# grow. Samples every SOAK_SAMPLE_SECONDS (default 30 below 10 minutes, else 60). See docs/soak.md.
SOAK_MINUTES ?= 3
SOAK_SAMPLE_SECONDS ?=
# Every SOAK_RESTART_EVERY-th SIGHUP (default 2) changes the file, which restarts the gate; 0 never does.
SOAK_RESTART_EVERY ?=
soak: release
	Tests/Soak/soak.py --bin $(RELEASE_BIN) --minutes $(SOAK_MINUTES) $(if $(SOAK_SAMPLE_SECONDS),--sample-seconds $(SOAK_SAMPLE_SECONDS)) \
		$(if $(SOAK_RESTART_EVERY),--restart-every $(SOAK_RESTART_EVERY))

# libFuzzer, one harness per parser (Fuzz/Sources, listed in docs/reliability.md), under AddressSanitizer (and, for
# our C shims, UndefinedBehaviorSanitizer in trap mode: swiftc has no UBSan on Linux), each seeded with
# Fuzz/Seeds/<name>/ (and the shared corpus's real credentials and rules
# when it is there). `make fuzz` runs each FUZZ_SECONDS (default 60), `make fuzz-long` each to FUZZ_RUNS executions
# (default 10 M); FUZZ_HARNESSES=CBOR,JSON runs some alone. Both print one line per harness (Fuzz/run) and fail on
# any finding; the inputs are kept in .build-fuzz/fuzz-findings/<name>/.
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 10000000
FUZZ_HARNESSES ?=
FUZZ_SCRATCH := .build-fuzz
comma := ,
FUZZ_RUN := FUZZ_HARNESSES="$(subst $(comma), ,$(FUZZ_HARNESSES))" CORPUS="$(CORPUS)" Fuzz/run $(FUZZ_SCRATCH)

fuzz-build: deps
	$(SWIFT) build -c release --package-path Fuzz --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address \
		-Xcc -fsanitize=fuzzer-no-link,address,undefined -Xcc -fsanitize-trap=undefined -Xswiftc -use-ld=lld

fuzz: fuzz-build
	@$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS)

fuzz-long: fuzz-build
	@FUZZ_LEAK_PASS=1 $(FUZZ_RUN) -runs=$(FUZZ_RUNS) -detect_leaks=0

# The Swift tests once more under AddressSanitizer (the CLI tests run the ASan-built gatecheck too), and the tests
# of the concurrent parts — the scan pipeline and the daemon — under ThreadSanitizer. Each sanitizer builds in a
# folder of its own; a report fails the run. Leaks are not looked for at the suite's exit: in a debug build
# LeakSanitizer takes memory held through Swift enums (whose spare bits hide the pointer) for leaked, thousands
# of false reports; the fuzzers check every input for leaks and the soak watches the daemon's memory for hours
# (docs/reliability.md). XCTest is off: the tests are Swift Testing's.
TSAN_TESTS := ScanPipelineTests\.|GateDaemonTests\.

test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT_TEST) --disable-xctest --sanitize=address --scratch-path .build-asan

test-tsan: deps
	$(SWIFT_TEST) --disable-xctest --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'

# What `make test` runs for robustness (docs/reliability.md), each stage timed.
test-robustness: deps
	@for stage in test-asan test-tsan fuzz "soak SOAK_MINUTES=3"; do \
		start=$$(date +%s); $(MAKE) --no-print-directory $$stage || exit 1; \
		echo "robustness: $$stage took $$(( $$(date +%s) - start )) s"; \
	done

# MARK: Installing

# ARCH=arm64 (on an amd64 machine) cross-builds release, man, install, deb and deb-path for Debian 13 (trixie)
# arm64 with packaging/cross-arm64.sh (sid's swiftlang in a chroot, a trixie arm64 sysroot, a Swift SDK of our own;
# cached in .build-release/cross) into .build-release/arm64; the manuals run the arm64 binary under
# qemu-aarch64-static. Without ARCH, or with the machine's own, nothing changes.
ARCH ?=
HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
ifeq ($(filter-out $(HOST_ARCH) $(shell uname -m),$(ARCH)),)
CROSS :=
else ifeq ($(ARCH),arm64)
CROSS := packaging/cross-arm64.sh
RELEASE_SCRATCH ?= .build-release/arm64
else
$(error ARCH=$(ARCH): only arm64 (cross-built on amd64) or this machine's own architecture)
endif
# What cross-building needs besides the native build's packages: the sysroot and the compiler's chroot
# (debootstrap), stripping (aarch64 binutils), running the binary for its manuals and building the test machine
# (qemu-user-static), and the arm64 system tier (qemu-system-arm, cpio for its initramfs).
CROSS_PACKAGES := debootstrap binutils-aarch64-linux-gnu qemu-user-static help2man dpkg-dev qemu-system-arm cpio

cross-deps:
	$(call install_missing,$(CROSS_PACKAGES))

VERSION := $(shell sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/DaemonSupport/GateCheckVersion.swift)
PREFIX ?= /usr
DESTDIR ?=
RELEASE_SCRATCH ?= .build-release
RELEASE_BIN := $(RELEASE_SCRATCH)/release
RELEASE_FLAGS := -c release --static-swift-stdlib --scratch-path $(RELEASE_SCRATCH)
MAN_DIR := $(RELEASE_SCRATCH)/man
DEB_ROOT := $(RELEASE_SCRATCH)/deb-root
ifeq ($(CROSS),)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
RELEASE_SWIFT := $(SWIFT)
RUN_RELEASE :=
OBJCOPY := objcopy
STRIP := strip
else
DEB_ARCH := $(ARCH)
RELEASE_SWIFT := $(CROSS) swift
RUN_RELEASE := $(abspath $(CROSS)) run
OBJCOPY := aarch64-linux-gnu-objcopy
STRIP := aarch64-linux-gnu-strip
endif
DEB := $(RELEASE_SCRATCH)/gatecheck_$(VERSION)_$(DEB_ARCH).deb

# Release binary with the Swift runtime linked in: the target needs only Debian's packages. One multi-call binary:
# gatecheckd is installed as a link to gatecheck, which runs the daemon when called by that name.
# The binary, the manual pages and the .deb are real files: Make rebuilds each only when one of its inputs
# changed, so `make test` builds the .deb at most once and check-packaging and test-system share it.
# (SwiftPM decides what to recompile; the inputs here only say when to ask it. Sources covers every module.)
RELEASE_PRODUCTS := $(RELEASE_BIN)/gatecheck
RELEASE_INPUTS := Package.swift $(wildcard Package.resolved) $(shell find Sources -type f)
MAN_PAGES := $(MAN_DIR)/gatecheck.1 $(MAN_DIR)/gatecheckd.8
# Everything `make install` puts in the package besides the binaries and manuals (demo/ subdirectories included, so
# an added or removed demo file counts too), and this Makefile, whose recipes say how.
PACKAGE_INPUTS := Makefile $(wildcard systemd/* udev/*.rules packaging/deb/*) README.md \
	docs/daemon.md docs/trust-bundles.md docs/verification.md docs/formats.md docs/rules.md docs/deployment.md docs/fleet.md \
	docs/gatecheck.conf.example $(wildcard docs/examples/*.conf docs/examples/prometheus/*.yml docs/examples/grafana/*.json) \
	$(shell find demo -mindepth 1)
# Debug information of the packaged binary: kept out of the .deb, saved here (gdb finds gatecheck.debug through the
# stripped binary's .gnu_debuglink when it sits beside the binary or in /usr/lib/debug/usr/bin/).
DEBUG_DIR := $(RELEASE_SCRATCH)/gatecheck-dbgsym_$(VERSION)_$(DEB_ARCH)

release: $(RELEASE_PRODUCTS)

$(RELEASE_PRODUCTS) &: $(RELEASE_INPUTS) | deps $(if $(CROSS),cross-deps)
	$(RELEASE_SWIFT) build $(RELEASE_FLAGS) --product gatecheck
	touch $(RELEASE_PRODUCTS)

man: $(MAN_PAGES)

$(MAN_PAGES) &: $(RELEASE_PRODUCTS) packaging/man.sh
	$(if $(RUN_RELEASE),GATECHECK_EMULATOR="$(RUN_RELEASE)" )packaging/man.sh $(RELEASE_BIN) $(MAN_DIR) $(VERSION)

# DESTDIR and PREFIX as usual. Units and rules name the binaries under PREFIX.
install: release man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/udev/rules.d \
		$(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/doc/gatecheck $(DESTDIR)$(PREFIX)/share/gatecheck \
		$(DESTDIR)/etc/gatecheck/anchors
	install -m 755 $(RELEASE_BIN)/gatecheck $(DESTDIR)$(PREFIX)/bin/
	ln -sf gatecheck $(DESTDIR)$(PREFIX)/bin/gatecheckd
	for unit in systemd/gatecheckd.service systemd/gatecheck-trust-import@.service systemd/gatecheck-trust-fetch.service \
		systemd/gatecheck-trust-fetch.timer; do \
		sed 's|/usr/bin/|$(PREFIX)/bin/|g' $$unit > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$unit); \
		chmod 644 $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$unit); done
	install -m 644 udev/*.rules $(DESTDIR)$(PREFIX)/lib/udev/rules.d/
	install -m 644 systemd/gatecheck.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/gatecheck.conf
	install -m 644 systemd/gatecheck.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/gatecheck.conf
	install -m 644 docs/gatecheck.conf.example $(DESTDIR)/etc/gatecheck/gatecheck.conf
	gzip -9n < $(MAN_DIR)/gatecheck.1 > $(DESTDIR)$(PREFIX)/share/man/man1/gatecheck.1.gz
	gzip -9n < $(MAN_DIR)/gatecheckd.8 > $(DESTDIR)$(PREFIX)/share/man/man8/gatecheckd.8.gz
	install -m 644 README.md docs/daemon.md docs/trust-bundles.md docs/verification.md docs/formats.md docs/rules.md docs/deployment.md \
		docs/fleet.md docs/gatecheck.conf.example $(DESTDIR)$(PREFIX)/share/doc/gatecheck/
	install -d $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples
	install -m 644 docs/examples/*.conf $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples/
	install -d $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples/prometheus $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples/grafana
	install -m 644 docs/examples/prometheus/*.yml $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples/prometheus/
	install -m 644 docs/examples/grafana/*.json $(DESTDIR)$(PREFIX)/share/doc/gatecheck/examples/grafana/
	rm -rf $(DESTDIR)$(PREFIX)/share/gatecheck/demo
	cp -R demo $(DESTDIR)$(PREFIX)/share/gatecheck/demo
	chmod -R u=rwX,go=rX $(DESTDIR)$(PREFIX)/share/gatecheck/demo

# A .deb built with dpkg-deb from an install into a staging root; maintainer scripts in packaging/deb.
# The packaged binary is stripped; its debug information goes to $(DEBUG_DIR).
deb: $(DEB)

deb-path:
	@echo $(abspath $(DEB))

$(DEB): $(RELEASE_PRODUCTS) $(MAN_PAGES) $(PACKAGE_INPUTS)
	rm -rf $(DEB_ROOT) $(DEBUG_DIR)
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr
	install -d $(DEBUG_DIR)
	$(OBJCOPY) --only-keep-debug --compress-debug-sections=zlib $(DEB_ROOT)/usr/bin/gatecheck $(DEBUG_DIR)/gatecheck.debug
	$(STRIP) --remove-section=.comment --remove-section=.note $(DEB_ROOT)/usr/bin/gatecheck
	$(OBJCOPY) --add-gnu-debuglink=$(DEBUG_DIR)/gatecheck.debug $(DEB_ROOT)/usr/bin/gatecheck
	install -d -m 755 $(DEB_ROOT)/DEBIAN
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/@ARCH@/$(DEB_ARCH)/' -e "s/@SIZE@/$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)/" \
		packaging/deb/control.in > $(DEB_ROOT)/DEBIAN/control
	install -m 644 packaging/deb/conffiles $(DEB_ROOT)/DEBIAN/conffiles
	install -m 755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm $(DEB_ROOT)/DEBIAN/
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $@.tmp
	mv $@.tmp $@
	@echo "built $@ (debug information in $(DEBUG_DIR))"

# systemd-analyze verify and security on both units, udevadm test on the rules, the .deb's contents
# against Tests/Packaging/deb-manifest.txt, and an install into a clean debootstrapped bookworm root.
check-packaging: deps $(DEB)
	$(if $(CROSS),$(error check-packaging ARCH=$(ARCH) is not there yet (issue 15: the arm64 system tier)))
	Tests/Packaging/check $(DEB)

# GateCheck on a real kernel in an emulated machine: vivid capture, keyboard LEDs, USB sticks through udev
# and systemd. SCENARIOS=name[,name] runs some alone. See Tests/System/run.
SCENARIOS ?=
test-system: deps $(DEB) $(if $(CROSS),cross-deps)
	GATECHECK_SYSTEM_ARCH=$(DEB_ARCH) GATECHECK_DEB=$(abspath $(DEB)) Tests/System/run $(SCENARIOS)
