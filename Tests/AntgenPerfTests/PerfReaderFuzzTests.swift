import AntgenNumerics
import AntgenPerf
import Foundation
import Testing

/// A seeded generator for reproducible mutations (the project's SplitMix64).
struct FuzzGenerator {
    var random: SplitMix64
    init(state: UInt64) { random = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { random.next() }
    mutating func pick(_ count: Int) -> Int { Int(next() % UInt64(max(count, 1))) }
}

/// Mutations of a valid text file: bit flips, truncations, byte runs, a number or word
/// replaced by a huge, negative, fractional or wrongly typed value, inserted junk (a BOM, a
/// NUL, CR), and random bytes.
struct TextMutator {
    var generator: FuzzGenerator
    static let replacements = ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "-1", "0", "1e308", "1e-320",
                               "-0", "2.5", "\"x\"", "null", "true", "[]", "{}", "\"\"", "\u{FEFF}", "4611686018427387904", "3037000500",
                               "NaN", "nan", "inf", "\"\\u0000\"", ",", "\r\n", "#"]

    mutating func next(_ valid: [UInt8]) -> [UInt8] {
        var bytes = valid
        switch generator.next() % 8 {
        case 0:
            for _ in 0 ... generator.pick(4) where !bytes.isEmpty { bytes[generator.pick(bytes.count)] ^= UInt8(1 << (generator.next() % 8)) }
        case 1:
            bytes = Array(bytes.prefix(generator.pick(bytes.count + 1)))
        case 2:
            let start = generator.pick(bytes.count)
            for index in start ..< min(bytes.count, start + generator.pick(16) + 1) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        case 3, 4, 5:
            // A token (a run of digits, letters, '-', '.', '_' or a quoted string) replaced.
            var tokens: [Range<Int>] = []
            var index = 0
            func word(_ b: UInt8) -> Bool { (48 ... 57).contains(b) || (65 ... 90).contains(b) || (97 ... 122).contains(b) || b == 45 || b == 46 || b == 95 }
            while index < bytes.count {
                let start = index
                if word(bytes[index]) {
                    while index < bytes.count, word(bytes[index]) { index += 1 }
                    tokens.append(start ..< index)
                } else { index += 1 }
            }
            if !tokens.isEmpty {
                let range = tokens[generator.pick(tokens.count)]
                bytes.replaceSubrange(range, with: Array(Self.replacements[generator.pick(Self.replacements.count)].utf8))
            }
        case 6:
            let at = generator.pick(bytes.count + 1)
            bytes.insert(contentsOf: (0 ..< generator.pick(9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: at)
        default:
            bytes = (0 ..< generator.pick(200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }
}

/// Issue 24 part 7: the perf readers (layer lists as JSON and CSV, energy tables, tuning plans
/// read as layers) on 10,000 mutated inputs each: a valid parse whose layers are sane, or one
/// line (``PerfError``) naming the file, never a crash (docs/reliability.md).
@Suite struct PerfReaderFuzzTests {
    static let layersJSON = #"[{"name": "q", "m": 128, "k": 384, "n": 384}, {"name": "ffn", "m": 128, "k": 384, "n": 1536, "act_bits": 8, "weight_bits": 3}, {"name": "b", "m": 1, "k": 2, "n": 3, "bits": 6}]"#
    static let layersCSV = "# a model\nname,m,k,n,act_bits,weight_bits\nq,128,384,384,4,4\nffn,128,384,1536,8,3\nb,1,2,3,,\n"
    /// A plan as `antgen tune --plan` writes it: a 3 × 4 weight and its 2 × 4 input.
    static let plan = #"{"constraint":"sqnr>=10","format":"antgen-plan","granularity":"channel","method":"per tensor","objective":"stored bits","scale":"alpha","tensors":[{"alphas":[1.2855,2.1456,1.0971],"bits":4,"cost":48,"elements":12,"file":"m.safetensors","format":"int4s","grid":[-8,-7,-6,-5,-4,-3,-2,-1,0,1,2,3,4,5,6,7],"kind":"int","maxPositiveUnits":7,"mse":0.00115,"name":"l.weight","relativeMSE":0.00115,"role":"weight","scale":"alpha","shape":[3,4],"signed":true,"sqnrDB":29.38847,"storedBits":48},{"alphas":[2.5345,1.1203],"bits":8,"cost":32,"elements":8,"file":"m.safetensors","format":"int8s","grid":[-128,-127,-126,-125,-124,-123,-122,-121,-120,-119,-118,-117,-116,-115,-114,-113,-112,-111,-110,-109,-108,-107,-106,-105,-104,-103,-102,-101,-100,-99,-98,-97,-96,-95,-94,-93,-92,-91,-90,-89,-88,-87,-86,-85,-84,-83,-82,-81,-80,-79,-78,-77,-76,-75,-74,-73,-72,-71,-70,-69,-68,-67,-66,-65,-64,-63,-62,-61,-60,-59,-58,-57,-56,-55,-54,-53,-52,-51,-50,-49,-48,-47,-46,-45,-44,-43,-42,-41,-40,-39,-38,-37,-36,-35,-34,-33,-32,-31,-30,-29,-28,-27,-26,-25,-24,-23,-22,-21,-20,-19,-18,-17,-16,-15,-14,-13,-12,-11,-10,-9,-8,-7,-6,-5,-4,-3,-2,-1,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127],"kind":"int","maxPositiveUnits":127,"mse":0.00159,"name":"l.input","relativeMSE":0.001,"role":"activation","scale":"alpha","shape":[2,4],"signed":true,"sqnrDB":30.02134,"storedBits":32}],"totals":{"compressionVsFP32":8,"compressionVsInt8":2,"cost":80,"elements":20,"minimumSQNRDB":29.4,"relativeMSESum":0.0021,"storedBits":80},"version":1}"#

    /// Writes each mutation of `valid` to a file named `name` and reads it; returns how many parsed.
    static func fuzz(_ label: String, valid: String, name: String, seed: UInt64, read: (String) throws(PerfError) -> Void) throws -> Int {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-perf-fuzz-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        var mutator = TextMutator(generator: FuzzGenerator(state: seed))
        var parsed = 0
        for iteration in 0 ..< 10_000 {
            try Data(mutator.next(Array(valid.utf8))).write(to: URL(fileURLWithPath: path))
            do throws(PerfError) {
                try read(path)
                parsed += 1
            } catch {
                let line = error.message
                #expect(line.hasPrefix(path) && !line.contains("\n") && !line.contains("Error Domain=") && line.count < 400,
                        "\(label) #\(iteration): \(line.prefix(500))")
            }
        }
        #expect(parsed > 0 && parsed < 10_000, "\(label): \(parsed) of 10,000 parsed")
        return parsed
    }

    static func sane(_ layers: [GemmLayer]) {
        for layer in layers { #expect(layer.m >= 1 && layer.k >= 1 && layer.n >= 1 && !layer.name.isEmpty, "\(layer.name)") }
    }

    @Test func layerListJSON() throws {
        #expect(try LayerSources.readJSON(atPath: try LayerSourceTests.write(Self.layersJSON, "v.json", in: LayerSourceTests.folder())).count == 3)
        _ = try Self.fuzz("layers JSON", valid: Self.layersJSON, name: "l.json", seed: 24_1) { path throws(PerfError) in Self.sane(try LayerSources.readJSON(atPath: path)) }
    }

    @Test func layerListCSV() throws {
        _ = try Self.fuzz("layers CSV", valid: Self.layersCSV, name: "l.csv", seed: 24_2) { path throws(PerfError) in Self.sane(try LayerSources.readCSV(atPath: path)) }
    }

    @Test func csvWithAByteOrderMark() throws {
        let dir = try LayerSourceTests.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try LayerSourceTests.write("\u{FEFF}" + Self.layersCSV, "bom.csv", in: dir)
        #expect(try LayerSources.readCSV(atPath: path).map(\.name) == ["q", "ffn", "b"])
    }

    @Test func energyTable() throws {
        let valid = EnergyTable.standard.jsonText()
        _ = try Self.fuzz("energy table", valid: valid, name: "e.json", seed: 24_3) { path throws(PerfError) in
            let table = try EnergyTable.read(atPath: path)
            #expect(table.problem == nil)
        }
    }

    @Test func planAsLayers() throws {
        _ = try Self.fuzz("plan layers", valid: Self.plan, name: "p.json", seed: 24_4) { path throws(PerfError) in
            Self.sane(try LayerSources.readPlans(atPaths: [path], tokens: nil))
        }
    }
}
