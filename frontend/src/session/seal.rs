//! The sealed blob of an account and the WebCrypto steps behind it: PBKDF2-SHA256 to derive
//! the key from the password, AES-GCM-256 to seal and open, random salts and IVs.

use konvergen_shared::api::Me;

use super::PBKDF2_ROUNDS;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An AES-GCM ciphertext of an [`Opened`], stored as `rounds.salt.iv.data` (hex).
#[derive(Debug, Clone)]
pub(super) struct Sealed {
    pub(super) rounds: u32,
    pub(super) salt: Vec<u8>,
    pub(super) iv: Vec<u8>,
    pub(super) data: Vec<u8>,
}

impl Sealed {
    pub(super) fn encode(&self) -> String {
        let (salt, iv, data) = (hex(&self.salt), hex(&self.iv), hex(&self.data));
        format!("{}.{salt}.{iv}.{data}", self.rounds)
    }

    pub(super) fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let sealed = Self {
            rounds: parts.next()?.parse().ok()?,
            salt: unhex(parts.next()?)?,
            iv: unhex(parts.next()?)?,
            data: unhex(parts.next()?)?,
        };
        parts.next().is_none().then_some(sealed)
    }
}

/// The plaintext of a sealed blob: the token (empty once signed out), a newline, and the
/// user as JSON.
#[derive(Debug, Clone)]
pub(super) struct Opened {
    pub(super) me: Me,
    pub(super) token: String,
}

impl Opened {
    pub(super) fn encode(&self) -> Option<String> {
        let me = serde_json::to_string(&self.me).ok()?;
        Some([self.token.as_str(), "\n", &me].concat())
    }

    pub(super) fn decode(text: &str) -> Option<Self> {
        let (token, me) = text.split_once('\n')?;
        Some(Self {
            me: serde_json::from_str(me).ok()?,
            token: token.to_owned(),
        })
    }
}

pub(super) fn subtle() -> Option<web_sys::SubtleCrypto> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    (!AsRef::<JsValue>::as_ref(&subtle).is_undefined()).then_some(subtle)
}

pub(super) fn random_bytes(len: usize) -> Result<Vec<u8>, JsValue> {
    let mut bytes = vec![0_u8; len];
    web_sys::window()
        .ok_or(JsValue::NULL)?
        .crypto()?
        .get_random_values_with_u8_array(&mut bytes)?;
    Ok(bytes)
}

/// A plain object from `(name, value)` pairs (the algorithm dictionaries of WebCrypto).
pub(super) fn object(fields: &[(&str, JsValue)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

pub(super) fn usages(names: &[&str]) -> JsValue {
    names
        .iter()
        .map(|name| JsValue::from_str(name))
        .collect::<js_sys::Array>()
        .into()
}

/// PBKDF2-SHA256 of the password into a non-extractable AES-GCM-256 key.
pub(super) async fn derive_key(
    password: &str,
    salt: &[u8],
    rounds: u32,
) -> Result<web_sys::CryptoKey, JsValue> {
    let subtle = subtle().ok_or(JsValue::NULL)?;
    let raw = js_sys::Uint8Array::from(password.as_bytes());
    let base = subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages(&["deriveKey"]))?;
    let base: web_sys::CryptoKey = JsFuture::from(base).await?.unchecked_into();
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", js_sys::Uint8Array::from(salt).into()),
        ("iterations", rounds.into()),
    ]);
    let aes = object(&[
        ("name", "AES-GCM".into()),
        ("length", JsValue::from(256_u32)),
    ]);
    let key = subtle.derive_key_with_object_and_object(
        &params,
        &base,
        &aes,
        false,
        &usages(&["encrypt", "decrypt"]),
    )?;
    Ok(JsFuture::from(key).await?.unchecked_into())
}

