// MARK: - Networks, memcert.network/1 and /2 (docs/formats.md, section 4)
//
// A layer of a /2 network may say how its neurons compare z with 0: ">=" (the default,
// 1[z >= 0]), ">" (1[z > 0]) or "sign" (1[z > 0], and z = 0 is a tie: no output).
//
// Each neuron t is kept as integers scaled by L_t, the least common denominator
// of its weights and bias: W_k = w_k L_t, B = b L_t, so w·h + b = (W·h + B) / L_t.
// A neuron is "small" when L_t, every W_k and B fit in Int64 *and*
// S_t = Σ|W_k| + |B| < 2^63 (computed with overflow checks): then any sum of a
// subset of its terms is below 2^63 in magnitude and Int64 accumulation cannot
// overflow (layers after the first), and for inputs bounded by M < 2^63 any
// Σ W_k a_k + B·D is below S_t·M < 2^126 in magnitude, so Int128 cannot overflow
// (the first layer). Other neurons are evaluated with GMP.

/// How a layer's neurons turn z into an output (docs/formats.md, section 4).
enum LayerComparison: Sendable {
    case atLeast, greater, sign

    /// Whether a neuron with pre-activation of sign `s` (-1, 0 or 1) fires, and whether it ties.
    @inline(__always)
    func decide(_ s: Int) -> (fires: Bool, tie: Bool) {
        if s != 0 { return (s > 0, false) }
        switch self {
        case .atLeast: return (true, false)
        case .greater: return (false, false)
        case .sign: return (false, true)
        }
    }
}

struct NetworkLayer: Sendable {
    var width = 0
    var comparison = LayerComparison.atLeast
    /// Neuron t's nonzero weights are entries starts[t] ..< starts[t + 1].
    var starts: [Int] = [0]
    var indices: [Int32] = []
    var weights: [Int64] = []  // small neurons; 0 for big ones
    var biases: [Int64] = []
    var scales: [Int64] = []
    /// Neurons that are not small: (W_k for the same entries, B, L_t) in GMP.
    var big: [Int: (weights: [Z], bias: Z, scale: Z)] = [:]
}

struct NetworkModel: Sendable {
    var inputDimension = 0
    var outputBits = 0
    var layers: [NetworkLayer] = []
    var neurons = 0, weights = 0, biases = 0, largestWeightBits = 0
}

enum NetworkReader {
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(MalformedInput) -> NetworkModel {
        var json = JSONReader(bytes, file: file)
        let documentStart = json.position
        var net = NetworkModel()
        var format: String?, inputDimension: Int?, outputBits: Int?, outputBitsOffset = documentStart
        var layers: [NetworkLayer]?
        var lastIndices: [[(index: Int, offset: Int)]] = []  // per layer, per neuron: its largest index (zero weights included) and where
        var comparisonOffset: Int?  // the first layer's "comparison" key: only format /2 has them
        var state = try json.beginObject()
        while let (key, offset) = try json.nextKey(&state) {
            switch key {
            case "format":
                let value = try json.readString()
                guard value == "memcert.network/1" || value == "memcert.network/2" else {
                    throw json.error("unsupported network format \"\(value)\" (expected memcert.network/1 or /2)", at: offset)
                }
                format = value
            case "inputDimension": inputDimension = try json.readInteger("inputDimension", limit: 100_000_000)
            case "outputBits":
                outputBitsOffset = offset
                outputBits = try json.readInteger("outputBits", limit: 62)
            case "layers":
                var list: [NetworkLayer] = []
                var first = try json.beginArray()
                while try json.nextElement(&first) {
                    var last: [(index: Int, offset: Int)] = []
                    list.append(try readLayer(&json, &net, &last, &comparisonOffset))
                    lastIndices.append(last)
                }
                layers = list
            case "provenance": _ = try json.readValue()
            default: throw json.error("unknown key \"\(key)\" in a network (expected format, inputDimension, outputBits, layers, provenance)", at: offset)
            }
        }
        try json.finish()
        guard let format else { throw json.error("missing \"format\"", at: documentStart) }
        if format == "memcert.network/1", let comparisonOffset {
            throw json.error("a layer's \"comparison\" needs format memcert.network/2", at: comparisonOffset)
        }
        guard let inputDimension else { throw json.error("missing \"inputDimension\"", at: documentStart) }
        guard inputDimension >= 1 else { throw json.error("inputDimension must be at least 1", at: documentStart) }
        guard let outputBits else { throw json.error("missing \"outputBits\"", at: documentStart) }
        guard outputBits >= 1 else { throw json.error("outputBits must be between 1 and 62", at: outputBitsOffset) }
        guard let layers else { throw json.error("missing \"layers\"", at: documentStart) }
        guard !layers.isEmpty else { throw json.error("a network needs at least one layer", at: documentStart) }
        var width = inputDimension
        for (l, layer) in layers.enumerated() {
            for (t, last) in lastIndices[l].enumerated() where last.index >= width {
                throw json.error("layer \(l) neuron \(t): index \(last.index) is out of range (the layer before has \(width) outputs)", at: last.offset)
            }
            width = layer.width
        }
        guard width == outputBits else {
            throw json.error("the last layer has \(width) neurons but outputBits is \(outputBits)", at: outputBitsOffset)
        }
        net.inputDimension = inputDimension
        net.outputBits = outputBits
        net.layers = layers
        return net
    }

