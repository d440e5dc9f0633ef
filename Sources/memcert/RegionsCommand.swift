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
            reaches N: the first-layer width needed to give N points distinct codes.
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
        if let hyperplanes {
            // Work: min(D, K) steps on numbers of up to about K log2(e K / min(D, K)) bits.
            let steps = Double(min(dim, hyperplanes))
            let bits = Double(hyperplanes) * Swift.max(1, log2(2.72 * Double(hyperplanes) / Swift.max(1, steps)))
            if steps * bits / 64 > 2e10 {
                throw ValidationError("K = \(hyperplanes), D = \(dim) would take too long to sum exactly (a result of about \(Int(bits)) bits, \(Int(steps)) terms)")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            if let inverse {
                guard let target = BigInt(inverse), target.sign != .negative else {
                    throw ValidationError("--inverse takes a non-negative decimal integer, not '\(inverse)'")
                }
                guard let k = RegionCounts.inverse(target: target, dimension: dim, central: central) else {
                    throw RequestError("R^0 has one region whatever K is, so no K reaches \(inverse)")
                }
                print(k)
            } else if let hyperplanes {
                print(central ? RegionCounts.central(hyperplanes: hyperplanes, dimension: dim)
                              : RegionCounts.affine(hyperplanes: hyperplanes, dimension: dim))
            }
            return ExitStatus.success
        }
    }
}
