//! `omnideck check`: the channel table, the exit code, and the JSON form.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml")).unwrap()
}

fn check(config: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_omnideck"))
        .arg("check")
        .arg("--config")
        .arg(config)
        .args(extra)
        .env_remove("OMNIDECK_CONFIG")
        .output()
        .expect("the binary runs")
}

fn with_config(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("omnideck.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn the_sample_passes_and_prints_the_channel_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    let out = check(&path, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("shopify-dtc")).expect("a row for shopify-dtc");
    assert!(row.contains("active") && row.contains("Maya Chen") && row.contains("6/6"), "{row}");
    let gated = stdout.lines().find(|l| l.starts_with("walmart-us")).expect("a row for walmart-us");
    assert!(gated.contains("gated") && gated.contains("owner, fee model"), "{gated}");
    assert!(stdout.contains("every active channel passes its gates"));
}

#[test]
fn removing_an_owner_blocks_that_channel_and_exits_1() {
    let text = sample_text().replace("owner = { name = \"Maya Chen\", contact = \"maya@northwind.example\" }\n", "");
    let (_dir, path) = with_config(&text);
    let out = check(&path, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("BLOCKED: shopify-dtc (Shopify DTC)"), "{stdout}");
    assert!(stdout.contains("  ✗ owner: no owner configured"), "{stdout}");

    let json = check(&path, &["--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["blocked"], true);
    let dtc = v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == "shopify-dtc").unwrap();
    assert_eq!(dtc["status"], "active");
    let owner_gate = dtc["gates"].as_array().unwrap().iter().find(|g| g["kind"] == "owner").unwrap();
    assert_eq!(owner_gate["ok"], false);
    assert_eq!(owner_gate["detail"], "no owner configured");
}

#[test]
fn an_unprotected_credentials_file_blocks_the_channel() {
    let creds = "credentials = { file = { path = \"credentials.toml\", entry = \"shopify-main\" } }";
    let text = sample_text()
        .replacen("credentials = \"sandbox\"\nlocation_map", &format!("{creds}\nlocation_map"), 1)
        .replacen(
            "base_url = \"http://127.0.0.1:8787\"   # https://<shop>",
            "base_url = \"https://northwind.myshopify.com\" # ",
            1,
        );
    let (dir, path) = with_config(&text);
    let cred_path = dir.path().join("credentials.toml");
    std::fs::write(&cred_path, "[shopify-main]\naccess_token = \"shpat_secret_value\"\n").unwrap();
    std::fs::set_permissions(&cred_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = check(&path, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("is readable by group or others (mode 0644); run `chmod 600"), "{stdout}");
    assert!(!stdout.contains("shpat_secret_value"));

    std::fs::set_permissions(&cred_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = check(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_bad_config_exits_2_with_the_place() {
    let (_dir, path) = with_config("[brand]\nname = \"X\"\nreport_currency = \"USD\"\ntime_zone = \"Mars/Olympus\"\n");
    let out = check(&path, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("omnideck.toml:4:13: brand.time_zone: expected an IANA time zone"), "{stderr}");
}

#[test]
fn probe_calls_each_source_once_and_reports_what_answered() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seed = omnideck::live::demo::config_for("http://127.0.0.1:8787").unwrap();
    let world = omnideck::sandbox::World::demo(&seed.rules.catalog);
    let sandbox = rt
        .block_on(omnideck::sandbox::Sandbox::start(
            world,
            omnideck::sandbox::Faults::default(),
            omnideck::sandbox::Sandbox::LOOPBACK,
        ))
        .unwrap();
    let (_dir, path) = with_config(&sample_text().replace("http://127.0.0.1:8787", &sandbox.base_url()));
    let out = check(&path, &["--probe", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let probe = |channel: &str| {
        let c = v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == channel).unwrap().clone();
        c["gates"].as_array().unwrap().iter().find(|g| g["kind"] == "probe").cloned().unwrap()
    };
    assert_eq!(probe("shopify-dtc")["ok"], true, "{}", probe("shopify-dtc"));
    assert!(probe("shopify-dtc")["detail"].as_str().unwrap().starts_with("answered ("));
    assert_eq!(probe("amazon-us-fba")["ok"], true, "{}", probe("amazon-us-fba"));
    assert!(rt.block_on(async { sandbox.request_count("shopify") }) > 0);
}

#[test]
fn probe_against_nothing_blocks_with_the_reason() {
    // Nothing listens on port 9 of loopback (discard is not served here).
    let (_dir, path) = with_config(&sample_text().replace("http://127.0.0.1:8787", "http://127.0.0.1:9"));
    let out = check(&path, &["--probe"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("BLOCKED: shopify-dtc"), "{stdout}");
    assert!(stdout.contains("✗ probe: "), "{stdout}");
}