    static func readLayer(_ json: inout JSONReader, _ net: inout NetworkModel, _ last: inout [(index: Int, offset: Int)],
                          _ comparisonOffset: inout Int?) throws(MalformedInput) -> NetworkLayer {
        let layerOffset = json.position
        var layer = NetworkLayer()
        var sawNeurons = false
        var state = try json.beginObject()
        while let (key, offset) = try json.nextKey(&state) {
            switch key {
            case "name": _ = try json.readString()
            case "comparison":
                switch try json.readString() {
                case ">=": layer.comparison = .atLeast
                case ">": layer.comparison = .greater
                case "sign": layer.comparison = .sign
                case let other: throw json.error("unknown comparison \"\(other)\" (expected \">=\", \">\" or \"sign\")", at: offset)
                }
                if comparisonOffset == nil { comparisonOffset = offset }
            case "neurons":
                sawNeurons = true
                var first = try json.beginArray()
                while try json.nextElement(&first) {
                    try readNeuron(&json, &layer, &net, &last)
                }
            default: throw json.error("unknown key \"\(key)\" in a layer (expected name, comparison, neurons)", at: offset)
            }
        }
        guard sawNeurons else { throw json.error("a layer needs \"neurons\"", at: layerOffset) }
        guard layer.width > 0 else { throw json.error("a layer needs at least one neuron", at: layerOffset) }
        return layer
    }

    static func readNeuron(_ json: inout JSONReader, _ layer: inout NetworkLayer, _ net: inout NetworkModel, _ last: inout [(index: Int, offset: Int)]) throws(MalformedInput) {
        let neuronOffset = json.position
        var indices: [Int32]?, values: [Fraction]?, bias: Fraction?
        var lastIndexOffset = neuronOffset, valuesOffset = neuronOffset
        var state = try json.beginObject()
        while let (key, offset) = try json.nextKey(&state) {
            switch key {
            case "bias": bias = try readValue(&json, "bias")
            case "weights":
                var inner = try json.beginObject()
                while let (innerKey, innerOffset) = try json.nextKey(&inner) {
                    switch innerKey {
                    case "indices":
                        var list: [Int32] = []
                        var first = try json.beginArray()
                        while try json.nextElement(&first) {
                            let at = json.position
                            let index = try json.readInteger("an index", limit: Int(Int32.max))
                            if let last = list.last, index <= Int(last) {
                                throw json.error("indices must strictly increase (\(index) follows \(last))", at: at)
                            }
                            list.append(Int32(index))
                            lastIndexOffset = at
                        }
                        indices = list
                    case "values":
                        valuesOffset = innerOffset
                        var list: [Fraction] = []
                        var first = try json.beginArray()
                        while try json.nextElement(&first) { list.append(try readValue(&json, "a weight")) }
                        values = list
                    default: throw json.error("unknown key \"\(innerKey)\" in weights (expected indices, values)", at: innerOffset)
                    }
                }
                guard indices != nil, values != nil else { throw json.error("weights need \"indices\" and \"values\"", at: offset) }
            default: throw json.error("unknown key \"\(key)\" in a neuron (expected weights, bias)", at: offset)
            }
        }
        guard let indices, let values else { throw json.error("a neuron needs \"weights\"", at: neuronOffset) }
        guard let bias else { throw json.error("a neuron needs \"bias\"", at: neuronOffset) }
        guard indices.count == values.count else {
            throw json.error("\(values.count) weight values for \(indices.count) indices", at: valuesOffset)
        }
        last.append((indices.last.map { Int($0) } ?? -1, lastIndexOffset))
        add(indices, values, bias, to: &layer, &net)
    }