/// AES-GCM with `key`: encrypts (`encrypt`) or decrypts and checks the tag.
pub(super) async fn aes_gcm(
    key: &web_sys::CryptoKey,
    iv: &[u8],
    data: &[u8],
    encrypt: bool,
) -> Result<Vec<u8>, JsValue> {
    let subtle = subtle().ok_or(JsValue::NULL)?;
    let params = object(&[
        ("name", "AES-GCM".into()),
        ("iv", js_sys::Uint8Array::from(iv).into()),
    ]);
    let data = js_sys::Uint8Array::from(data);
    let promise = if encrypt {
        subtle.encrypt_with_object_and_js_u8_array(&params, key, &data)?
    } else {
        subtle.decrypt_with_object_and_js_u8_array(&params, key, &data)?
    };
    Ok(js_sys::Uint8Array::new(&JsFuture::from(promise).await?).to_vec())
}

/// Seals `opened` under a key derived from `password` with a new salt; returns the key too.
pub(super) async fn seal_new(
    password: &str,
    opened: &Opened,
) -> Result<(Sealed, web_sys::CryptoKey), JsValue> {
    let salt = random_bytes(16)?;
    let key = derive_key(password, &salt, PBKDF2_ROUNDS).await?;
    let sealed = seal(&key, salt, PBKDF2_ROUNDS, opened).await?;
    Ok((sealed, key))
}

/// Seals `opened` under `key` with a new IV. Sign-out re-seals under the kept key and the
/// salt it was derived with, as it has the key but not the password.
pub(super) async fn seal(
    key: &web_sys::CryptoKey,
    salt: Vec<u8>,
    rounds: u32,
    opened: &Opened,
) -> Result<Sealed, JsValue> {
    let plain = opened.encode().ok_or(JsValue::NULL)?;
    let iv = random_bytes(12)?;
    let data = aes_gcm(key, &iv, plain.as_bytes(), true).await?;
    Ok(Sealed {
        rounds,
        salt,
        iv,
        data,
    })
}

/// Decrypts a blob; `None` for a wrong key (GCM's tag check) or a damaged blob.
pub(super) async fn open(key: &web_sys::CryptoKey, sealed: &Sealed) -> Option<Opened> {
    let plain = aes_gcm(key, &sealed.iv, &sealed.data, false).await.ok()?;
    Opened::decode(&String::from_utf8(plain).ok()?)
}

pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|&b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

pub(super) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use konvergen_shared::api::{Area, Role};

    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = [0_u8, 1, 15, 16, 127, 128, 255];
        assert_eq!(hex(&bytes), "00010f107f80ff");
        assert_eq!(unhex(&hex(&bytes)).as_deref(), Some(&bytes[..]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn a_sealed_blob_is_rounds_salt_iv_and_data() {
        let sealed = Sealed {
            rounds: PBKDF2_ROUNDS,
            salt: vec![1; 16],
            iv: vec![2; 12],
            data: vec![3, 4],
        };
        let text = sealed.encode();
        assert_eq!(
            text,
            format!("600000.{}.{}.0304", "01".repeat(16), "02".repeat(12))
        );
        let back = Sealed::decode(&text).expect("decodes");
        assert_eq!(
            (back.rounds, back.salt, back.iv, back.data),
            (sealed.rounds, sealed.salt, sealed.iv, sealed.data)
        );
        assert!(Sealed::decode("600000.01.02").is_none());
        assert!(Sealed::decode(&format!("{text}.05")).is_none());
    }

    #[test]
    fn the_plaintext_holds_the_token_then_the_user() {
        let me = Me {
            id: 7,
            username: "kader.sipai".into(),
            display_name: "Siti\nAminah".into(),
            role: Role::Cadre,
            areas: vec![Area {
                code: "63.03.05.2009".into(),
                name: "Sungai Sipai".into(),
                level: "village".into(),
            }],
            agency: None,
        };
        for token in ["t0k3n", ""] {
            let opened = Opened {
                me: me.clone(),
                token: token.into(),
            };
            let text = opened.encode().expect("encodes");
            let back = Opened::decode(&text).expect("decodes");
            assert_eq!((back.me, back.token.as_str()), (me.clone(), token));
        }
        assert!(Opened::decode("no newline").is_none());
    }
}
