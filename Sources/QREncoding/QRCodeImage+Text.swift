import CQREncode
import Imaging

extension QRCodeImage {
    /// Encodes `text` with libqrencode's mode optimisation (`QRcode_encodeString`, case-sensitive): an HC1
    /// string, whose Base45 alphabet is QR's alphanumeric set, becomes one alphanumeric segment, as many real
    /// DCC issuers print it, and a smaller code than ``matrix(_:errorCorrection:)``'s byte mode gives.
    /// Nil when the text does not fit or contains a NUL.
    public static func matrix(text: String, errorCorrection: ErrorCorrection = .quartile) -> Matrix? {
        guard !text.utf8.contains(0),
            let code = QRcode_encodeString(text, 0, errorCorrection.level, QR_MODE_8, 1)
        else { return nil }
        return taking(code)
    }
}
