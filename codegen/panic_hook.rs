//! progenitor's panics, silenced while it generates: it has a few `panic!`s
//! and `todo!`s for inputs it does not support, which generation catches and
//! reports as located errors of its own, without a message and a backtrace on
//! stderr.

thread_local! {
    /// Whether this thread is inside progenitor, whose panics
    /// `codegen::generate_tokens` catches and reports as errors of its own.
    static GENERATING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps progenitor's panics from printing a message and a backtrace while
/// the current thread generates.
///
/// The panic hook is process-wide, and several threads generate at once
/// (`cargo xtask api-diff` generates both specs in parallel; tests run in
/// parallel), so the hook is never swapped per call: one hook is installed,
/// once, in front of whatever hook the process had. It is silent for a panic
/// on a thread marked as generating and hands every other panic to the hook
/// it replaced.
struct QuietPanics {
    /// Whether the thread was already marked (a nested generation), so that
    /// leaving the inner one does not unmark the outer one.
    was_generating: bool,
}

impl QuietPanics {
    fn enter() -> Self {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !GENERATING.with(std::cell::Cell::get) {
                    previous(info);
                }
            }));
        });
        Self {
            was_generating: GENERATING.with(|g| g.replace(true)),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        GENERATING.with(|g| g.set(self.was_generating));
    }
}

/// Runs `f` (a call of progenitor) with its panics silenced and caught: a
/// panic becomes `Err` with its message.
pub(super) fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let result = {
        let _quiet = QuietPanics::enter();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
    };
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("no message")
            .to_string()
    })
}
