// MARK: - memcert.certificate/2, read strictly (docs/formats.md, section 5)
//
// The JSON tree is turned into typed claims. Everything decidable from the
// certificate alone is checked here, before any file is read: key sets (K1-K4),
// value forms (JSON integers, booleans, canonical rationals), paths (K3) and the
// self-consistency rules of K5. Any problem is malformed input (exit 2).

struct Certificate {
    enum Kind: String { case memorization, lowerBound = "lower-bound", separationNumber = "separation-number" }
    struct File {
        let role: String
        let path: String
        let sha256: String
    }
    let kind: Kind
    /// In check order: data, then network.
    let files: [File]
    let memorization: MemorizationClaims?
    let lowerBound: LowerBoundClaims?
    var separationNumber: SeparationNumberClaims? = nil
}

struct MemorizationClaims {
    var n = 0, d = 0, classes = 0, mergedDuplicates = 0
    var neurons = 0, weights = 0, biases = 0, depth = 0, largestWeightBits = 0
    var memorized = false
    var minimumMargins: [String] = []
    var radiusSquared: String?, deltaSquared: String?
}

struct LowerBoundClaims {
    enum Bound {
        case circle(firstLayerNeurons: Int, center: [Q], radiusSquared: Q, planeOrigin: [Q], planeBasis: [[Q]], labelChanges: Int, cyclicOrderLines: [Int])
        case momentCurve(firstLayerNeurons: Int, labelChanges: Int, orderLines: [Int], parameters: [String])
        case distinctCodes(firstLayerNeurons: Int, regionsAtBound: String, regionsBelowBound: String)
        case counting(weights: Int, neurons: Int)
    }
    var n = 0, d = 0, classes = 0, best = 0
    var bounds: [Bound] = []
}

struct CertificateReader {
    let file: String
    let bytes: UnsafeBufferPointer<UInt8>
    static let largestInteger = 1 << 62

    func fail(_ node: JSONNode, _ message: String) -> MalformedInput { MalformedInput(file, message, offset: node.offset, in: bytes) }

    /// The members of an object with exactly `required` (plus any of `optional`).
    func members(_ node: JSONNode, _ what: String, _ required: [String], optional: [String] = []) throws(MalformedInput) -> [String: JSONNode] {
        guard case .object(let list) = node.value else { throw fail(node, "\(what) must be an object") }
        var result: [String: JSONNode] = [:]
        for (key, value) in list {
            guard required.contains(key) || optional.contains(key) else {
                throw fail(value, "unknown key \"\(key)\" in \(what) (expected \((required + optional).joined(separator: ", ")))")
            }
            result[key] = value
        }
        for key in required where result[key] == nil { throw fail(node, "\(what) needs \"\(key)\"") }
        return result
    }

    /// A JSON integer in [0, 2^62] (K4). Each step is taken only when it stays in range
    /// (value · 10 + digit <= 2^62 ⟺ value <= (2^62 − digit) / 10), so any number of
    /// digits is read without overflow and anything larger is malformed.
    func integer(_ node: JSONNode, _ what: String) throws(MalformedInput) -> Int {
        guard case .number(let text) = node.value, !text.isEmpty, text.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else {
            throw fail(node, "\(what) must be a JSON integer (digits only)")
        }
        var value = 0
        for byte in text.utf8 {
            let digit = Int(byte &- 0x30)
            guard value <= (CertificateReader.largestInteger - digit) / 10 else {
                throw fail(node, "\(what) \(excerpt(Array(text.utf8))) exceeds 2^62 (certificate integers are at most 2^62)")
            }
            value = value * 10 + digit
        }
        return value
    }

    func string(_ node: JSONNode, _ what: String) throws(MalformedInput) -> String {
        guard case .string(let s) = node.value else { throw fail(node, "\(what) must be a string") }
        return s
    }

    func array(_ node: JSONNode, _ what: String) throws(MalformedInput) -> [JSONNode] {
        guard case .array(let list) = node.value else { throw fail(node, "\(what) must be an array") }
        return list
    }

