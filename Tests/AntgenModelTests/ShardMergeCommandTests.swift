import Foundation
import Testing

/// `antgen infer --shard`, `antgen compare --shard` and `antgen merge` end to end on a
/// generated tiny BERT: the merged outputs equal one unsharded run's; bad shard sets are one line.
@Suite("antgen merge")
struct ShardMergeCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = InferCommandTests.antgen
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The file's text without its `"timing"` object (the only part that differs between runs).
    static func withoutTiming(_ url: URL) throws -> String {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.replacingOccurrences(of: #"\n *"timing" ?: ?\{[^}]*\},?"#, with: "", options: .regularExpression)
    }

    @Test("infer --shard i/3 on an array, merged: the same .npy bytes and JSON as one unsharded run")
    func inferShardsMerge() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let dir = tiny.folder
        let corpus = dir.appendingPathComponent("s.txt")
        try Data("the cat sat.\nhello, world!\na dog ran.\nthe dog sat on a cat?\nunaffable cafe\n".utf8).write(to: corpus)
        let common = ["infer", "--model", dir.path, "--sentences", corpus.path, "--array", "ant", "--rows", "4", "--cols", "4",
                      "--precision", "a8w4", "--batch", "2", "--no-synth"]
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var r = try Self.run(common + ["--out", path("all.npy"), "--json", path("all.json")])
        #expect(r.status == 0, "\(r.err)")
        for i in 1 ... 3 {
            r = try Self.run(common + ["--shard", "\(i)/3", "--out", path("s\(i).npy"), "--json", path("s\(i).json")])
            #expect(r.status == 0, "\(r.err)")
        }
        r = try Self.run(["merge", path("s3.json"), path("s1.json"), path("s2.json"), "--out", path("m.npy"), "--json", path("m.json")])
        #expect(r.status == 0, "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("m.npy"))) == Data(contentsOf: URL(fileURLWithPath: path("all.npy"))))
        let merged = try Self.withoutTiming(URL(fileURLWithPath: path("m.json")))
        let whole = try Self.withoutTiming(URL(fileURLWithPath: path("all.json")))
        #expect(merged.replacingOccurrences(of: "m.npy", with: "all.npy") == whole)
        #expect(whole.contains("\"rtlCheckedProducts\"") && !whole.contains("\"timing\""))

        // a missing shard, a repeated one, and shards of a different model: one line, exit 1, nothing written
        let other = try TinyBert(seed: 9)
        defer { other.remove() }
        r = try Self.run(["infer", "--model", other.folder.path] + common.dropFirst(3) + ["--shard", "2/3", "--out", path("o.npy"), "--json", path("o.json")])
        #expect(r.status == 0, "\(r.err)")
        let cases: [([String], String)] = [
            ([path("s1.json"), path("s2.json")], "missing shard 3/3"),
            ([path("s1.json"), path("s2.json"), path("s2.json"), path("s3.json")], "shards overlap"),
            ([path("s1.json"), path("o.json"), path("s3.json")], "different model"),
            ([path("s1.json"), path("s.txt")], "is not a shard file"),
        ]
        for (files, message) in cases {
            r = try Self.run(["merge"] + files + ["--out", path("bad.npy"), "--json", path("bad.json")])
            #expect(r.status == 1 && r.err.contains(message) && r.err.split(separator: "\n").count == 1, "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: path("bad.npy")) && !FileManager.default.fileExists(atPath: path("bad.json")))
        }
    }

    @Test("compare --shard i/2, merged: the same JSON and markdown bytes as one unsharded run")
    func compareShardsMerge() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let dir = tiny.folder
        let corpus = dir.appendingPathComponent("s.txt")
        try Data("the cat sat.\nhello, world!\na dog ran.\nunaffable cafe\n".utf8).write(to: corpus)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let common = ["compare", "--model", dir.path, "--sentences", corpus.path, "--entries", "ant-a8w8,int-a4w4,int-a8w8",
                      "--rows", "4", "--cols", "4", "--batch", "2", "--no-synth"]
        var r = try Self.run(common + ["--json", path("all.json"), "--md", path("all.md")])
        #expect(r.status == 0, "\(r.err)")
        for i in 1 ... 2 {
            r = try Self.run(common + ["--shard", "\(i)/2", "--json", path("c\(i).json")])
            #expect(r.status == 0, "\(r.err)")
        }
        r = try Self.run(["merge", path("c2.json"), path("c1.json"), "--json", path("m.json"), "--md", path("m.md")])
        #expect(r.status == 0, "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("m.json"))) == Data(contentsOf: URL(fileURLWithPath: path("all.json"))))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("m.md"))) == Data(contentsOf: URL(fileURLWithPath: path("all.md"))))
        r = try Self.run(common + ["--shard", "1/2", "--md", path("x.md"), "--json", path("x.json")])
        #expect(r.status != 0 && r.err.contains("antgen merge"), "\(r.err)")
    }
}
