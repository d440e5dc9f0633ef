import ArgumentParser

/// memcert: construct, verify and certify memorizing threshold networks, exactly.
@main
struct Memcert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memcert",
        abstract: "Exact construction, verification and certification of memorizing deep threshold networks.",
        discussion: """
            Every number memcert prints rests on exact integer and rational arithmetic (GMP).
            Exit status: 0 success or verified; 1 a claim is false (not memorized, certificate \
            does not hold); 2 bad input, with one line naming the file, line and column; \
            3 internal error; 64 malformed command line.
            """,
        version: MemcertVersion.full,
        subcommands: [DemoCommand.self, GenerateCommand.self, ConstructCommand.self, VerifyCommand.self,
                      CertifyCommand.self, CheckCommand.self, SeparationCommand.self, SeparationNumberCommand.self, LowerBoundCommand.self,
                      RegionsCommand.self, CompareCommand.self, SweepCommand.self, ConvertCommand.self, ImportCommand.self,
                      ExportCommand.self]
    )
}
