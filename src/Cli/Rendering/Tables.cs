using System.Globalization;
using DistrictSim.Evaluation;
using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using Spectre.Console;

namespace DistrictSim.Cli.Rendering;

/// <summary>
/// How metric values read in tables: money in one scale for the whole table (万元, or 亿元 from 1亿 up),
/// rates as percentages, ratios and years as numbers; the unit goes in the row or column header.
/// </summary>
public sealed class ValueFormat
{
    public ValueFormat(MoneyScale money) => Money = money;

    public MoneyScale Money { get; }

    /// <summary>One money scale for every yuan figure of these summaries.</summary>
    public static ValueFormat For(IEnumerable<Summary> summaries) =>
        new(MoneyScale.For(summaries.SelectMany(s => s.Metrics.Values.Where(m => m.Unit == "yuan").SelectMany(m => new[] { m.Mean, m.Percentiles.P5, m.Percentiles.P50, m.Percentiles.P95 }))
            .Concat(summaries.Select(s => s.Probabilities.ExpectedTopupGivenShortfall))));

    public string UnitLabel(string unit) => unit switch
    {
        "yuan" => Money.Unit,
        "fraction" => "%",
        "ratio" => "×",
        "year" => "year",
        "probability" => "%",
        _ => unit,
    };

    public string Value(double value, string unit)
    {
        if (!double.IsFinite(value)) return "–";
        return unit switch
        {
            "yuan" => Money.ToUnit(value).ToString("#,##0.0", CultureInfo.InvariantCulture),
            "fraction" => (value * 100).ToString("0.00", CultureInfo.InvariantCulture),
            "probability" => Numbers.Percent(value).TrimEnd('%'),
            "ratio" => value.ToString("0.000", CultureInfo.InvariantCulture),
            "year" => value.ToString("0.0", CultureInfo.InvariantCulture),
            _ => value.ToString("G6", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A standard error: the same unit as its value, three significant digits (so a small SE never reads 0.0).</summary>
    public string Uncertainty(double value, string unit)
    {
        if (!double.IsFinite(value)) return "–";
        var scaled = unit switch
        {
            "yuan" => Money.ToUnit(value),
            "fraction" or "probability" => value * 100,
            _ => value,
        };
        return scaled == 0 ? "0" : Math.Abs(scaled) >= 100 ? scaled.ToString("#,##0", CultureInfo.InvariantCulture) : scaled.ToString("G3", CultureInfo.InvariantCulture);
    }

    /// <summary>A difference: same scale, explicit sign.</summary>
    public string Difference(double value, string unit)
    {
        var text = Value(value, unit);
        return double.IsFinite(value) && value >= 0 && !text.StartsWith('-') ? "+" + text : text;
    }
}

/// <summary>The tables the commands print.</summary>
public static class Tables
{
    public static void Summary(IAnsiConsole console, Summary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        var format = ValueFormat.For([summary]);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Scenario}: {summary.Paths:#,##0} paths, seed {summary.Seed}, {Commands.CommonOptions.SamplingName(summary.Sampling)}{(summary.StoppedEarly ? ", stopped early" : "")}, {summary.ElapsedSeconds:0.0}s; money in {format.Money.Unit}"));
        var table = new Table().Border(TableBorder.Rounded).Title("Metrics");
        table.AddColumn(Markup.Escape("metric [unit]"));
        foreach (var column in new[] { "mean", "P5", "P50", "P95", "defined paths" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var (name, m) in summary.Metrics)
        {
            table.AddRow(
                Markup.Escape($"{name} [{format.UnitLabel(m.Unit)}]"),
                format.Value(m.Mean, m.Unit),
                format.Value(m.Percentiles.P5, m.Unit),
                format.Value(m.Percentiles.P50, m.Unit),
                format.Value(m.Percentiles.P95, m.Unit),
                m.Defined.ToString("#,##0", CultureInfo.InvariantCulture));
        }
        console.Write(table);

        var probabilities = new Table().Border(TableBorder.Rounded).Title("Key probabilities");
        probabilities.AddColumn("");
        probabilities.AddColumn(new TableColumn("value").RightAligned());
        foreach (var (label, unit, value) in ProbabilityLabels(summary))
        {
            probabilities.AddRow(Markup.Escape($"{label} [{format.UnitLabel(unit)}]"), format.Value(value, unit));
        }
        console.Write(probabilities);
    }

    public static IEnumerable<(string Label, string Unit, double Value)> ProbabilityLabels(Summary summary)
    {
        var p = summary.Probabilities;
        var requirement = summary.CoverageRequirement.ToString("0.##", CultureInfo.InvariantCulture);
        yield return ($"P(coverage ratio < {requirement})", "probability", p.CoverageBelowRequirement);
        yield return ("P(any shortfall: fiscal top-up or default)", "probability", p.AnyShortfall);
        yield return ("P(never pays back within the horizon)", "probability", p.NeverPaysBack);
        yield return ("P(NPV < 0)", "probability", p.NegativeNpv);
        yield return ("E[fiscal top-up | shortfall]", "yuan", p.ExpectedTopupGivenShortfall);
        yield return ("NPV value at risk, 95%", "yuan", p.NpvValueAtRisk95);
    }

    /// <summary>The base-case statement, one row per year, with the metrics below.</summary>
    public static void Statement(IAnsiConsole console, TextWriter writer, string scenario, Statement statement)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(statement);
        var columns = Output.StatementColumns.Of(statement);
        var money = MoneyScale.For(columns.Where(c => c.Unit == "yuan").SelectMany(c => c.Values));
        var format = new ValueFormat(money);
        console.WriteLine($"{scenario}: base case (every input at its base value); money in {money.Unit}");
        var table = new TextTable([
            new[] { "year" }.Concat(columns.Select(c => c.Name)).ToArray(),
            new[] { "" }.Concat(columns.Select(c => $"[{format.UnitLabel(c.Unit)}]")).ToArray(),
        ]);
        for (var t = 0; t < statement.Years; t++)
        {
            var row = new List<string> { t.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(columns.Select(c => format.Value(c.Values[t], c.Unit)));
            table.AddRow(row.ToArray());
        }
        table.Write(writer);
        writer.Flush();

        var metrics = new Table().Border(TableBorder.Rounded).Title("Base-case metrics");
        metrics.AddColumn(Markup.Escape("metric [unit]"));
        metrics.AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, unit, value) in MetricValues(statement.Metrics))
        {
            metrics.AddRow(Markup.Escape($"{name} [{format.UnitLabel(unit)}]"), format.Value(value, unit));
        }
        console.Write(metrics);
    }

    /// <summary>The metrics of one path with their summary names and units, in the catalogue order.</summary>
    public static IEnumerable<(string Name, string Unit, double Value)> MetricValues(Metrics metrics)
    {
        var values = new double[AccumulatorLayout.StandardMetrics.Count];
        MonteCarlo.MetricVector.Write(metrics, values);
        return AccumulatorLayout.StandardMetrics.Select((m, i) => (m.Name, m.Unit, values[i]));
    }
}
