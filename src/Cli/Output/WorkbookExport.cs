using DistrictSim.Evaluation;
using DistrictSim.Statistics;
using MiniExcelLibs;

namespace DistrictSim.Cli.Output;

/// <summary>One workbook with the summary, the base-case statement and the yearly bands as sheets; NaN is an empty cell.</summary>
public static class WorkbookExport
{
    public static void Write(string path, Summary summary, Statement statement)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(statement);
        var sheets = new Dictionary<string, object>
        {
            ["summary"] = SummaryRows(summary),
            ["base_case"] = StatementRows(statement),
            ["bands"] = BandRows(summary),
        };
        MiniExcel.SaveAs(path, sheets, overwriteFile: true);
    }

    private static List<Dictionary<string, object?>> SummaryRows(Summary summary)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var (name, m) in summary.Metrics)
        {
            var p = m.Percentiles;
            rows.Add(new Dictionary<string, object?>
            {
                ["metric"] = name,
                ["unit"] = m.Unit,
                ["mean"] = Cell(m.Mean),
                ["std"] = Cell(m.Std),
                ["se"] = Cell(m.StandardError),
                ["min"] = Cell(m.Min),
                ["max"] = Cell(m.Max),
                ["p1"] = Cell(p.P1),
                ["p5"] = Cell(p.P5),
                ["p10"] = Cell(p.P10),
                ["p25"] = Cell(p.P25),
                ["p50"] = Cell(p.P50),
                ["p75"] = Cell(p.P75),
                ["p90"] = Cell(p.P90),
                ["p95"] = Cell(p.P95),
                ["p99"] = Cell(p.P99),
                ["defined"] = m.Defined,
                ["undefined"] = m.Undefined,
            });
        }
        foreach (var (name, unit, value) in SummaryCsv.ProbabilityRows(summary.Probabilities))
        {
            var row = rows[0].Keys.ToDictionary(k => k, _ => (object?)null);
            row["metric"] = "probability." + name;
            row["unit"] = unit;
            row["mean"] = Cell(value);
            rows.Add(row);
        }
        return rows;
    }

    private static List<Dictionary<string, object?>> StatementRows(Statement statement)
    {
        var columns = StatementColumns.Of(statement);
        var rows = new List<Dictionary<string, object?>>();
        for (var t = 0; t < statement.Years; t++)
        {
            var row = new Dictionary<string, object?> { ["year"] = t };
            foreach (var c in columns) row[c.Name] = Cell(c.Values[t]);
            rows.Add(row);
        }
        return rows;
    }

    private static List<Dictionary<string, object?>> BandRows(Summary summary)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var (series, points) in summary.Bands)
        {
            foreach (var b in points)
            {
                rows.Add(new Dictionary<string, object?>
                {
                    ["series"] = series,
                    ["year"] = b.Year,
                    ["p5"] = Cell(b.P5),
                    ["p25"] = Cell(b.P25),
                    ["p50"] = Cell(b.P50),
                    ["p75"] = Cell(b.P75),
                    ["p95"] = Cell(b.P95),
                });
            }
        }
        return rows;
    }

    /// <summary>MiniExcel writes NaN literally; an undefined value is an empty cell.</summary>
    private static object? Cell(double value) => double.IsFinite(value) ? value : null;
}
