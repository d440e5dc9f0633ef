/// Memory that the workers of a parallel loop share: read by all of them, or
/// written at disjoint indices.
///
/// This is the project's one `@unchecked Sendable` wrapper around a buffer: the
/// compiler cannot see that the workers' accesses never overlap, so the caller
/// promises it. The caller guarantees that no index is written by two workers,
/// that no index is read by one worker while another writes it, that a buffer
/// shared with `init(readOnly:)` is never written, and that the memory outlives
/// the loop (pass a buffer obtained inside `withUnsafe...BufferPointer` only to
/// work that finishes inside that closure).
public struct SharedBuffer<Element>: @unchecked Sendable {
    /// The shared memory.
    public let base: UnsafeMutableBufferPointer<Element>

    /// Shares `buffer` for reading and for writing at disjoint indices.
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { base = buffer }

    /// Shares `buffer` for reading only.
    public init(readOnly buffer: UnsafeBufferPointer<Element>) { base = UnsafeMutableBufferPointer(mutating: buffer) }

    /// The number of elements.
    @inlinable
    public var count: Int { base.count }

    /// Element `index`; a write must be the only access to that index during the loop.
    @inlinable
    public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// Elements `range` for reading.
    @inlinable
    public subscript(range: Range<Int>) -> UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(rebasing: base[range])
    }

    /// The whole buffer for reading.
    @inlinable
    public var readOnly: UnsafeBufferPointer<Element> { UnsafeBufferPointer(base) }
}
