/// A user-facing failure: ArgumentParser prints it as one line (`Error: …`) and
/// exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    /// The line shown to the user.
    let description: String

    /// Creates the error.
    init(_ description: String) { self.description = description }
}
