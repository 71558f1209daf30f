import AntgenNumerics
import Foundation

/// Reads the layers `antgen perf` models: a JSON or CSV layer list, the linear layers of a
/// safetensors model, or the weight tensors of a tuning plan.
public enum LayerSources {
    /// One layer as written in a `--layers` JSON file.
    struct LayerEntry: Decodable {
        let name: String
        let m: Int
        let k: Int
        let n: Int
        let act_bits: Int?
        let weight_bits: Int?
        let bits: Int?
    }

    /// A JSON array of `{"name", "m", "k", "n"}` objects with optional `act_bits`,
    /// `weight_bits` (or `bits` for both): 1…4 run as 4-bit codes, 5…8 as int8; absent is 4.
    /// - Throws: ``PerfError`` naming the file and the first problem.
    public static func readJSON(atPath path: String) throws(PerfError) -> [GemmLayer] {
        let data = try contents(path)
        let entries: [LayerEntry]
        do {
            entries = try JSONDecoder().decode([LayerEntry].self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw PerfError("\(path): layer \(index(context)) has no '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw PerfError("\(path): layer \(index(context)): '\(context.codingPath.last?.stringValue ?? "?")' has the wrong type")
        } catch {
            throw PerfError("\(path): not a JSON array of layers {\"name\", \"m\", \"k\", \"n\"}")
        }
        guard !entries.isEmpty else { throw PerfError("\(path): the layer list is empty") }
        return try entries.enumerated().map { i, e throws(PerfError) in
            try layer(name: e.name, m: e.m, k: e.k, n: e.n, act: e.act_bits ?? e.bits, weight: e.weight_bits ?? e.bits,
                      at: "\(path): layer \(i)")
        }
    }

    /// A CSV file with a header naming the columns `name,m,k,n` and optionally `act_bits`,
    /// `weight_bits` (any order); one layer per line.
    /// - Throws: ``PerfError`` naming the file, the line and the problem.
    public static func readCSV(atPath path: String) throws(PerfError) -> [GemmLayer] {
        var text = String(decoding: try contents(path), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // a byte-order mark, as JSON files may have too
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .enumerated().filter { !$0.element.isEmpty && !$0.element.hasPrefix("#") }
        guard let header = lines.first else { throw PerfError("\(path): empty CSV") }
        let columns = header.element.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["name", "m", "k", "n"] where !columns.contains(required) {
            throw PerfError("\(path): the header has no '\(required)' column (expected name,m,k,n[,act_bits,weight_bits])")
        }
        var layers: [GemmLayer] = []
        for (number, line) in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let at = "\(path):\(number + 1)"
            guard fields.count == columns.count else {
                throw PerfError("\(at): \(fields.count) fields, the header has \(columns.count)")
            }
            var row: [String: String] = [:]
            for (c, f) in zip(columns, fields) { row[c] = f }
            func int(_ key: String) throws(PerfError) -> Int? {
                guard let text = row[key], !text.isEmpty else { return nil }
                guard let value = Int(text) else { throw PerfError("\(at): \(key) '\(text)' is not an integer") }
                return value
            }
            layers.append(try layer(name: row["name"] ?? "", m: try int("m") ?? 0, k: try int("k") ?? 0, n: try int("n") ?? 0,
                                    act: try int("act_bits"), weight: try int("weight_bits"), at: at))
        }
        guard !layers.isEmpty else { throw PerfError("\(path): the CSV has a header but no layers") }
        return layers
    }

    /// The linear layers of a safetensors model for `tokens` tokens: every 2-D tensor named
    /// `*.weight` (stored [out, in], as PyTorch linear layers) except embedding tables, as
    /// m = tokens, k = in, n = out, in file order. Only the header is read.
    /// - Throws: ``PerfError`` for an unreadable file or a model without such tensors.
    public static func readModel(atPath path: String, tokens: Int, activationBits: LayerBits = .four,
                                 weightBits: LayerBits = .four) throws(PerfError) -> [GemmLayer] {
        guard tokens >= 1 else { throw PerfError("invalid tokens: \(tokens) must be at least 1") }
        let shapes = try SafetensorsShapes.read(atPath: path)
        let linear = shapes.filter { $0.name.hasSuffix(".weight") && $0.shape.count == 2 && !$0.name.contains("embeddings") }
        guard !linear.isEmpty else { throw PerfError("\(path): no 2-D '*.weight' tensors (linear layers) in the model") }
        return try linear.map { entry throws(PerfError) in
            try GemmLayer(name: String(entry.name.dropLast(".weight".count)), m: tokens, k: entry.shape[1], n: entry.shape[0],
                          activationBits: activationBits, weightBits: weightBits)
        }
    }

    /// The layers of one or more tuning plans (say, one tuned on a model's weights and one on
    /// its activations with `--role activation`): every 2-D weight tensor (stored [out, in])
    /// except embedding tables, with its width. Its activation precision and m come from the activation tensor named
    /// `<layer>.input` (the naming of a model's activation file); when there is none, from the
    /// one activation recorded for the layer's parent module (Q, K and V of an attention block
    /// share one input, which activation files record once, under the query); else the
    /// precision is `activationBits` and m is `tokens`.
    /// - Throws: ``PerfError`` for an unreadable plan, a missing token count, or a width the
    ///   array cannot carry.
    public static func readPlans(atPaths paths: [String], tokens: Int?, activationBits: LayerBits = .four) throws(PerfError) -> [GemmLayer] {
        var tensors: [PlannedTensor] = []
        for path in paths {
            do { tensors += try QuantizationPlan.read(atPath: path).tensors } catch { throw PerfError("\(error)") }
        }
        let label = paths.joined(separator: ", ")
        let activations = Dictionary(tensors.filter { $0.role == "activation" }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let weights = tensors.filter { $0.role == "weight" && $0.shape.count == 2 && !$0.name.contains("embeddings") }
        guard !weights.isEmpty else { throw PerfError("\(label): the plan has no 2-D weight tensors") }
        func parent(_ name: String) -> String { name.split(separator: ".").dropLast().joined(separator: ".") }
        return try weights.map { w throws(PerfError) in
            let base = w.name.hasSuffix(".weight") ? String(w.name.dropLast(".weight".count)) : w.name
            var input = activations[base + ".input"]
            if input == nil {
                let siblings = activations.values.filter { $0.name.hasSuffix(".input") && parent(String($0.name.dropLast(".input".count))) == parent(base) }
                if siblings.count == 1 { input = siblings[0] }
            }
            guard let m = input.flatMap({ $0.shape.count == 2 ? $0.shape[0] : nil }) ?? tokens else {
                throw PerfError("\(label): no activation tensor '\(base).input' gives the token count of '\(w.name)'; pass --tokens")
            }
            let act = try input.map { a throws(PerfError) in try LayerBits(carrying: a.bits, what: "tensor '\(a.name)'") } ?? activationBits
            return try GemmLayer(name: base, m: m, k: w.shape[1], n: w.shape[0], activationBits: act,
                                 weightBits: try LayerBits(carrying: w.bits, what: "tensor '\(w.name)'"))
        }
    }

    private static func layer(name: String, m: Int, k: Int, n: Int, act: Int?, weight: Int?, at: String) throws(PerfError) -> GemmLayer {
        guard !name.isEmpty else { throw PerfError("\(at): the layer has an empty name") }
        do {
            return try GemmLayer(name: name, m: m, k: k, n: n,
                                 activationBits: try act.map { b throws(PerfError) in try LayerBits(carrying: b, what: "act_bits") } ?? .four,
                                 weightBits: try weight.map { b throws(PerfError) in try LayerBits(carrying: b, what: "weight_bits") } ?? .four)
        } catch {
            throw PerfError("\(at): \(error.message)")
        }
    }

    private static func index(_ context: DecodingError.Context) -> String {
        context.codingPath.first(where: { $0.intValue != nil })?.intValue.map(String.init) ?? "?"
    }

    private static func contents(_ path: String) throws(PerfError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw PerfError("\(path): no such file") }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else { throw PerfError("\(path): cannot read the file") }
        return data
    }
}

/// The tensor names and shapes of a safetensors file, from its JSON header alone (no data read).
public enum SafetensorsShapes {
    /// One tensor's name and shape.
    public struct Entry: Sendable, Equatable {
        /// The name.
        public let name: String
        /// The shape.
        public let shape: [Int]
        /// Byte offset of its data (file order).
        let offset: Int
    }

    /// The tensors in data order.
    /// - Throws: ``PerfError`` for a file that is not safetensors.
    public static func read(atPath path: String) throws(PerfError) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { throw PerfError("\(path): no such file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw PerfError("\(path): cannot read the model") }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else { throw PerfError("\(path): not a safetensors file (shorter than 8 bytes)") }
        let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length > 1, length < 100_000_000, let header = try? handle.read(upToCount: Int(length)), header.count == Int(length),
              let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw PerfError("\(path): not a safetensors file (bad header)")
        }
        var entries: [Entry] = []
        for (name, value) in object where name != "__metadata__" {
            guard let info = value as? [String: Any], let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int],
                  offsets.count == 2 else {
                throw PerfError("\(path): not a safetensors file (tensor '\(name)' has no shape and offsets)")
            }
            entries.append(Entry(name: name, shape: shape, offset: offsets[0]))
        }
        return entries.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
    }
}