    /// A weight or bias: a JSON string of grammar N, or a bare JSON number read exactly (J5).
    static func readValue(_ json: inout JSONReader, _ what: String) throws(MalformedInput) -> Fraction {
        let first = try json.peek()
        let start = json.position
        let parsed: Result<Fraction, NumberError>
        if first == UInt8(ascii: "\"") {
            switch try json.readStringContent() {
            case .raw(let range):
                parsed = Result { () throws(NumberError) in try ExactNumber.parse(UnsafeBufferPointer(rebasing: json.bytes[range])) }
                    .mapError { NumberError(message: $0.message, offset: 1 + $0.offset) }
            case .decoded(let content):
                parsed = content.withUnsafeBufferPointer { text in
                    Result { () throws(NumberError) in try ExactNumber.parse(text) }.mapError { NumberError(message: $0.message, offset: 1) }
                }
            }
        } else if first == UInt8(ascii: "-") || first &- 0x30 < 10 {
            let token = try json.readNumberToken()
            parsed = Result { () throws(NumberError) in try ExactNumber.parse(UnsafeBufferPointer(rebasing: json.bytes[token])) }
        } else {
            throw json.error("\(what) must be a number (a string such as \"3/8\" or a JSON number), found \(excerpt([first]))")
        }
        switch parsed {
        case .success(let value): return value
        case .failure(let error): throw json.error("\(what): \(error.message)", at: start + error.offset)
        }
    }

    /// Appends a neuron: counts, then the scaled integers (small when the bound holds).
    static func add(_ indices: [Int32], _ values: [Fraction], _ bias: Fraction, to layer: inout NetworkLayer, _ net: inout NetworkModel) {
        net.neurons += 1
        if !bias.isZero { net.biases += 1 }
        var kept: [(Int32, Fraction)] = []
        for (index, value) in zip(indices, values) where !value.isZero {
            kept.append((index, value))
            net.weights += 1
            let q = value.q
            net.largestWeightBits = max(net.largestWeightBits, q.numerator.bitLength + q.denominator.bitLength - 1)
        }
        let t = layer.width
        layer.width += 1
        for (index, _) in kept { layer.indices.append(index) }
        layer.starts.append(layer.indices.count)
        if let (w, b, l) = smallScaled(kept.map(\.1), bias) {
            layer.weights.append(contentsOf: w)
            layer.biases.append(b)
            layer.scales.append(l)
            return
        }
        let exact = kept.map(\.1.q), b = bias.q
        var lcd = b.denominator
        for v in exact where !lcd.isMultiple(of: v.denominator) { lcd = (lcd * v.denominator).dividedExactly(by: Z.gcd(lcd, v.denominator)) }
        func scaled(_ v: Q) -> Z { v.numerator * lcd.dividedExactly(by: v.denominator) }
        layer.big[t] = (exact.map(scaled), scaled(b), lcd)
        layer.weights.append(contentsOf: repeatElement(0, count: kept.count))
        layer.biases.append(0)
        layer.scales.append(0)
    }

    /// (W, B, L) in words when they fit and Σ|W| + |B| < 2^63; nil otherwise.
    static func smallScaled(_ values: [Fraction], _ bias: Fraction) -> ([Int64], Int64, Int64)? {
        var lcd: Int64 = 1
        for v in values + [bias] {
            guard case .small(_, let den) = v else { return nil }
            let g = Int64(gcd64(UInt64(lcd), UInt64(den)))
            let (product, overflow) = (lcd / g).multipliedReportingOverflow(by: den)
            if overflow { return nil }
            lcd = product
        }
        var scaled: [Int64] = []
        var bound: Int64 = 0
        for v in values + [bias] {
            guard case .small(let num, let den) = v else { return nil }
            let (x, o1) = num.multipliedReportingOverflow(by: lcd / den)
            if o1 || x == .min { return nil }
            let (s, o2) = bound.addingReportingOverflow(abs(x))
            if o2 { return nil }
            bound = s
            scaled.append(x)
        }
        let b = scaled.removeLast()
        return (scaled, b, lcd)
    }
}
