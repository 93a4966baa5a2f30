import GateDaemonCLI

// The package installs gatecheckd as a link to gatecheck; this executable is the same program for build trees.
await GateDaemonProgram.main()
