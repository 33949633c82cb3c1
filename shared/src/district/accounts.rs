//! The team's accounts as the coordinator manages them: one per agency staff member, added,
//! disabled and given a new password from the desk instead of the server's command line.

use serde::{Deserialize, Serialize};

use super::MAX_AGENCY_CHARS;
use crate::api::{FieldError, Role};
use crate::validate::ValidationErrors;

/// Longest account name.
pub const MAX_USERNAME_BYTES: usize = 64;
/// Longest password (argon2 takes anything; this bounds the work a request can ask for).
pub const MAX_PASSWORD_BYTES: usize = 256;
/// Shortest password any tool accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest name to show.
pub const MAX_DISPLAY_NAME_CHARS: usize = 120;

/// An account of a regency's team.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamAccount {
    /// Account name.
    pub username: String,
    /// Name to show.
    pub display_name: String,
    /// `supervisor` (the coordinator) or `agency`.
    pub role: Role,
    /// The agency of an `agency` account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// A disabled account cannot sign in; its sessions have ended.
    pub disabled: bool,
}

/// A new agency account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTeamAccount {
    /// Account name: lower-case letters, digits, `.`, `-` and `_`.
    pub username: String,
    /// Name to show, e.g. the staff member's name.
    pub display_name: String,
    /// The agency, by its name on the regency's list.
    pub agency: String,
    /// First password, at least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
}

/// A new password for an account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// At least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
}

/// Disables or enables an account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    /// `true` ends its sessions and refuses its sign-ins.
    pub disabled: bool,
}

impl NewTeamAccount {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        check_username(&mut errors, &self.username);
        errors.text("display_name", &self.display_name, MAX_DISPLAY_NAME_CHARS);
        errors.text("agency", &self.agency, MAX_AGENCY_CHARS);
        check_password(&mut errors, &self.password);
        errors.into_result()
    }
}

impl PasswordReset {
    /// Checks the password.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        check_password(&mut errors, &self.password);
        errors.into_result()
    }
}

fn check_username(errors: &mut ValidationErrors, username: &str) {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if username.is_empty() || username.len() > MAX_USERNAME_BYTES || !username.chars().all(allowed)
    {
        let id = format!(
            "Nama pengguna 1 sampai {MAX_USERNAME_BYTES} huruf kecil, angka, titik, minus atau garis bawah, mis. dinkes.banjar"
        );
        let en = format!(
            "Username of 1 to {MAX_USERNAME_BYTES} lower-case letters, digits, dots, dashes or underscores, e.g. dinkes.banjar"
        );
        errors.push("username", "invalid", &id, &en);
    }
}

/// At least [`MIN_PASSWORD_CHARS`] characters and at most [`MAX_PASSWORD_BYTES`] bytes.
pub fn check_password(errors: &mut ValidationErrors, password: &str) {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        let id = format!("Kata sandi paling sedikit {MIN_PASSWORD_CHARS} karakter");
        let en = format!("The password needs at least {MIN_PASSWORD_CHARS} characters");
        errors.push("password", "too_short", &id, &en);
    } else if password.len() > MAX_PASSWORD_BYTES {
        let id = format!("Kata sandi paling panjang {MAX_PASSWORD_BYTES} byte");
        let en = format!("The password has at most {MAX_PASSWORD_BYTES} bytes");
        errors.push("password", "too_long", &id, &en);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(username: &str, password: &str) -> NewTeamAccount {
        NewTeamAccount {
            username: username.into(),
            display_name: "Rina".into(),
            agency: "Dinas Kesehatan".into(),
            password: password.into(),
        }
    }

    #[test]
    fn names_and_passwords_are_checked_with_their_field() {
        assert!(account("dinkes2.banjar", "rahasia123").validate().is_ok());
        let codes = |a: NewTeamAccount| {
            a.validate()
                .unwrap_err()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(account("Dinkes Banjar", "rahasia123")),
            [("username".into(), "invalid".into())]
        );
        assert_eq!(
            codes(account("dinkes", "1234567")),
            [("password".into(), "too_short".into())]
        );
        let long = "x".repeat(MAX_PASSWORD_BYTES + 1);
        assert_eq!(
            codes(account("dinkes", &long)),
            [("password".into(), "too_long".into())]
        );
        // Eight characters, not eight bytes: a short password in a wide script is still short.
        assert!(
            PasswordReset {
                password: "ééééééé".into()
            }
            .validate()
            .is_err()
        );
    }
}
