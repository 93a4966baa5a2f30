import GateDaemonCLI

// One multi-call binary, dispatched on the name it was called by (as busybox and systemd do): the package
// installs /usr/bin/gatecheckd as a link to gatecheck, so the Swift runtime is in the .deb once.
if CommandLine.arguments.first?.split(separator: "/").last == "gatecheckd" {
    await GateDaemonProgram.main()
} else {
    GateCheckCommand.main()
}
