import FuzzHarness

// libFuzzer target: any bytes as a .csv file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.runCSV(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
