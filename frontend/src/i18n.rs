//! The one catalogue of user-visible strings: Bahasa Indonesia first, English second.
//! The texts live in Fluent files (`frontend/locales/id.ftl`, `en.ftl`) that `build.rs` compiles
//! into [`Key`] and the tables below; messages with variables become functions in [`msg`].
//! Components never hold literals; they ask `t(lang, Key::...)`, `tr(Key::...)` or `msg::...`.

use leptos::prelude::*;

/// Languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The other language (for the switch).
    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
include!(concat!(env!("OUT_DIR"), "/desk_catalogue.rs"));

/// A key of one of the catalogues: the app's [`Key`] or the desk's [`DeskKey`]. [`t`] is
/// generic over it, so a module that never names a `DeskKey` links none of its texts.
pub trait Text: Copy + Send + Sync + 'static {
    /// The text in `lang`.
    fn text(self, lang: Lang) -> &'static str;
}

impl Text for Key {
    fn text(self, lang: Lang) -> &'static str {
        let table = match lang {
            Lang::Id => &TEXT_ID,
            Lang::En => &TEXT_EN,
        };
        table[self as usize]
    }
}

impl Text for DeskKey {
    fn text(self, lang: Lang) -> &'static str {
        let table = match lang {
            Lang::Id => &DESK_TEXT_ID,
            Lang::En => &DESK_TEXT_EN,
        };
        table[self as usize]
    }
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: impl Text) -> &'static str {
    key.text(lang)
}

/// One part of a message with variables: literal text or the argument at an index.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Text(&'static str),
    Arg(usize),
}

/// Puts a message with variables together (the functions in [`msg`] call it).
fn render(pieces: &[Piece], args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for piece in pieces {
        match *piece {
            Piece::Text(part) => text.push_str(part),
            Piece::Arg(index) => {
                let _ = write!(text, "{}", args[index]);
            }
        }
    }
    text
}

const LANG_KEY: &str = "konvergen.lang";

/// Creates the language signal of a module, starting from the language chosen last (kept in
/// localStorage, so the cadre app and the desk module agree), and remembers every switch.
pub fn provide_lang() -> RwSignal<Lang> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let lang = RwSignal::new(if stored.as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Id
    });
    provide_context(lang);
    CHOSEN.set(lang.get_untracked());
    Effect::new(move |_| {
        let chosen = lang.get();
        CHOSEN.set(chosen);
        let code = if chosen == Lang::En { "en" } else { "id" };
        if let Some(storage) = &storage {
            let _ = storage.set_item(LANG_KEY, code);
        }
        // Screen readers pick their voice from the page's language.
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
    });
    lang
}

thread_local! {
    /// The language chosen now, for code that runs outside a component (request errors).
    static CHOSEN: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Id) };
}

/// The language chosen now, read without subscribing: for texts made outside a component,
/// such as a failed request's message.
pub fn chosen_lang() -> Lang {
    CHOSEN.get()
}

/// The BCP 47 tag the browser formats dates and numbers with in `lang`. British English
/// writes the day before the month, as Indonesia does.
pub fn locale_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "id-ID",
        Lang::En => "en-GB",
    }
}

/// The language signal of the app.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Id))
}

/// A reactive text for `key`.
pub fn tr(key: impl Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_text_in_both_languages() {
        for key in Key::ALL {
            for lang in [Lang::Id, Lang::En] {
                let text = t(lang, key);
                assert!(!text.trim().is_empty(), "{} ({lang:?})", key.id());
                assert_eq!(text, text.trim(), "{} ({lang:?})", key.id());
            }
        }
    }

    #[test]
    fn every_desk_key_has_a_text_in_both_languages() {
        for key in DeskKey::ALL {
            for lang in [Lang::Id, Lang::En] {
                let text = t(lang, key);
                assert!(!text.trim().is_empty(), "{} ({lang:?})", key.id());
            }
        }
    }

    #[test]
    fn indonesian_comes_first() {
        assert_eq!(Lang::default(), Lang::Id);
        assert_eq!(t(Lang::Id, Key::SignIn), "Masuk");
        assert_eq!(t(Lang::En, Key::SignIn), "Sign in");
    }

    #[test]
    fn messages_with_variables_fill_them_in_each_language() {
        assert_eq!(msg::quarter_heading(Lang::Id, &3, &2026), "Triwulan 3 2026");
        assert_eq!(msg::quarter_heading(Lang::En, &3, &2026), "Quarter 3 2026");
        assert_eq!(
            msg::action_heading(Lang::En, &1, &"Situation analysis"),
            "Action 1. Situation analysis"
        );
    }
}
