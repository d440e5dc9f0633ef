import ExactArithmetic
import TextFormats

// MARK: - Reading memcert.network/1 and /2

extension Network {
    /// Parses and validates network JSON; `file` names the source in errors
    /// (reading files is the command line's job).
    ///
    /// Accepts values as canonical strings, non-reduced fractions ("6/16") and
    /// decimal literals ("0.375" or a bare JSON number), all read exactly and
    /// normalised. Every problem is reported as an `InputError` naming the
    /// file, line and column.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) -> Network {
        var reader = NetworkReader(scanner: JSONScanner(bytes: bytes, file: file))
        return try reader.read()
    }

    /// Parses network JSON held in an array (see `parse(_:file:)`).
    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> Network {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(InputError) in try parse(buffer, file: file) }
        }
        return try result.get()
    }
}

/// Reads the network object, remembering where each part was so that checks
/// that need the whole file (index ranges, output width) point at the right place.
struct NetworkReader {
    var scanner: JSONScanner
    /// Offsets of each layer object and of each neuron's indices array.
    var layerOffsets: [Int] = []
    var indicesOffsets: [[Int]] = []
    /// Where the first layer's `comparison` key was, if any (it needs format /2).
    var firstComparisonOffset: Int?

    mutating func read() throws(InputError) -> Network {
        let documentStart = scanner.valueStart()
        try scanner.beginObject()
        var format: String?
        var inputDimension: Int?, outputBits: Int?
        var layers: [Layer]?
        var provenance: JSONValue?
        var outputBitsOffset = documentStart
        var seen = Set<String>()
        while let key = try scanner.nextKey() {
            let valueOffset = scanner.valueStart()
            if !seen.insert(key).inserted { throw scanner.error("duplicate key \"\(key)\"", at: valueOffset) }
            switch key {
            case "format":
                let value = try scanner.readString()
                guard Network.formats.contains(value) else {
                    throw scanner.error("unsupported format \"\(value)\" (this memcert reads \(Network.formats.joined(separator: " and ")))",
                                        at: valueOffset)
                }
                format = value
            case "inputDimension":
                inputDimension = try scanner.readNonNegativeInteger(limit: 100_000_000, what: "inputDimension")
            case "outputBits":
                outputBitsOffset = valueOffset
                let bits = try scanner.readNonNegativeInteger(limit: Int(Int32.max), what: "outputBits")
                guard bits >= 1 && bits <= Network.maximumOutputBits else {
                    throw scanner.error("outputBits must be between 1 and \(Network.maximumOutputBits), found \(bits)", at: valueOffset)
                }
                outputBits = bits
            case "layers":
                layers = try readLayers()
            case "provenance":
                provenance = try scanner.readValue()
            default:
                throw scanner.error("unknown key \"\(key)\" in a network (expected format, inputDimension, outputBits, layers, provenance)",
                                    at: valueOffset)
            }
        }
        try scanner.expectEnd()
        guard let format else { throw scanner.error("missing \"format\": \"\(Network.format)\"", at: documentStart) }
        if format == Network.format, let offset = firstComparisonOffset {
            throw scanner.error("a layer's \"comparison\" needs \"format\": \"\(Network.formatWithComparisons)\"", at: offset)
        }
        guard let inputDimension else { throw scanner.error("missing \"inputDimension\"", at: documentStart) }
        guard let outputBits else { throw scanner.error("missing \"outputBits\"", at: documentStart) }
        guard let layers else { throw scanner.error("missing \"layers\"", at: documentStart) }
        guard !layers.isEmpty else { throw scanner.error("a network needs at least one layer", at: documentStart) }

        // Index ranges, now that every width is known.
        var width = inputDimension
        for (l, layer) in layers.enumerated() {
            for (t, neuron) in layer.neurons.enumerated() {
                if let last = neuron.indices.last, last >= width {
                    throw scanner.error("layer \(l) neuron \(t): index \(last) is out of range (the previous layer has \(width) outputs)",
                                        at: indicesOffsets[l][t])
                }
            }
            width = layer.neurons.count
        }
        if width != outputBits {
            throw scanner.error("the last layer has \(width) neurons but outputBits is \(outputBits)",
                                at: layers.count == 1 ? outputBitsOffset : layerOffsets[layers.count - 1])
        }
        return Network(inputDimension: inputDimension, outputBits: outputBits, layers: layers, provenance: provenance)
    }

