import ArgumentParser
import Constructions
import DataSets

// Options with a fixed set of values are enums. The argument parser rejects a
// value outside the set as a usage error (exit 64, naming the values), and
// `--help` and shell completion list the values.

extension ConstructionMethod: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        ["rajput2021": "Rajput et al. (NeurIPS 2021), Theorem 1: Gaussian first layer, then integer weights",
         "baum1988": "Baum (1988): one hidden layer of exact hyperplane pairs",
         "indicator": "one neuron per point and label bit (points on a sphere centred at 0)"]
    }
}

extension ConstructionOptions.Width: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        ["adaptive": "add hyperplanes until the codes separate the labels",
         "theory": "k0 = ⌈2π ln(n)/δ⌉ hyperplanes at once (needs δ)"]
    }
}

extension ConstructionOptions.Compression: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        ["gf2": "the paper's random GF(2) code z = A c mod 2, sparse rows, each parity in one layer",
         "hash": "no stage B: key = random integer linear form of the code bits, O(log N)-bit weights",
         "none": "no stage B: key = the k-bit code read in binary",
         "auto": "build all three, keep the fewest neurons (then weights, then weight bits)"]
    }
}

extension SphereLayout: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        ["uniform": "uniform random points, each at least δ from the others",
         "pairs": "close pairs: every second point between δ and 1.25 δ from the one before"]
    }
}

extension LabelScheme: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public static var allValueStrings: [String] { ["random", "alternating", "classes:C"] }

    public static var allValueDescriptions: [String: String] {
        ["random": "uniform random bits",
         "alternating": "0, 1, 0, ... in generation order",
         "classes:C": "uniform random labels in 0..<C, for 2 <= C <= \(LabelScheme.maximumClasses)"]
    }

    /// C cannot be listed: completion offers the prefix.
    public static var defaultCompletionKind: CompletionKind { .list(["random", "alternating", "classes:"]) }
}
