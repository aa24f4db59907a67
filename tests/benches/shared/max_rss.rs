//! The process's peak resident set size, for the memory figures of the benches.

/// The process's peak resident set size so far (`VmHWM`), in KiB.
///
/// Not `getrusage`'s `ru_maxrss`: Linux carries the peak of the memory image that
/// `exec` replaced into it, so a child would report the parent's size at `fork` if that
/// was larger. `VmHWM` belongs to the process's own memory image.
pub fn max_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a VmHWM line in kB")
}
