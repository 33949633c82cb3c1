//! The Kemendagri region table, loaded once from the copy compiled into the binary.

use rusqlite::{Connection, OptionalExtension, params};

use super::{DbResult, Store};

/// Every province, regency, district and village (see `data/wilayah/PROVENANCE.md`).
const WILAYAH_CSV: &str = include_str!("../../data/wilayah/wilayah.csv");

/// Version of the compiled-in region data; a new release of the codes reloads the table.
const WILAYAH_VERSION: &str = "kepmendagri-300.2.2-2430-2025";

/// Loads (or refreshes) the region table when this database has not seen this version of
/// the data yet. Returns the number of rows written (0 when already current).
pub fn load_if_needed(conn: &mut Connection) -> DbResult<usize> {
    let loaded: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'wilayah'")?
        .query_row([], |row| row.get(0))
        .optional()?;
    if loaded.as_deref() == Some(WILAYAH_VERSION) {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let mut inserted = 0;
    {
        // Upsert: codes already referenced by users and records stay valid.
        let mut insert = tx.prepare(
            "INSERT INTO region (code, level, name, parent) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code) DO UPDATE SET level = excluded.level, name = excluded.name,
               parent = excluded.parent",
        )?;
        // Rows are ordered parent before child, so the foreign key holds row by row.
        for line in WILAYAH_CSV.lines().skip(1) {
            let Some((code, level, name)) = split_row(line) else {
                continue;
            };
            insert.execute(params![code, level, name, parent_of(code)])?;
            inserted += 1;
        }
    }
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('wilayah', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([WILAYAH_VERSION])?;
    tx.commit()?;
    Ok(inserted)
}

/// `code,level,name`, where the name may contain commas (and is then quoted).
fn split_row(line: &str) -> Option<(&str, &str, &str)> {
    let (code, rest) = line.split_once(',')?;
    let (level, name) = rest.split_once(',')?;
    Some((code, level, name.trim_matches('"')))
}

/// The code one level up (`63.03.05.2009` → `63.03.05`), `None` for a province.
pub fn parent_of(code: &str) -> Option<&str> {
    code.rsplit_once('.').map(|(parent, _)| parent)
}

/// Level of a known region code, `None` when the code is unknown.
pub fn level_of(conn: &Connection, code: &str) -> DbResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT level FROM region WHERE code = ?1")?
        .query_row([code], |row| row.get(0))
        .optional()?)
}

/// Name of a known region code.
pub fn name_of(conn: &Connection, code: &str) -> DbResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM region WHERE code = ?1")?
        .query_row([code], |row| row.get(0))
        .optional()?)
}

/// The region table as the command line and the province screens read it.
impl Store {
    /// The level of a region code (`village`, `regency`, ...), `None` when unknown.
    pub async fn region_level(&self, code: String) -> DbResult<Option<String>> {
        self.call(move |conn| level_of(conn, &code)).await
    }

    /// The name of a region code, `None` when unknown.
    pub async fn region_name(&self, code: String) -> DbResult<Option<String>> {
        self.call(move |conn| name_of(conn, &code)).await
    }

    /// Village codes starting with `prefix` (`63.` for the province), in code order.
    pub async fn villages_under(&self, prefix: String) -> DbResult<Vec<String>> {
        self.call(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT code FROM region WHERE level = 'village' AND code LIKE ?1 || '%' ORDER BY code",
            )?;
            let codes = stmt
                .query_map([prefix], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(codes)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents() {
        assert_eq!(parent_of("63.03.05.2009"), Some("63.03.05"));
        assert_eq!(parent_of("63"), None);
    }

    #[test]
    fn loads_the_whole_country_once() {
        let mut conn = Connection::open_in_memory().expect("open");
        crate::db::migrations::migrate(&mut conn).expect("migrate");
        assert_eq!(load_if_needed(&mut conn).expect("load"), 91_599);
        assert_eq!(load_if_needed(&mut conn).expect("again"), 0);
        let villages: i64 = conn
            .query_row(
                "SELECT count(*) FROM region WHERE level = 'village' AND code LIKE '63.%'",
                [],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(villages, 2_016);
        assert_eq!(
            name_of(&conn, "63.03.05.2009").expect("name").as_deref(),
            Some("Sungai Sipai")
        );
    }
}
