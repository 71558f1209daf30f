/// Why a model folder or a corpus cannot be used: one line for the user, naming the file and
/// the problem (unknown architecture, a missing config key or tensor, a wrong shape, a
/// vocabulary that does not match the embedding table, bad text).
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The one-line message.
    public let description: String

    /// Creates the error with its message.
    public init(_ description: String) {
        self.description = description
    }
}
