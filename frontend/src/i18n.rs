//! The one catalogue of user-visible strings: Bahasa Indonesia first, English second.

/// Languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

/// Every string the interface shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Line under the app name.
    Tagline,
    /// Server reachable.
    Online,
    /// Server not reachable.
    Offline,
    /// First check still running.
    Checking,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let (id, en) = match key {
        Key::Tagline => (
            "Pemantauan konvergensi pencegahan stunting",
            "Stunting-prevention convergence monitoring",
        ),
        Key::Online => ("Daring", "Online"),
        Key::Offline => ("Luring", "Offline"),
        Key::Checking => ("Memeriksa…", "Checking…"),
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}
