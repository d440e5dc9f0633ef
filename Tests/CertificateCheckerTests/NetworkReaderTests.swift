import ExactArithmetic
import Testing
import TestSupport
import TextFormats
import ThresholdNetworks
@testable import CertificateChecker

let sampleNetwork = """
{"format": "memcert.network/1", "inputDimension": 3, "outputBits": 1,
 "layers": [{"name": "first", "neurons": [{"weights": {"indices": [0, 2], "values": ["3/8", "-1"]}, "bias": "0"},
                                          {"weights": {"indices": [1], "values": ["6/16"]}, "bias": 0.25}]},
            {"neurons": [{"weights": {"indices": [0, 1], "values": ["1", 1e0]}, "bias": "-2"}]}],
 "provenance": {"method": "test", "seed": [1, {"x": null}]}}
"""

func sampleEdited(_ old: String, _ new: String) -> String { sampleNetwork.replacingOccurrences(of: old, with: new) }

@Suite("The checker's network reader (docs/formats.md, section 4)")
struct NetworkReaderTests {
    @Test("counts, bare numbers read exactly, escapes decoded, a byte-order mark skipped")
    func valid() throws {
        let net = try readNetwork("\u{FEFF}" + sampleNetwork).get()
        #expect(net.neurons == 3 && net.weights == 5 && net.biases == 2 && net.layers.count == 2 && net.largestWeightBits == 5)
        #expect(net.layers[0].weights == [3, -8, 3] && net.layers[0].biases == [0, 2] && net.layers[0].scales == [8, 8])
        let escaped = try readNetwork(sampleEdited("\"3/8\"", "\"\\u0033/8\"")).get()
        #expect(escaped.layers[0].weights == [3, -8, 3])
        let zero = try readNetwork(sampleEdited("\"3/8\"", "\"0\"")).get()  // an explicit zero weight is no weight
        #expect(zero.weights == 4)
    }

    @Test("what the format refuses is a located error", arguments: [
        (sampleEdited("[0, 2]", "[0, 1.9]"), "JSON integer"), (sampleEdited("[0, 2]", "[-0.5, 2]"), "JSON integer"),
        (sampleEdited("\"inputDimension\": 3", "\"inputDimension\": 2.7"), "JSON integer"),
        (sampleEdited("\"inputDimension\": 3", "\"inputDimension\": true"), "JSON integer"),
        (sampleEdited("\"inputDimension\": 3", "\"inputDimension\": \"3\""), "JSON integer"),
        (sampleEdited("\"outputBits\": 1", "\"outputBits\": 63"), "exceeds 62"), (sampleEdited("\"outputBits\": 1", "\"outputBits\": 0"), "between 1 and 62"),
        (sampleEdited("\"outputBits\": 1", "\"outputBits\": 2"), "outputBits is 2"), (sampleEdited("[0, 2]", "[2, 0]"), "strictly increase"),
        (sampleEdited("[0, 2]", "[0, 3]"), "out of range"), (sampleEdited("[0, 2], \"values\": [\"3/8\", \"-1\"]", "[0, 3], \"values\": [\"3/8\", \"0\"]"), "out of range"), (sampleEdited("\"bias\": \"-2\"", "\"bias\": \"-2\", \"bias\": \"1\""), "duplicate key"),
        (sampleEdited("\"format\"", "\"extra\": 1, \"format\""), "unknown key"), (sampleEdited("\"name\": \"first\"", "\"name\": 7"), "a string"),
        (sampleEdited("\"6/16\"", "\"6/0\""), "zero denominator"), (sampleEdited("\"6/16\"", "\"nan\""), "NaN"), (sampleEdited("\"6/16\"", "true"), "must be a number"),
        (sampleEdited("\"6/16\"", "\" 1\""), "unexpected"), (sampleEdited("\"6/16\"", "1e5001"), "exponent out of range"),
        (sampleEdited("\"values\": [\"1\", 1e0]", "\"values\": [\"1\"]"), "1 weight values for 2 indices"),
        (sampleEdited("\"memcert.network/1\"", "\"memcert.network/3\""), "unsupported"), ("[]", "an object"),
        (sampleEdited("\"layers\": [", "\"layers\": [{\"neurons\": []}, "), "at least one neuron"),
        (sampleEdited("\"seed\": [1,", "\"seed\": [1, {\"a\": 1, \"a\": 2},"), "duplicate key"),
    ])
    func invalid(_ text: String, _ fragment: String) {
        let error = readNetwork(text).failure
        #expect(error?.message.contains(fragment) == true, "\(fragment): \(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.line != nil)
    }

    @Test("counts agree with the producer's reader on random networks")
    func differential() throws {
        var rng = SplitMix64(seed: 909)
        for _ in 0 ..< 200 {
            let c = RandomCase(&rng, edges: rng.below(2) == 0)
            let mine = try readNetwork(c.network).get()
            let theirs = try reading(Array(c.network.utf8)) { (b) throws(InputError) in try ThresholdNetworks.Network.parse(b, file: "n.json") }.get()
            let counts = theirs.counts
            #expect(mine.neurons == counts.neurons && mine.weights == counts.weights && mine.biases == counts.biases)
            #expect(mine.layers.count == counts.depth && mine.largestWeightBits == counts.largestWeightBits)
        }
    }

    @Test("random bytes and mutated networks give typed errors, never a crash")
    func fuzz() {
        var rng = SplitMix64(seed: 910)
        let base = Array(sampleNetwork.utf8)
        var rejected = 0
        for round in 0 ..< 4000 {
            if readNetwork(mutated(base, &rng, round: round)).failure != nil { rejected += 1 }
        }
        #expect(rejected > 3000)
    }
}
