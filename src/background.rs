//! Work that no screen waits for (the parsed copy of a file, the alert rules after
//! the panes) runs at the lowest CPU priority. On a busy two-core machine, as over
//! SSH, the cockpit's first screen is then drawn first and the rest takes what is
//! left; on an idle one it runs as fast as before.

/// The nice value of a background thread: the lowest priority there is.
const NICE: i32 = 19;

/// Lowers the calling thread's priority, for the rest of its life: call it only on a
/// thread of its own (not a pool's, whose next task would inherit it). Linux keeps a
/// nice value per thread; elsewhere it is per process, so nothing is done there.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(None, NICE) {
        tracing::debug!(error = %e, "background thread's priority not lowered");
    }
}

/// This thread's nice value (for tests).
#[cfg(all(test, target_os = "linux"))]
pub fn nice_of_this_thread() -> i32 {
    rustix::process::getpriority_process(None).unwrap_or(i32::MIN)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn only_the_calling_thread_is_lowered() {
        let before = nice_of_this_thread();
        let lowered = std::thread::spawn(|| {
            lower_this_thread();
            nice_of_this_thread()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, NICE);
        assert_eq!(
            nice_of_this_thread(),
            before,
            "the caller's own priority is kept"
        );
    }
}
