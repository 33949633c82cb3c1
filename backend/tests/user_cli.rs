//! `konvergen-server user ...` and `seed-demo` as real processes on a temporary database.

use std::process::{Command, Output};

fn server(data: &std::path::Path, args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_konvergen-server"));
    command.arg("--data-dir").arg(data).args(args);
    match password {
        Some(p) => command.env("KONVERGEN_PASSWORD", p),
        None => command.env_remove("KONVERGEN_PASSWORD"),
    };
    command.output().expect("run konvergen-server")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn accounts_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let add = server(
        data,
        &[
            "user",
            "add",
            "--username",
            "kader.baru",
            "--name",
            "Kader Baru",
            "--role",
            "cadre",
            "--area",
            "63.03.05.2012",
        ],
        Some("rahasia-panjang"),
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let list = stdout(&server(data, &["user", "list"], None));
    assert!(
        list.contains("kader.baru\tcadre\t63.03.05.2012\tactive"),
        "{list}"
    );

    let wrong_area = server(
        data,
        &[
            "user",
            "add",
            "--username",
            "x",
            "--name",
            "X",
            "--role",
            "supervisor",
            "--area",
            "63.03.05",
        ],
        Some("rahasia-panjang"),
    );
    assert!(
        !wrong_area.status.success(),
        "a supervisor needs a regency code"
    );
    let duplicate = server(
        data,
        &[
            "user",
            "add",
            "--username",
            "KADER.BARU",
            "--name",
            "Again",
            "--role",
            "cadre",
            "--area",
            "63.03.05.2012",
        ],
        Some("rahasia-panjang"),
    );
    assert!(
        !duplicate.status.success(),
        "names are unique regardless of case"
    );

    assert!(
        server(
            data,
            &["user", "reset-password", "kader.baru"],
            Some("kata-sandi-baru")
        )
        .status
        .success()
    );
    assert!(
        server(data, &["user", "disable", "kader.baru"], None)
            .status
            .success()
    );
    let list = stdout(&server(data, &["user", "list"], None));
    assert!(
        list.contains("kader.baru\tcadre\t63.03.05.2012\tdisabled"),
        "{list}"
    );
    assert!(
        !server(data, &["user", "disable", "nobody"], None)
            .status
            .success()
    );

    let seeded = server(data, &["seed-demo"], None);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let list = stdout(&server(data, &["user", "list"], None));
    assert!(
        list.contains("provinsi.kalsel\tprovince\t63\tactive"),
        "{list}"
    );
}

#[test]
fn agencies_are_listed_per_regency_and_their_staff_need_one_on_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let staff = |agency: &str| {
        server(
            data,
            &[
                "user",
                "add",
                "--username",
                "dinkes.banjar",
                "--name",
                "Dinkes Banjar",
                "--role",
                "agency",
                "--area",
                "63.03",
                "--agency",
                agency,
            ],
            Some("rahasia-panjang"),
        )
    };
    let unknown = staff("Dinas Kesehatan");
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("agency add"),
        "the error says how to fix it"
    );
    let add = server(
        data,
        &[
            "agency",
            "add",
            "--area",
            "63.03",
            "--name",
            "Dinas Kesehatan",
        ],
        None,
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let again = server(
        data,
        &[
            "agency",
            "add",
            "--area",
            "63.03",
            "--name",
            "Dinas Kesehatan",
        ],
        None,
    );
    assert!(again.status.success(), "adding twice is harmless");
    assert_eq!(
        stdout(&server(data, &["agency", "list", "--area", "63.03"], None)),
        "Dinas Kesehatan\n"
    );
    let not_a_regency = server(
        data,
        &[
            "agency",
            "add",
            "--area",
            "63.03.05",
            "--name",
            "Dinas Kesehatan",
        ],
        None,
    );
    assert!(!not_a_regency.status.success());
    let created = staff("Dinas Kesehatan");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(
        stdout(&server(data, &["user", "list"], None)).contains("dinkes.banjar\tagency\t63.03")
    );
    let without = server(
        data,
        &[
            "user",
            "add",
            "--username",
            "x",
            "--name",
            "X",
            "--role",
            "agency",
            "--area",
            "63.03",
        ],
        Some("rahasia-panjang"),
    );
    assert!(
        !without.status.success(),
        "an agency account needs --agency"
    );
}

#[test]
fn a_short_password_is_refused_from_the_environment_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = server(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "kader.pendek",
            "--name",
            "Kader",
            "--role",
            "cadre",
            "--area",
            "63.03.05.2012",
        ],
        Some("pendek"),
    );
    assert!(!add.status.success(), "a 6-character password was accepted");
    assert!(String::from_utf8_lossy(&add.stderr).contains("at least 8"));
    let list = stdout(&server(dir.path(), &["user", "list"], None));
    assert!(!list.contains("kader.pendek"), "{list}");
}
