/// The three kinds of EU DCC, named by their payload key.
public enum CertificateType: String, Sendable, Hashable, CaseIterable, Codable {
    case vaccination = "v"
    case test = "t"
    case recovery = "r"
}
