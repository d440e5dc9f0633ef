// The certificate checker: re-derives every claim of a memcert.certificate/1
// file from the files it names, with its own parsing (Foundation's JSON, a
// minimal CSV reader) and its own plain exact evaluation on ExactArithmetic.
// It shares no code with the construction, geometry or network modules, so a
// bug there cannot hide here.
import Crypto
import ExactArithmetic
import Foundation

/// The outcome of a check: every claim verified, or the first that fails and why.
public struct CheckOutcome: Sendable {
    public var kind: String
    public var checked: [String]
    public var failure: String?
    public var holds: Bool { failure == nil }
}

/// The certificate or a file it names cannot be read (exit status 2).
public struct UnreadableInput: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ file: String, _ message: String) { description = "\(file): \(message)" }
}

/// A claim that does not hold (exit status 1).
struct ClaimFails: Error { let message: String }

public enum CertificateChecker {
    /// Checks the certificate at `path`; `network` and `data` override the files it names.
    public static func check(path: String, network: String? = nil, data: String? = nil) throws(UnreadableInput) -> CheckOutcome {
        let root = try readJSON(path)
        guard let object = root as? [String: Any] else { throw UnreadableInput(path, "not a JSON object") }
        guard let format = object["format"] as? String else { throw UnreadableInput(path, "no \"format\"") }
        guard format == "memcert.certificate/1" else {
            throw UnreadableInput(path, "unsupported format \"\(format)\" (this checker reads memcert.certificate/1)")
        }
        guard let kind = object["kind"] as? String, let files = object["files"] as? [String: Any],
              let claims = object["claims"] as? [String: Any] else {
            throw UnreadableInput(path, "a certificate needs \"kind\", \"files\" and \"claims\"")
        }
        var outcome = CheckOutcome(kind: kind, checked: [], failure: nil)
        let folder = (path as NSString).deletingLastPathComponent
        var resolved: [String: String] = [:]
        do {
            // Digests first: the claims are about these exact bytes.
            for role in files.keys.sorted() {
                guard let entry = files[role] as? [String: Any], let recorded = entry["path"] as? String,
                      let digest = entry["sha256"] as? String else { throw UnreadableInput(path, "files.\(role) needs path and sha256") }
                let override = role == "network" ? network : (role == "data" ? data : nil)
                let file = override ?? (folder.isEmpty ? recorded : folder + "/" + recorded)
                let bytes = try readBytes(file)
                let actual = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                if actual != digest.lowercased() {
                    throw ClaimFails(message: "files.\(role).sha256: \(file) has SHA-256 \(actual), the certificate records \(digest)")
                }
                resolved[role] = file
                outcome.checked.append("files.\(role).sha256")
            }
            guard let dataFile = resolved["data"] else { throw UnreadableInput(path, "no data file named") }
            let points = try CheckerData(path: dataFile)
            switch kind {
            case "memorization":
                guard let networkFile = resolved["network"] else { throw UnreadableInput(path, "no network file named") }
                let net = try CheckerNetwork(path: networkFile)
                outcome.checked += try checkMemorization(claims, net, points)
            case "lower-bound":
                outcome.checked += try CheckerBounds.check(claims, points)
            default:
                throw UnreadableInput(path, "unknown kind \"\(kind)\"")
            }
        } catch let error as ClaimFails {
            outcome.failure = error.message
        } catch let error as UnreadableInput {
            throw error
        } catch {
            throw UnreadableInput(path, "\(error)")
        }
        return outcome
    }

    static func readBytes(_ file: String) throws(UnreadableInput) -> Data {
        guard let data = FileManager.default.contents(atPath: file) else { throw UnreadableInput(file, "cannot read") }
        return data
    }

    static func readJSON(_ file: String) throws(UnreadableInput) -> Any {
        let bytes = try readBytes(file)
        do { return try JSONSerialization.jsonObject(with: bytes) } catch {
            throw UnreadableInput(file, "not valid JSON (\(error.localizedDescription))")
        }
    }

    /// Compares a recomputed value with the claim of that name.
    static func expect(_ claims: [String: Any], _ key: String, _ actual: String) throws -> String {
        guard let value = claims[key] else { throw ClaimFails(message: "claims.\(key) is missing") }
        let recorded = value is NSNull ? "null" : ((value as? String) ?? "\(value)")
        if recorded != actual { throw ClaimFails(message: "claims.\(key): the certificate says \(recorded), the files give \(actual)") }
        return "claims.\(key)"
    }

    // MARK: - Memorization

    static func checkMemorization(_ claims: [String: Any], _ net: CheckerNetwork, _ data: CheckerData) throws -> [String] {
        let allowed: Set<String> = ["n", "d", "classes", "mergedDuplicates", "radiusSquared", "deltaSquared", "neurons", "weights",
                                    "biases", "depth", "largestWeightBits", "memorized", "minimumMargins"]
        if let unknown = claims.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ClaimFails(message: "claims.\(unknown) is not a claim this checker can verify")
        }
        var checked: [String] = []
        checked.append(try expect(claims, "n", "\(data.points.count)"))
        checked.append(try expect(claims, "d", "\(data.dimension)"))
        checked.append(try expect(claims, "classes", "\((data.labels.max() ?? -1) + 1)"))
        checked.append(try expect(claims, "mergedDuplicates", "\(data.merged)"))
        checked.append(try expect(claims, "neurons", "\(net.neurons)"))
        checked.append(try expect(claims, "weights", "\(net.weights)"))
        checked.append(try expect(claims, "biases", "\(net.biases)"))
        checked.append(try expect(claims, "depth", "\(net.layers.count)"))
        checked.append(try expect(claims, "largestWeightBits", "\(net.largestWeightBits)"))
        guard net.inputDimension == data.dimension else {
            throw ClaimFails(message: "claims.memorized: the network reads \(net.inputDimension) inputs, the data has \(data.dimension)")
        }
        if let conflict = data.conflict { throw ClaimFails(message: "claims.memorized: \(conflict)") }
        let result = net.evaluateAll(data)
        if let (index, output) = result.firstMismatch {
            throw ClaimFails(message: "claims.memorized: the point on line \(data.lines[index]) gets output \(output), its label is \(data.labels[index])")
        }
        guard claims["memorized"] as? Bool == true else { throw ClaimFails(message: "claims.memorized must be true") }
        checked.append("claims.memorized")
        checked.append(try expect(claims, "minimumMargins", "[" + result.margins.map(\.description).joined(separator: ",") + "]",
                                  normalizing: true))
        if !(claims["deltaSquared"] is NSNull) || !(claims["radiusSquared"] is NSNull) {
            let (r2, d2) = data.separation()
            checked.append(try expect(claims, "radiusSquared", r2.description))
            checked.append(try expect(claims, "deltaSquared", d2?.description ?? "null"))
        }
        return checked
    }

    /// Arrays compare element by element as text.
    static func expect(_ claims: [String: Any], _ key: String, _ actual: String, normalizing: Bool) throws -> String {
        guard let list = claims[key] as? [Any] else { throw ClaimFails(message: "claims.\(key) is missing or not a list") }
        let recorded = "[" + list.map { ($0 as? String) ?? "\($0)" }.joined(separator: ",") + "]"
        if recorded != actual { throw ClaimFails(message: "claims.\(key): the certificate says \(recorded), the files give \(actual)") }
        return "claims.\(key)"
    }
}
