import HealthCredentials
import JSON

/// The JWSs of a `.smart-health-card` file (`{"verifiableCredential": [jws, …]}`) or of a FHIR
/// `$health-cards-issue` response (a `Parameters` resource whose `verifiableCredential` parameters carry them as
/// `valueString`): how cards travel when they are not printed.
public enum SHCHealthCardFile {
    public static let maximumSize = 1 << 20
    public static let maximumCredentials = 64

    public static func credentials(in bytes: [UInt8]) throws(CredentialError) -> [[UInt8]] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(
                bytes, limits: JSONLimits(maxBytes: maximumSize, maxDepth: 16, maxItems: 10_000, maxStringLength: SHCCompactJWS.maximumLength))
        } catch {
            throw CredentialError(.badJSON, "not a SMART Health Card file: \(error.code)")
        }
        var texts: [JSONValue]
        if let list = value["verifiableCredential"]?.array {
            texts = list
        } else if value["resourceType"]?.string == "Parameters", let parameters = value["parameter"]?.array {
            texts = parameters.filter { $0["name"]?.string == "verifiableCredential" }.compactMap { $0["valueString"] }
        } else {
            throw CredentialError(.badJSON, "neither verifiableCredential nor a FHIR Parameters resource")
        }
        guard (1...maximumCredentials).contains(texts.count) else {
            throw CredentialError(.badJSON, "\(texts.count) credentials (1 to \(maximumCredentials))")
        }
        var credentials: [[UInt8]] = []
        for text in texts {
            guard let jws = text.string else { throw CredentialError(.badJSON, "a credential is not a string") }
            credentials.append(Array(jws.utf8))
        }
        return credentials
    }
}
