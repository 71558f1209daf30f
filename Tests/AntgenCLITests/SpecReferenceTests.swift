import Foundation
import Testing

/// The repository cites its own normative spec, docs/numeric-formats.md, and nothing outside
/// the clone: a user's checkout has no sibling folders, so a citation of one is a dead link.
@Suite struct SpecReferenceTests {
    /// The tracked files (`git ls-files`), relative to the repository root.
    static func trackedFiles() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "ls-files", "-z"]
        process.currentDirectoryURL = CommandLineTests.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git ls-files failed in \(CommandLineTests.root.path); these checks need a git checkout")
        return String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
    }

    /// The text of a tracked file, nil for files that are not UTF-8 (binaries) or are gone.
    static func text(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: CommandLineTests.root.appendingPathComponent(path).path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    @Test("no tracked file points outside the repository at the old shared spec folder")
    func noSharedFolderReferences() throws {
        // Built from pieces so this file does not match itself.
        let needle = ".." + "/" + "shared"
        var offenders: [String] = []
        for path in try Self.trackedFiles() {
            guard let text = Self.text(of: path) else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(needle) {
                offenders.append("\(path):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "cite docs/numeric-formats.md §N instead of \(needle) in: \(offenders.joined(separator: ", "))")
    }

    @Test("every spec §N citation names a section of docs/numeric-formats.md")
    func specCitationsResolve() throws {
        let spec = try #require(Self.text(of: "docs/numeric-formats.md"), "docs/numeric-formats.md is missing")
        let headings = try Regex(#"(?m)^## ([0-9]+)\. "#)
        let sections = Set(spec.matches(of: headings).compactMap { Int($0.output[1].substring ?? "") })
        #expect(sections.isSuperset(of: 1...8), "numeric-formats.md has sections \(sections.sorted())")
        // `spec §2`, `spec §1–3`, `numeric-formats.md §3`, `numeric-formats.md` §3.
        let citation = try Regex(#"(?:spec|numeric-formats\.md`?) §([0-9]+)(?:[–-]([0-9]+))?"#)
        var dangling: [String] = []
        for path in try Self.trackedFiles() where path.hasSuffix(".swift") || path.hasSuffix(".md") || path.hasSuffix(".cpp") || path.hasSuffix(".v") {
            guard let text = Self.text(of: path) else { continue }
            for match in text.matches(of: citation) {
                let cited = [match.output[1].substring, match.output[2].substring].compactMap { $0.flatMap { Int($0) } }
                for number in cited where !sections.contains(number) {
                    dangling.append("\(path): §\(number)")
                }
            }
        }
        #expect(dangling.isEmpty, "citations of sections that docs/numeric-formats.md does not have: \(dangling.joined(separator: ", "))")
    }
}
