/// The constructions memcert builds, by the name the command line, the network
/// files' provenance and every report use.
public enum ConstructionMethod: String, CaseIterable, Sendable {
    /// Rajput, Sreenivasan, Papailiopoulos and Karbasi (NeurIPS 2021), Theorem 1.
    case rajput2021
    /// Baum (J. Complexity 1988): one hidden layer of hyperplane pairs.
    case baum1988
    /// One neuron per point and label bit, for data on a sphere centred at 0.
    case indicator

    /// The construction of this method.
    public var construction: any Construction {
        switch self {
        case .rajput2021: Rajput2021()
        case .baum1988: Baum1988()
        case .indicator: Indicator()
        }
    }
}