    /// A canonical rational (K4): its text is exactly the canonical text of its value.
    func rational(_ node: JSONNode, _ what: String) throws(MalformedInput) -> Q {
        let text = try string(node, what)
        var copy = text
        let value = copy.withUTF8 { try? ExactNumber.parse($0) }
        guard let value, value.q.description == text else {
            throw fail(node, "\(what) must be an exact rational in canonical form (like \"-3/4\", \"7\", \"0\"), found \"\(excerpt(Array(text.utf8)))\"")
        }
        return value.q
    }

    func optionalRational(_ node: JSONNode, _ what: String) throws(MalformedInput) -> String? {
        if case .null = node.value { return nil }
        return try rational(node, what).description
    }

    func bigInteger(_ node: JSONNode, _ what: String) throws(MalformedInput) -> String {
        let q = try rational(node, what)
        guard q.signum >= 0, q.denominator == Z(1) else { throw fail(node, "\(what) must be a non-negative integer written as a string of digits") }
        return q.description
    }

    func lines(_ node: JSONNode, _ what: String) throws(MalformedInput) -> [Int] {
        var result: [Int] = []
        for element in try array(node, what) {
            let line = try integer(element, "a line number in \(what)")
            guard line >= 1 else { throw fail(element, "line numbers start at 1") }
            result.append(line)
        }
        return result
    }

    // MARK: The whole certificate

    func read(_ root: JSONNode) throws(MalformedInput) -> Certificate {
        guard case .object(let top) = root.value else { throw fail(root, "a certificate must be a JSON object") }
        guard let formatNode = top.first(where: { $0.key == "format" })?.node else { throw fail(root, "a certificate needs \"format\"") }
        let format = try string(formatNode, "format")
        if format == "memcert.certificate/1" {
            throw fail(formatNode, "memcert.certificate/1 is no longer read: re-issue the certificate with this memcert (memcert certify, or memcert lower-bound --certificate)")
        }
        guard format == "memcert.certificate/2" else { throw fail(formatNode, "unsupported format \"\(excerpt(Array(format.utf8)))\" (this checker reads memcert.certificate/2)") }
        let m = try members(root, "a certificate", ["format", "kind", "provenance", "files", "claims"])
        guard let kind = Certificate.Kind(rawValue: try string(m["kind"]!, "kind")) else {
            throw fail(m["kind"]!, "kind must be \"memorization\", \"lower-bound\", \"separation-number\", \"memorization-shard\" or \"memorization-root\"")
        }
        try provenance(m["provenance"]!)
        if kind == .separationNumber {
            let claims = try separationNumberClaims(m["claims"]!)
            let files = try fileEntries(m["files"]!, kind: kind, roles: claims.provenBy == "drat" ? ["data", "proof"] : ["data"])
            return Certificate(kind: kind, files: files, memorization: nil, lowerBound: nil, separationNumber: claims)
        }
        let files = try fileEntries(m["files"]!, kind: kind, roles: kind == .memorization ? ["data", "network"] : ["data"])
        if kind == .memorization {
            return Certificate(kind: kind, files: files, memorization: try memorizationClaims(m["claims"]!), lowerBound: nil)
        }
        return Certificate(kind: kind, files: files, memorization: nil, lowerBound: try lowerBoundClaims(m["claims"]!))
    }

