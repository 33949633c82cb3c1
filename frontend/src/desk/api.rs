//! Requests of the supervisors' desk, with the last good answer kept in localStorage so
//! the views still show something (with its age) when the network is gone. The copies are
//! keyed by the signed-in account (`konvergen.cache.<user>/api/...`, see
//! [`crate::session::cache_stem`]) and deleted at its sign-out, so a supervisor never sees
//! what another one loaded on the same phone.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::i18n::{Key, Lang, chosen_lang, t};

/// An answer and, when it came from the cache, how old it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    /// The data.
    pub data: T,
    /// `Some(ms since the epoch)` of when it was fetched, if the network failed now.
    pub cached_at_ms: Option<f64>,
}

impl<T> Fetched<T> {
    /// The same answer with its data transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fetched<U> {
        Fetched {
            data: f(self.data),
            cached_at_ms: self.cached_at_ms,
        }
    }
}

/// Why a request failed, as a message for the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskError {
    /// HTTP status (0 for no answer).
    pub status: u16,
    /// The server's message in the language chosen when it came, or a network note.
    pub message: String,
}

fn with_token(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("authorization", &format!("Bearer {token}"))
}

async fn answer(
    response: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<Value, DeskError> {
    let response = response.map_err(|err| DeskError {
        status: 0,
        message: err.to_string(),
    })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(body);
    }
    // The server says everything in both languages; the reader gets the one chosen now.
    let lang = chosen_lang();
    let (summary, field_message) = if lang == Lang::En {
        ("message_en", "message_en")
    } else {
        ("message", "message_id")
    };
    let fields: Vec<String> = body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f[field_message].as_str().map(str::to_owned))
        .collect();
    let mut message = body[summary]
        .as_str()
        .unwrap_or(t(lang, Key::RequestFailed))
        .to_owned();
    if !fields.is_empty() {
        message = format!("{message}: {}", fields.join("; "));
    }
    Err(DeskError { status, message })
}

thread_local! {
    /// The cache key stem of the account this page serves; unset, nothing is cached.
    static CACHE_STEM: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Caches the answers of this page under `username` (one account per page load).
pub fn set_cache_owner(username: &str) {
    CACHE_STEM.set(Some(crate::session::cache_stem(username)));
}

fn cache_key(path: &str) -> Option<String> {
    CACHE_STEM.with_borrow(|stem| stem.as_ref().map(|stem| format!("{stem}{path}")))
}

/// GET `path` (starting with `/`); on a network failure, the cached answer of the same path
/// for the same account.
pub async fn get<T: DeserializeOwned>(token: &str, path: &str) -> Result<Fetched<T>, DeskError> {
    let key = cache_key(path);
    match answer(with_token(Request::get(path), token).send().await).await {
        Ok(value) => {
            let stamped = serde_json::json!({"at": js_sys::Date::now(), "data": value});
            if let (Some(storage), Some(key)) = (storage(), &key) {
                let _ = storage.set_item(key, &stamped.to_string());
            }
            let data = serde_json::from_value(value).map_err(|err| DeskError {
                status: 0,
                message: err.to_string(),
            })?;
            Ok(Fetched {
                data,
                cached_at_ms: None,
            })
        }
        Err(err) if err.status == 0 => {
            let cached = storage()
                .zip(key)
                .and_then(|(s, key)| s.get_item(&key).ok().flatten())
                .ok_or(err.clone())?;
            let stamped: Value = serde_json::from_str(&cached).map_err(|_| err.clone())?;
            let data = serde_json::from_value(stamped["data"].clone()).map_err(|_| err)?;
            Ok(Fetched {
                data,
                cached_at_ms: stamped["at"].as_f64(),
            })
        }
        Err(err) => Err(err),
    }
}

/// POST or PUT JSON.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    token: &str,
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, DeskError> {
    let builder = if method == "PUT" {
        Request::put(path)
    } else {
        Request::post(path)
    };
    let request = with_token(builder, token)
        .json(body)
        .map_err(|err| DeskError {
            status: 0,
            message: err.to_string(),
        })?;
    let value = answer(request.send().await).await?;
    serde_json::from_value(value).map_err(|err| DeskError {
        status: 0,
        message: err.to_string(),
    })
}

/// Downloads an export through fetch (it needs the bearer token) and saves it.
pub async fn download(token: &str, path: &str, file_name: &str) -> Result<(), DeskError> {
    use wasm_bindgen::JsCast;
    let response = with_token(Request::get(path), token)
        .send()
        .await
        .map_err(|err| DeskError {
            status: 0,
            message: err.to_string(),
        })?;
    // An error answer is the server's JSON, not the file: say why instead of saving it.
    if !response.ok() {
        return answer(Ok(response)).await.map(|_| ());
    }
    let bytes = response.binary().await.map_err(|err| DeskError {
        status: 0,
        message: err.to_string(),
    })?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| DeskError {
        status: 0,
        message: "blob".into(),
    })?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DeskError {
        status: 0,
        message: "url".into(),
    })?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(DeskError {
            status: 0,
            message: "document".into(),
        })?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| DeskError {
            status: 0,
            message: "anchor".into(),
        })?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    // Some browsers only follow a download link that is part of the page.
    if let Some(body) = document.body() {
        let _ = body.append_child(&anchor);
    }
    anchor.click();
    anchor.remove();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
