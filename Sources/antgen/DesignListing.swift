import Foundation

/// Which files of a folder belong to the antgen design written there, as its
/// `manifest.json` says: for every design, `<module>.v` for each module and `<top>.f`,
/// plus `manifest.json` itself.
///
/// Two manifest shapes are read: the array manifest of `antgen emit` (`top` and `modules`
/// at the top level) and the examples manifest of `antgen emit-examples` (`designs`, a list
/// of `{top, modules}`). Both carry `generator` = `antgen <version>`. `antgen emit` uses the
/// listing to replace exactly the earlier design, `antgen lint` to lint exactly it.
struct DesignListing: Equatable, Sendable {
    /// One design: its top module and every module, dependencies first.
    struct Design: Codable, Equatable, Sendable {
        /// The top module (the file list is `<top>.f`).
        let top: String
        /// Every module (one `<module>.v` each), top last.
        let modules: [String]
    }

    /// The designs, in manifest order.
    let designs: [Design]

    /// The manifest's file name.
    static let manifestName = "manifest.json"

    /// The top modules, in manifest order.
    var tops: [String] { designs.map(\.top) }

    /// Every file the listing names, `manifest.json` included.
    var fileNames: Set<String> {
        var names: Set<String> = [Self.manifestName]
        for design in designs {
            names.insert("\(design.top).f")
            for module in design.modules { names.insert("\(module).v") }
        }
        return names
    }

    /// A manifest that is not antgen's, or not readable: the one line says which and why.
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The listing of `folder/manifest.json`; nil when the folder has no manifest.
    /// - Throws: ``ReadError`` when the file exists but is not an antgen manifest (not JSON,
    ///   no `antgen` generator, no `top`/`modules` or `designs`, or a name that is not a
    ///   plain file name: a manifest never makes antgen touch a path outside its folder).
    static func read(folder: URL) throws(ReadError) -> DesignListing? {
        let url = folder.appendingPathComponent(manifestName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let shown = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReadError(description: "cannot read \(shown)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
            throw ReadError(description: "\(shown) is not JSON")
        }
        guard let generator = root["generator"] as? String, generator.hasPrefix("antgen") else {
            throw ReadError(description: "\(shown) was not written by antgen (no \"generator\": \"antgen …\")")
        }
        let entries: [[String: Any]]
        if let list = root["designs"] as? [[String: Any]] {
            entries = list
        } else {
            entries = [root]
        }
        var designs: [Design] = []
        for entry in entries {
            guard let top = entry["top"] as? String, let modules = entry["modules"] as? [String] else {
                throw ReadError(description: "\(shown) lists no \"top\" and \"modules\"")
            }
            for name in [top] + modules where !isPlainFileName(name) {
                throw ReadError(description: "\(shown) names '\(name)', which is not a plain file name")
            }
            designs.append(Design(top: top, modules: modules))
        }
        return DesignListing(designs: designs)
    }

    /// True for a name that stays inside its folder: not empty, no `/`, not `.` or `..`.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    /// The examples manifest (`antgen emit-examples`): sorted keys, pretty-printed, a
    /// trailing newline, so equal designs give equal bytes.
    func examplesManifest(version: String) throws -> Data {
        struct Manifest: Codable {
            let generator: String
            let designs: [Design]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Manifest(generator: "antgen \(version)", designs: designs)) + Data("\n".utf8)
    }
}
