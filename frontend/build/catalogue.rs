//! The Fluent catalogue compiler used by `build.rs` (and by its tests).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};

/// One part of a message: literal text or a variable.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Var(String),
}

/// A language's messages by id, in file order.
type Messages = Vec<(String, Vec<Piece>)>;

/// Compiles the Indonesian and English catalogues into Rust source, or says what is wrong
/// (prefixed with the file it is in).
pub fn compile(id_source: &str, en_source: &str) -> Result<String, String> {
    compile_as(id_source, en_source, &Names::MAIN)
}

/// The Rust names one catalogue is generated under, so a second catalogue (the desk's own
/// strings, which the cadre's phone never downloads) can live beside the first.
pub struct Names {
    /// The enum of plain messages.
    pub key: &'static str,
    /// Prefix of the two text tables (`{prefix}TEXT_ID`, `{prefix}TEXT_EN`).
    pub tables: &'static str,
    /// The module of messages with variables.
    pub msg: &'static str,
}

impl Names {
    /// The app's main catalogue: `Key`, `TEXT_ID`/`TEXT_EN`, `msg`.
    pub const MAIN: Self = Self {
        key: "Key",
        tables: "",
        msg: "msg",
    };
    /// The desk's catalogue: `DeskKey`, `DESK_TEXT_ID`/`DESK_TEXT_EN`, `desk_msg`.
    pub const DESK: Self = Self {
        key: "DeskKey",
        tables: "DESK_",
        msg: "desk_msg",
    };
}

/// [`compile`] under other Rust names.
pub fn compile_as(id_source: &str, en_source: &str, names: &Names) -> Result<String, String> {
    let primary = read_catalogue(id_source).map_err(|problem| format!("id.ftl: {problem}"))?;
    let second = read_catalogue(en_source).map_err(|problem| format!("en.ftl: {problem}"))?;
    check_same_messages(&primary, &second)?;
    Ok(generate(&primary, &second, names))
}

fn read_catalogue(source: &str) -> Result<Messages, String> {
    let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
        let first = &errors[0];
        let line = source[..first.pos.start].matches('\n').count() + 1;
        format!("line {line}: not valid Fluent ({:?})", first.kind)
    })?;
    let mut messages = Messages::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let id = message.id.name.to_owned();
                if !message.attributes.is_empty() {
                    return Err(format!("{id}: attributes are not supported"));
                }
                let pattern = message
                    .value
                    .ok_or_else(|| format!("{id}: message has no text"))?;
                let pieces = pattern
                    .elements
                    .into_iter()
                    .map(|element| piece_of(&id, element))
                    .collect::<Result<Vec<_>, _>>()?;
                if messages.iter().any(|(seen, _)| *seen == id) {
                    return Err(format!("{id}: defined twice"));
                }
                messages.push((id, merge_text(pieces)));
            }
            Entry::Term(term) => {
                return Err(format!("-{}: terms are not supported", term.id.name));
            }
            Entry::Junk { content } => {
                return Err(format!("cannot read `{}`", content.trim()));
            }
            Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => {}
        }
    }
    Ok(messages)
}

fn piece_of(id: &str, element: PatternElement<&str>) -> Result<Piece, String> {
    match element {
        PatternElement::TextElement { value } => Ok(Piece::Text(value.to_owned())),
        PatternElement::Placeable {
            expression: Expression::Inline(InlineExpression::VariableReference { id: var }),
        } => Ok(Piece::Var(var.name.to_owned())),
        PatternElement::Placeable {
            expression: Expression::Inline(InlineExpression::StringLiteral { value }),
        } => Ok(Piece::Text(
            fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned(),
        )),
        PatternElement::Placeable { .. } => Err(format!(
            "{id}: only plain text and {{ $variable }} are supported"
        )),
    }
}

/// Joins neighbouring text pieces (escaped literals split the text).
fn merge_text(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (merged.last_mut(), piece) {
            (Some(Piece::Text(before)), Piece::Text(text)) => before.push_str(&text),
            (_, piece) => merged.push(piece),
        }
    }
    merged
}

fn variables(pieces: &[Piece]) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for piece in pieces {
        if let Piece::Var(name) = piece
            && !names.contains(&name.as_str())
        {
            names.push(name);
        }
    }
    names
}

fn check_same_messages(primary: &Messages, second: &Messages) -> Result<(), String> {
    let second_by_id: BTreeMap<&str, &[Piece]> = second
        .iter()
        .map(|(id, pieces)| (id.as_str(), pieces.as_slice()))
        .collect();
    for (id, pieces) in primary {
        let other = second_by_id
            .get(id.as_str())
            .ok_or_else(|| format!("{id}: in id.ftl but missing in en.ftl"))?;
        let mut ours = variables(pieces);
        let mut theirs = variables(other);
        ours.sort_unstable();
        theirs.sort_unstable();
        if ours != theirs {
            return Err(format!(
                "{id}: variables differ between id.ftl {ours:?} and en.ftl {theirs:?}"
            ));
        }
    }
    if let Some((id, _)) = second
        .iter()
        .find(|(id, _)| !primary.iter().any(|(p, _)| p == id))
    {
        return Err(format!("{id}: in en.ftl but missing in id.ftl"));
    }
    Ok(())
}

