//! Drawing the stock pane at 200×50 must cost about the same for 1M SKUs
//! as for 1k (target: at most 1.5×): only the rows around the viewport
//! reach ratatui, and nothing per frame walks or copies the whole table
//! (reliability notes §3: ≤ 4 ms p99 at 200×50).
//!
//! The rows and the state are built once per size, outside the timed loop:
//! building a million owned rows takes far longer than drawing them, and
//! would otherwise be what the bench measures.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use criterion::{Criterion, criterion_group, criterion_main};
use omnideck::ui::app::{Msg, State, update};
use omnideck::ui::theme::{ColourDepth, Theme, ThemeName, Themes};
use omnideck::ui::view::{Field, Level, ReadView, StockRow, StockTable};
use omnideck::ui::{Action, CockpitView, Keymap, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn state(skus: usize) -> State {
    let channels: Vec<String> = (0..6).map(|i| format!("channel-{i}")).collect();
    let rows = (0..skus)
        .map(|i| StockRow {
            sku: format!("SKU-{i:06}"),
            quantities: (0..6).map(|c| Some(u32::try_from(i % 97 + c).unwrap())).collect(),
            pool: 500,
            cover_days: Some("12.5d".into()),
            scarce: i % 10 == 0,
            level: if i % 10 == 0 { Level::Warning } else { Level::Ok },
            stale: i % 7 == 0,
            detail: vec![Field::plain("pool: 500 sellable over every location")],
            search: format!("sku-{i:06}"),
        })
        .collect();
    let read = ReadView { stock: StockTable { channels, rows }, ..ReadView::default() };
    let view = CockpitView { read: Some(read), ..CockpitView::default() };
    let mut state = State::new(Keymap::default_map(), view);
    let (go, down) = (state.key_for(Action::GoStock).unwrap(), state.key_for(Action::Down).unwrap());
    update(&mut state, go);
    update(&mut state, Msg::Resize(200, 50));
    // The selection in the middle of the table, as far from both ends as
    // it gets.
    for _ in 0..skus / 2 {
        update(&mut state, down.clone());
    }
    state
}

fn bench(c: &mut Criterion) {
    let theme = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
    let themes = Themes { normal: theme.clone(), presentation: theme };
    for skus in [1_000, 1_000_000] {
        let state = state(skus);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        c.bench_function(&format!("stock pane 200x50, {skus} SKUs"), |b| {
            b.iter(|| {
                terminal.draw(|f| layout::draw(f, &state, &themes)).unwrap();
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
