import AntgenHarness
import AntgenSupport
import Foundation

/// What one shard of a sharded `antgen infer` or `antgen compare` run holds, and what it
/// was run on, written into the shard's JSON so `antgen merge` can check that a set of
/// shard files is one whole run before joining them.
///
/// Units are dealt like `antgen verify --shard`: unit j (0-based, in run order) runs in shard
/// j mod N + 1. An infer unit is one batch of `--batch` sentences (activation scales are per
/// batch, so a batch is never split); a compare unit is one entry (fp32 included).
public struct ModelShardInfo: Codable, Sendable, Equatable {
    /// `infer` or `compare`.
    public var kind: String
    /// This shard (1-based) and the number of shards.
    public var index: Int, count: Int
    /// `batch` (infer) or `entry` (compare), and how many units the whole run has.
    public var unit: String, units: Int
    /// The unit numbers this shard ran (0-based, ascending).
    public var held: [Int]
    /// ``ModelDigest/model(folder:)`` of the model folder and ``ModelDigest/corpus(_:)`` of the sentences run.
    public var model: String, corpus: String
    /// Everything else that must agree between shards (array, precision, batch, flags), as one line.
    public var settings: String

    /// The info of `shard` over `units` units.
    public init(kind: String, shard: Shard, unit: String, units: Int, model: String, corpus: String, settings: String) {
        self.kind = kind
        (index, count) = (shard.index, shard.count)
        self.unit = unit
        self.units = units
        held = (0 ..< units).filter { shard.contains($0) }
        (self.model, self.corpus, self.settings) = (model, corpus, settings)
    }

    /// Checks that `shards` (one per file, named by `files`) are the N shards of one run:
    /// the same kind, N, unit count, model, corpus and settings, every shard 1…N exactly once,
    /// and each shard holding exactly its units.
    /// - Throws: ``VariantError``, one line naming the first offending file.
    public static func checkComplete(_ shards: [ModelShardInfo], files: [String]) throws {
        guard let first = shards.first, shards.count == files.count else { throw VariantError("merge: no shard files given") }
        var seen: [Int: String] = [:]
        for (info, file) in zip(shards, files) {
            func differs(_ what: String, _ a: String, _ b: String) -> VariantError {
                VariantError("merge: \(file) is from a different \(what) than \(files[0]) (\(b) vs \(a))")
            }
            if info.kind != first.kind { throw differs("command", first.kind, info.kind) }
            if info.count != first.count { throw differs("shard count", "\(first.count) shards", "\(info.count) shards") }
            if info.model != first.model { throw differs("model", String(first.model.prefix(12)), String(info.model.prefix(12))) }
            if info.corpus != first.corpus || info.units != first.units {
                throw differs("corpus", String(first.corpus.prefix(12)), String(info.corpus.prefix(12)))
            }
            if info.settings != first.settings { throw differs("run setting", first.settings, info.settings) }
            if let other = seen[info.index] { throw VariantError("merge: \(file) and \(other) are both shard \(info.index)/\(info.count): shards overlap") }
            seen[info.index] = file
            let expected = try ModelShardInfo(kind: info.kind, shard: Shard(parsing: "\(info.index)/\(info.count)"), unit: info.unit,
                                              units: info.units, model: info.model, corpus: info.corpus, settings: info.settings).held
            if info.held != expected { throw VariantError("merge: \(file) does not hold the \(info.unit)s of shard \(info.index)/\(info.count)") }
        }
        let missing = (1 ... first.count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw VariantError("merge: missing shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")) (got \(files.count) of \(first.count) files)")
        }
    }

    /// Reads the `shard` object of a shard file (`kind` says which report it is).
    /// - Throws: ``VariantError``: unreadable file, or JSON that is not a shard file.
    public static func read(_ path: String) throws -> (info: ModelShardInfo, data: Data) {
        guard let data = FileManager.default.contents(atPath: path) else { throw VariantError("merge: \(path): no such file or not readable") }
        struct Probe: Decodable { let shard: ModelShardInfo }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
            throw VariantError("merge: \(path) is not a shard file of `antgen infer --shard` or `antgen compare --shard`")
        }
        return (probe.shard, data)
    }
}

/// Identities of a model and a corpus, so shards run on different ones are refused.
public enum ModelDigest {
    /// SHA-256 over config.json and vocab.txt, the safetensors file's size and header, and its
    /// tensors: whole up to 4 MiB, else 64 bytes from every 64 KiB (an identity check, not an
    /// integrity one: two large checkpoints differing only between samples would look the same).
    public static func model(folder: URL) -> String {
        var hash = ContentHash()
        for name in ["config.json", "vocab.txt"] {
            hash.add(name)
            hash.add(String(decoding: FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data(), as: UTF8.self))
        }
        guard let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent("model.safetensors").path) else { return hash.hex }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        hash.add("size \(size)")
        try? handle.seek(toOffset: 0)
        let headerLength = (try? handle.read(upToCount: 8)).map { $0.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } ?? 0
        let header = min(headerLength + 8, size)
        try? handle.seek(toOffset: 0)
        var sample = (try? handle.read(upToCount: Int(header))) ?? Data()
        var offset = header
        let whole = size <= 4 << 20 // small checkpoints are hashed whole
        while offset < size {
            try? handle.seek(toOffset: offset)
            sample += (try? handle.read(upToCount: whole ? Int(size - offset) : 64)) ?? Data()
            offset += whole ? size : 65_536
        }
        hash.add(sample.base64EncodedString())
        return hash.hex
    }

    /// SHA-256 of the sentences, each one field.
    public static func corpus(_ sentences: [String]) -> String {
        var hash = ContentHash()
        for sentence in sentences { hash.add(sentence) }
        return hash.hex
    }
}
