// swift-tools-version:6.1
import PackageDescription

// Every target builds in Swift 6 language mode with these upcoming features on. CI (.ci/run) sets
// GATECHECK_WARNINGS_AS_ERRORS=1, so a new warning in our targets fails it; dependencies are not affected, and a
// developer's build (say with a newer toolchain's new warnings) still links without it.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
] + (Context.environment["GATECHECK_WARNINGS_AS_ERRORS"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : [])

// Linux only: V4L2, sysfs lamps, systemd and Glibc; product modules use FoundationEssentials and
// Synchronization.Mutex. No platforms are listed, since nothing here builds for Apple's.
let package = Package(
    name: "GateCheck",
    products: [
        .executable(name: "gatecheck", targets: ["gatecheck"]),
        .executable(name: "gatecheckd", targets: ["gatecheckd"]),
        .library(name: "HealthCredentials", targets: ["HealthCredentials"]),
        // For Fuzz/ (the USB stick's FAT reader, the trust bundle reader).
        .library(name: "TrustStore", targets: ["TrustStore"]),
        // For Fuzz/ only: the parsers fuzzed alone (CBOR, JSON, images, gatecheck.conf and the status reply).
        .library(name: "CBOR", targets: ["CBOR"]),
        .library(name: "Zlib", targets: ["Zlib"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "GateVocabulary", targets: ["GateVocabulary"]),
        // For Fuzz/ only: each credential format's decoder, and the rules language.
        .library(name: "SmartHealthCards", targets: ["SmartHealthCards"]),
        .library(name: "VisibleDigitalSeals", targets: ["VisibleDigitalSeals"]),
        .library(name: "NZCovidPass", targets: ["NZCovidPass"]),
        .library(name: "CertLogic", targets: ["CertLogic"]),
        .library(name: "AdmissionRules", targets: ["AdmissionRules"]),
        // For Fuzz/ only: what `trust bundle create` reads (gateway and GDHCN lists, rules downloads, value sets).
        .library(name: "TrustSources", targets: ["TrustSources"]),
    ],
    dependencies: [
        // Command-line parsing for both executables.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The daemon's logging API (our handler writes journald lines) and its service lifecycle
        // (ordered start, graceful shutdown in reverse, Unix signals as an async sequence).
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // File descriptors, errno and paths for the system-call layer (SystemCalls).
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // MARK: C libraries. Only the wrapper module named beside each imports it.
        // OpenSSL 3 libcrypto -> GateCheckCrypto
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // zlib -> Zlib
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // zbar -> CodeScanning
        .systemLibrary(name: "CZBar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        // libqrencode -> QREncoding (tests, demo and benchmarks draw codes; the product only reads them)
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // libcurl (OpenSSL flavour) -> TrustUpdates: `gatecheck trust fetch` over HTTPS
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libpng + libjpeg decoding to 8-bit grey -> Imaging
        .target(name: "CImageIO", path: "Sources/CImageIO", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
        // libv4l2 + libv4lconvert (VIDIOC_* codes, fourccs, non-variadic ioctl/open/mmap wrappers) -> V4L2Capture
        .target(name: "CV4L2", path: "Sources/CV4L2", linkerSettings: [.linkedLibrary("v4l2"), .linkedLibrary("v4lconvert")]),

        // The protocol every module's one error type adopts: a stable code, a detail, equality by code. No dependencies.
        .target(name: "CodedErrors", swiftSettings: strictSettings),

        // MARK: Wrappers around the C libraries.
        // The one system-call layer over Glibc and swift-system: EINTR retry, errors naming the call and the path,
        // bounded and no-follow reads, sockets, poll, mmap, Duration helpers, and the package's clocks (MonotonicClock, WallClock).
        .target(name: "SystemCalls", dependencies: [.product(name: "SystemPackage", package: "swift-system")], swiftSettings: strictSettings),
        .target(name: "GateCheckCrypto", dependencies: ["COpenSSL", "CodedErrors"], swiftSettings: strictSettings),
        .target(name: "Zlib", dependencies: ["CZlib"], swiftSettings: strictSettings),
        // Grey images: PNG and JPEG (through CImageIO) and PGM decoding with size limits, PNG writing, pre-processing, statistics. No zbar.
        .target(name: "Imaging", dependencies: ["CImageIO", "CodedErrors", "SystemCalls"], swiftSettings: strictSettings),
        // zbar QR scanning of grey images, and the command line's code inputs (image files, payload lines).
        .target(name: "CodeScanning", dependencies: ["CZBar", "CodedErrors", "Imaging", "JSON", "SystemCalls"], swiftSettings: strictSettings),
        .target(name: "QREncoding", dependencies: ["CQREncode", "Imaging"], swiftSettings: strictSettings),

        // MARK: Frames and the scan pipeline.
        // Frame sources (protocol, replay, raw sequences): no C. Their clock is SystemCalls' MonotonicClock.
        .target(name: "Frames", dependencies: ["CodedErrors", "Imaging", "SystemCalls"], swiftSettings: strictSettings),
        // V4L2 camera capture (a FrameSource), device listing, controls and crop; the only module importing CV4L2.
        .target(name: "V4L2Capture", dependencies: ["CV4L2", "Frames", "Imaging", "SystemCalls"], swiftSettings: strictSettings),
        // Frames -> codes -> decisions: newest-frame mailbox, de-duplication, counters; the aim meter. No logging, no C of its own.
        .target(name: "ScanPipeline", dependencies: ["Frames", "CodeScanning", "Imaging", "HealthCredentials", "SystemCalls"], swiftSettings: strictSettings),

        // MARK: Formats and verification.
        // RFC 8949 CBOR: no dependencies but CodedErrors, no Foundation.
        .target(name: "CBOR", dependencies: ["CodedErrors"], swiftSettings: strictSettings),
        // RFC 8259 JSON, the package's only JSON: bounded two-phase parser (exact integers), writer. No dependencies but CodedErrors.
        .target(name: "JSON", dependencies: ["CodedErrors"], swiftSettings: strictSettings),
        // CertLogic (the EU's JsonLogic dialect for business rules): validation once, bounded evaluation. JSON only.
        .target(name: "CertLogic", dependencies: ["CodedErrors", "JSON"], swiftSettings: strictSettings),
        // Admission rules in the EU gateway's format: rules, value sets, selection for a gate, rule tests.
        .target(name: "AdmissionRules", dependencies: ["CodedErrors", "JSON", "CertLogic", "SystemCalls"], swiftSettings: strictSettings),
        // Credential formats, the trust list the verifiers consult (TrustList/) and verification policies; the report and
        // its holder-free Decision (what the pipeline carries and the verdict line is made from). Time and trust are
        // inputs; nothing here logs or touches files.
        .target(
            name: "HealthCredentials",
            dependencies: ["CBOR", "CodedErrors", "JSON", "AdmissionRules", "GateCheckCrypto", "Zlib"],
            swiftSettings: strictSettings
        ),
        // MARK: The other credential formats: one module each, on HealthCredentials' report, error and trust vocabulary.
        // SMART Health Cards: numeric QR (chunks too), compact JWS, raw DEFLATE, ES256; VCI issuer keys and rid CRLs.
        .target(name: "SmartHealthCards", dependencies: ["HealthCredentials", "JSON", "GateCheckCrypto", "Zlib"], swiftSettings: strictSettings),
        // ICAO VDS-NC JSON seals: JCS canonical form, raw ECDSA, Barcode Signer -> CSCA path with CRLs, document types.
        .target(name: "VisibleDigitalSeals", dependencies: ["HealthCredentials", "JSON", "GateCheckCrypto", "SystemCalls"], swiftSettings: strictSettings),
        // NZ COVID Pass: base32 -> COSE_Sign1 -> CWT with a did:web issuer, keys from pinned DID documents.
        .target(name: "NZCovidPass", dependencies: ["HealthCredentials", "CBOR", "JSON", "GateCheckCrypto"], swiftSettings: strictSettings),

        // The installed trust: the device's pinned anchors, signed trust bundles, atomic install, rollback protection,
        // memory-mapped revocation tables and trusted time. The only module that writes trust files.
        .target(
            name: "TrustStore",
            dependencies: ["HealthCredentials", "AdmissionRules", "CodedErrors", "JSON", "GateCheckCrypto", "TrustSources", "SystemCalls"],
            swiftSettings: strictSettings
        ),
        // Reading trust sources: every format that publishes signers (PEM/DER files, folders, the German signed list,
        // the EU gateway list) becomes DocumentSigners for a HealthCredentials TrustList. New trust frameworks plug in here.
        .target(
            name: "TrustSources",
            dependencies: [
                "CodedErrors", "HealthCredentials", "SmartHealthCards", "VisibleDigitalSeals", "NZCovidPass", "AdmissionRules", "JSON",
                "GateCheckCrypto", "SystemCalls",
            ],
            swiftSettings: strictSettings
        ),
        // Fetching trust over HTTPS (libcurl through CCurl): a size-capped, HTTPS-only conditional GET into the
        // state directory, then the USB stick's own import; the fetch state with its backoff lives in DaemonSupport.
        .target(
            name: "TrustUpdates",
            dependencies: ["CCurl", "CodedErrors", "DaemonSupport", "GateCheckCrypto", "SystemCalls", "TrustStore",
                           .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSettings
        ),
        // An issuer-in-a-box for tests and benchmarks: keys, DSCs and signed HC1 payloads made in code.
        .target(
            name: "HealthCredentialsTesting",
            dependencies: ["HealthCredentials", "GateCheckCrypto", "CBOR", "Zlib", "JSON", "NZCovidPass", "SmartHealthCards", "VisibleDigitalSeals"],
            swiftSettings: strictSettings
        ),

        // Lamps, buzzer and gate relay over sysfs (LED class, legacy GPIO) or a console; patterns as a tick-driven state machine;
        // the wiring and timings it takes, in the shape gatecheck.conf gives them.
        .target(name: "Lamps", dependencies: ["CodedErrors", "SystemCalls"], swiftSettings: strictSettings),
        // Generic daemon plumbing, no GateCheck vocabulary: the strict TOML subset and typed reads against a schema,
        // sd_notify and the watchdog, journald log lines, the status socket's server and client (bytes), textfiles.
        .target(
            name: "DaemonSupport",
            dependencies: ["CodedErrors", "SystemCalls", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The gate's vocabulary, shared by the daemon and the `gatecheck` command line: gatecheck.conf's schema and
        // typed configuration, the verdict log line (HealthCredentials' Decision and a latency) and the status snapshot
        // with its JSON and Prometheus forms, the camera controls report. Values and pure functions only: no threads, no
        // devices (V4L2Capture is imported for its value types: the [camera] settings, control descriptions).
        .target(
            name: "GateVocabulary",
            dependencies: ["DaemonSupport", "HealthCredentials", "Lamps", "TrustStore", "JSON", "V4L2Capture"],
            swiftSettings: strictSettings
        ),
        // The gate itself: camera → pipeline → verdict → lamps, with trust and time as inputs; services for
        // swift-service-lifecycle, reload, watchdog, counters. gatecheckd only parses flags and calls it.
        .target(
            name: "GateDaemon",
            dependencies: [
                "ScanPipeline", "Frames", "V4L2Capture", "CodeScanning", "Lamps", "DaemonSupport", "GateVocabulary", "TrustStore",
                "HealthCredentials",
                "GateCheckCrypto", "AdmissionRules", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // gatecheckd's command line: flags, configuration, the demo. A library, so that both executables run it.
        .target(
            name: "GateDaemonCLI",
            dependencies: [
                "GateDaemon", "DaemonSupport", "GateVocabulary", "ScanPipeline", "SystemCalls", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Executables: wiring only.
        // One multi-call binary: called as gatecheckd (the package's /usr/bin/gatecheckd is a link to it) it runs
        // the daemon, so the static Swift runtime ships once.
        .executableTarget(
            name: "gatecheck",
            dependencies: [
                "HealthCredentials", "TrustSources", "TrustStore", "CodeScanning", "Imaging", "GateCheckCrypto", "Frames", "V4L2Capture", "ScanPipeline",
                "DaemonSupport", "GateVocabulary", "GateDaemon", "GateDaemonCLI", "AdmissionRules", "CertLogic", "JSON", "SystemCalls",
                "TrustUpdates", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The daemon alone, for build trees (tests, `make demo`); the package does not ship it.
        .executableTarget(name: "gatecheckd", dependencies: ["GateDaemonCLI"], swiftSettings: strictSettings),
        // Regenerates demo/ (trust bundle, anchor, frames) from the test issuer. Run by hand; its output is committed.
        .executableTarget(
            name: "gatecheck-demo-assets",
            dependencies: [
                "HealthCredentials", "HealthCredentialsTesting", "GateCheckCrypto", "TrustStore", "QREncoding", "CodeScanning", "Imaging", "CBOR",
                "AdmissionRules", "JSON", "TrustSources", "SmartHealthCards",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gatecheck-bench",
            dependencies: [
                "HealthCredentials", "HealthCredentialsTesting", "GateCheckCrypto", "TrustStore", "CodeScanning", "Frames", "Imaging", "ScanPipeline", "QREncoding", "AdmissionRules",
                "JSON", "SystemCalls", "TrustSources", "SmartHealthCards", "VisibleDigitalSeals", "NZCovidPass", "Lamps",
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Tests.
        // What the test targets share: temporary directories, built executables and running them, waiting for a
        // condition, locked values, hex and UTC dates, image bytes built by hand. Foundation only (the test issuer is
        // HealthCredentialsTesting).
        .target(name: "GateCheckTestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "CodedErrorsTests", dependencies: ["CodedErrors"], swiftSettings: strictSettings),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls"], swiftSettings: strictSettings),
        .testTarget(name: "CBORTests", dependencies: ["CBOR"], swiftSettings: strictSettings),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strictSettings),
        .testTarget(name: "CertLogicTests", dependencies: ["CertLogic", "JSON", "HealthCredentialsTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "AdmissionRulesTests", dependencies: ["AdmissionRules", "CertLogic", "JSON", "HealthCredentialsTesting", "GateCheckTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LampsTests", dependencies: ["Lamps", "GateVocabulary", "SystemCalls", "GateCheckTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "DaemonSupportTests",
            dependencies: ["DaemonSupport", "GateCheckTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GateVocabularyTests",
            dependencies: ["GateVocabulary", "DaemonSupport", "HealthCredentials", "Lamps", "TrustStore", "V4L2Capture", "JSON", "GateCheckTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GateDaemonTests",
            dependencies: [
                "GateDaemon", "gatecheckd", "gatecheck", "DaemonSupport", "GateVocabulary", "Lamps", "Frames", "ScanPipeline", "TrustStore", "TrustSources",
                "HealthCredentials", "HealthCredentialsTesting", "GateCheckCrypto", "QREncoding", "CodeScanning", "Imaging", "AdmissionRules",
                "JSON", "SystemCalls", "GateCheckTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScanPipelineTests",
            dependencies: [
                "ScanPipeline", "Frames", "CodeScanning", "Imaging", "QREncoding", "HealthCredentials", "HealthCredentialsTesting",
                "SystemCalls", "GateCheckTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "V4L2CaptureTests", dependencies: ["V4L2Capture", "Frames", "Imaging", "QREncoding", "SystemCalls", "GateCheckTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "GateCheckCryptoTests", dependencies: ["GateCheckCrypto", "HealthCredentialsTesting", "GateCheckTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ImagingTests", dependencies: ["Imaging", "HealthCredentialsTesting", "GateCheckTestSupport"], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CodeScanningTests", dependencies: ["CodeScanning", "Imaging", "HealthCredentialsTesting", "QREncoding", "GateCheckTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HealthCredentialsTests",
            dependencies: [
                "HealthCredentials", "HealthCredentialsTesting", "TrustSources", "CBOR", "GateCheckCrypto", "Zlib", "AdmissionRules", "JSON", "GateCheckTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SmartHealthCardsTests",
            dependencies: [
                "SmartHealthCards", "HealthCredentials", "HealthCredentialsTesting", "TrustSources", "GateCheckCrypto", "JSON", "Zlib", "CodeScanning", "Imaging",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VisibleDigitalSealsTests",
            dependencies: ["VisibleDigitalSeals", "HealthCredentials", "HealthCredentialsTesting", "TrustSources", "GateCheckCrypto", "JSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NZCovidPassTests",
            dependencies: ["NZCovidPass", "HealthCredentials", "HealthCredentialsTesting", "TrustSources", "GateCheckCrypto", "CBOR", "JSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["HealthCredentials", "HealthCredentialsTesting", "TrustSources", "CodeScanning", "Imaging", "GateCheckCrypto"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrustStoreTests",
            dependencies: [
                "TrustStore", "HealthCredentials", "HealthCredentialsTesting", "GateCheckCrypto", "TrustSources", "AdmissionRules", "JSON",
                "GateCheckTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        // `trust fetch` against a real HTTPS server on 127.0.0.1 (Tests/TrustUpdatesTests/https-test-server.py).
        .testTarget(
            name: "TrustUpdatesTests",
            dependencies: [
                "TrustUpdates", "TrustStore", "DaemonSupport", "HealthCredentialsTesting", "GateCheckCrypto", "GateCheckTestSupport", "SystemCalls",
                "gatecheck",
            ],
            exclude: ["https-test-server.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RobustnessTests",
            dependencies: ["HealthCredentials", "HealthCredentialsTesting", "CBOR", "CodeScanning", "Zlib"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GateCheckCLITests",
            dependencies: [
                "gatecheck", "HealthCredentialsTesting", "TrustStore", "GateCheckCrypto", "HealthCredentials", "QREncoding", "Imaging",
                "DaemonSupport", "GateVocabulary", "GateCheckTestSupport", "JSON", "SmartHealthCards", "VisibleDigitalSeals", "NZCovidPass",
            ],
            swiftSettings: strictSettings
        ),
    ]
)
