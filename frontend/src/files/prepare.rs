//! Talks to the file worker (`frontend/files-worker.js`): one worker per page, started on the
//! first file, each request matched to its answer by a number.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use konvergen_shared::files::{
    FileKind, PHOTO_JPEG_QUALITY, PHOTO_KEEP_BYTES, PHOTO_LONGEST_SIDE, THUMB_LONGEST_SIDE,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent, Worker};

use super::FileError;

/// A picked file made ready for storage.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// What will be stored and uploaded.
    pub content: Blob,
    /// Its media type.
    pub media_type: String,
    /// SHA-256 of `content`.
    pub sha256: String,
    /// SHA-256 of the file as picked.
    pub source_sha256: String,
    /// Thumbnail for lists (photos).
    pub thumb: Option<Blob>,
}

/// The resolve and reject functions of the promises still waiting for the worker.
type Waiting = Rc<RefCell<HashMap<u32, (Function, Function)>>>;

struct FileWorker {
    worker: Worker,
    waiting: Waiting,
    next_id: Cell<u32>,
    // Kept alive as long as the worker: they are its event handlers.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(JsValue)>,
}

thread_local! {
    static WORKER: RefCell<Option<Rc<FileWorker>>> = const { RefCell::new(None) };
}

/// Scales down a photo (or passes a PDF through) and hashes it, in the worker at `script`.
pub async fn prepare(script: &str, file: &Blob, kind: FileKind) -> Result<Prepared, FileError> {
    let worker = worker(script)?;
    let message = js_sys::Object::new();
    let id = worker.next_id.get().wrapping_add(1);
    worker.next_id.set(id);
    set(&message, "id", &JsValue::from(id));
    set(&message, "file", &file.into());
    set(
        &message,
        "photo",
        &JsValue::from_bool(kind == FileKind::Photo),
    );
    set(&message, "longest", &JsValue::from(PHOTO_LONGEST_SIDE));
    set(&message, "quality", &JsValue::from_f64(PHOTO_JPEG_QUALITY));
    set(
        &message,
        "keepBytes",
        &JsValue::from_f64(PHOTO_KEEP_BYTES as f64),
    );
    set(&message, "thumbLongest", &JsValue::from(THUMB_LONGEST_SIDE));
    let waiting = worker.waiting.clone();
    let answer = Promise::new(&mut |resolve, reject| {
        waiting.borrow_mut().insert(id, (resolve, reject));
    });
    worker
        .worker
        .post_message(&message)
        .map_err(|err| FileError::from_js(&err))?;
    let reply = JsFuture::from(answer)
        .await
        .map_err(|err| FileError::from_js(&err))?;
    Ok(Prepared {
        content: get(&reply, "blob")
            .dyn_into()
            .map_err(|_| FileError::unreadable())?,
        media_type: get(&reply, "mediaType").as_string().unwrap_or_default(),
        sha256: get(&reply, "sha256").as_string().unwrap_or_default(),
        source_sha256: get(&reply, "sourceSha256").as_string().unwrap_or_default(),
        thumb: get(&reply, "thumb").dyn_into().ok(),
    })
}

fn worker(script: &str) -> Result<Rc<FileWorker>, FileError> {
    if let Some(worker) = WORKER.with_borrow(Clone::clone) {
        return Ok(worker);
    }
    let worker = Worker::new(script).map_err(|err| FileError::from_js(&err))?;
    let waiting: Waiting = Rc::default();
    let on_message = {
        let waiting = waiting.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u32;
            if let Some((resolve, reject)) = waiting.borrow_mut().remove(&id) {
                let settle = if get(&data, "ok").is_truthy() {
                    resolve
                } else {
                    reject
                };
                let _ = settle.call1(&JsValue::NULL, &data);
            }
        })
    };
    let on_error = {
        let waiting = waiting.clone();
        // The script failed to load or crashed: nothing pending will be answered.
        Closure::<dyn Fn(JsValue)>::new(move |_event: JsValue| {
            for (_, (_, reject)) in waiting.borrow_mut().drain() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("worker"));
            }
            WORKER.set(None);
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let worker = Rc::new(FileWorker {
        worker,
        waiting,
        next_id: Cell::new(0),
        _on_message: on_message,
        _on_error: on_error,
    });
    WORKER.set(Some(worker.clone()));
    Ok(worker)
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
