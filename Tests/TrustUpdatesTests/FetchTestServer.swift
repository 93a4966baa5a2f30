import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import TrustStore

/// The TLS side of the fetch tests, made once per test process with the openssl command: a CA whose
/// certificate the client pins, a server certificate it issued for 127.0.0.1 and localhost, and an unrelated CA.
struct FetchTestTLS: Sendable {
    let folder: TemporaryDirectory
    var caFile: String { folder.file("ca.pem") }
    var otherCAFile: String { folder.file("other-ca.pem") }
    var serverCertificate: String { folder.file("server.pem") }
    var serverKey: String { folder.file("server.key") }

    static let shared: FetchTestTLS = {
        do { return try FetchTestTLS() } catch { fatalError("cannot make the TLS test PKI: \(error)") }
    }()

    private init() throws {
        folder = try TemporaryDirectory("fetch-tls")
        let days = ["-days", "2"]
        for (name, subject) in [("ca", "/CN=GateCheck Fetch Test CA"), ("other-ca", "/CN=Unrelated Fetch Test CA")] {
            try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", folder.file("\(name).key"),
                "-out", folder.file("\(name).pem"), "-subj", subject] + days)
        }
        try Self.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", serverKey, "-out", folder.file("server.csr"),
            "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: folder.file("server.ext"), atomically: true, encoding: .utf8)
        try Self.openssl(["x509", "-req", "-in", folder.file("server.csr"), "-CA", caFile, "-CAkey", folder.file("ca.key"), "-CAcreateserial",
            "-extfile", folder.file("server.ext"), "-out", serverCertificate] + days)
    }

    private static func openssl(_ arguments: [String]) throws {
        let result = try runProcess("/usr/bin/openssl", arguments)
        guard result.status == 0 else { throw POSIXError(.EINVAL, userInfo: ["openssl": result.standardError]) }
    }
}

/// The bundle-signing side: an anchor and a signing certificate made in code, and bundles of any sequence.
struct FetchTestBundles: Sendable {
    let anchor: Certificate
    let signingKey: PrivateKey
    let signingCertificate: Certificate
    let issuer: TestIssuer

    static let shared: FetchTestBundles = {
        do { return try FetchTestBundles() } catch { fatalError("cannot make the bundle test PKI: \(error)") }
    }()

    private init() throws {
        let authority = try TestCertificateAuthority(commonName: "GateCheck Fetch Test Bundle Root")
        anchor = authority.certificate
        (signingKey, signingCertificate) = try authority.issueSigner(commonName: "GateCheck Fetch Test Bundle Signer")
        issuer = try TestIssuer()
    }

    /// A full bundle, or with `deltaFrom` a delta against the full bundle at that path.
    func bundle(sequence: UInt64, deltaFrom: String? = nil) throws -> [UInt8] {
        let issuedAt = Date().addingTimeInterval(-3_600)
        var builder = TrustBundleBuilder(sequence: sequence, issuedAt: issuedAt, notAfter: issuedAt.addingTimeInterval(30 * 86_400), producer: "fetch-tests")
        builder.signers = [issuer.signer]
        builder.deltaBase = deltaFrom.map { TrustBundleBuilder.DeltaBase(path: $0, anchors: [anchor]) }
        return try builder.build(signingKey: signingKey, certificate: signingCertificate)
    }
}

/// Tests/TrustUpdatesTests/https-test-server.py on an ephemeral port of 127.0.0.1, serving the files of `root`;
/// it stops when this value goes (its standard input closes, and it is terminated).
final class FetchTestServer: @unchecked Sendable {
    let root: TemporaryDirectory
    let port: Int
    private let process: Process
    private let input: Pipe

    static let script = repositoryRoot + "/Tests/TrustUpdatesTests/https-test-server.py"

    init() throws {
        root = try TemporaryDirectory("fetch-root")
        let tls = FetchTestTLS.shared
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.script, "--cert", tls.serverCertificate, "--key", tls.serverKey, "--root", root.path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is "port N".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0] == "port", let port = Int(words[1]) else {
            process.terminate()
            throw POSIXError(.EIO, userInfo: ["server said": String(decoding: line, as: UTF8.self)])
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// https://127.0.0.1:PORT/KIND/NAME (KIND: files, slow, unannounced, truncated, redirect-http).
    func url(_ kind: String, _ name: String) -> String { "https://127.0.0.1:\(port)/\(kind)/\(name)" }

    func put(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root.file(name)))
    }

    /// The requests so far: path, If-None-Match and If-Modified-Since ("-" when absent).
    func requests() -> [[String]] {
        let text = (try? String(contentsOfFile: root.file("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
