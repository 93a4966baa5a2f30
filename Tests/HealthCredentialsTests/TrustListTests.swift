import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing

@Suite("TrustList and DocumentSigner")
struct TrustListTests {
    static let a = Issuers.es256
    static let b = Issuers.otherES256
    static let c = Issuers.ps256

    @Test("the kid is the first 8 bytes of SHA-256 over the certificate DER")
    func kidRule() {
        for issuer in [Self.a, Self.b, Self.c] {
            let expected = Array(Digest.sha256(issuer.certificate.derBytes).prefix(8))
            #expect(DocumentSigner.kid(for: issuer.certificate) == expected)
            #expect(DocumentSigner(certificate: issuer.certificate).kid == expected)
            #expect(expected.count == 8)
        }
    }

    @Test("the signer's country defaults to the certificate's C= and can be overridden")
    func country() {
        #expect(DocumentSigner(certificate: Self.a.certificate).country == "XX")
        #expect(DocumentSigner(certificate: Self.b.certificate).country == "YY")
        #expect(DocumentSigner(certificate: Self.a.certificate, country: "VN").country == "VN")
    }

    @Test("lookup by kid returns the signers filed under it, and nothing for an unknown kid")
    func lookup() {
        let list = TrustList([Self.a.signer, Self.b.signer, Self.c.signer])
        #expect(list.count == 3)
        for issuer in [Self.a, Self.b, Self.c] {
            let found = list.signers(forKid: issuer.kid)
            #expect(found.count == 1)
            #expect(found.first?.certificate.derBytes == issuer.certificate.derBytes)
        }
        #expect(list.signers(forKid: [0, 0, 0, 0, 0, 0, 0, 0]).isEmpty)
        #expect(list.signers(forKid: Array(Self.a.kid.prefix(7))).isEmpty)
        #expect(TrustList.empty.signers(forKid: Self.a.kid).isEmpty)
        #expect(TrustList.empty.count == 0)
    }

    @Test("the same certificate under the same kid is kept once")
    func duplicates() {
        let list = TrustList([Self.a.signer, Self.a.signer, DocumentSigner(certificate: Self.a.certificate, country: "ZZ")])
        #expect(list.count == 1)
        #expect(list.signers(forKid: Self.a.kid).count == 1)
        #expect(list.allSigners.count == 1)
    }

    @Test("different certificates under one kid are all kept, in load order")
    func collidingKids() {
        let impostor = DocumentSigner(certificate: Self.b.certificate, kid: Self.a.kid)
        let list = TrustList([impostor, Self.a.signer])
        let found = list.signers(forKid: Self.a.kid)
        #expect(found.map(\.certificate.derBytes) == [Self.b.certificate.derBytes, Self.a.certificate.derBytes])
        #expect(list.signers(forKid: Self.b.kid).isEmpty)
        // The same certificate under two kids is kept under both.
        let twice = TrustList([Self.b.signer, impostor])
        #expect(twice.count == 2)
        #expect(twice.signers(forKid: Self.b.kid).count == 1)
        #expect(twice.signers(forKid: Self.a.kid).count == 1)
    }

    @Test("merging holds the signers of both, overlaps once")
    func merging() {
        let left = TrustList([Self.a.signer, Self.b.signer])
        let right = TrustList([Self.b.signer, Self.c.signer])
        let merged = left.merging(right)
        #expect(merged.count == 3)
        for issuer in [Self.a, Self.b, Self.c] {
            #expect(merged.signers(forKid: issuer.kid).count == 1)
        }
        #expect(left.merging(.empty).count == 2)
        #expect(TrustList.empty.merging(right).count == 2)
        // The originals are unchanged.
        #expect(left.count == 2 && right.count == 2)
        #expect(left.signers(forKid: Self.c.kid).isEmpty)
    }
}
