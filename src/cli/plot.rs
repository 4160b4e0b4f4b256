//! `myco plot FILE.csv --x COL --y COL[,COL] -o plot.svg`: a line chart of
//! CSV columns (a `--series` or a sweep's results) as SVG, without a browser.

use std::path::PathBuf;
use std::process::ExitCode;

use plotters::prelude::*;

use super::EXIT_USAGE;

/// Arguments of `myco plot`.
#[derive(Debug, clap::Args)]
pub struct PlotArgs {
    /// The CSV file (with a header row).
    pub file: PathBuf,
    /// The column on the x axis.
    #[arg(long)]
    pub x: String,
    /// The columns on the y axis, comma-separated (one line each).
    #[arg(long, value_delimiter = ',', required = true)]
    pub y: Vec<String>,
    /// The SVG file to write.
    #[arg(short = 'o', long = "out", value_name = "PATH.svg")]
    pub out: PathBuf,
    /// The chart's title (default: the CSV's file name).
    #[arg(long)]
    pub title: Option<String>,
    /// Size in pixels, `WIDTHxHEIGHT`.
    #[arg(long, default_value = "900x520")]
    pub size: String,
}

/// Line colours (colour-blind friendly, readable on white).
const COLORS: &[RGBColor] = &[
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Splits one CSV line into fields (double-quoted fields may hold commas
/// and doubled quotes).
pub fn parse_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(ch),
        }
    }
    fields.push(field);
    fields
}

/// The (x, y) points of each y column; rows whose values are not finite
/// numbers are skipped.
/// One line of the chart: its column name and its points.
type Line = (String, Vec<(f64, f64)>);

fn load(args: &PlotArgs) -> Result<Vec<Line>, String> {
    let path = args.file.display();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = parse_csv_line(lines.next().ok_or_else(|| format!("`{path}` is empty"))?);
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            format!(
                "`{path}` has no column `{name}` (columns: {})",
                header.join(", ")
            )
        })
    };
    let xi = column(&args.x)?;
    let yis = args
        .y
        .iter()
        .map(|y| column(y))
        .collect::<Result<Vec<_>, _>>()?;
    let mut series: Vec<Line> = args.y.iter().map(|y| (y.clone(), Vec::new())).collect();
    let number = |s: Option<&String>| {
        s.and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    for line in lines {
        let row = parse_csv_line(line);
        let Some(x) = number(row.get(xi)) else {
            continue;
        };
        for (k, &yi) in yis.iter().enumerate() {
            if let (Some(y), Some((_, points))) = (number(row.get(yi)), series.get_mut(k)) {
                points.push((x, y));
            }
        }
    }
    if series.iter().all(|(_, p)| p.is_empty()) {
        return Err(format!("`{path}`: no numeric rows to plot"));
    }
    Ok(series)
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("--size `{text}`: expected WIDTHxHEIGHT, e.g. 900x520");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if !(200..=10_000).contains(&w) || !(150..=10_000).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}

/// A range with some room around the data (and never empty).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

fn draw(args: &PlotArgs, series: &[Line]) -> Result<(), String> {
    let size = parse_size(&args.size)?;
    let points = series.iter().flat_map(|(_, p)| p.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let (x0, x1) = if x1 > x0 { (x0, x1) } else { padded(x0, x1) };
    // Counts and totals read best from zero.
    let (y0, y1) = padded(if y0 > 0.0 { 0.0 } else { y0 }, y1);
    let title = args.title.clone().unwrap_or_else(|| {
        args.file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    });
    let err = |e: &dyn std::fmt::Display| format!("cannot draw `{}`: {e}", args.out.display());

    let root = SVGBackend::new(&args.out, size).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(&title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(args.x.as_str())
        .y_desc(args.y.join(", "))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(244, 244, 244))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, (name, pts)) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(2)))
            .map_err(|e| err(&e))?
            .label(name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(("sans-serif", 15))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Runs `myco plot`.
pub fn run(args: &PlotArgs) -> ExitCode {
    match load(args).and_then(|series| draw(args, &series)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            eprintln!("myco: {m}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_with_quotes() {
        assert_eq!(parse_csv_line("a,\"b,c\",d"), ["a", "b,c", "d"]);
        assert_eq!(parse_csv_line("\"x\"\"y\",1"), ["x\"y", "1"]);
        assert_eq!(parse_csv_line(""), [""]);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("900x520"), Ok((900, 520)));
        assert!(parse_size("9x5").is_err());
        assert!(parse_size("big").is_err());
    }
}
