//! Local imitation of the channel APIs, for the demo, tests and benches.
//!
//! It serves the real paths and payload shapes over HTTP on loopback,
//! enforces the vendors' rate limits and injects faults on request, so every
//! connector is exercised exactly as it would be against production.

pub mod amazon;
pub mod ebay;
pub mod faire;
pub mod faults;
pub mod graphql;
pub mod shipbob;
pub mod shopify;
mod story;
pub mod world;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::channels::limit::{LeakyBucket, LimitError, ThrottleStatus};
pub use faults::{FaultKind, FaultSpecError, Faults};
pub use story::BEST_SELLER;
pub use world::World;

/// Knobs for tests and the `sandbox` command; defaults imitate a Standard shop.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Where to listen; loopback on an ephemeral port by default.
    pub addr: SocketAddr,
    /// Shopify bucket size (`maximumAvailable`).
    pub bucket_capacity: f64,
    /// Shopify restore rate, points per second.
    pub restore_rate: f64,
    /// HTTP status of a THROTTLED reply: 200 (default) or 429.
    pub throttled_status: u16,
    /// How long a `slow` fault stalls; longer than the client's timeout.
    pub slow_delay: Duration,
    /// `Retry-After` value sent with an injected 429.
    pub retry_after: String,
    /// Amazon SP-API knobs (token lifetime, rate scale, page size).
    pub amazon: amazon::AmazonOptions,
    /// eBay Sell Inventory knobs (token lifetime, daily quota, account).
    pub ebay: ebay::EbayOptions,
    /// The imitation 3PL's knobs (window, page sizes, header names).
    pub shipbob: shipbob::ShipbobOptions,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            addr: Sandbox::LOOPBACK,
            bucket_capacity: 2000.0,
            restore_rate: 100.0,
            throttled_status: 200,
            slow_delay: Duration::from_secs(25),
            retry_after: "1.0".to_owned(),
            amazon: amazon::AmazonOptions::default(),
            ebay: ebay::EbayOptions::default(),
            shipbob: shipbob::ShipbobOptions::default(),
        }
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("sandbox: cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("sandbox: bad rate limit settings: {0}")]
    Limit(#[from] LimitError),
}

/// State every handler shares.
pub(crate) struct Shared {
    pub(crate) world: World,
    pub(crate) faults: Faults,
    pub(crate) options: SandboxOptions,
    bucket: Mutex<LeakyBucket>,
    pub(crate) amazon: amazon::AmazonState,
    pub(crate) ebay: ebay::EbayState,
    pub(crate) shipbob: shipbob::ShipbobState,
    pub(crate) faire: faire::FaireWorld,
}

impl Shared {
    pub(crate) fn lock_bucket(&self) -> MutexGuard<'_, LeakyBucket> {
        self.bucket.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn bucket_status(&self) -> ThrottleStatus {
        self.lock_bucket().status(Instant::now())
    }
}

/// Entry point: see [`Sandbox::start`].
pub struct Sandbox;

impl Sandbox {
    /// 127.0.0.1 on a port the OS picks.
    pub const LOOPBACK: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

    /// Starts serving `world` on `addr` with `faults`, default options.
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn start(world: World, faults: Faults, addr: SocketAddr) -> Result<SandboxHandle, SandboxError> {
        Self::start_with(world, faults, SandboxOptions { addr, ..SandboxOptions::default() }).await
    }

    /// Starts with explicit options.
    ///
    /// # Errors
    /// The address cannot be bound or the bucket settings are invalid.
    pub async fn start_with(
        world: World,
        faults: Faults,
        options: SandboxOptions,
    ) -> Result<SandboxHandle, SandboxError> {
        let bucket = LeakyBucket::new(options.bucket_capacity, options.restore_rate, Instant::now())?;
        let addr = options.addr;
        let amazon = amazon::AmazonState::new(&world, options.amazon.clone())?;
        let ebay = ebay::EbayState::new(&world, options.ebay.clone());
        let shipbob = shipbob::ShipbobState::new(&world, options.shipbob.clone())?;
        let faire = faire::FaireWorld::from_world(&world);
        let shared =
            Arc::new(Shared { world, faults, options, bucket: Mutex::new(bucket), amazon, ebay, shipbob, faire });
        let app = Router::new().route(shopify::PATH, post(shopify::graphql));
        let app = faire::routes(shipbob::routes(ebay::routes(amazon::routes(app)))).with_state(Arc::clone(&shared));
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|source| SandboxError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(|source| SandboxError::Bind { addr, source })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app);
            // Not graceful: a `slow` fault may hold a request for longer than
            // anyone wants to wait at shutdown.
            tokio::select! {
                result = serve => if let Err(e) = result { tracing::warn!("sandbox stopped: {e}") },
                _ = stopped => {}
            }
        });
        Ok(SandboxHandle { addr: local, shared, stop: Some(stop), task: Some(task) })
    }
}

/// A running sandbox; stops when shut down or dropped.
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, what a source's `base_url` should be.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The world being served.
    #[must_use]
    pub fn world(&self) -> &World {
        &self.shared.world
    }

    /// Requests received so far by `api` (e.g. `"shopify"`).
    #[must_use]
    pub fn request_count(&self, api: &str) -> u64 {
        self.shared.faults.count(api)
    }

    /// The Shopify bucket as the server sees it now.
    #[must_use]
    pub fn shopify_bucket(&self) -> ThrottleStatus {
        self.shared.bucket_status()
    }

    /// What the imitation SP-API saw: requests per operation, throttles, tokens.
    #[must_use]
    pub fn amazon_stats(&self) -> amazon::AmazonStats {
        self.shared.amazon.stats()
    }

    /// Changes the imitation Amazon account while the sandbox runs, as a
    /// seller repricing or stock arriving would between two polls.
    pub fn update_amazon(&self, change: impl FnOnce(&mut amazon::AmazonWorld)) {
        self.shared.amazon.update_world(change);
    }

    /// What the imitation eBay API saw: requests, page offsets, tokens.
    #[must_use]
    pub fn ebay_stats(&self) -> ebay::EbayStats {
        self.shared.ebay.stats()
    }

    /// What the imitation 3PL API saw: requests, window refusals.
    #[must_use]
    pub fn shipbob_stats(&self) -> shipbob::ShipbobStats {
        self.shared.shipbob.stats()
    }

    /// The wholesale orders and products the imitation Faire serves.
    #[must_use]
    pub fn faire_world(&self) -> &faire::FaireWorld {
        &self.shared.faire
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