/// `offline-login-unknown` → `OfflineLoginUnknown`.
fn camel_case(id: &str) -> String {
    id.split(['-', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

fn plain_text(pieces: &[Piece]) -> Option<String> {
    match pieces {
        [] => Some(String::new()),
        [Piece::Text(text)] => Some(text.clone()),
        _ => None,
    }
}

fn generate(primary: &Messages, second: &Messages, names: &Names) -> String {
    let second_by_id: BTreeMap<&str, &Vec<Piece>> = second
        .iter()
        .map(|(id, pieces)| (id.as_str(), pieces))
        .collect();
    let plain: Vec<(&str, String, String)> = primary
        .iter()
        .filter_map(|(id, pieces)| {
            let id_text = plain_text(pieces)?;
            let en_text = plain_text(second_by_id[id.as_str()])?;
            Some((id.as_str(), id_text, en_text))
        })
        .collect();
    let mut code = String::from("// Generated by frontend/build.rs from locales/*.ftl.\n\n");
    write_keys(&mut code, &plain, names);
    code.push_str(
        "/// Messages with variables, one function each (generated from locales/*.ftl).\n",
    );
    let _ = writeln!(
        code,
        "pub mod {} {{\n    use super::{{Lang, Piece, render}};",
        names.msg
    );
    for (id, pieces) in primary {
        if plain_text(pieces).is_none() {
            write_function(&mut code, id, pieces, second_by_id[id.as_str()]);
        }
    }
    code.push_str("}\n");
    code
}

fn write_keys(code: &mut String, plain: &[(&str, String, String)], names: &Names) {
    let (key, tables) = (names.key, names.tables);
    code.push_str("/// Every plain message of the catalogue (generated from locales/*.ftl).\n");
    code.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq)]\n#[allow(missing_docs)]\n");
    let _ = writeln!(code, "pub enum {key} {{");
    for (id, _, _) in plain {
        let _ = writeln!(code, "    /// `{id}`\n    {},", camel_case(id));
    }
    code.push_str("}\n\n");
    let _ = writeln!(code, "const {tables}TEXT_ID: [&str; {}] = [", plain.len());
    for (_, text, _) in plain {
        let _ = writeln!(code, "    {text:?},");
    }
    code.push_str("];\n\n");
    let _ = writeln!(code, "const {tables}TEXT_EN: [&str; {}] = [", plain.len());
    for (_, _, text) in plain {
        let _ = writeln!(code, "    {text:?},");
    }
    code.push_str("];\n\n");
    let _ = writeln!(
        code,
        "impl {key} {{\n    /// Every key, in catalogue order."
    );
    let _ = writeln!(code, "    pub const ALL: [{key}; {}] = [", plain.len());
    for (id, _, _) in plain {
        let _ = writeln!(code, "        {key}::{},", camel_case(id));
    }
    code.push_str("    ];\n\n    /// The message id in the Fluent files.\n");
    code.push_str("    pub const fn id(self) -> &'static str {\n        match self {\n");
    for (id, _, _) in plain {
        let _ = writeln!(code, "            {key}::{} => {id:?},", camel_case(id));
    }
    code.push_str("        }\n    }\n}\n\n");
}

fn write_function(code: &mut String, id: &str, primary: &[Piece], second: &[Piece]) {
    let names = variables(primary);
    let params: Vec<String> = names
        .iter()
        .map(|name| format!("{}: &dyn std::fmt::Display", rust_name(name)))
        .collect();
    let args: Vec<String> = names.iter().map(|name| rust_name(name)).collect();
    let _ = writeln!(
        code,
        "\n    /// `{id}`\n    pub fn {}(lang: Lang, {}) -> String {{",
        rust_name(id),
        params.join(", ")
    );
    let _ = writeln!(
        code,
        "        let pieces: &[Piece] = match lang {{\n            Lang::Id => &[{}],\n            Lang::En => &[{}],\n        }};",
        pieces_code(primary, &names),
        pieces_code(second, &names)
    );
    let _ = writeln!(
        code,
        "        render(pieces, &[{}])\n    }}",
        args.join(", ")
    );
}

fn pieces_code(pieces: &[Piece], names: &[&str]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => format!("Piece::Text({text:?})"),
            Piece::Var(name) => {
                let index = names.iter().position(|n| n == name).expect("checked");
                format!("Piece::Arg({index})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `quarter-label` → `quarter_label`.
fn rust_name(id: &str) -> String {
    id.replace('-', "_")
}
