//! What the admin API sees of an upstream: its backends' status, and
//! replacing them.

use pingora::lb::selection::{BackendIter, BackendSelection};

use super::Upstream;

/// A backend as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendStatus {
    pub addr: String,
    pub weight: usize,
    pub healthy: bool,
    pub left_aside: bool,
    pub backup: bool,
}

/// What the admin API needs of an upstream, whatever its selection.
#[async_trait::async_trait]
pub trait Control: Send + Sync {
    fn name(&self) -> &'static str;
    fn status(&self) -> Vec<BackendStatus>;
    async fn replace(&self, text: &str) -> Result<usize, Vec<String>>;
}

#[async_trait::async_trait]
impl<S> Control for Upstream<S>
where
    S: BackendSelection + Send + Sync + 'static,
    S::Iter: BackendIter,
    S::Config: Send + Sync,
{
    fn name(&self) -> &'static str {
        self.config.name
    }
    fn status(&self) -> Vec<BackendStatus> {
        Upstream::status(self)
    }
    async fn replace(&self, text: &str) -> Result<usize, Vec<String>> {
        Upstream::replace(self, text).await
    }
}
