import COpenSSL

/// Text form of ASN.1 object identifiers.
enum OIDText {
    /// The dotted-decimal form (`OBJ_obj2txt` with `no_name = 1`), so EU DCC EKU OIDs such as
    /// `1.3.6.1.4.1.0.1847.2021.1.2` come back numerically rather than as OpenSSL long names.
    static func dotted(_ object: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        while true {
            let needed = buffer.withUnsafeMutableBufferPointer { pointer in
                OBJ_obj2txt(pointer.baseAddress, Int32(pointer.count), object, 1)
            }
            guard needed > 0 else { return nil }
            if Int(needed) < buffer.count {
                let bytes = buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }
                return String(decoding: bytes, as: UTF8.self)
            }
            // Truncated: retry once with room for the whole text. The OID comes from a size-capped certificate.
            guard Int(needed) < 65_536, buffer.count <= 128 else { return nil }
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
        }
    }
}
