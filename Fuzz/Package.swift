// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses, one per parser: kept out of the main package so that a normal build never needs the fuzzer
// runtime. Run with `make fuzz` (FUZZ_SECONDS each) or `make fuzz-long` (FUZZ_RUNS each) from the repository root;
// each harness's seeds are in Seeds/<name without the Fuzz prefix>/.
let package = Package(
    name: "GateCheckFuzz",
    dependencies: [.package(name: "GateCheck", path: "..")],
    targets: [
        // libFuzzer's driver, shared by the harnesses.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzVerifier",
            dependencies: ["FuzzDriver", .product(name: "HealthCredentials", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzFATVolume",
            dependencies: ["FuzzDriver", .product(name: "TrustStore", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzCBOR",
            dependencies: ["FuzzDriver", .product(name: "CBOR", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzTrustBundle",
            dependencies: ["FuzzDriver", .product(name: "TrustStore", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzConfiguration",
            dependencies: ["FuzzDriver", .product(name: "GateVocabulary", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzImage",
            dependencies: ["FuzzDriver", .product(name: "Imaging", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: ["FuzzDriver", .product(name: "JSON", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzCOSE",
            dependencies: ["FuzzDriver", .product(name: "HealthCredentials", package: "GateCheck"),
                           .product(name: "CBOR", package: "GateCheck"), .product(name: "Zlib", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzStatusReply",
            dependencies: ["FuzzDriver", .product(name: "GateVocabulary", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzCertLogic",
            dependencies: ["FuzzDriver", .product(name: "CertLogic", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzRules",
            dependencies: ["FuzzDriver", .product(name: "AdmissionRules", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzSmartHealthCard",
            dependencies: ["FuzzDriver", .product(name: "SmartHealthCards", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzVisibleDigitalSeal",
            dependencies: ["FuzzDriver", .product(name: "VisibleDigitalSeals", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzNZCovidPass",
            dependencies: ["FuzzDriver", .product(name: "NZCovidPass", package: "GateCheck")]
        ),
        .executableTarget(
            name: "FuzzTrustSources",
            dependencies: ["FuzzDriver", .product(name: "TrustSources", package: "GateCheck")]
        ),
    ]
)
