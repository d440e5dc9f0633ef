// MARK: - Clearing denominators

extension Rational {
    /// The least common multiple of the denominators of `values` (1 when there are
    /// none): the least positive integer L such that L·v is an integer for every v.
    ///
    /// This is the one home of the "scale to integers" step used by the point store,
    /// the compiled evaluator, fraction-free null spaces and Baum's hyperplanes.
    ///
    /// - Complexity: one divisibility test per value, and one lcm (a gcd) only for the
    ///   denominators that do not already divide the running multiple, so values that
    ///   share a denominator cost almost nothing.
    public static func commonDenominator(of values: some Sequence<Rational>) -> BigInt {
        var l = BigInt(1)
        for v in values where !l.isMultiple(of: v.denominator) { l = BigInt.lcm(l, v.denominator) }
        return l
    }

    /// `self · scale` as an integer.
    ///
    /// - Precondition: `scale` is a multiple of the denominator (for example a
    ///   `commonDenominator(of:)` of values including this one); traps otherwise.
    public func scaled(by scale: BigInt) -> BigInt {
        numerator * scale.exactQuotient(dividingBy: denominator)
    }
}
