//! The `beacon` binary: a thin shim over the library (see `beacon::cli`).

fn main() -> std::process::ExitCode {
    tune_malloc();
    beacon::cli::main()
}

/// glibc gives threads that allocate their own malloc arenas (up to eight
/// per core), memory freed into one is not reused by another, and its
/// mmap threshold rises after large frees, so big transient buffers (a
/// compression's) end up kept on the heap. Measured with 50 components
/// after one request of each route and 4 × 8 s of wrk on `/`: RSS grew from
/// 24 to 74 MB and kept growing with the defaults; with one arena and a
/// fixed 128 KiB mmap threshold it stays at 33–36 MB, at the same
/// throughput (the hot path allocates little: responses are shared bytes).
/// Same effect as `MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=131072`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // SAFETY: mallopt only tunes the allocator; it runs before any thread
    // other than this one exists, and its return value is only advisory.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
