import Foundation
import Testing
@testable import AntgenModel

/// `antgen infer` end to end on a generated tiny BERT: outputs, report, and the one-line
/// refusals of bad models and bad corpora (nothing written, non-zero exit).
@Suite("antgen infer")
struct InferCommandTests {
    /// `.build/debug/antgen`, beside the test bundle.
    static var antgen: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("antgen")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = antgen
        process.arguments = ["infer"] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs infer on `corpus` bytes with the model in `tiny`; returns status, stderr and whether any output exists.
    static func infer(_ tiny: TinyBert, corpus: Data, extra: [String] = []) throws -> (status: Int32, err: String, wrote: Bool) {
        let dir = tiny.folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = dir.appendingPathComponent("s.txt"), out = dir.appendingPathComponent("e.npy"), json = dir.appendingPathComponent("r.json")
        try corpus.write(to: text)
        let r = try run(["--model", tiny.folder.path, "--sentences", text.path, "--out", out.path, "--json", json.path] + extra)
        let wrote = FileManager.default.fileExists(atPath: out.path) || FileManager.default.fileExists(atPath: json.path)
        return (r.status, r.err, wrote)
    }

    @Test("fp32 run: float32 .npy [sentences, hidden] equal to the library's embeddings, and the report")
    func writesOutputs() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let r = try Self.infer(tiny, corpus: Data("The cat sat.\r\nhello, world!\n".utf8))
        #expect(r.status == 0, "\(r.err)")
        let npy = try Data(contentsOf: tiny.folder.appendingPathComponent("run/e.npy"))
        let headerLength = Int(npy[8]) | Int(npy[9]) << 8
        let header = String(decoding: npy[10 ..< 10 + headerLength], as: UTF8.self)
        #expect(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 8)"))
        var floats: [Float] = []
        for i in stride(from: 10 + headerLength, to: npy.count, by: 4) {
            var bits: UInt32 = 0
            for j in 0 ..< 4 { bits |= UInt32(npy[i + j]) << UInt32(8 * j) }
            floats.append(Float(bitPattern: bits))
        }
        let expected = try BertModel.load(folder: tiny.folder).embed(["The cat sat.", "hello, world!"])
        #expect(floats == expected.values)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tiny.folder.appendingPathComponent("run/r.json"))) as? [String: Any])
        #expect(report["sentences"] as? Int == 2 && report["truncated"] as? Int == 0 && report["precision"] as? String == "fp32")
        #expect((report["tokens"] as? [String: Any])?["total"] as? Int == 6 + 6)
    }

    @Test("bad corpora: empty, an empty line, not UTF-8: one line, exit 1, nothing written",
          arguments: [("", "corpus is empty"), ("a dog\n\nthe cat\n", "line 2 is empty"), ("a dog\n  \n", "line 2 is empty"),
                      ("ok\nbad \u{FF}\n", "not UTF-8")])
    func badCorpus(corpus: String, message: String) throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        var bytes = Data(corpus.utf8)
        if corpus.contains("\u{FF}") { bytes = Data("ok\nbad ".utf8) + Data([0xFF, 0x0A]) }
        let r = try Self.infer(tiny, corpus: bytes)
        #expect(r.status != 0 && !r.wrote)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(r.err)")
    }

    /// A broken model folder and the message it must produce.
    enum BrokenModel: String, CaseIterable, Sendable {
        case architecture, activation, missingKey, missingTensor, wrongShape, vocabulary

        func make() throws -> TinyBert {
            switch self {
            case .architecture: return try TinyBert(config: ["model_type": "gpt2"])
            case .activation: return try TinyBert(config: ["hidden_act": "relu"])
            case .missingKey: return try TinyBert(config: ["num_attention_heads": NSNull()])
            case .missingTensor: return try TinyBert(omit: ["encoder.layer.1.output.dense.weight"])
            case .wrongShape: return try TinyBert(config: ["intermediate_size": 32])
            case .vocabulary: return try TinyBert(vocabulary: TinyBert.vocabulary + ["extra"])
            }
        }

        var message: String {
            switch self {
            case .architecture, .activation: return "unknown architecture"
            case .missingKey: return "missing config key 'num_attention_heads'"
            case .missingTensor: return "missing tensor 'encoder.layer.1.output.dense.weight'"
            case .wrongShape: return "has shape [16, 8], expected [32, 8]"
            case .vocabulary: return "vocabulary does not match the embedding table"
            }
        }
    }

    @Test("bad models: unknown architecture, missing key, missing tensor, wrong shape, vocab not matching",
          arguments: BrokenModel.allCases)
    func badModel(_ broken: BrokenModel) throws {
        let tiny = try broken.make()
        defer { tiny.remove() }
        let r = try Self.infer(tiny, corpus: Data("a dog\n".utf8))
        #expect(r.status != 0 && !r.wrote)
        #expect(r.err.contains(broken.message), "\(r.err)")
        #expect(r.err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(r.err)")
    }

    @Test("missing model folder, unknown precision and an unwritable --out are refused before any work")
    func refusedEarly() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        var r = try Self.run(["--model", "/nonexistent/model", "--sentences", "/nonexistent/s.txt", "--out", "/tmp/x.npy"])
        #expect(r.status != 0 && r.err.contains("no such file"))
        let precision = try Self.infer(tiny, corpus: Data("a dog\n".utf8), extra: ["--precision", "int3"])
        #expect(precision.status != 0 && precision.err.contains("invalid precision") && !precision.wrote)
        r = try Self.run(["--model", tiny.folder.path, "--sentences", "/dev/null", "--out", "/nonexistent/dir/e.npy"])
        #expect(r.status != 0 && r.err.contains("does not exist"))
    }
}


