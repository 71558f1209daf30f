import AntgenHardware
import Foundation

extension ArrayParameters {
    /// The parameters a `manifest.json` written by `antgen emit` records.
    /// - Throws: ``SynthesisError/invalidDesign(_:)`` when the file cannot be read or a field
    ///   is missing, ``ParameterError`` when a value is out of range.
    public init(manifestAt url: URL) throws {
        let manifest: ArrayManifest
        do {
            manifest = try JSONDecoder().decode(ArrayManifest.self, from: Data(contentsOf: url))
        } catch {
            throw SynthesisError.invalidDesign("cannot read manifest \(url.path): \(error.localizedDescription)")
        }
        let fields = manifest.parameters
        func number(_ key: String) throws -> Int {
            guard let text = fields[key], let value = Int(text) else {
                throw SynthesisError.invalidDesign("manifest \(url.path) has no integer parameter '\(key)'")
            }
            return value
        }
        func types(_ key: String) throws -> [AntType] {
            guard let text = fields[key] else {
                throw SynthesisError.invalidDesign("manifest \(url.path) has no parameter '\(key)'")
            }
            return try text.split(separator: ",").map { name in
                guard let type = AntType(name: String(name)) else {
                    throw SynthesisError.invalidDesign("manifest \(url.path): unknown type '\(name)' in '\(key)'")
                }
                return type
            }
        }
        try self.init(rows: number("rows"), cols: number("cols"), codeWidth: number("codeWidth"),
                      activationTypes: types("activationTypes"), weightTypes: types("weightTypes"),
                      accumulatorWidth: number("accumulatorWidth"), int8: fields["int8"] == "on",
                      maxReduction: number("maxReduction"))
    }

    /// The parameters as `manifest.json` writes them, for reports.
    public var manifestFields: [String: String] {
        ["rows": "\(rows)", "cols": "\(cols)", "codeWidth": "\(codeWidth)", "activationTypes": activation.typeList,
         "weightTypes": weight.typeList, "accumulatorWidth": "\(accumulatorWidth)", "int8": int8 ? "on" : "off",
         "maxReduction": "\(maxReduction)"]
    }
}
