import Testing
import TextFormats
import WorkSharing

@Suite("Memory budget")
struct MemoryBudgetTests {
    @Test("sizes are computed with overflow checks: nil beyond Int, never a trap")
    func arithmetic() {
        #expect(MemoryBudget.product(50_000_000, 4096, 8) == 1_638_400_000_000)
        #expect(MemoryBudget.product(Int.max, 2) == nil)
        #expect(MemoryBudget.product(-1, 5) == nil)
        #expect(MemoryBudget.sum(MemoryBudget.product(1 << 40, 1 << 30), 5) == nil)
        #expect(MemoryBudget.sum(3, 4, nil) == nil && MemoryBudget.sum(3, 4) == 7)
    }

    @Test("MEMCERT_MEMORY_LIMIT's forms")
    func sizes() {
        #expect(MemoryBudget.parseSize("1G") == 1 << 30)
        #expect(MemoryBudget.parseSize("512m") == 512 << 20)
        #expect(MemoryBudget.parseSize(" 4096 ") == 4096)
        #expect(MemoryBudget.parseSize("0") == nil && MemoryBudget.parseSize("-1G") == nil && MemoryBudget.parseSize("") == nil)
        #expect(MemoryBudget.parseSize("9999999999T") == nil)  // overflows
        #expect(MemoryBudget.describe(1_638_400_000_000) == "1.5 TB" && MemoryBudget.describe(64 << 20) == "64 MB")
    }

    @Test("a request beyond the budget is refused with the reason; one within it passes; the budget only goes down")
    func require() throws {
        let before = MemoryBudget.bytes
        #expect(throws: RequestError.self) { try MemoryBudget.require(nil, for: "everything") }
        #expect(throws: RequestError.self) { try MemoryBudget.require(before + 1, for: "one byte too many") }
        try MemoryBudget.require(1024, for: "a little")
        MemoryBudget.limit(toAtMost: Int.max)
        #expect(MemoryBudget.bytes == before)
        do {
            try MemoryBudget.require(before + 1, for: "the points")
        } catch {
            #expect(error.message.contains("the points") && error.message.contains("memory budget"))
        }
    }
}
