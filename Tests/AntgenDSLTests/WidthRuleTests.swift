import AntgenDSL
import Testing

/// The width rules of docs/dsl.md, one by one.
@Suite struct WidthRuleTests {
    /// Builds values inside a real module so signals exist.
    private func withSignals(_ body: @escaping (Value, Value, Value, Value) -> Void) {
        _ = diagnostics(TestCircuit { m in
            let a = m.input("a", .uint(4))
            let b = m.input("b", .uint(6))
            let s = m.input("s", .sint(4))
            let t = m.input("t", .sint(7))
            body(a, b, s, t)
            m.output("o", .bool).assign(Value.bool(true))
        })
    }

    @Test func additionWidensByOneAndWrappingKeepsTheWiderWidth() {
        withSignals { a, b, s, t in
            #expect((a + b).type == .uint(7))
            #expect((a &+ b).type == .uint(6))
            #expect((s + t).type == .sint(8))
            #expect((s &+ t).type == .sint(7))
            #expect((a + 1).type == .uint(5))
        }
    }

    @Test func subtractionIsExactAndSigned() {
        withSignals { a, b, s, t in
            #expect((a - b).type == .sint(7))
            #expect((a &- b).type == .uint(6))
            #expect((s - t).type == .sint(8))
            #expect((-a).type == .sint(5))
            #expect((-s).type == .sint(5))
        }
    }

    @Test func multiplicationSumsWidths() {
        withSignals { a, b, s, t in
            #expect((a * b).type == .uint(10))
            #expect((s * t).type == .sint(11))
            #expect((a * 3).type == .uint(6))
        }
    }

    @Test func bitwiseAndComparisons() {
        withSignals { a, b, s, _ in
            #expect((a & b).type == .uint(6))
            #expect((a ^ b).type == .uint(6))
            #expect((~s).type == .sint(4))
            #expect((a < b).type == .bool)
            #expect((s == -3).type == .bool)
            #expect(a.orReduce().type == .bool)
            #expect(b.xorReduce().type == .bool)
        }
    }

    @Test func shifts() {
        withSignals { a, b, s, _ in
            #expect((a << 3).type == .uint(7))
            #expect((a >> 1).type == .uint(3))
            #expect((a >> 9).type == .uint(1))
            #expect((s >> 1).type == .sint(3))
            let amount = b[0...1]  // UInt<2>
            #expect((a << amount).type == .uint(4 + 3))
            #expect((s >> amount).type == .sint(4))
        }
    }

    @Test func slicesConcatenationAndConversions() {
        withSignals { a, b, s, _ in
            #expect(a[3].type == .bool)
            #expect(b[2...5].type == .uint(4))
            #expect(s[0...3].type == .uint(4))
            #expect(cat(a, b, s).type == .uint(14))
            #expect(a.extended(to: 9).type == .uint(9))
            #expect(s.extended(to: 9).type == .sint(9))
            #expect(b.truncated(to: 2).type == .uint(2))
            #expect(a.asSInt.type == .sint(4))
            #expect(s.asUInt.type == .uint(4))
            #expect(a.toSigned().type == .sint(5))
            #expect(s.magnitude().type == .uint(4))
            #expect(mux(a[0], a, b).type == .uint(6))
        }
    }

    @Test func constantsHaveMinimalWidth() {
        #expect(Value.uint(0).type == .uint(1))
        #expect(Value.uint(1).type == .uint(1))
        #expect(Value.uint(255).type == .uint(8))
        #expect(Value.uint(256).type == .uint(9))
        #expect(Value.sint(-8).type == .sint(4))
        #expect(Value.sint(7).type == .sint(4))
        #expect(Value.sint(-1).type == .sint(1))
        #expect(Value.sint(8).type == .sint(5))
        #expect(Value.uint(5, width: 8).type == .uint(8))
    }

    @Test func constantOperationsFold() {
        #expect(Value.uint(0b1011)[1...2].node.constantValue == 0b01)
        #expect(Value.sint(-3, width: 4).asUInt.node.constantValue == 13)
        #expect(Value.uint(13, width: 4).asSInt.node.constantValue == -3)
        #expect(Value.sint(-3).extended(to: 8).node.constantValue == -3)
    }

    @Test func helperWidths() {
        withSignals { a, b, _, _ in
            #expect(leadingOnes(a).type == .uint(3))  // 0…4
            #expect(leadingZeros(b).type == .uint(3))  // 0…6
            #expect(priorityEncoder(b).index.type == .uint(3))
            #expect(priorityEncoder(a).valid.type == .bool)
        }
    }

    @Test func widthHelpers() {
        #expect(minimalUnsignedWidth(0) == 1)
        #expect(minimalUnsignedWidth(15) == 4)
        #expect(minimalSignedWidth(-8) == 4)
        #expect(minimalSignedWidth(127) == 8)
        #expect(bitsToIndex(1) == 1)
        #expect(bitsToIndex(2) == 1)
        #expect(bitsToIndex(3) == 2)
        #expect(bitsToIndex(8) == 3)
        #expect(bitsToIndex(9) == 4)
    }
}
