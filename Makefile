# GateCheck: one command each for the tests, the demo and the benchmarks.
# Each installs the Debian packages it needs first (apt-get, as root) when any is missing.

# e2fsprogs and util-linux (mkfs.ext4 -d, losetup) let the tests import from a real block device;
# zbar-tools (zbarimg) is the independent reader the scan tests compare with.
APT_PACKAGES := pkg-config libssl-dev zlib1g-dev libzbar-dev libpng-dev libjpeg-dev libv4l-dev libqrencode-dev openssl e2fsprogs util-linux zbar-tools
CORPUS ?= $(if $(GATECHECK_CORPUS),$(GATECHECK_CORPUS),../shared/corpus)
SWIFT ?= swift

.PHONY: deps build test demo demo-samples bench fuzz clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) test

# The real daemon on the committed demo frames (demo/), console lamps; no camera, root, config or corpus.
demo: deps
	$(SWIFT) build --product gatecheckd
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

clean:
	rm -rf .build

# libFuzzer on the verifier for FUZZ_SECONDS (default 60), seeded with the corpus's HC1 payloads.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build -c release --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	mkdir -p .build-fuzz/seeds
	-[ -d "$(CORPUS)/samples" ] && cp $(CORPUS)/samples/*.hc1.txt .build-fuzz/seeds/
	.build-fuzz/release/FuzzVerifier -max_total_time=$(FUZZ_SECONDS) -max_len=8192 .build-fuzz/seeds
