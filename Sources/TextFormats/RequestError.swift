/// A request that cannot be carried out as asked (an infeasible parameter
/// combination, data a method does not apply to). The command-line tool
/// prints its one-line description and exits with status 2, like bad input.
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { MessageText.escaped(message) }
}
