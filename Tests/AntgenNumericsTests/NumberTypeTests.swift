import AntgenNumerics
import Testing

/// The one number-type model: AntType's selector codes and names, the grids NumberKind
/// builds from it, and the selection candidates built from both. Expected values are
/// literals from docs/architecture.md (selector codes) and the spec's candidate order.
@Suite("Number-type model")
struct NumberTypeTests {
    @Test("selector codes are fixed: 0 int, 1 flint, 2 pot, 3 float, in order")
    func selectorCodes() {
        #expect(AntType.allCases.map(\.rawValue) == [0, 1, 2, 3])
        #expect(AntType.allCases.map(\.description) == ["int", "flint", "pot", "float"])
        #expect([0, 1, 2, 3].map { AntType(rawValue: $0) } == [.int, .flint, .pot, .float])
        #expect(AntType(rawValue: 4) == nil)
        #expect([AntType.float, .int, .pot, .flint].sorted() == [.int, .flint, .pot, .float])
    }

    @Test("names parse case-insensitively; float aliases name the eb = 3 float; others are rejected")
    func names() {
        for type in AntType.allCases { #expect(AntType(name: type.description) == type) }
        #expect(["FLINT", "float3", "floateb3", "float-eb3"].map { AntType(name: $0) } == [.flint, .float, .float, .float])
        for name in ["apot", "float2", "float4", "", "int8"] { #expect(AntType(name: name) == nil, "\(name)") }
    }

    @Test("NumberKind of a type is the hardware grid; other floats and apot have no hardware type")
    func kinds() {
        #expect(NumberKind(.float) == .float(exponentBits: 3))
        #expect(NumberKind(.int) == .int && NumberKind(.flint) == .flint && NumberKind(.pot) == .pot)
        #expect(AntType.allCases.map { NumberKind($0).hardwareType } == [.int, .flint, .pot, .float])
        #expect(NumberKind.float(exponentBits: 2).hardwareType == nil)
        #expect(NumberKind.float(exponentBits: 2).type == .float)
        #expect(NumberKind.apot.type == nil && NumberKind.apot.hardwareType == nil)
        #expect([NumberKind.int, .flint, .pot, .float(exponentBits: 3), .float(exponentBits: 1), .apot].map(\.name)
            == ["int", "flint", "pot", "float3", "float1", "apot"])
        #expect(NumberKind.int.exponentBits == nil && NumberKind(.float).exponentBits == 3)
    }

    @Test("selection candidates: fixed order, grids and reference selection grids")
    func candidates() throws {
        #expect(TypeCandidate.all.map(\.name) == ["int", "flint", "pot", "float", "float1", "float2", "float3", "float4", "apot"])
        #expect(TypeCandidate.all.map(\.order) == Array(0 ..< 9))
        #expect(AntType.allCases.map { TypeCandidate($0).name } == ["int", "flint", "pot", "float"])
        #expect(TypeCandidate(.float).kind == .float(exponentBits: 3))
        #expect(TypeCandidate(.float).referenceSelectionKind == .float(exponentBits: 3))
        let float3 = TypeCandidate.float(exponentBits: 3)
        #expect(float3.name == "float3" && float3.kind == .float(exponentBits: 3) && float3 != TypeCandidate(.float))
        for eb in 1 ... 4 {
            #expect(TypeCandidate.float(exponentBits: eb).referenceSelectionKind == .float(exponentBits: 1), "float\(eb)")
        }
        #expect(TypeCandidate.apot.kind == .apot && TypeCandidate.apot.referenceSelectionKind == .apot)
        #expect(try #require(TypeCandidate(name: "pot")) == TypeCandidate(.pot))
        #expect(TypeCandidate(name: "Float") == nil && TypeCandidate(name: "float5") == nil)
        #expect(TypeCandidate(.int) < TypeCandidate.float(exponentBits: 1) && TypeCandidate.float(exponentBits: 4) < .apot)
    }
}
