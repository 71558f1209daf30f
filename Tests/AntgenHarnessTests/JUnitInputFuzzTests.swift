import AntgenNumerics
import Foundation
import Testing
@testable import AntgenHarness

/// Mutations of a valid text file from a seeded generator (reproducible): bit flips,
/// truncations, random byte runs, a token replaced by another (a huge number, a wrong tag,
/// an entity, …), inserted junk and entirely random bytes.
struct TextMutator {
    var generator: SplitMix64
    let tokens: Regex<Substring>
    let replacements: [String]

    mutating func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(max(count, 1))) }

    mutating func next(_ valid: [UInt8]) -> [UInt8] {
        var bytes = valid
        switch generator.next() % 7 {
        case 0:
            for _ in 0 ... pick(4) { bytes[pick(bytes.count)] ^= UInt8(1 << (generator.next() % 8)) }
        case 1:
            bytes = Array(bytes.prefix(pick(bytes.count + 1)))
        case 2:
            let start = pick(bytes.count)
            for index in start ..< min(bytes.count, start + pick(16) + 1) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        case 3, 4:
            var text = String(decoding: bytes, as: UTF8.self)
            let found = text.ranges(of: tokens)
            if !found.isEmpty {
                text.replaceSubrange(found[pick(found.count)], with: replacements[pick(replacements.count)])
                bytes = Array(text.utf8)
            }
        case 5:
            bytes.insert(contentsOf: (0 ..< pick(9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: pick(bytes.count + 1))
        default:
            bytes = (0 ..< pick(200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }
}

/// `antgen junit-merge`'s reader never crashes, hangs or dumps: each of 10,000 mutated JUnit
/// files either merges into a document that passes the same check, or is rejected with one
/// line naming the file (docs/reliability.md).
@Suite struct JUnitInputFuzzTests {
    static let valid = """
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="antgen verify" tests="3" failures="1">
    <testsuite name="8x8-bits4" tests="2" failures="1" time="0.52">
    <testcase name="random-0" classname="8x8-bits4" time="0.1"/>
    <testcase name="random-1" classname="8x8-bits4" time="0.2"><failure message="2 of 4 cases failed">case 3: got 0x1f &amp; expected 0x2f</failure></testcase>
    </testsuite>
    <testsuite name="4x4" tests="1" failures="0"><testcase name="quantized-0"/></testsuite>
    </testsuites>

    """

    static let replacements = ["</testsuite>", "<testsuites>", "</testsuites>", "<testsuite>", "<bogus/>", "testcase", "testsuite",
                               "&amp;", "&#0;", "&undefined;", "<![CDATA[x]]>", "]]>", "<!-- -->", "<?pi x?>",
                               "<!DOCTYPE t [<!ENTITY a \"aaaaaaaa\">]>", "99999999999999999999", "\"", "<", ">", "\n", "\u{0}"]

    @Test func mutatedJUnitFilesMergeOrFailWithOneLine() throws {
        let valid = Array(Self.valid.utf8)
        // The valid file itself merges (the fuzzing starts from an accepted input).
        _ = try JUnitInput.merge([("start.xml", Data(valid))])
        var mutator = TextMutator(generator: SplitMix64(seed: 0x16_0003), tokens: /<\/?[a-z]+|[0-9]+|"[^"]*"|&amp;|\/>/,
                                  replacements: Self.replacements)
        var merged = 0
        for iteration in 0 ..< 10_000 {
            let bytes = mutator.next(valid)
            do {
                let text = try JUnitInput.merge([("fuzz.xml", Data(bytes)), ("good.xml", Data(valid))])
                // A merged document passes the reader's own check and keeps both inputs' suites.
                try JUnitInput.check(Data(text.utf8), name: "re-check")
                #expect(text.hasPrefix("<?xml") && text.hasSuffix("</testsuites>\n"), "#\(iteration)")
                #expect(text.components(separatedBy: "<testsuite ").count - 1 >= 2, "#\(iteration)")
                merged += 1
            } catch {
                #expect(!error.description.contains("\n") && !error.description.contains("\r") && !error.description.contains("Error Domain="),
                        "#\(iteration): \(error)")
                #expect(error.description.hasPrefix("fuzz.xml: ") || error.description.hasPrefix("the merged document: "), "#\(iteration): \(error)")
                #expect(error.description.count < 300, "#\(iteration): \(error)")
            }
        }
        #expect(merged > 0 && merged < 10_000, "\(merged) merged")
    }
}
