// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses for the verification core and the USB stick's FAT reader: kept out of the main package so that a normal
// build never needs the fuzzer runtime. Run with `make fuzz` from the repository root.
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
    ]
)
