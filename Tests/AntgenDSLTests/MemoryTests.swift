import AntgenDSL
import Testing

/// The memory primitive: accepted shapes, and each misuse reported once at the user's line.
@Suite struct MemoryTests {
    @Test func aWrittenAndReadMemoryElaborates() throws {
        let c = TestCircuit("Ram") { m in
            let ram = m.memory("ram", depth: 16, .sint(8))
            ram.write(address: m.input("wa", .uint(3)), data: m.input("wd", .sint(6)), enable: m.input("we", .bool))
            m.output("q", .sint(8)).assign(ram.read(address: m.input("ra", .uint(4)), enable: m.input("re", .bool)))
        }
        let design = try elaborate(c)
        let memory = try #require(design.top.memories.first)
        #expect(memory.depth == 16 && memory.addressWidth == 4 && memory.elementType == .sint(8))
        #expect(memory.writePorts.count == 1 && memory.readPorts.count == 1)
        #expect(memory.writePorts[0].address.type == .uint(4))  // narrower address extended
        #expect(memory.writePorts[0].data.type == .sint(8))     // narrower data extended
        #expect(memory.readPorts[0].data.name == "ram_q")
    }

    @Test func tooWideAddressIsAnError() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let ram = m.memory("ram", depth: 8, .uint(4))
            ram.write(address: m.input("wa", .uint(4)), data: m.input("wd", .uint(4)), enable: .bool(true)); mark.line = #line
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(3))))
        }
        expectSingle(c, mark, ["width mismatch", "'wa'", "UInt<4>", "memory 'ram'", "8 words", ".truncated(to: 3)"])
    }

    @Test func tooWideOrWronglySignedDataIsAnError() {
        let wide = LineMark(), signed = LineMark()
        let c1 = TestCircuit { m in
            let ram = m.memory("ram", depth: 4, .uint(4))
            ram.write(address: m.input("wa", .uint(2)), data: m.input("wd", .uint(5)), enable: .bool(true)); wide.line = #line
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(2))))
        }
        expectSingle(c1, wide, ["width mismatch", "'wd'", "UInt<5>", "UInt<4> words", ".truncated(to: 4)"])
        let c2 = TestCircuit { m in
            let ram = m.memory("ram", depth: 4, .uint(4))
            ram.write(address: m.input("wa", .uint(2)), data: m.input("wd", .sint(4)), enable: .bool(true)); signed.line = #line
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(2))))
        }
        expectSingle(c2, signed, ["memory 'ram' stores UInt<4> words", "'wd'", "SInt<4>"])
    }

    @Test func depthMustBeAPowerOfTwo() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let ram = m.memory("ram", depth: 6, .uint(4)); mark.line = #line
            ram.write(address: m.input("wa", .uint(1)), data: m.input("wd", .uint(4)), enable: .bool(true))
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(1))))
        }
        expectSingle(c, mark, ["memory 'ram' has depth 6", "power of two"])
    }

    @Test func portsInsideWhenAreRejected() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let ram = m.memory("ram", depth: 4, .uint(4))
            let we = m.input("we", .bool)
            m.when(we) {
                ram.write(address: m.input("wa", .uint(2)), data: m.input("wd", .uint(4)), enable: .bool(true)); mark.line = #line
            }
            ram.write(address: m.input("wa2", .uint(2)), data: m.input("wd2", .uint(4)), enable: we)
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(2))))
        }
        expectSingle(c, mark, ["memory 'ram'", "top level", "enable:"])
    }

    @Test func readDataCannotBeDriven() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let ram = m.memory("ram", depth: 4, .uint(4))
            ram.write(address: m.input("wa", .uint(2)), data: m.input("wd", .uint(4)), enable: .bool(true))
            let q = ram.read(address: m.input("ra", .uint(2)))
            q.assign(0); mark.line = #line
            m.output("q", .uint(4)).assign(q)
        }
        expectSingle(c, mark, ["cannot drive 'ram_q'", "read data of memory 'ram'"])
    }

    @Test func unreadMemoryIsReportedAtItsDeclaration() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let ram = m.memory("ram", depth: 4, .uint(4)); mark.line = #line
            ram.write(address: m.input("wa", .uint(2)), data: m.input("wd", .uint(4)), enable: .bool(true))
        }
        expectSingle(c, mark, ["memory 'ram' is never read"])
    }

    @Test func memoryNameCollidingWithASignalIsReported() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let wd = m.input("ram", .uint(4))
            let ram = m.memory("ram", depth: 4, .uint(4)); mark.line = #line
            ram.write(address: m.input("wa", .uint(2)), data: wd, enable: .bool(true))
            m.output("q", .uint(4)).assign(ram.read(address: m.input("ra", .uint(2))))
        }
        expectSingle(c, mark, ["'ram' is declared twice"])
    }
}
