/// The antgen version: `antgen --version`, the header of every generated file and the
/// `version` field of every manifest.
public let antgenVersion = "0.1.0"
