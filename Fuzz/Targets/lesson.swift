import FuzzHarness

// libFuzzer target: any bytes as a lesson file run on a (simulated) terminal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLesson(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.fuzzLanguage(data, size, asLesson: true)
    return 0
}
