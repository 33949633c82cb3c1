//! `konvergen-server anthro` run as a real process on the WHO sample file.

use std::io::Write;
use std::process::{Command, Stdio};

const SAMPLES: &str = include_str!("../../shared/tests/data/who-sample-cases.csv");

fn run(args: &[&str], stdin: &str) -> (String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_konvergen-server"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start konvergen-server");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "exit status {:?}", output.status);
    (
        String::from_utf8(output.stdout).expect("utf8"),
        String::from_utf8(output.stderr).expect("utf8"),
    )
}

#[test]
fn reproduces_the_who_sample_file_byte_for_byte() {
    // Only the input columns go in; the binary must add the computed ones exactly.
    let inputs: String = SAMPLES
        .split_inclusive('\n')
        .map(|line| {
            let end = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
            let fields: Vec<&str> = line.trim_end().split(',').take(5).collect();
            format!("{}{end}", fields.join(","))
        })
        .collect();
    let (stdout, stderr) = run(&["anthro"], &inputs);
    assert!(stdout == SAMPLES, "computed columns differ from WHO's");
    assert!(stderr.contains("400 rows, 0 with errors"), "{stderr}");
}

#[test]
fn reads_a_file_and_reports_bad_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("survey.csv");
    std::fs::write(
        &path,
        "sex,age_days,weight_kg,length_cm,measured\nQ,10,3,50,lying\nF,365,7.0,64.0,lying\n",
    )
    .expect("write");
    let (stdout, stderr) = run(&["anthro", "--input", path.to_str().expect("path")], "");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].ends_with(",error"));
    assert!(lines[1].contains("sex: expected M or F"));
    assert!(lines[2].starts_with("F,365,7.0,64.0,lying,-3.89,-2.05,0.24,0.49"));
    assert!(stderr.contains("2 rows, 1 with errors"));
}
