//! The province's technical review of each evidence item of a submitted checklist
//! ("Diterima" or "Perlu perbaikan" with a note), and what the district reads of it next to
//! the item once the checklist comes back.

use konvergen_shared::actions::checklist::Checklist;
use konvergen_shared::actions::{ItemReview, ReviewInput, Status, Verdict};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::i18n::{DeskKey, t, tr, use_lang};

/// Where the province's reviews go, and what follows one.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReviewSender {
    /// Bearer token.
    pub token: StoredValue<String>,
    /// The checklist's path, `/api/v1/actions/checklists/{regency}/{year}`.
    pub base: StoredValue<String>,
    /// The version last read: a review of an item that changed since is refused (409).
    pub version: Memo<u64>,
    /// Bumped to read the checklist again after a review.
    pub reload: RwSignal<u32>,
}

impl ReviewSender {
    /// Sends the review of `key`; a refusal lands in `error`, under the note.
    fn send(self, key: &str, input: ReviewInput, error: RwSignal<Option<FormError>>) {
        let path = format!(
            "{}/reviews/{key}?expected_version={}",
            self.base.get_value(),
            self.version.get_untracked()
        );
        let token = self.token.get_value();
        spawn_local(async move {
            let sent = api::send::<_, super::actions::View>(&token, "PUT", &path, &input).await;
            // The form may be gone by now (the checklist was returned meanwhile): `try_`.
            match sent {
                Ok(_) => {
                    error.try_set(None);
                    self.reload.try_update(|n| *n += 1);
                }
                Err(err) => {
                    if err.status == 409 {
                        self.reload.try_update(|n| *n += 1);
                    }
                    error.try_set(Some(FormError::Server(err.message)));
                }
            }
        });
    }
}

/// What is wrong with a review about to be sent or just refused.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FormError {
    /// "Perlu perbaikan" without a note (checked here, in the reader's language).
    NoteMissing,
    /// The server's message.
    Server(String),
}

/// How an item's review shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The province, on a submitted checklist: the two buttons and the note.
    Edit,
    /// The verdict and note as read-only text.
    Show,
    /// Nothing to show.
    Hidden,
}

/// The province reviews what was submitted and reads its reviews later; the district reads
/// them while the checklist is back with it (after a new submission they wait for the
/// province's next look, which the "changed since review" mark helps with).
fn mode(reviewer: bool, status: Option<Status>, reviewed: bool) -> Mode {
    match (reviewer, status) {
        (true, Some(Status::Submitted)) => Mode::Edit,
        (true, Some(_)) | (false, Some(Status::Returned)) if reviewed => Mode::Show,
        _ => Mode::Hidden,
    }
}

fn verdict_key(verdict: Verdict) -> DeskKey {
    match verdict {
        Verdict::Accepted => DeskKey::ReviewAccept,
        Verdict::NeedsRevision => DeskKey::ReviewRevise,
    }
}

/// The review part of one evidence item: the province's form while it reviews (`sender`
/// given), otherwise the verdict and note as text.
#[component]
pub(super) fn ItemReviewView(
    key: String,
    checklist: Memo<Option<Checklist>>,
    sender: Option<ReviewSender>,
) -> impl IntoView {
    let reading = key.clone();
    let review = Memo::new(move |_| {
        checklist.with(|c| c.as_ref().and_then(|c| c.review(&reading).cloned()))
    });
    let status = Memo::new(move |_| checklist.with(|c| c.as_ref().map(|c| c.status)));
    // A memo of its own: the form is drawn again only when the mode changes, so a note being
    // typed survives the reads of the checklist that follow other items' reviews.
    let shown =
        Memo::new(move |_| mode(sender.is_some(), status.get(), review.with(Option::is_some)));
    let key = StoredValue::new(key);
    move || match (shown.get(), sender) {
        (Mode::Edit, Some(sender)) => key
            .with_value(|key| review_form(key, review, sender))
            .into_any(),
        (Mode::Show, _) => key.with_value(|key| review_shown(key, review)).into_any(),
        _ => ().into_any(),
    }
}

fn verdict_id(review: Memo<Option<ItemReview>>) -> impl Fn() -> &'static str + Copy {
    move || review.with(|r| r.as_ref().map_or("none", |r| r.verdict.as_str()))
}

/// "Diubah kabupaten/kota sejak ditinjau", when it was.
fn changed_mark(key: &str, review: Memo<Option<ItemReview>>) -> impl IntoView + use<> {
    let testid = format!("review-changed-{key}");
    move || {
        review
            .with(|r| r.as_ref().is_some_and(|r| r.changed_since))
            .then(|| view! { <p class="review-changed" data-testid=testid.clone()>{tr(DeskKey::ReviewChanged)}</p> })
    }
}

