import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ExactArithmetic
import SeparationGeometry
import TextFormats

struct RegionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions",
        abstract: "The most regions K hyperplanes cut R^D into, as an exact integer alone on stdout.",
        discussion: """
            Affine: Σ_{i<=D} C(K, i); central (--central, through the origin): 2 Σ_{i<D} C(K-1, i) \
            (Schläfli 1852; Cover 1965). With --inverse N, prints instead the smallest K whose count \
            reaches N: the first-layer width needed to give N points distinct codes. \
            Caps: a count that would take more than about 2·10^10 word operations or more memory than \
            the machine's budget is refused before any work (exit 2), as is an inverse beyond 2^62.
            """
    )

    @Option(help: "Number of hyperplanes K.") var hyperplanes: Int?
    @Option(help: "Dimension D.") var dim: Int
    @Flag(help: "Hyperplanes through the origin.") var central = false
    @Option(help: "Print the smallest K whose count reaches this integer instead.") var inverse: String?

    func validate() throws {
        guard dim >= 0 else { throw ValidationError("--dim must be >= 0") }
        if let hyperplanes, hyperplanes < 0 { throw ValidationError("--hyperplanes must be >= 0") }
        if (hyperplanes == nil) == (inverse == nil) { throw ValidationError("give exactly one of --hyperplanes K and --inverse N") }
    }

    func run() throws {
        try reportingErrors {
            if let inverse {
                guard let target = BigInt(inverse), target.sign != .negative else {
                    throw ValidationError("--inverse takes a non-negative decimal integer, not '\(MessageText.escaped(inverse))'")
                }
                guard let k = try RegionCounts.inverse(target: target, dimension: dim, central: central) else {
                    throw RequestError("R^\(dim) has at most \(dim == 0 ? 1 : 2) regions whatever K is, so no K reaches "
                                       + (inverse.count > 60 ? "the \(inverse.count)-digit target" : inverse))
                }
                print(k)
            } else if let hyperplanes {
                // Refused before any work when it would take too long or not fit in memory (exit 2).
                try RegionCounts.checkCost(hyperplanes: hyperplanes, dimension: dim)
                print(central ? RegionCounts.central(hyperplanes: hyperplanes, dimension: dim)
                              : RegionCounts.affine(hyperplanes: hyperplanes, dimension: dim))
            }
            return ExitStatus.success
        }
    }
}
