import AdmissionRules
import Foundation

/// Where everything goes inside the demo folder. `owned` is every top-level entry the generator
/// makes, and so the only entries `--force` may replace.
enum DemoLayout {
    static let anchors = "anchors"
    static let anchor = "anchors/demo-anchor.pem"
    static let trust = "trust"
    static let bundle = "trust/gatecheck-trust.bundle"
    static let frames = "frames"
    static let expected = "expected.tsv"
    static let readme = "README.md"
    /// Only with `--system-test`: update bundles, a tampered one, and the frames as raw camera video.
    static let system = "system"

    static let owned: Set<String> = [anchors, trust, frames, expected, readme, system]
}

/// The two text files of the demo folder.
enum DemoDocuments {
    /// `file<TAB>verdict<TAB>reason<TAB>description<TAB>rules`, one line per frame, after a `#` header.
    static func expectedTSV(_ cases: [DemoCase]) -> String {
        var text = "# file\tverdict\treason\tdescription\trules\n"
        for demoCase in cases {
            text += [demoCase.fileName, demoCase.verdict, demoCase.reason, demoCase.description, demoCase.rules].joined(separator: "\t") + "\n"
        }
        return text
    }

    static func readme(_ cases: [DemoCase], rules: RuleSet, issuedAt: Date, notAfter: Date) -> String {
        let frameRows = cases.map { demoCase in
            "| `\(demoCase.fileName)` | \(demoCase.verdict) | \(code(demoCase.reason)) | \(code(demoCase.rules)) | \(demoCase.description) |"
        }.joined(separator: "\n")
        let ruleRows = rules.rules.map { rule in
            "| `\(rule.identifier)` | \(rule.certificateType.rawValue) | \(rule.englishDescription) |"
        }.joined(separator: "\n")
        return """
            # GateCheck demo assets

            **DEMO keys and certificates. Never install `anchors/demo-anchor.pem` on a real device:**
            a device that pins it accepts this bundle, and then anyone with a copy of this repository
            gets a pass by showing it `frames/01-valid-vaccination.png`. The private keys existed only
            in memory while the folder was generated; none is stored anywhere.

            `gatecheckd --demo` runs the real pipeline on these files (image → zbar → HC1 decoding →
            signature, policies and admission rules against an installed trust bundle → verdict) with
            no camera, no root and no configuration. Regenerate the folder, with fresh keys, by

            ```sh
            swift run gatecheck-demo-assets demo --force
            ```

            The generator checks its own output through the same pipeline before keeping it.

            | path | what |
            | --- | --- |
            | `\(DemoLayout.anchor)` | the demo trust anchor (a CA) the bundle's signer chains to |
            | `\(DemoLayout.bundle)` | a signed trust bundle, sequence 1: the demo DSC, one revoked UCI, and the demo country's rules with the value set they read |
            | `\(DemoLayout.frames)/` | 640×480 grey camera-like frames, one QR code each |
            | `\(DemoLayout.expected)` | per frame: file, verdict, reason (`-` for a pass), description, failing rules (`-` for none) |

            The bundle was issued \(DemoCases.day(issuedAt)) and goes stale on \(DemoCases.day(notAfter)):
            from then on every verdict fails with `trust-stale`. Regenerate before that date. The
            certificates in it are valid until 2040-01-01; the holders ("Demo, …") are invented.

            The demo gate admits under the rules of the demo country \(DemoPKI.country), the only country whose
            acceptance rules the bundle carries (`[policy] country = "\(DemoPKI.country)"`, see docs/rules.md), so a
            pass means "admit here", not only "authentic":

            | rule | certificates | what it requires |
            | --- | --- | --- |
            \(ruleRows)

            | frame | verdict | reason | rules | what it is |
            | --- | --- | --- | --- | --- |
            \(frameRows)

            """
    }

    /// A table cell: the word as code, or empty for `-`.
    private static func code(_ word: String) -> String {
        word == "-" ? "" : "`\(word)`"
    }
}
