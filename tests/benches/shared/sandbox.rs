//! The sandbox a bench measures the client against, on a runtime of its own.
//!
//! Shared by the benches in `tests/benches/`: include it with
//! `#[path = "shared/sandbox.rs"] mod sandbox;`.

use crewsense_sandbox::Sandbox;
use tokio::runtime::Runtime;

/// A sandbox serving from a runtime of its own, with several workers so that its
/// answers never queue behind one another: concurrent requests measure the client,
/// not the emulator. Keep the runtime as long as the sandbox.
pub fn serve() -> (Runtime, Sandbox) {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let sandbox = server
        .block_on(Sandbox::start())
        .expect("start the sandbox");
    (server, sandbox)
}
