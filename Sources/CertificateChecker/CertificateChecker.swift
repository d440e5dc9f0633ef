#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - memcert's independent certificate checker
//
// Re-derives every claim of a memcert.certificate/2 file from the files it names,
// in the order of docs/formats.md section 6, so that a second checker written
// from that text names the same first failure. It imports only GMP (CGMP),
// swift-crypto (SHA-256), ZIPFoundation (the zip container of .npz data) and the
// Swift standard library: its JSON, number, CSV and .npy readers and its evaluator
// are its own, and share nothing with the code that issues certificates.

/// The result of a check: the checks that held, in order, and the first claim that fails.
public struct CheckOutcome: Sendable {
    public var kind: String
    public var checks: [String]
    public var failure: ClaimFailure?
    public var holds: Bool { failure == nil }
}

public enum CertificateChecker {
    /// The largest n for which δ² and R² are claimed (K5).
    public static let minimumDistanceLimit = 20_000

    /// Checks the certificate at `path`; `network` and `data` replace the files it names (K3).
    /// Throws when the certificate or a file is malformed, unreadable or outside the folder.
    public static func check(path: String, network: String? = nil, data: String? = nil) throws(MalformedInput) -> CheckOutcome {
        let certificateFile = try MappedBytes(path: path)
        let root = try JSONReader.parse(certificateFile.bytes, file: path)
        // Shards and their root (section 5.3) are read by their own readers.
        switch CertificateReader(file: path, bytes: certificateFile.bytes).kind(root) {
        case "memorization-shard":
            return try StreamedCheck.shardCertificate(path: path, bytes: certificateFile.bytes, root: root, network: network, data: data)
        case "memorization-root":
            return try StreamedCheck.rootCertificate(path: path, bytes: certificateFile.bytes, root: root, network: network, data: data)
        default: break
        }
        let certificate = try CertificateReader(file: path, bytes: certificateFile.bytes).read(root)
        var outcome = CheckOutcome(kind: certificate.kind.rawValue, checks: [], failure: nil)
        if network != nil && certificate.kind != .memorization {
            throw MalformedInput(path, "--network was given, but a \(certificate.kind.rawValue) certificate names no network")
        }

        // Step 2: every path is resolved and confined, and every file must be a regular one,
        // before any file is read.
        let folder = FilePaths.folder(of: path)
        var targets: [(role: String, shown: String, open: String, sha256: String)] = []
        for file in certificate.files {
            let override = file.role == "network" ? network : file.role == "data" ? data : nil
            if let override {
                targets.append((file.role, override, override, file.sha256))
            } else {
                let (shown, resolved) = try FilePaths.confined(file.path, in: folder, certificate: path)
                targets.append((file.role, shown, resolved, file.sha256))
            }
            do { try FilePaths.requireRegularFile(targets.last!.open) } catch { throw MalformedInput(targets.last!.shown, error.message) }
        }
        // Past 20000 points nothing needs all points at once (no R², no δ²): read CSV and .npy data
        // in blocks (S9; .npz archives, named by their extension, are always read whole).
        if let claims = certificate.memorization, claims.n > minimumDistanceLimit,
           let data = targets.first(where: { $0.role == "data" }), NumPyReader.kind(of: data.shown) != "npz" {
            try StreamedCheck.memorization(claims, targets: targets, outcome: &outcome)
            return outcome
        }
        var contents: [String: (shown: String, file: MappedBytes)] = [:]
        for target in targets {
            let mapped: MappedBytes
            do { mapped = try MappedBytes(path: target.open) } catch { throw MalformedInput(target.shown, error.message) }
            let progress = Progress("SHA-256 of \(target.shown)", total: mapped.bytes.count)
            let digest = mapped.digest(progress: progress)
            progress.finish()
            if digest != target.sha256 {
                outcome.failure = ClaimFailure("files.\(target.role).sha256",
                                               "\(target.shown) has SHA-256 \(digest), the certificate records \(target.sha256)")
                return outcome
            }
            outcome.checks.append("files.\(target.role).sha256")
            contents[target.role] = (target.shown, mapped)
        }
        let (dataShown, dataFile) = contents["data"]!
        let readProgress = Progress("reading \(dataShown)", total: dataFile.bytes.count)
        let points = NumPyReader.kind(of: dataShown) != nil
            ? try NumPyReader.read(dataFile.bytes, path: dataFile.path, file: dataShown)
            : try DataReader.read(dataFile.bytes, file: dataShown, progress: readProgress)
        readProgress.finish()
        var net: NetworkModel?
        if let (networkShown, networkFile) = contents["network"] {
            net = try NetworkReader.read(networkFile.bytes, file: networkShown)
        }
        if let (proofShown, proofFile) = contents["proof"] {  // a proof that is no text DRAT is malformed (exit 2)
            do {
                try DRAT.validateSyntax(proofFile.bytes)
            } catch {
                throw MalformedInput(proofShown, error.description)
            }
        }
        do throws(ClaimFailure) {
            if let conflict = points.conflict {
                throw ClaimFailure(certificate.kind == .memorization ? "claims.memorized" : "claims.n",
                                   "the point on line \(conflict.line) equals the point on line \(conflict.earlierLine) but has another label: "
                                       + "the data is no labeled point set, and no network memorizes it")
            }
            if let claims = certificate.memorization, let net {
                try MemorizationCheck.check(claims, net, points, &outcome.checks)
            } else if let claims = certificate.lowerBound {
                try LowerBoundCheck.check(claims, points, &outcome.checks)
            } else if let claims = certificate.separationNumber {
                try SeparationNumberCheck.check(claims, points, proof: contents["proof"]?.file.bytes, &outcome.checks)
            }
        } catch {
            outcome.failure = error
        }
        return outcome
    }
}


// MARK: - Reporting

extension CheckOutcome {
    /// The `memcert.check/1` object of `memcert check --json` (docs/schemas/check.schema.json).
    public func json(certificate: String, seconds: Double) -> String {
        func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let failureText = failure.map { "{\"claim\": \(quoted($0.claim)), \"message\": \(quoted($0.message))}" } ?? "null"
        let milliseconds = Int((seconds * 1000).rounded())
        return """
            {
              "format": "memcert.check/1",
              "certificate": \(quoted(certificate)),
              "kind": \(quoted(kind)),
              "holds": \(holds),
              "checks": [\(checks.map(quoted).joined(separator: ", "))],
              "failure": \(failureText),
              "seconds": \(Double(milliseconds) / 1000)
            }

            """
    }
}
