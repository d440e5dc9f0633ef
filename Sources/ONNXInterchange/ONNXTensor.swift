import ExactArithmetic
import Foundation
import TextFormats

// MARK: - Constant tensors read exactly
//
// An initializer (or a Constant node's value) holds float16, float32, float64 or integer
// elements, either in `raw_data` (little-endian, ONNX IR) or in the typed repeated fields
// (float16 as bit patterns in int32_data). Each element is read as the exact value it
// stores: every finite IEEE value is a dyadic rational (IEEE 754-2019, section 3.4).

/// A constant tensor's shape and exact values (row-major).
struct ExactTensor {
    var name: String
    var dims: [Int]
    var values: [Rational]

    var count: Int { values.count }
}

/// ONNX TensorProto.DataType numbers (onnx.proto).
enum ONNXType {
    static let float: Int32 = 1, uint8: Int32 = 2, int8: Int32 = 3, uint16: Int32 = 4, int16: Int32 = 5, int32: Int32 = 6
    static let int64: Int32 = 7, bool: Int32 = 9, float16: Int32 = 10, double: Int32 = 11, uint32: Int32 = 12, uint64: Int32 = 13

    static func name(_ t: Int32) -> String {
        [1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool",
         10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16"][t] ?? "type \(t)"
    }
}

extension ExactTensor {
    /// Reads `tensor` exactly; `file` and `what` (e.g. "initializer 'W'") locate errors.
    init(_ tensor: Onnx_TensorProto, file: String, what: String) throws(InputError) {
        func fail(_ message: String) -> InputError { InputError(file: file, message: "\(what): \(message)") }
        if tensor.dataLocation == .external { throw fail("external data is not supported (save the model with its weights inside)") }
        var count = 1
        var dims: [Int] = []
        for d in tensor.dims {
            guard d >= 0, d <= 1 << 40 else { throw fail("dimension \(d) out of range") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= 1 << 32 else { throw fail("too many elements") }
            count = product
            dims.append(Int(d))
        }
        let type = tensor.dataType
        let size: Int
        switch type {
        case ONNXType.float, ONNXType.int32, ONNXType.uint32: size = 4
        case ONNXType.double, ONNXType.int64, ONNXType.uint64: size = 8
        case ONNXType.float16, ONNXType.int16, ONNXType.uint16: size = 2
        case ONNXType.int8, ONNXType.uint8: size = 1
        default: throw fail("elements of type \(ONNXType.name(type)) are not supported (float16/32/64 and integers are)")
        }
        var bits: [UInt64] = []  // raw bit patterns, one per element
        if !tensor.rawData.isEmpty {
            // The size is checked against the bytes actually there before anything is allocated.
            guard tensor.rawData.count == count * size else {
                throw fail("raw_data has \(tensor.rawData.count) bytes, the shape \(dims) of \(ONNXType.name(type)) needs \(count * size)")
            }
            bits.reserveCapacity(count)
            tensor.rawData.withUnsafeBytes { raw in
                for k in 0 ..< count {
                    var v: UInt64 = 0
                    for b in (0 ..< size).reversed() { v = v << 8 | UInt64(raw[k * size + b]) }
                    bits.append(v)
                }
            }
        } else {
            switch type {
            case ONNXType.float: bits = tensor.floatData.map { UInt64($0.bitPattern) }
            case ONNXType.double: bits = tensor.doubleData.map { $0.bitPattern }
            case ONNXType.int64: bits = tensor.int64Data.map { UInt64(bitPattern: $0) }
            case ONNXType.uint32, ONNXType.uint64: bits = tensor.uint64Data
            default: bits = tensor.int32Data.map { UInt64(UInt32(bitPattern: $0)) & (size == 4 ? 0xFFFF_FFFF : (1 << UInt64(8 * size)) - 1) }
            }
            guard bits.count == count else { throw fail("holds \(bits.count) values, its shape \(dims) needs \(count)") }
        }
        var values: [Rational] = []
        values.reserveCapacity(count)
        for (k, raw) in bits.enumerated() {
            let value: Rational?
            switch type {
            case ONNXType.float: value = Rational(exactly: Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            case ONNXType.double: value = Rational(exactly: Double(bitPattern: raw))
            case ONNXType.float16: value = Rational(binary16: UInt16(truncatingIfNeeded: raw))
            case ONNXType.int8: value = Rational(Int(Int8(truncatingIfNeeded: raw)))
            case ONNXType.int16: value = Rational(Int(Int16(truncatingIfNeeded: raw)))
            case ONNXType.int32: value = Rational(Int(Int32(truncatingIfNeeded: raw)))
            case ONNXType.int64: value = Rational(Int(Int64(bitPattern: raw)))
            case ONNXType.uint64: value = Rational(BigInt(raw))
            default: value = Rational(BigInt(raw))  // uint8, uint16, uint32
            }
            guard let value else { throw fail("element \(k) is NaN or an infinity") }
            values.append(value)
        }
        self.init(name: tensor.name, dims: dims, values: values)
    }
}

extension Rational {
    /// The exact value of an IEEE binary16 bit pattern, or nil for NaN and infinities.
    init?(binary16 bits: UInt16) {
        let exponent = Int(bits >> 10 & 0x1F), fraction = Int(bits & 0x3FF)
        if exponent == 0x1F { return nil }
        let magnitude = exponent == 0 ? Rational(fraction, 1 << 24) : Rational(1024 + fraction) * (exponent >= 25
            ? Rational(1 << (exponent - 25)) : Rational(1, 1 << (25 - exponent)))
        self = bits >> 15 == 1 ? -magnitude : magnitude
    }
}