    /// K3: exactly the roles of the kind, each a well-formed relative path and a digest.
    func fileEntries(_ node: JSONNode, kind: Certificate.Kind, roles: [String]) throws(MalformedInput) -> [Certificate.File] {
        let f = try members(node, "files (for kind \(kind.rawValue))", roles)
        var files: [Certificate.File] = []
        for role in roles {
            let entry = try members(f[role]!, "files.\(role)", ["path", "sha256"])
            let path = try string(entry["path"]!, "files.\(role).path")
            if let problem = FilePaths.problem(path) { throw fail(entry["path"]!, "files.\(role).path: \(problem)") }
            let digest = try string(entry["sha256"]!, "files.\(role).sha256")
            guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 &- 0x30 < 10) || ($0 &- 0x61 < 6) }) else {
                throw fail(entry["sha256"]!, "files.\(role).sha256 must be 64 lowercase hex digits")
            }
            files.append(Certificate.File(role: role, path: path, sha256: digest))
        }
        return files
    }

    /// K2: informational, checked for types only.
    func provenance(_ node: JSONNode) throws(MalformedInput) {
        let p = try members(node, "provenance", ["memcert", "commit", "gmp", "command"])
        _ = try string(p["memcert"]!, "provenance.memcert")
        if case .null = p["commit"]!.value {} else { _ = try string(p["commit"]!, "provenance.commit (or null)") }
        _ = try string(p["gmp"]!, "provenance.gmp")
        for part in try array(p["command"]!, "provenance.command") { _ = try string(part, "provenance.command entries") }
    }

    func memorizationClaims(_ node: JSONNode) throws(MalformedInput) -> MemorizationClaims {
        let c = try members(node, "claims", ["n", "d", "classes", "mergedDuplicates", "radiusSquared", "deltaSquared", "neurons", "weights",
                                            "biases", "depth", "largestWeightBits", "memorized", "minimumMargins"])
        var claims = MemorizationClaims()
        claims.n = try integer(c["n"]!, "claims.n")
        claims.d = try integer(c["d"]!, "claims.d")
        claims.classes = try integer(c["classes"]!, "claims.classes")
        claims.mergedDuplicates = try integer(c["mergedDuplicates"]!, "claims.mergedDuplicates")
        claims.neurons = try integer(c["neurons"]!, "claims.neurons")
        claims.weights = try integer(c["weights"]!, "claims.weights")
        claims.biases = try integer(c["biases"]!, "claims.biases")
        claims.depth = try integer(c["depth"]!, "claims.depth")
        claims.largestWeightBits = try integer(c["largestWeightBits"]!, "claims.largestWeightBits")
        guard case .bool(let memorized) = c["memorized"]!.value else { throw fail(c["memorized"]!, "claims.memorized must be true or false") }
        claims.memorized = memorized
        let margins = try array(c["minimumMargins"]!, "claims.minimumMargins")
        for margin in margins { claims.minimumMargins.append(try rational(margin, "an entry of claims.minimumMargins").description) }
        claims.radiusSquared = try optionalRational(c["radiusSquared"]!, "claims.radiusSquared")
        claims.deltaSquared = try optionalRational(c["deltaSquared"]!, "claims.deltaSquared")
        // K5.
        if margins.count != claims.depth {
            throw fail(c["minimumMargins"]!, "claims.minimumMargins has \(margins.count) entries, claims.depth is \(claims.depth)")
        }
        if (claims.radiusSquared == nil) != (claims.n > 20000) {
            throw fail(c["radiusSquared"]!, "claims.radiusSquared must be null exactly when n > 20000 (n is \(claims.n))")
        }
        if (claims.deltaSquared == nil) != (claims.n > 20000 || claims.n <= 1) {
            throw fail(c["deltaSquared"]!, "claims.deltaSquared must be null exactly when n > 20000 or n <= 1 (n is \(claims.n))")
        }
        return claims
    }

    func lowerBoundClaims(_ node: JSONNode) throws(MalformedInput) -> LowerBoundClaims {
        let c = try members(node, "claims", ["n", "d", "classes", "bounds", "best"])
        var claims = LowerBoundClaims()
        claims.n = try integer(c["n"]!, "claims.n")
        claims.d = try integer(c["d"]!, "claims.d")
        claims.classes = try integer(c["classes"]!, "claims.classes")
        claims.best = try integer(c["best"]!, "claims.best")
        let list = try array(c["bounds"]!, "claims.bounds")
        guard !list.isEmpty else { throw fail(c["bounds"]!, "claims.bounds must not be empty") }
        let order = ["circle", "moment-curve", "distinct-codes", "counting"]
        var previous = -1
        for (i, b) in list.enumerated() {
            let name = "claims.bounds[\(i)]"
            guard case .object(let entries) = b.value, let argumentNode = entries.first(where: { $0.key == "argument" })?.node else {
                throw fail(b, "\(name) must be an object with an \"argument\"")
            }
            let argument = try string(argumentNode, "\(name).argument")
            guard let rank = order.firstIndex(of: argument) else {
                throw fail(argumentNode, "\(name).argument must be one of \(order.joined(separator: ", "))")
            }
            guard rank > previous else { throw fail(argumentNode, "bounds appear at most once each, in the order \(order.joined(separator: ", "))") }
            previous = rank
            claims.bounds.append(try bound(b, argument, name, n: claims.n, d: claims.d))
        }
        return claims
    }

    func bound(_ node: JSONNode, _ argument: String, _ name: String, n: Int, d: Int) throws(MalformedInput) -> LowerBoundClaims.Bound {
        func vector(_ node: JSONNode, _ what: String) throws(MalformedInput) -> [Q] {
            let list = try array(node, what)
            guard list.count == d else { throw fail(node, "\(what) has \(list.count) entries, claims.d is \(d)") }
            var result: [Q] = []
            for element in list { result.append(try rational(element, "an entry of \(what)")) }
            return result
        }
        func count(_ list: [Int], _ node: JSONNode, _ what: String) throws(MalformedInput) -> [Int] {
            guard list.count == n else { throw fail(node, "\(what) has \(list.count) entries, claims.n is \(n)") }
            return list
        }
        switch argument {
        case "circle":
            let b = try members(node, name, ["argument", "firstLayerNeurons", "center", "radiusSquared", "planeOrigin", "planeBasis",
                                             "labelChanges", "cyclicOrderLines"])
            let basis = try array(b["planeBasis"]!, "\(name).planeBasis")
            guard basis.count == 2 else { throw fail(b["planeBasis"]!, "\(name).planeBasis must have 2 rows") }
            return .circle(firstLayerNeurons: try integer(b["firstLayerNeurons"]!, "\(name).firstLayerNeurons"),
                           center: try vector(b["center"]!, "\(name).center"),
                           radiusSquared: try rational(b["radiusSquared"]!, "\(name).radiusSquared"),
                           planeOrigin: try vector(b["planeOrigin"]!, "\(name).planeOrigin"),
                           planeBasis: [try vector(basis[0], "\(name).planeBasis[0]"), try vector(basis[1], "\(name).planeBasis[1]")],
                           labelChanges: try integer(b["labelChanges"]!, "\(name).labelChanges"),
                           cyclicOrderLines: try count(lines(b["cyclicOrderLines"]!, "\(name).cyclicOrderLines"), b["cyclicOrderLines"]!,
                                                       "\(name).cyclicOrderLines"))
        case "moment-curve":
            let b = try members(node, name, ["argument", "firstLayerNeurons", "labelChanges", "orderLines", "parameters"])
            let parameters = try array(b["parameters"]!, "\(name).parameters")
            guard parameters.count == n else { throw fail(b["parameters"]!, "\(name).parameters has \(parameters.count) entries, claims.n is \(n)") }
            var texts: [String] = []
            for p in parameters { texts.append(try rational(p, "an entry of \(name).parameters").description) }
            return .momentCurve(firstLayerNeurons: try integer(b["firstLayerNeurons"]!, "\(name).firstLayerNeurons"),
                                labelChanges: try integer(b["labelChanges"]!, "\(name).labelChanges"),
                                orderLines: try count(lines(b["orderLines"]!, "\(name).orderLines"), b["orderLines"]!, "\(name).orderLines"),
                                parameters: texts)
        case "distinct-codes":
            let b = try members(node, name, ["argument", "firstLayerNeurons", "regionsAtBound", "regionsBelowBound"])
            return .distinctCodes(firstLayerNeurons: try integer(b["firstLayerNeurons"]!, "\(name).firstLayerNeurons"),
                                  regionsAtBound: try bigInteger(b["regionsAtBound"]!, "\(name).regionsAtBound"),
                                  regionsBelowBound: try bigInteger(b["regionsBelowBound"]!, "\(name).regionsBelowBound"))
        default:  // counting
            let b = try members(node, name, ["argument", "weights", "neurons", "eUpperBound"])
            let neurons = try integer(b["neurons"]!, "\(name).neurons")
            guard neurons >= 1 else { throw fail(b["neurons"]!, "\(name).neurons must be at least 1") }
            guard try string(b["eUpperBound"]!, "\(name).eUpperBound") == "1457/536" else {
                throw fail(b["eUpperBound"]!, "\(name).eUpperBound must be \"1457/536\"")
            }
            return .counting(weights: try integer(b["weights"]!, "\(name).weights"), neurons: neurons)
        }
    }
}
