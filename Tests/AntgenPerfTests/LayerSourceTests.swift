import AntgenPerf
import Foundation
import Testing

/// Layer lists, model shapes and their one-line errors.
@Suite struct LayerSourceTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-perf-layers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func jsonLayers() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write(#"[{"name": "q", "m": 128, "k": 384, "n": 384}, {"name": "ffn", "m": 128, "k": 384, "n": 1536, "act_bits": 8, "weight_bits": 3}, {"name": "b", "m": 1, "k": 2, "n": 3, "bits": 6}]"#, "l.json", in: dir)
        let layers = try LayerSources.readJSON(atPath: path)
        #expect(layers.map(\.name) == ["q", "ffn", "b"])
        #expect(layers.map(\.precisionLabel) == ["a4w4", "a8w4", "a8w8"])
        #expect(layers[1].macs == 128 * 384 * 1536)

        let missing = try Self.write(#"[{"name": "q", "m": 1, "k": 2}]"#, "m.json", in: dir)
        #expect(throws: PerfError("\(missing): layer 0 has no 'n'")) { try LayerSources.readJSON(atPath: missing) }
        let wide = try Self.write(#"[{"name": "q", "m": 1, "k": 2, "n": 3, "weight_bits": 16}]"#, "w.json", in: dir)
        #expect(throws: PerfError("\(wide): layer 0: weight_bits: 16-bit operands are not carried by the array (it runs 4-bit codes and int8)")) {
            try LayerSources.readJSON(atPath: wide)
        }
        let zero = try Self.write(#"[{"name": "q", "m": 0, "k": 2, "n": 3}]"#, "z.json", in: dir)
        #expect(throws: PerfError("\(zero): layer 0: layer 'q': m = 0 must be at least 1")) { try LayerSources.readJSON(atPath: zero) }
        let empty = try Self.write("[]", "e.json", in: dir)
        #expect(throws: PerfError("\(empty): the layer list is empty")) { try LayerSources.readJSON(atPath: empty) }
        #expect(throws: PerfError("\(dir.path)/none.json: no such file")) { try LayerSources.readJSON(atPath: dir.path + "/none.json") }
    }

    @Test func csvLayers() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write("# a comment\nname,k,m,n,weight_bits\nq,384,128,384,8\nffn,384,128,1536,\n", "l.csv", in: dir)
        let layers = try LayerSources.readCSV(atPath: path)
        #expect(layers.count == 2 && layers[0].k == 384 && layers[0].m == 128 && layers[0].precisionLabel == "a4w8")
        #expect(layers[1].precisionLabel == "a4w4")
        let bad = try Self.write("name,m,k,n\nq,12x,3,4\n", "b.csv", in: dir)
        #expect(throws: PerfError("\(bad):2: m '12x' is not an integer")) { try LayerSources.readCSV(atPath: bad) }
        let short = try Self.write("name,m,k,n\nq,1,3\n", "s.csv", in: dir)
        #expect(throws: PerfError("\(short):2: 3 fields, the header has 4")) { try LayerSources.readCSV(atPath: short) }
        let header = try Self.write("name,m,k\nq,1,3\n", "h.csv", in: dir)
        #expect(throws: PerfError.self) { try LayerSources.readCSV(atPath: header) }
    }

    /// A hand-made safetensors file: two linear layers, an embedding table and a 1-D norm.
    @Test func modelShapes() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = #"{"enc.q.weight":{"dtype":"F32","shape":[6,4],"data_offsets":[0,96]},"emb.embeddings.word.weight":{"dtype":"F32","shape":[2,4],"data_offsets":[96,128]},"enc.norm.weight":{"dtype":"F32","shape":[4],"data_offsets":[128,144]},"enc.ffn.weight":{"dtype":"F32","shape":[3,6],"data_offsets":[144,216]}}"#
        var data = Data()
        var length = UInt64(header.utf8.count)
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(Data(count: 216))
        let url = dir.appendingPathComponent("m.safetensors")
        try data.write(to: url)
        let layers = try LayerSources.readModel(atPath: url.path, tokens: 16)
        #expect(layers.map(\.name) == ["enc.q", "enc.ffn"])
        #expect(layers.map { [$0.m, $0.k, $0.n] } == [[16, 4, 6], [16, 6, 3]])
        #expect(throws: PerfError.self) { try LayerSources.readModel(atPath: url.path, tokens: 0) }
        let junk = try Self.write("not a model", "j.safetensors", in: dir)
        #expect(throws: PerfError("\(junk): not a safetensors file (bad header)")) { try LayerSources.readModel(atPath: junk, tokens: 1) }
    }
}
