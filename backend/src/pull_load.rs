//! How much of the server's memory pull pages may take: pages get smaller as more phones
//! pull at once, so that 500 phones syncing together fit the memory target
//! (docs/benchmarks.md) without any phone being made to wait for another.
//!
//! A pull page is held in memory from the database read until its last byte has been
//! handed to the connection; a phone on a slow link keeps its page that long. With a fixed
//! page of 1,000 records (about half a megabyte of JSON) 500 phones can hold 250 MB. Instead
//! of queueing phones behind a cap (a queue behind phones on 3G would stall everyone), each
//! page gets an equal share of the bytes all pages in flight may take together
//! (`--pull-bytes-in-flight`, [`DEFAULT_PAGE_BYTES_IN_FLIGHT`]): the phone still gets an
//! answer at once, and with fewer records the next page follows (`has_more`). A page always
//! carries at least [`MIN_PAGE_BYTES`] (and at least one record), so progress never stops;
//! past `bytes in flight / MIN_PAGE_BYTES` phones at once the floor, not the total, holds.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use axum::body::Bytes;
use http_body::{Frame, SizeHint};

/// Bytes of page JSON all pulls in flight share, unless configured otherwise.
pub const DEFAULT_PAGE_BYTES_IN_FLIGHT: usize = 24 * 1024 * 1024;
/// Smallest page budget, however many phones pull: about 140 records.
pub const MIN_PAGE_BYTES: usize = 64 * 1024;

/// The number of pulls in flight and the bytes their pages share.
#[derive(Debug)]
pub struct PullLoad {
    in_flight: AtomicUsize,
    shared_bytes: usize,
}

impl PullLoad {
    /// No pull in flight yet; pages will share `shared_bytes`.
    pub fn new(shared_bytes: usize) -> Self {
        Self {
            in_flight: AtomicUsize::new(0),
            shared_bytes,
        }
    }

    /// Counts a pull in flight until the returned guard is dropped.
    pub fn enter(self: &Arc<Self>) -> PullGuard {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        PullGuard {
            load: Arc::clone(self),
        }
    }

    /// Pulls in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// The JSON bytes one page may take now, with [`PullLoad::in_flight`] pulls (this one
    /// included) running.
    pub fn page_bytes(&self) -> usize {
        page_bytes_for(self.shared_bytes, self.in_flight())
    }
}

/// A page's share of `shared_bytes` with `pulls` pulls in flight.
pub fn page_bytes_for(shared_bytes: usize, pulls: usize) -> usize {
    (shared_bytes / pulls.max(1)).max(MIN_PAGE_BYTES)
}

/// One pull in flight; dropped when its page has been sent (or the phone went away).
#[derive(Debug)]
pub struct PullGuard {
    load: Arc<PullLoad>,
}

impl Drop for PullGuard {
    fn drop(&mut self) {
        self.load.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A page's encoded JSON as a response body that keeps its pull counted until the
/// connection asks for more after the last byte (it has taken them all in) or drops the
/// body (the phone went away).
#[derive(Debug)]
pub struct PageBody {
    json: Option<Bytes>,
    length: u64,
    finished: bool,
    _pull: PullGuard,
}

impl PageBody {
    /// The body of `json`, counted by `pull`.
    pub fn new(json: Vec<u8>, pull: PullGuard) -> Self {
        Self {
            length: json.len() as u64,
            json: Some(Bytes::from(json)),
            finished: false,
            _pull: pull,
        }
    }
}

impl http_body::Body for PageBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.json.take() {
            Some(json) => Poll::Ready(Some(Ok(Frame::data(json)))),
            None => {
                self.finished = true;
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.finished
    }

    fn size_hint(&self) -> SizeHint {
        // Exact, so the answer carries a Content-Length as before.
        SizeHint::with_exact(if self.json.is_some() { self.length } else { 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: usize = DEFAULT_PAGE_BYTES_IN_FLIGHT;

    #[test]
    fn the_budget_is_shared_and_never_below_the_floor() {
        assert_eq!(page_bytes_for(SHARED, 0), SHARED);
        assert_eq!(page_bytes_for(SHARED, 1), SHARED);
        assert_eq!(page_bytes_for(SHARED, 4), SHARED / 4);
        assert_eq!(page_bytes_for(SHARED, 500), MIN_PAGE_BYTES);
        for pulls in 1..2_000 {
            let all_pages = page_bytes_for(SHARED, pulls) * pulls;
            assert!(all_pages <= SHARED.max(MIN_PAGE_BYTES * pulls), "{pulls}");
        }
    }

    #[test]
    fn guards_count_pulls_in_flight() {
        let load = Arc::new(PullLoad::new(SHARED));
        let first = load.enter();
        let second = load.enter();
        assert_eq!(load.in_flight(), 2);
        assert_eq!(load.page_bytes(), SHARED / 2);
        drop(first);
        assert_eq!(load.in_flight(), 1);
        drop(second);
        assert_eq!(load.in_flight(), 0);
    }
}
