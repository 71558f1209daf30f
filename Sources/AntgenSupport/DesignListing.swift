import Foundation

/// Which files of a folder belong to the antgen design written there, as its
/// `manifest.json` says: for every design, `<module>.v` for each module and `<top>.f`,
/// plus `manifest.json` itself.
///
/// Two manifest shapes are read: the array manifest of `antgen emit` (`top` and `modules`
/// at the top level) and the examples manifest of `antgen emit-examples` (`designs`, a list
/// of `{top, modules}`). Both carry `generator` = `antgen <version>`. `antgen emit` uses the
/// listing to replace exactly the earlier design, `antgen lint` to lint exactly it.
public struct DesignListing: Equatable, Sendable {
    /// One design: its top module and every module, dependencies first.
    public struct Design: Codable, Equatable, Sendable {
        /// The top module (the file list is `<top>.f`).
        public let top: String
        /// Every module (one `<module>.v` each), top last.
        public let modules: [String]

        /// Creates a design entry.
        public init(top: String, modules: [String]) {
            self.top = top
            self.modules = modules
        }
    }

    /// The designs, in manifest order.
    public let designs: [Design]

    /// A listing of `designs`.
    public init(designs: [Design]) { self.designs = designs }

    /// The manifest's file name.
    public static let manifestName = "manifest.json"

    /// The top modules, in manifest order.
    public var tops: [String] { designs.map(\.top) }

    /// Every file the listing names, `manifest.json` included.
    public var fileNames: Set<String> {
        var names: Set<String> = [Self.manifestName]
        for design in designs {
            names.insert("\(design.top).f")
            for module in design.modules { names.insert("\(module).v") }
        }
        return names
    }

    /// The files an emit owns in its folder: ``fileNames`` and each design's FuseSoC core
    /// `<top>.core` (optional: folders from before the core, and emit-examples, lack it).
    public var ownedFileNames: Set<String> { fileNames.union(designs.map { "\($0.top).core" }) }

    /// A manifest that is not antgen's, or not readable: the one line says which and why.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The listing of `folder/manifest.json`; nil when the folder has no manifest.
    /// - Throws: ``ReadError`` when the file exists but is not an antgen manifest (not JSON,
    ///   no `antgen` generator, no `top`/`modules` or `designs`, or a name that is not a
    ///   plain file name: a manifest never makes antgen touch a path outside its folder).
    public static func read(folder: URL) throws(ReadError) -> DesignListing? {
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

    /// The top modules to lint in `folder` (shown as `shown` in messages): the manifest's,
    /// each with its file list and modules present, else every `<top>.f` in the folder.
    /// - Throws: ``ReadError`` for an unreadable folder or manifest, files the manifest lists
    ///   but the folder lacks, or a folder with neither a manifest nor a file list.
    public static func tops(in folder: URL, shown: String) throws(ReadError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ReadError(description: "cannot read folder \(shown)")
        }
        if let listing = try read(folder: folder) {
            let missing = listing.fileNames.filter { !names.contains($0) }.sorted()
            guard missing.isEmpty else {
                throw ReadError(description: "\(shown)/manifest.json lists \(missing.count) file(s) the folder lacks (\(missing.prefix(3).joined(separator: ", "))); emit the design again")
            }
            return listing.tops
        }
        let tops = names.filter { $0.hasSuffix(".f") }.map { String($0.dropLast(2)) }.sorted()
        guard !tops.isEmpty else {
            throw ReadError(description: "no manifest.json or <top>.f file list in \(shown); emit a design there first")
        }
        return tops
    }

    /// True for a name that stays inside its folder: not empty, no `/`, not `.` or `..`.
    public static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    /// The files of a folder that antgen wrote before it wrote manifests (older `emit-examples`
    /// output): every `.v` whose first line is antgen's header, and every `.f` whose lines all
    /// name such files. Only consulted when the folder has no `manifest.json`, so that
    /// upgrading antgen does not make `make demo` refuse its own earlier output.
    public static func legacyFiles(in folder: URL, entries: [String]) -> Set<String> {
        let header = Data("// Generated by antgen".utf8)
        let verilog = Set(entries.filter { name in
            guard name.hasSuffix(".v"), let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent(name).path) else { return false }
            defer { try? handle.close() }
            return (try? handle.read(upToCount: header.count)) == header
        })
        let lists = entries.filter { name in
            guard name.hasSuffix(".f"), let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return false }
            let lines = text.split(separator: "\n").map(String.init)
            return !lines.isEmpty && lines.allSatisfy(verilog.contains)
        }
        return verilog.union(lists)
    }

    /// The examples manifest (`antgen emit-examples`): sorted keys, pretty-printed, a
    /// trailing newline, so equal designs give equal bytes.
    public func examplesManifest(version: String) throws -> Data {
        struct Manifest: Codable {
            let generator: String
            let designs: [Design]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Manifest(generator: "antgen \(version)", designs: designs)) + Data("\n".utf8)
    }
}
