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
    ]
)
