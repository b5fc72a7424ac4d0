//! The weekly report on the demo with a store behind it: last week's
//! decisions with their status in Markdown, JSON and CSV, and the read's
//! weeks and out-of-stock SKUs kept for the next read.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use jiff::{SignedDuration, Timestamp};
use omnideck::core::readback::{WeekId, out_of_stock_skus};
use omnideck::live::{demo, headless};
use omnideck::report::weekly;
use omnideck::sandbox::Faults;
use omnideck::store::{Decision, Store};

fn decision(at: Timestamp, key: &str, follow_up: Option<Timestamp>) -> Decision {
    Decision {
        id: 0,
        at,
        who: "Maya Chen".into(),
        channel: None,
        sku: None,
        event_key: Some(key.into()),
        text: format!("act on {key}, then check"),
        follow_up,
    }
}

#[tokio::test]
async fn the_report_lists_last_weeks_decisions_and_the_read_is_kept() {
    let d = demo::start(Faults::default()).await.unwrap();
    let mut engine = headless::poll_once(d.config.clone(), &d.clock, &|_| None).await;
    let now = (d.clock)();
    let zone = d.config.rules.brand.time_zone.clone();
    let held = engine.evaluate(now, None).unwrap().conditions[0].key.clone();
    // Tuesday noon of the read week, in the brand's zone.
    let week = WeekId::last_complete(now, &zone);
    let tuesday =
        week.monday().tomorrow().unwrap().at(12, 0, 0, 0).to_zoned_datetime(zone.clone()).unwrap().timestamp();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add_decision(&decision(tuesday, &held, Some(tuesday + SignedDuration::from_hours(24)))).unwrap();
    store.add_decision(&decision(tuesday, "cover:NO-SUCH-SKU", None)).unwrap();
    store.add_decision(&decision(tuesday - SignedDuration::from_hours(14 * 24), &held, None)).unwrap();

    let cockpit = engine.evaluate(now, Some(&store)).unwrap();
    let statuses: Vec<(&str, &str)> =
        cockpit.carried.iter().map(|c| (c.decision.key.as_deref().unwrap(), c.status.word())).collect();
    // Same instant: ordered by key. The one taken two weeks earlier is not last week's.
    let mut want = vec![(held.as_str(), "OVERDUE"), ("cover:NO-SUCH-SKU", "carried out")];
    want.sort_unstable();
    assert_eq!(statuses, want);

    let md = weekly::markdown(&cockpit, "Demo");
    assert!(md.contains(&format!("## Decisions of {week} and whether they were carried out")), "{md}");
    let row = md.lines().find(|l| l.contains(&format!("({held})"))).unwrap();
    assert!(row.contains("| Maya Chen |") && row.contains("| OVERDUE |"), "{row}");
    let json: serde_json::Value = serde_json::from_str(&weekly::json(&cockpit).unwrap()).unwrap();
    let listed = json["last_week_decisions"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|x| x["key"] == "cover:NO-SUCH-SKU" && x["status"] == "carried_out"));
    let csv = weekly::csv(&cockpit);
    let table = csv.split("\n\n").nth(1).unwrap();
    assert!(table.starts_with("week,taken,who,channel,sku,key,decision,status,due,reason"), "{csv}");
    assert_eq!(table.lines().filter(|l| l.contains("Maya Chen")).count(), 2, "{csv}");

    engine.remember(&cockpit, &mut store, now).unwrap();
    let kept = store.weeks_since("").unwrap();
    for ch in &cockpit.readback.channels {
        assert!(kept.iter().any(|r| r.channel == ch.channel.as_str() && r.week == week.to_string()), "{}", ch.channel);
    }
    let today = zone.to_datetime(now).date();
    let recorded: Vec<String> = store.out_of_stock_since(today).unwrap().into_iter().map(|(s, _)| s).collect();
    let expected: Vec<String> =
        out_of_stock_skus(&cockpit.inventory, &d.config.rules).iter().map(|s| s.as_str().to_owned()).collect();
    assert_eq!(recorded, expected);
    d.sandbox.shutdown().await;
}
