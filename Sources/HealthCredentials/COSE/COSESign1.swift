import CBOR

/// A parsed COSE_Sign1 message (RFC 9052 §4.2) with the bytes its signature covers.
public struct COSESign1: Sendable {
    /// The protected header bstr's content exactly as received: it is signed as is.
    public let protectedHeaderBytes: [UInt8]
    public let algorithm: COSEAlgorithm
    /// The key identifier, from the protected header, else from the unprotected one.
    public let kid: [UInt8]
    public let payload: [UInt8]
    public let signature: [UInt8]

    /// COSE header labels.
    private enum Label {
        static let algorithm: Int64 = 1
        static let kid: Int64 = 4
    }

    /// Kids are the first 8 bytes of the signer certificate's SHA-256.
    public static let kidLength = 8

    /// Limits for the whole message: a DCC nests about 6 deep; payload strings stay well under 64 KiB.
    static let limits = CBORLimits(maxDepth: 12, maxItems: 2_000, maxStringLength: 64 * 1024)

    /// Parses untagged, tag-18, or tag-61-wrapping-tag-18 messages. `kidLengths` are the kid sizes the format allows:
    /// HCERT kids are 8 bytes; NZCP kids are the text of a DID key fragment.
    public init(decoding bytes: [UInt8], kidLengths: ClosedRange<Int> = COSESign1.kidLength...COSESign1.kidLength) throws(CredentialError) {
        let message: CBORValue
        do {
            message = try CBORParser.decode(bytes, limits: Self.limits)
        } catch {
            throw CredentialError(.badCBOR, "COSE message: \(error)")
        }
        try self.init(message: message, kidLengths: kidLengths)
    }

    init(message: CBORValue, kidLengths: ClosedRange<Int> = COSESign1.kidLength...COSESign1.kidLength) throws(CredentialError) {
        var body = message
        var sawCWTTag = false
        if case .tagged(61, let inner) = body.content {  // the CWT tag may wrap the COSE_Sign1 tag
            body = inner
            sawCWTTag = true
        }
        if case .tagged(let tag, let inner) = body.content {
            guard tag == 18 else { throw CredentialError(.badCOSE, "unexpected tag \(tag), expected COSE_Sign1 (18)") }
            body = inner
        } else if sawCWTTag {
            throw CredentialError(.badCOSE, "CWT tag 61 must wrap a COSE_Sign1 tag (18)")
        }
        guard let parts = body.arrayItems, parts.count == 4 else {
            throw CredentialError(.badCOSE, "COSE_Sign1 must be an array of 4 items")
        }
        guard let protectedBytes = parts[0].byteString else {
            throw CredentialError(.badCOSE, "protected header is not a byte string")
        }
        guard parts[1].mapEntries != nil else {
            throw CredentialError(.badCOSE, "unprotected header is not a map")
        }
        guard let payload = parts[2].byteString else {
            throw CredentialError(.badCOSE, "payload is not a byte string (detached payloads are not supported)")
        }
        guard let signature = parts[3].byteString else {
            throw CredentialError(.badCOSE, "signature is not a byte string")
        }

        // An empty bstr stands for an empty protected header (RFC 9052 §3).
        let protected: CBORValue
        if protectedBytes.isEmpty {
            protected = .map([])
        } else {
            do {
                protected = try CBORParser.decode(protectedBytes, limits: Self.limits)
            } catch {
                throw CredentialError(.badCOSE, "protected header: \(error)")
            }
            guard protected.mapEntries != nil else { throw CredentialError(.badCOSE, "protected header is not a map") }
        }
        let unprotected = parts[1]

        // Both may sit in either header; the protected one wins. An unprotected algorithm cannot be
        // used to downgrade: only ES256 and PS256 exist here, and each needs its own key type.
        guard let algorithmValue = protected[Label.algorithm] ?? unprotected[Label.algorithm] else {
            throw CredentialError(.unsupportedAlgorithm, "no algorithm in either header")
        }
        guard let algorithmID = algorithmValue.int64, let algorithm = COSEAlgorithm(rawValue: algorithmID) else {
            throw CredentialError(.unsupportedAlgorithm, "algorithm \(algorithmValue.int64.map(String.init) ?? "?") is not ES256 or PS256")
        }

        guard let kidValue = protected[Label.kid] ?? unprotected[Label.kid] else {
            throw CredentialError(.badKid, "no kid in either header")
        }
        guard let kid = kidValue.byteString, kidLengths.contains(kid.count) else {
            let size = kidLengths.count == 1 ? "\(kidLengths.lowerBound)" : "\(kidLengths.lowerBound) to \(kidLengths.upperBound)"
            throw CredentialError(.badKid, "kid must be a byte string of \(size) bytes")
        }

        self.protectedHeaderBytes = protectedBytes
        self.algorithm = algorithm
        self.kid = kid
        self.payload = payload
        self.signature = signature
    }

    /// `Sig_structure` = ["Signature1", protected, external_aad = h'', payload], canonically encoded.
    public var signedBytes: [UInt8] {
        Self.signedBytes(protectedHeader: protectedHeaderBytes, payload: payload)
    }

    /// The bytes a COSE_Sign1 signature covers, for a given protected header and payload.
    public static func signedBytes(protectedHeader protectedHeaderBytes: [UInt8], payload: [UInt8]) -> [UInt8] {
        var writer = CBORWriter()
        writer.appendHead(major: 4, argument: 4)
        writer.appendTextString("Signature1")
        writer.appendByteString(protectedHeaderBytes)
        writer.appendByteString([UInt8]())
        writer.appendByteString(payload)
        return writer.bytes
    }
}
