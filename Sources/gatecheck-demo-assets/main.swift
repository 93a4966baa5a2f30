import Glibc
import Foundation

// Regenerates the committed demo folder for `gatecheckd --demo`: fresh DEMO keys, a signed trust
// bundle, camera-like frames and the decisions they must get, checked through the real pipeline
// before anything is kept. See demo/README.md.

let usage = """
    usage: gatecheck-demo-assets OUTPUT_DIR [--force] [--system-test]

    Writes DEMO trust material and frames into OUTPUT_DIR (the repository's demo/ folder).
      --force        replace an earlier demo folder (it may hold only the generator's own files)
      --system-test  also write system/: update bundles (sequences 2 and 3), a tampered copy, and the frames
                     as 1280x720 YUYV and GREY video (for Tests/System; never committed)
    """

func exitWithError(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("gatecheck-demo-assets: \(message)\n".utf8))
    exit(status)
}

var force = false
var systemTest = false
var outputArgument: String?
for argument in CommandLine.arguments.dropFirst() {
    switch argument {
    case "--force":
        force = true
    case "--system-test":
        systemTest = true
    case "-h", "--help":
        print(usage)
        exit(0)
    case _ where argument.hasPrefix("-"):
        exitWithError("unknown option \(argument)\n\(usage)", status: 2)
    default:
        if outputArgument != nil { exitWithError("give one OUTPUT_DIR\n\(usage)", status: 2) }
        outputArgument = argument
    }
}
guard let outputArgument else { exitWithError(usage, status: 2) }

do {
    let output = try DemoOutputFolder(outputArgument, force: force)
    var generator = DemoGenerator(now: Date())
    generator.systemTest = systemTest
    let checked = try output.replace { staging in
        let cases = try generator.generate(into: staging)
        return try DemoSelfCheck.run(folder: staging, cases: cases, now: generator.now)
    }
    print("wrote \(output.path) (DEMO keys; bundle issued \(DemoCases.day(generator.issuedAt)), stale from 2036-01-01)")
    for line in checked { print("  checked \(line)") }
} catch {
    exitWithError("\(error)")
}
