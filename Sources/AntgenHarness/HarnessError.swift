/// A verification run that cannot proceed: one line naming the problem.
public struct HarnessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
