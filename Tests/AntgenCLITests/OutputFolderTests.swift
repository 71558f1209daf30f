import Foundation
import Testing

/// `antgen emit` and `antgen emit-examples` output folders: named from the configuration,
/// replaced as a unit (exactly the files the old manifest lists), foreign files refused
/// unless `--force`, one-line errors for impossible paths, whole after `kill -9`, and no
/// mixture from concurrent writers. Runs the built binary, as users do.
@Suite struct OutputFolderTests {
    typealias CLI = CommandLineTests

    /// The regular files of a folder (not recursive) and their bytes.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files[name] = try Data(contentsOf: url)
        }
        return files
    }

    /// The file names a manifest.json lists, derived independently of antgen's reader.
    static func listed(_ folder: URL) throws -> Set<String> {
        let manifest = try CLI.json(folder.appendingPathComponent("manifest.json"))
        let top = try #require(manifest["top"] as? String)
        let modules = try #require(manifest["modules"] as? [String])
        return Set(modules.map { "\($0).v" } + ["\(top).f", "\(top).core", "manifest.json"])
    }

    /// Emits `arguments` into `folder` (relative to `dir`) and returns its snapshot.
    static func reference(_ arguments: [String], _ folder: String, in dir: URL) throws -> [String: Data] {
        let run = try CLI.run(["emit"] + arguments + ["-o", folder], in: dir)
        #expect(run.status == 0, "\(run.err)")
        return try snapshot(dir.appendingPathComponent(folder))
    }

    @Test func replacingAnEightByEightByAFourByFourLeavesOnlyTheFourByFour() throws {
        let dir = try CLI.temporaryFolder("replace")
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = try Self.reference(["--rows", "4", "--cols", "4"], "ref4", in: dir)
        _ = try Self.reference(["--rows", "8", "--cols", "8"], "out", in: dir)
        #expect(try Self.snapshot(dir.appendingPathComponent("out")).keys.contains { $0.contains("rows8_cols8") })
        let after = try Self.reference(["--rows", "4", "--cols", "4"], "out", in: dir)
        #expect(after == small)
        #expect(Set(after.keys) == (try Self.listed(dir.appendingPathComponent("out"))))
        #expect(after.keys.filter { $0.hasSuffix(".f") }.count == 1)
        // Nothing but the folder is left beside it (no staging folder, no lock file).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["out", "ref4"])
    }

    @Test func theDefaultFolderIsNamedFromTheConfiguration() throws {
        let dir = try CLI.temporaryFolder("naming")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try CLI.run(["emit", "--rows", "2", "--cols", "3", "--types", "pot,int", "--no-int8", "--acc-width", "16"], in: dir)
        #expect(plain.status == 0, "\(plain.err)")
        let mixed = try CLI.run(["emit", "--rows", "2", "--cols", "2", "--act-types", "int", "--weight-types", "int,flint",
                                 "--code-width", "3", "--no-int8", "--acc-width", "20"], in: dir)
        #expect(mixed.status == 0, "\(mixed.err)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("rtl-out").path).sorted()
        #expect(names == ["ant_2x2_act-int_wgt-int-flint_3b_w20_noint8", "ant_2x3_int-pot_4b_w16_noint8"])
    }

    @Test func aForeignFileIsRefusedAndForceKeepsIt() throws {
        let dir = try CLI.temporaryFolder("foreign")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        _ = try Self.reference(["--rows", "3", "--cols", "3"], "out", in: dir)
        try Data("keep me\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let before = try Self.snapshot(out)
        let refused = try CLI.run(["emit", "--rows", "2", "--cols", "2", "-o", "out"], in: dir)
        #expect(refused.status != 0)
        #expect(refused.err.split(separator: "\n").filter { $0.hasPrefix("antgen: error:") }
            == ["antgen: error: out holds files antgen did not write (notes.txt); pass --force to write the design beside them, or choose another folder"])
        #expect(try Self.snapshot(out) == before)

        let small = try Self.reference(["--rows", "2", "--cols", "2"], "ref2", in: dir)
        let forced = try CLI.run(["emit", "--rows", "2", "--cols", "2", "-o", "out", "--force"], in: dir)
        #expect(forced.status == 0, "\(forced.err)")
        var expected = small
        expected["notes.txt"] = Data("keep me\n".utf8)
        #expect(try Self.snapshot(out) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }.isEmpty)

        // emit-examples guards its folder the same way.
        #expect(try CLI.run(["emit-examples", "-o", "examples"], in: dir).status == 0)
        try Data().write(to: dir.appendingPathComponent("examples/mine.v"))
        let examples = try CLI.run(["emit-examples", "-o", "examples"], in: dir)
        #expect(examples.status != 0 && examples.err.contains("mine.v") && examples.err.contains("--force"))
        #expect(try CLI.run(["emit-examples", "-o", "examples", "--force"], in: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("examples/mine.v").path))
    }

    @Test func olderAntgenOutputWithoutAManifestIsReplaced() throws {
        let dir = try CLI.temporaryFolder("legacy")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.run(["emit-examples", "-o", "fresh"], in: dir).status == 0)
        let fresh = try Self.snapshot(dir.appendingPathComponent("fresh"))
        // What an antgen without manifests left: module files with its header and file lists.
        let old = dir.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        for (name, bytes) in fresh where name != "manifest.json" { try bytes.write(to: old.appendingPathComponent(name)) }
        try Data("// Generated by antgen 0.0.9. Do not edit.\nmodule Gone; endmodule\n".utf8).write(to: old.appendingPathComponent("Gone.v"))
        try Data("Gone.v\n".utf8).write(to: old.appendingPathComponent("Gone.f"))
        let run = try CLI.run(["emit-examples", "-o", "old"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(try Self.snapshot(old) == fresh)
    }

    @Test func helpStatesTheNamingRule() throws {
        let help = try CLI.run(["emit", "--help"], in: CLI.root)
        #expect(help.out.contains("rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8]"))
        #expect(help.out.contains("rtl-out/ant_32x32_int-flint-pot_4b_w32"))
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("rtl-out/ant_<rows>x<cols>_<types>_<bits>b_w<W>[_noint8]"))
    }

    @Test func impossiblePathsAreOneLineAndAFailure() throws {
        let dir = try CLI.temporaryFolder("paths")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("x".utf8).write(to: dir.appendingPathComponent("taken"))
        let cases: [([String], String)] = [
            (["emit", "--rows", "2", "--cols", "2", "-o", ""], "antgen: error: the output folder is empty (-o ''); name a folder"),
            (["emit", "--rows", "2", "--cols", "2", "-o", "taken"], "antgen: error: cannot write taken: a file of that name exists"),
            (["emit", "--rows", "2", "--cols", "2", "-o", "taken/rtl"], "antgen: error: cannot write taken/rtl: \(dir.path)/taken is a file, not a folder"),
            (["emit-examples", "-o", ""], "antgen: error: the output folder is empty (-o ''); name a folder"),
            (["emit-examples", "-o", "taken"], "antgen: error: cannot write taken: a file of that name exists"),
        ]
        for (arguments, line) in cases {
            let run = try CLI.run(arguments, in: dir)
            #expect(run.status != 0, "\(arguments)")
            let errors = run.err.split(separator: "\n").filter { !$0.contains("warning:") }
            #expect(errors == [Substring(line)], "\(arguments)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["taken"])
        #expect(try String(contentsOf: dir.appendingPathComponent("taken"), encoding: .utf8) == "x")
    }

    @Test func lintChecksOnlyTheDesignTheManifestLists() throws {
        let dir = try CLI.temporaryFolder("lint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // A stray file list that would fail every linter if it were linted.
        try Data("Missing.v\n".utf8).write(to: out.appendingPathComponent("Stray.f"))
        let emit = try CLI.run(["emit", "--rows", "2", "--cols", "2", "--types", "int", "--no-int8", "--acc-width", "12",
                                "-o", "out", "--force"], in: dir)
        #expect(emit.status == 0, "\(emit.err)")
        let lint = try CLI.run(["lint", "out"], in: dir)
        #expect(lint.status == 0, "\(lint.out)\(lint.err)")
        #expect(!lint.out.contains("Stray"))
        #expect(lint.out.hasSuffix("3 passed, 0 failed\n"))
    }
}
