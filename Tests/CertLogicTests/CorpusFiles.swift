import Foundation
import HealthCredentialsTesting
import JSON

/// Reads the CertLogic specification's JSON test files from the shared corpus.
enum CorpusFiles {
    /// Every `.json` file in a corpus folder, by name, parsed.
    static func jsonFiles(in folder: String) throws -> [(name: String, json: JSONValue)] {
        let url = TestCorpus.url(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let bytes = Array(try Data(contentsOf: url.appendingPathComponent(name)))
            return (name, try JSONParser.parse(bytes))
        }
    }

    /// The spec's test directive: "skip" means the file, case or assertion is not run.
    static func isSkipped(_ json: JSONValue?) -> Bool {
        json?["directive"]?.string == "skip"
    }
}
