/// A broken internal promise (a bug): the command-line tool prints it and
/// exits with status 3. Used where a result fails its own exact check, so
/// that nothing unverified is ever written.
public struct InternalError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { MessageText.escaped(message) }
}
