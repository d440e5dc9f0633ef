import TextFormats

extension Generators {
    /// Checks a sphere request without generating it: throws the same
    /// `RequestError` that `sphere(_:)` would throw before drawing its first point
    /// (bad sizes, δ too large, the cap-packing bound, a neighbour search that would
    /// take unreasonably long). Callers that plan many generations (`memcert sweep`)
    /// refuse a bad plan up front with it.
    ///
    /// - Complexity: the plan's trial sample of at most 1500 directions; no point is kept.
    public static func checkSphere(_ request: SphereRequest) throws(RequestError) {
        _ = try SphereSampler(request)
    }
}