fn review_form(
    key: &str,
    review: Memo<Option<ItemReview>>,
    sender: ReviewSender,
) -> impl IntoView + use<> {
    let lang = use_lang();
    let note = RwSignal::new(review.get_untracked().map(|r| r.note).unwrap_or_default());
    let error = RwSignal::new(None::<FormError>);
    let target = StoredValue::new(key.to_owned());
    let decide = move |verdict: Verdict| {
        let text = note.get_untracked().trim().to_owned();
        if verdict == Verdict::NeedsRevision && text.is_empty() {
            error.set(Some(FormError::NoteMissing));
            return;
        }
        error.set(None);
        let input = ReviewInput {
            verdict,
            note: text,
        };
        sender.send(&target.get_value(), input, error);
    };
    let is = move |verdict: Verdict| {
        move || review.with(|r| r.as_ref().map(|r| r.verdict)) == Some(verdict)
    };
    let verdict_text = move || match review.with(|r| r.as_ref().map(|r| r.verdict)) {
        Some(verdict) => t(lang.get(), verdict_key(verdict)),
        None => t(lang.get(), DeskKey::ReviewNone),
    };
    let error_text = move || {
        error.get().map(|e| match e {
            FormError::NoteMissing => t(lang.get(), DeskKey::ReviewNoteRequired).to_owned(),
            FormError::Server(message) => message,
        })
    };
    view! {
        <div class="review" data-verdict=verdict_id(review)>
            <p class="review-verdict" data-testid=format!("review-verdict-{key}") data-verdict=verdict_id(review)>
                <span class="label">{tr(DeskKey::ReviewHeading)}": "</span>{verdict_text}</p>
            {changed_mark(key, review)}
            <label class="field"><span class="label">{tr(DeskKey::ReviewNote)}</span>
                <textarea rows="3" maxlength="1000" data-testid=format!("review-note-{key}") class:invalid=move || error.with(Option::is_some)
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea></label>
            {move || error_text().map(|text| view! { <p class="error" role="alert" data-testid=format!("review-error-{}", target.get_value())>{text}</p> })}
            <div class="actions">
                <button class="secondary accept" class:on=is(Verdict::Accepted) data-testid=format!("review-accept-{key}")
                    on:click=move |_| decide(Verdict::Accepted)>{tr(DeskKey::ReviewAccept)}</button>
                <button class="secondary revise" class:on=is(Verdict::NeedsRevision) data-testid=format!("review-revise-{key}")
                    on:click=move |_| decide(Verdict::NeedsRevision)>{tr(DeskKey::ReviewRevise)}</button>
            </div>
        </div>
    }
}

fn review_shown(key: &str, review: Memo<Option<ItemReview>>) -> impl IntoView + use<> {
    let lang = use_lang();
    let verdict_text =
        move || review.with(|r| r.as_ref().map(|r| t(lang.get(), verdict_key(r.verdict))));
    let note =
        move || review.with(|r| r.as_ref().map(|r| r.note.clone()).filter(|n| !n.is_empty()));
    view! {
        <div class="review" data-testid=format!("review-note-shown-{key}") data-verdict=verdict_id(review)>
            <p class="review-verdict"><span class="label">{tr(DeskKey::ReviewHeading)}": "</span><strong>{verdict_text}</strong></p>
            {move || note().map(|n| view! { <p class="review-note">{n}</p> })}
            {changed_mark(key, review)}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use konvergen_shared::actions::Status;

    use super::{Mode, mode};

    #[test]
    fn the_province_reviews_a_submitted_checklist_and_the_district_reads_a_returned_one() {
        let cases = [
            (true, Some(Status::Submitted), false, Mode::Edit),
            (true, Some(Status::Submitted), true, Mode::Edit),
            (true, Some(Status::Returned), true, Mode::Show),
            (true, Some(Status::Verified), false, Mode::Hidden),
            (false, Some(Status::Returned), true, Mode::Show),
            (false, Some(Status::Returned), false, Mode::Hidden),
            (false, Some(Status::Submitted), true, Mode::Hidden),
            (false, None, true, Mode::Hidden),
        ];
        for (reviewer, status, reviewed, expected) in cases {
            assert_eq!(
                mode(reviewer, status, reviewed),
                expected,
                "{reviewer} {status:?} {reviewed}"
            );
        }
    }
}