    mutating func readLayers() throws(InputError) -> [Layer] {
        try scanner.beginArray()
        var layers: [Layer] = []
        while try scanner.nextElement() {
            let offset = scanner.valueStart()
            layerOffsets.append(offset)
            indicesOffsets.append([])
            layers.append(try readLayer(offset: offset))
        }
        return layers
    }

    mutating func readLayer(offset: Int) throws(InputError) -> Layer {
        try scanner.beginObject()
        var name = ""
        var neurons: [Neuron]?
        var comparison = Comparison.atLeast
        var seen = Set<String>()
        while let key = try scanner.nextKey() {
            let valueOffset = scanner.valueStart()
            if !seen.insert(key).inserted { throw scanner.error("duplicate key \"\(key)\"", at: valueOffset) }
            switch key {
            case "name": name = try scanner.readString()
            case "comparison":
                let value = try scanner.readString()
                guard let known = Comparison(rawValue: value) else {
                    throw scanner.error("unknown comparison \"\(value)\" (expected \">=\", \">\" or \"sign\")", at: valueOffset)
                }
                comparison = known
                if firstComparisonOffset == nil { firstComparisonOffset = valueOffset }
            case "neurons":
                try scanner.beginArray()
                var list: [Neuron] = []
                while try scanner.nextElement() { list.append(try readNeuron()) }
                neurons = list
            default:
                throw scanner.error("unknown key \"\(key)\" in a layer (expected name, comparison, neurons)", at: valueOffset)
            }
        }
        guard let neurons else { throw scanner.error("layer without \"neurons\"", at: offset) }
        guard !neurons.isEmpty else { throw scanner.error("layer \(layerOffsets.count - 1) has no neurons", at: offset) }
        return Layer(name: name, neurons: neurons, comparison: comparison)
    }

    mutating func readNeuron() throws(InputError) -> Neuron {
        let neuronOffset = scanner.valueStart()
        try scanner.beginObject()
        var indices: [Int]?, values: [Rational]?
        var bias: Rational?
        var indicesOffset = neuronOffset, valuesOffset = neuronOffset
        var seen = Set<String>()
        while let key = try scanner.nextKey() {
            let valueOffset = scanner.valueStart()
            if !seen.insert(key).inserted { throw scanner.error("duplicate key \"\(key)\"", at: valueOffset) }
            switch key {
            case "bias":
                bias = try scanner.readRational(what: "bias")
            case "weights":
                try scanner.beginObject()
                var seenInner = Set<String>()
                while let inner = try scanner.nextKey() {
                    let innerOffset = scanner.valueStart()
                    if !seenInner.insert(inner).inserted { throw scanner.error("duplicate key \"\(inner)\"", at: innerOffset) }
                    switch inner {
                    case "indices":
                        indicesOffset = innerOffset
                        indices = try readIndices()
                    case "values":
                        valuesOffset = innerOffset
                        try scanner.beginArray()
                        var list: [Rational] = []
                        while try scanner.nextElement() { list.append(try scanner.readRational(what: "weight")) }
                        values = list
                    default:
                        throw scanner.error("unknown key \"\(inner)\" in weights (expected indices, values)", at: innerOffset)
                    }
                }
            default:
                throw scanner.error("unknown key \"\(key)\" in a neuron (expected weights, bias)", at: valueOffset)
            }
        }
        guard let bias else { throw scanner.error("neuron without \"bias\"", at: neuronOffset) }
        guard let indices, let values else {
            throw scanner.error("neuron without \"weights\": {\"indices\": [...], \"values\": [...]}", at: neuronOffset)
        }
        guard indices.count == values.count else {
            throw scanner.error("\(values.count) weight values for \(indices.count) indices", at: valuesOffset)
        }
        indicesOffsets[indicesOffsets.count - 1].append(indicesOffset)
        return Neuron(indices: indices, weights: values, bias: bias)
    }

