import ArgumentParser
import Certificates
import ExactArithmetic
import Memorization
import TextFormats
import ThresholdNetworks

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The built-in default: generate a δ-separated sphere data set, construct, verify exactly.",
        discussion: """
            Generates 3000 points on the unit sphere S^15 in close pairs at distance δ = 0.1 with random \
            labels, builds the Rajput et al. network, verifies it exactly, and writes everything to a folder.
            """
    )

    @Option(help: "Folder for the demo's files.") var folder = "memcert-demo"
    @Option(help: "Number of points.") var n = 3000
    @Option(help: "Seed.") var seed: UInt64 = 1

    func run() throws {
        try reportingErrors {
            let clock = Stopwatch()
            try FileBytes.makeFolder(folder)
            let dataPath = folder + "/sphere.csv", netPath = folder + "/network.json"
            let request = SphereRequest(count: n, dimension: 16, delta: Rational(1, 10), labels: .random, seed: seed, layout: .pairs)
            print("1. generate  \(n) points exactly on the unit sphere S^15, in pairs at distance between δ = 0.1 and 0.125,")
            print("             random binary labels (memcert generate sphere --n \(n) --dim 16 --delta 0.1 --layout pairs)")
            let data = try Generators.sphere(request)
            try data.writeCSV(to: dataPath, comments: [
                "memcert generate sphere --n \(n) --dim 16 --delta 0.1 --layout pairs --labels random --seed \(seed)",
            ])
            let reread = try DataSet.read(path: dataPath)
            print("             wrote \(dataPath)")
            print("2. construct Rajput et al. (NeurIPS 2021), Theorem 1: Gaussian first layer, then integer weights only")
            var options = Rajput2021Options()
            options.seed = seed
            let result = try Rajput2021.construct(reread, options: options)
            try result.network.write(to: netPath)
            print("")
            print(result.humanText(data: dataPath, output: netPath).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "   " + $0 }.joined(separator: "\n"))
            print("")
            print("3. verify    re-reading \(netPath) and checking every point exactly:")
            let network = try Network.read(path: netPath)
            let report = try Verifier.verify(network, on: reread)
            print(report.humanText(network: netPath, data: dataPath).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
            print("")
            let certPath = folder + "/certificate.json"
            print("4. certify   writing an audit certificate (SHA-256 of both files, exact claims, least margins):")
            let (certificate, _) = try CertificateIssuer.memorization(networkPath: netPath, dataPath: dataPath,
                                                                      certificatePath: certPath, provenance: MemcertVersion.provenance)
            if let certificate {
                try AtomicFile.write(JSONWriter.bytes(certificate), to: certPath)
                print("   wrote \(certPath)")
            }
            print("")
            // Name the binary as it was run, so the hint works as typed (swift run builds it here).
            let binary = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "memcert"
            print("re-check it yourself:  \(binary) check \(certPath)")
            print("                       \(binary) verify \(netPath) \(dataPath)")
            print("done in \(String(format2(clock.seconds))) s; files in \(folder)/")
            return report.memorized ? ExitStatus.success : ExitStatus.claimFalse
        }
    }
}

func format2(_ x: Double) -> String { String((x * 100).rounded() / 100) }

