// MARK: - Separation-number claims, read strictly (docs/formats.md, sections 5.3 and K5)

struct SeparationNumberClaims {
    struct Hyperplane {
        let weights: [Q]
        let bias: Q
    }
    struct Encoding {
        let k: Int, cuts: Int, variables: Int, clauses: Int
        let cnfSha256: String
    }
    enum Bound {
        /// A circle or moment-curve bound, with the keys of a lower-bound certificate's entry.
        case curve(LowerBoundClaims.Bound)
        /// At least one hyperplane when two labels occur, none otherwise.
        case labels(firstLayerNeurons: Int)
    }
    var n = 0, d = 0, classes = 0, pairs = 0, candidates = 0, minimum = 0
    var witness: [Hyperplane] = []
    var provenBy = ""
    var encoding: Encoding?
    var bound: Bound?
}

extension CertificateReader {
    func separationNumberClaims(_ node: JSONNode) throws(MalformedInput) -> SeparationNumberClaims {
        let c = try members(node, "claims", ["n", "d", "classes", "pairs", "candidates", "minimum", "witness", "provenBy", "encoding", "bound"])
        var claims = SeparationNumberClaims()
        claims.n = try integer(c["n"]!, "claims.n")
        claims.d = try integer(c["d"]!, "claims.d")
        claims.classes = try integer(c["classes"]!, "claims.classes")
        claims.pairs = try integer(c["pairs"]!, "claims.pairs")
        claims.candidates = try integer(c["candidates"]!, "claims.candidates")
        claims.minimum = try integer(c["minimum"]!, "claims.minimum")
        for (t, h) in try array(c["witness"]!, "claims.witness").enumerated() {
            let name = "claims.witness[\(t)]"
            let entry = try members(h, name, ["weights", "bias"])
            let list = try array(entry["weights"]!, "\(name).weights")
            guard list.count == claims.d else { throw fail(entry["weights"]!, "\(name).weights has \(list.count) entries, claims.d is \(claims.d)") }
            var weights: [Q] = []
            for w in list { weights.append(try rational(w, "an entry of \(name).weights")) }
            claims.witness.append(.init(weights: weights, bias: try rational(entry["bias"]!, "\(name).bias")))
        }
        claims.provenBy = try string(c["provenBy"]!, "claims.provenBy")
        let isNull: (JSONNode) -> Bool = { if case .null = $0.value { true } else { false } }
        switch claims.provenBy {
        case "drat":
            guard isNull(c["bound"]!) else { throw fail(c["bound"]!, "claims.bound must be null when provenBy is \"drat\"") }
            let e = try members(c["encoding"]!, "claims.encoding", ["cardinality", "k", "cuts", "variables", "clauses", "cnfSha256"])
            guard try string(e["cardinality"]!, "claims.encoding.cardinality") == "sequential-counter" else {
                throw fail(e["cardinality"]!, "claims.encoding.cardinality must be \"sequential-counter\"")
            }
            let digest = try string(e["cnfSha256"]!, "claims.encoding.cnfSha256")
            guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 &- 0x30 < 10) || ($0 &- 0x61 < 6) }) else {
                throw fail(e["cnfSha256"]!, "claims.encoding.cnfSha256 must be 64 lowercase hex digits")
            }
            let k = try integer(e["k"]!, "claims.encoding.k")
            guard claims.minimum >= 1, k == claims.minimum - 1 else {
                throw fail(e["k"]!, "claims.encoding.k must be claims.minimum - 1 (the formula refuted says no fewer cuts suffice)")
            }
            claims.encoding = .init(k: k, cuts: try integer(e["cuts"]!, "claims.encoding.cuts"),
                                    variables: try integer(e["variables"]!, "claims.encoding.variables"),
                                    clauses: try integer(e["clauses"]!, "claims.encoding.clauses"), cnfSha256: digest)
        case "bound":
            guard isNull(c["encoding"]!) else { throw fail(c["encoding"]!, "claims.encoding must be null when provenBy is \"bound\"") }
            let b = c["bound"]!
            guard case .object(let entries) = b.value, let argumentNode = entries.first(where: { $0.key == "argument" })?.node else {
                throw fail(b, "claims.bound must be an object with an \"argument\"")
            }
            switch try string(argumentNode, "claims.bound.argument") {
            case "labels":
                let m = try members(b, "claims.bound", ["argument", "firstLayerNeurons"])
                claims.bound = .labels(firstLayerNeurons: try integer(m["firstLayerNeurons"]!, "claims.bound.firstLayerNeurons"))
            case let argument where argument == "circle" || argument == "moment-curve":
                claims.bound = .curve(try bound(b, argument, "claims.bound", n: claims.n, d: claims.d))
            default:
                throw fail(argumentNode, "claims.bound.argument must be circle, moment-curve or labels")
            }
        default:
            throw fail(c["provenBy"]!, "claims.provenBy must be \"drat\" or \"bound\"")
        }
        return claims
    }
}