    mutating func readIndices() throws(InputError) -> [Int] {
        try scanner.beginArray()
        var list: [Int] = []
        while try scanner.nextElement() {
            let offset = scanner.valueStart()
            let index = try scanner.readNonNegativeInteger(limit: 100_000_000, what: "index")
            if let last = list.last, index <= last {
                throw scanner.error("indices must be strictly increasing (\(index) follows \(last))", at: offset)
            }
            list.append(index)
        }
        return list
    }
}

// MARK: - Writing

extension Network {
    /// The canonical file text: fixed key order, canonical values, zero
    /// weights dropped, one neuron per line. A network whose layers all compare with
    /// `>=` is written as `memcert.network/1` (exactly as before comparisons existed);
    /// otherwise as `memcert.network/2`, with every layer's `comparison`.
    ///
    /// - Precondition: the network is well formed (`structuralProblem == nil`).
    public func jsonBytes() -> [UInt8] {
        if let problem = structuralProblem { preconditionFailure("writing a malformed network: \(problem)") }
        var out = [UInt8]()
        out.reserveCapacity(64 + layers.reduce(0) { $0 + $1.neurons.reduce(0) { $0 + 24 * $1.weights.count + 40 } })
        let format = formatIdentifier
        out.append(contentsOf: "{\n  \"format\": \"\(format)\",\n".utf8)
        out.append(contentsOf: "  \"inputDimension\": \(inputDimension),\n  \"outputBits\": \(outputBits),\n".utf8)
        out.append(contentsOf: "  \"layers\": [\n".utf8)
        for (l, layer) in layers.enumerated() {
            out.append(contentsOf: "    {\n      \"name\": ".utf8)
            JSONWriter.appendString(layer.name, into: &out)
            if format == Network.formatWithComparisons {
                out.append(contentsOf: ",\n      \"comparison\": ".utf8)
                JSONWriter.appendString(layer.comparison.rawValue, into: &out)
            }
            out.append(contentsOf: ",\n      \"neurons\": [\n".utf8)
            for (t, neuron) in layer.neurons.enumerated() {
                out.append(contentsOf: "        {\"weights\": {\"indices\": [".utf8)
                var first = true
                for (k, w) in neuron.weights.enumerated() where !w.isZero {
                    if !first { out.append(contentsOf: ", ".utf8) }
                    first = false
                    out.append(contentsOf: String(neuron.indices[k]).utf8)
                }
                out.append(contentsOf: "], \"values\": [".utf8)
                first = true
                for w in neuron.weights where !w.isZero {
                    if !first { out.append(contentsOf: ", ".utf8) }
                    first = false
                    out.append(UInt8(ascii: "\""))
                    out.append(contentsOf: w.description.utf8)
                    out.append(UInt8(ascii: "\""))
                }
                out.append(contentsOf: "]}, \"bias\": \"".utf8)
                out.append(contentsOf: neuron.bias.description.utf8)
                out.append(contentsOf: (t + 1 < layer.neurons.count ? "\"},\n" : "\"}\n").utf8)
            }
            out.append(contentsOf: (l + 1 < layers.count ? "      ]\n    },\n" : "      ]\n    }\n").utf8)
        }
        out.append(contentsOf: "  ]".utf8)
        if let provenance {
            out.append(contentsOf: ",\n  \"provenance\": ".utf8)
            JSONWriter.write(provenance, into: &out, indent: 1)
        }
        out.append(contentsOf: "\n}\n".utf8)
        return out
    }
}
