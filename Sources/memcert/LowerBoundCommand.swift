import ArgumentParser
import Certificates
import DataSets
import SeparationGeometry
import SeparationNumbers
import TextFormats
import ThresholdNetworks

struct LowerBoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lower-bound",
        abstract: "Every certified lower bound on memorizing networks for this labeled data set, with its argument.",
        discussion: """
            circle: the points lie on one circle (checked exactly, any dimension); with A label changes \
            in cyclic order the first layer needs >= ⌈A/2⌉ neurons. moment-curve: the points lie on \
            t -> (t, ..., t^d); with A changes in t order, >= ⌈A/d⌉. distinct-codes: memorizing every \
            labeling needs distinct codes, hence the smallest K with enough regions. counting: memorizing \
            every labeling needs 2W log2(eN) >= n (Baum–Haussler 1989), decided with exact integers. \
            separation-number: for at most 40 points in d = 2 (16 in d = 3, 400 in d = 1), the exact least \
            number of hyperplanes separating every differently labeled pair, i.e. the least first-layer \
            width (memcert separation-number, with CaDiCaL and a DRAT proof checked by memcert; 30 s at \
            most); otherwise the reason it is not computed. It is not part of the lower-bound certificate: \
            memcert separation-number --certificate certifies it.
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label; - for stdin, except with --certificate), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Flag(help: "Print a stable JSON object.") var json = false
    @Option(help: "A network for the same data: its first-layer width is printed next to the bound.") var network: String?
    @Option(help: "N for the counting bound (default: the network's neurons, else n).") var neurons: Int?
    @Option(help: "Also write a certificate of these bounds (memcert.certificate/2) to this file (- for stdout).") var certificate: String?

    func validate() throws {
        if let neurons, neurons < 1 { throw ValidationError("--neurons must be >= 1") }
    }

    func run() throws {
        try reportingErrors {
            if certificate != nil { try requireNamedFile(data, role: "data") }
            let destination = try OutputFiles.prepare([certificate], inputs: [data, network] + dataOptions.inputs)[0]
            let set: DataSet
            var certifiedData: CertifiedFile?  // digested only for a certificate
            if let certificate {
                let (parsed, dataSHA256) = try DataSet.readForCertificate(path: data, options: dataOptions)
                set = parsed
                // A data file outside the certificate's folder is refused before the bounds' work.
                certifiedData = try CertifiedFile(role: "data", path: data, sha256: dataSHA256, certificate: certificate)
            } else {
                set = try DataSet.read(path: data, options: dataOptions)
            }
            var comparison: (path: String, width: Int)?
            var networkNeurons: Int?
            if let network {
                let net = try Network.read(path: network)
                guard net.inputDimension == set.dimension else {
                    throw InputError(file: set.source, line: set.lines.first, column: 1,
                                     message: "the data have \(set.dimension) coordinates but the network \(network) reads \(net.inputDimension)")
                }
                comparison = (shown(network), net.layers[0].neurons.count)
                networkNeurons = net.counts.neurons
            }
            let report = LowerBoundReport(data: set, neurons: neurons ?? networkNeurons ?? set.count)
            if let certifiedData {
                let value = CertificateIssuer.lowerBound(report: report, files: [certifiedData],
                                                         provenance: MemcertVersion.provenance)
                try destination?.commit(JSONWriter.bytes(value))
            }
            let exact = try SeparationNumberSupport.embedded(set, report: report)
            if json {
                printJSON(report.json(network: comparison).adding("separationNumber", SeparationNumberSupport.json(exact)))
            } else {
                memcert.report(report.humanText(data: shown(data), network: comparison))
                memcert.report(SeparationNumberSupport.line(exact))
            }
            if let certificate, !json { memcert.report("wrote     \(certificate); re-check with: memcert check \(certificate)") }
            return ExitStatus.success
        }
    }
}
