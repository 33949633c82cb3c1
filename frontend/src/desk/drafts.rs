//! Checklist item saves made without a network: kept in this browser with the item as it was
//! read when the save was made, and sent when the network is back. The checklist is one
//! version-checked document on the server, so a draft is sent only if nobody changed that
//! item since; otherwise it stays, marked, for the coordinator to look at and decide (send it
//! over the other change, or drop it). Nothing typed is lost and nothing is overwritten
//! unseen.
//!
//! Drafts live under one localStorage key per account (`konvergen.drafts.<name>`), which
//! survives a sign-out that keeps the data and goes with one that removes it.

use std::collections::BTreeMap;

use konvergen_shared::actions::{Checklist, ItemState};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::{self, DeskError};

/// An item save waiting for the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// What the coordinator saved.
    pub item: ItemState,
    /// The item as read when it was saved.
    pub base: ItemState,
    /// Somebody changed the item on the server since: it waits for a decision.
    #[serde(default)]
    pub stale: bool,
}

/// What to do with a draft, given the item on the server now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Nobody changed the item: send it.
    Send,
    /// The server already has exactly this (sent before, the answer lost): forget it.
    AlreadyThere,
    /// Somebody changed the item since: keep it and ask.
    Stale,
}

/// The item without the server's save stamp, for comparing contents.
fn content(item: &ItemState) -> ItemState {
    ItemState {
        updated_at: None,
        ..item.clone()
    }
}

impl Draft {
    /// The decision for this draft against the server's item.
    pub fn replay(&self, on_server: &ItemState) -> Replay {
        let now = content(on_server);
        if now == content(&self.item) {
            Replay::AlreadyThere
        } else if now == content(&self.base) {
            Replay::Send
        } else {
            Replay::Stale
        }
    }
}

/// The drafts of one checklist, by item key.
pub type Drafts = BTreeMap<String, Draft>;

fn storage_key(username: &str) -> String {
    crate::session::drafts_key(username)
}

fn checklist_prefix(regency: &str, year: i32) -> String {
    format!("{regency}/{year}/")
}

fn read_all(username: &str) -> BTreeMap<String, Draft> {
    super::load_local(&storage_key(username))
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_all(username: &str, all: &BTreeMap<String, Draft>) {
    let key = storage_key(username);
    if all.is_empty() {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.remove_item(&key);
        }
    } else if let Ok(text) = serde_json::to_string(all) {
        super::store_local(&key, &text);
    }
}

/// The drafts of the checklist of `regency` and `year`.
pub fn of_checklist(username: &str, regency: &str, year: i32) -> Drafts {
    let prefix = checklist_prefix(regency, year);
    read_all(username)
        .into_iter()
        .filter_map(|(key, draft)| Some((key.strip_prefix(&prefix)?.to_owned(), draft)))
        .collect()
}

/// Keeps (or replaces) the draft of an item.
pub fn keep(username: &str, regency: &str, year: i32, key: &str, draft: Draft) {
    let mut all = read_all(username);
    all.insert(format!("{}{key}", checklist_prefix(regency, year)), draft);
    write_all(username, &all);
}

/// Forgets the draft of an item.
pub fn forget(username: &str, regency: &str, year: i32, key: &str) {
    let mut all = read_all(username);
    all.remove(&format!("{}{key}", checklist_prefix(regency, year)));
    write_all(username, &all);
}

/// One checklist's item saves: to the server when it answers, into this browser's drafts
/// when it does not.
#[derive(Debug, Clone, Copy)]
pub struct ItemSaves {
    owner: StoredValue<String>,
    token: StoredValue<String>,
    /// The drafts of the checklist on screen.
    pub drafts: RwSignal<Drafts>,
    /// Read the checklist again.
    reload: RwSignal<u32>,
    /// What the last save said, for the screen.
    message: RwSignal<Option<String>>,
}

/// Which checklist and item a save is for.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRef {
    /// The regency.
    pub regency: String,
    /// The year.
    pub year: i32,
    /// The item's key.
    pub key: String,
}

impl ItemRef {
    fn path(&self, version: u64) -> String {
        format!(
            "/api/v1/actions/checklists/{}/{}/items/{}?expected_version={version}",
            self.regency, self.year, self.key
        )
    }
}

impl ItemSaves {
    /// The saves of `owner`'s checklists.
    pub fn new(
        owner: String,
        token: String,
        reload: RwSignal<u32>,
        message: RwSignal<Option<String>>,
    ) -> Self {
        Self {
            owner: StoredValue::new(owner),
            token: StoredValue::new(token),
            drafts: RwSignal::new(Drafts::new()),
            reload,
            message,
        }
    }

