/// Where a DSL statement was written in the user's Swift source.
///
/// Every builder call captures `#fileID` and `#line`, so elaboration errors point
/// at the generator code a user wrote rather than at antgen's internals.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The `#fileID` of the call site (`Module/File.swift`).
    public let fileID: String
    /// The `#line` of the call site.
    public let line: Int

    /// Creates a location; normally filled in by default arguments.
    public init(fileID: String = #fileID, line: Int = #line) {
        self.fileID = fileID
        self.line = line
    }

    /// `File.swift:12`, the form compilers and editors understand.
    public var description: String { "\(fileID):\(line)" }
}

/// One elaboration error: a message that names the signals and widths involved,
/// and the user's source line it comes from.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// The module being elaborated when the error was found.
    public let module: String
    /// Human-readable explanation naming signals, types and widths.
    public let message: String
    /// The user's Swift source line responsible.
    public let location: SourceLocation

    /// Creates a diagnostic.
    public init(module: String, message: String, location: SourceLocation) {
        self.module = module
        self.message = message
        self.location = location
    }

    /// `File.swift:12: error: in module Counter: message`.
    public var description: String { "\(location): error: in module \(module): \(message)" }
}

/// Thrown when a module (or any module it instantiates) fails elaboration.
/// Carries every error found, not just the first.
public struct ElaborationError: Error, Sendable, CustomStringConvertible {
    /// All errors found: module by module in the order elaboration finished them
    /// (submodules first, the top last), by file and line within a module.
    public let diagnostics: [Diagnostic]

    /// Creates the error from a non-empty list of diagnostics.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// One line per diagnostic.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
