import FuzzDriver
import GateVocabulary

// gatecheck.conf as edited by hand in the field: the TOML subset and the typed reads against the schema.
// A configuration or a ConfigurationError are both fine.
@main
enum FuzzConfiguration {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? DaemonConfiguration.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.conf")
        }
    }
}
