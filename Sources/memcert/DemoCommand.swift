import ArgumentParser
import Certificates
import Constructions
import DataSets
import ExactArithmetic
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
            let start = ContinuousClock.now
            try OutputFiles.makeFolder(folder)
            let dataPath = folder + "/sphere.csv", netPath = folder + "/network.json", certPath = folder + "/certificate.json"
            let destinations = try OutputFiles.prepare([dataPath, netPath, certPath], inputs: [])
            let request = SphereRequest(count: n, dimension: 16, delta: Rational(1, 10), labels: .random, seed: seed, layout: .pairs)
            print("1. generate  \(n) points exactly on the unit sphere S^15, in pairs at distance between δ = 0.1 and 0.125,")
            print("             random binary labels (memcert generate sphere --n \(n) --dim 16 --delta 0.1 --layout pairs)")
            let dataBytes = try Generators.sphere(request).csvBytes(comments: [
                "memcert generate sphere --n \(n) --dim 16 --delta 0.1 --layout pairs --labels random --seed \(seed)",
            ])
            try destinations[0]!.commit(dataBytes)
            // The data as a reader of the file sees it (line numbers, source name): parsed from the bytes written.
            let data = try DataSet.parseCSV(dataBytes, file: dataPath)
            print("             wrote \(dataPath)")
            print("2. construct Rajput et al. (NeurIPS 2021), Theorem 1: Gaussian first layer, then integer weights only")
            let result = try Rajput2021().construct(data, seed: seed)
            let networkBytes = result.network.jsonBytes()
            try destinations[1]!.commit(networkBytes)
            print("")
            print(result.humanText(data: dataPath, output: netPath).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "   " + $0 }.joined(separator: "\n"))
            print("")
            // The construction verified the network exactly before it was written; that one verification is reported
            // here and certified below (memcert check re-checks it from the files with the independent checker).
            let report = result.verification
            print("3. verify    every point checked exactly against the network written to \(netPath):")
            print(report.humanText(network: netPath, data: dataPath).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
            print("")
            print("4. certify   writing an audit certificate (SHA-256 of both files, exact claims, least margins):")
            let files = [
                try CertifiedFile(role: "network", path: netPath, sha256: ContentDigest.sha256(networkBytes), certificate: certPath),
                try CertifiedFile(role: "data", path: dataPath, sha256: ContentDigest.sha256(dataBytes), certificate: certPath),
            ]
            if let certificate = CertificateIssuer.memorization(network: result.network, data: data, report: report, files: files,
                                                                provenance: MemcertVersion.provenance) {
                try destinations[2]!.commit(JSONWriter.bytes(certificate))
                print("   wrote \(certPath)")
            }
            print("")
            // Name the binary as it was run, so the hint works as typed (swift run builds it here).
            let binary = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "memcert"
            print("re-check it yourself:  \(binary) check \(certPath)")
            print("                       \(binary) verify \(netPath) \(dataPath)")
            print("done in \((start.duration(to: .now) / .seconds(1)).roundedText(digits: 2)) s; files in \(folder)/")
            return report.memorized ? ExitStatus.success : ExitStatus.claimFalse
        }
    }
}

