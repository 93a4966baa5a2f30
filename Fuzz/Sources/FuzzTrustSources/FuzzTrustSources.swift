import Foundation
import FuzzDriver
import TrustSources

// What `gatecheck trust bundle create --trust` reads, recognised by content: the EU gateway's trust list and its
// CMS-signed rules download, GDHCN and issuers' DID documents, rules, value sets, signed DSC lists, CSCA master
// lists and certificates. These are downloads, so attacker-controlled. The loader works on files, so every input is
// written to one scratch file (in /dev/shm when there is one). Trust or a TrustSourceError are both fine.
private let loaders: [TrustLoader] = {
    let time = Date(timeIntervalSince1970: 1_700_000_000)
    // Unverified lists allowed, so a signed DSC list's contents are read too; with a country filter, so filtering runs.
    var filtered = TrustLoader(allowsUnverifiedLists: true, sourceTime: time)
    guard let filter = try? CountryFilter(include: ["DE", "XX"], exclude: []) else { fatalError("the harness's filter is refused") }
    filtered.countryFilter = filter
    return [TrustLoader(sourceTime: time), filtered]
}()

private let scratch = ScratchFile(prefix: "gatecheck-fuzz-sources")

@main
enum FuzzTrustSources {
    static func main() {
        FuzzDriver.run { bytes in
            scratch.write(bytes)
            for loader in loaders {
                _ = try? loader.load(paths: [scratch.path])
            }
        }
    }
}