    /// Reads the drafts of the checklist shown.
    pub fn show(self, regency: &str, year: i32) {
        self.drafts
            .set(of_checklist(&self.owner.get_value(), regency, year));
    }

    /// Saves `item` (read as `base`) at the checklist's `version`: on the server, or kept
    /// here when the network is away (then sent by [`send_waiting`]).
    pub fn save(self, at: ItemRef, item: ItemState, base: ItemState, version: u64) {
        let (owner, token) = (self.owner.get_value(), self.token.get_value());
        // A second offline save of the item builds on the first: its base stays the item
        // as read before either.
        let base = self
            .drafts
            .with_untracked(|d| d.get(&at.key).filter(|d| !d.stale).map(|d| d.base.clone()))
            .unwrap_or(base);
        leptos::task::spawn_local(async move {
            let sent =
                api::send::<_, serde_json::Value>(&token, "PUT", &at.path(version), &item).await;
            match sent {
                Ok(_) => {
                    forget(&owner, &at.regency, at.year, &at.key);
                    self.message.set(None);
                    self.reload.update(|n| *n += 1);
                }
                Err(err) if err.status == 0 => {
                    let draft = Draft {
                        item,
                        base,
                        stale: false,
                    };
                    keep(&owner, &at.regency, at.year, &at.key, draft);
                    self.message.set(None);
                }
                Err(err) => {
                    if err.status == 409 {
                        self.reload.update(|n| *n += 1);
                    }
                    self.message.set(Some(err.message));
                }
            }
            self.show(&at.regency, at.year);
        });
    }

    /// Drops the draft of an item (the coordinator keeps the server's version).
    pub fn discard(self, at: &ItemRef) {
        forget(&self.owner.get_value(), &at.regency, at.year, &at.key);
        self.show(&at.regency, at.year);
    }
}

/// Sends the drafts of `checklist` that nobody overtook, one after the other (each save
/// raises the version the next one sends); marks the others stale. Returns whether the
/// server's checklist changed.
pub async fn send_waiting(
    owner: &str,
    token: &str,
    checklist: &Checklist,
    mut version: u64,
) -> Result<bool, DeskError> {
    let (regency, year) = (checklist.regency_code.as_str(), checklist.year);
    let mut changed = false;
    for (key, draft) in of_checklist(owner, regency, year) {
        let on_server = checklist.items.get(&key).cloned().unwrap_or_default();
        let at = ItemRef {
            regency: regency.to_owned(),
            year,
            key: key.clone(),
        };
        match draft.replay(&on_server) {
            Replay::AlreadyThere => forget(owner, regency, year, &key),
            Replay::Stale => mark_stale(owner, &at, draft),
            Replay::Send if draft.stale => {}
            Replay::Send => {
                let path = at.path(version);
                let sent = api::send::<_, super::actions::View>(token, "PUT", &path, &draft.item);
                match sent.await {
                    Ok(view) => {
                        version = view.version;
                        forget(owner, regency, year, &key);
                        changed = true;
                    }
                    // Still no network: the rest waits too.
                    Err(err) if err.status == 0 => return Err(err),
                    // Refused (a link the server will not take, the year closed meanwhile):
                    // kept for the coordinator to correct or drop.
                    Err(_) => mark_stale(owner, &at, draft),
                }
            }
        }
    }
    Ok(changed)
}

/// Keeps a draft for the coordinator to decide on.
fn mark_stale(owner: &str, at: &ItemRef, draft: Draft) {
    let draft = Draft {
        stale: true,
        ..draft
    };
    keep(owner, &at.regency, at.year, &at.key, draft);
}

#[cfg(test)]
mod tests {
    use konvergen_shared::actions::ItemState;

    use super::{Draft, Replay};

    fn item(link: &str) -> ItemState {
        ItemState {
            done: true,
            links: vec![link.into()],
            ..ItemState::default()
        }
    }

    #[test]
    fn a_draft_is_sent_only_over_the_item_it_was_based_on() {
        let draft = Draft {
            item: item("https://dokumen.example/baru.pdf"),
            base: ItemState::default(),
            stale: false,
        };
        assert_eq!(draft.replay(&ItemState::default()), Replay::Send);
        assert_eq!(
            draft.replay(&item("https://dokumen.example/lain.pdf")),
            Replay::Stale
        );
        // Sent before, the answer lost: the server's stamp differs, the content does not.
        let stamped = ItemState {
            updated_at: Some(time::OffsetDateTime::UNIX_EPOCH),
            ..item("https://dokumen.example/baru.pdf")
        };
        assert_eq!(draft.replay(&stamped), Replay::AlreadyThere);
    }
}
