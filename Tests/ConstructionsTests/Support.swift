import DataSets
import ExactArithmetic
import TestSupport
import TextFormats
@testable import Constructions

/// Parses CSV text, for tests.
func parseCSV(_ text: String, file: String = "data.csv") throws(InputError) -> DataSet {
    try parseCSV(Array(text.utf8), file: file)
}

func parseCSV(_ bytes: [UInt8], file: String = "data.csv") throws(InputError) -> DataSet {
    try DataSet.parseCSV(bytes, file: file)
}
