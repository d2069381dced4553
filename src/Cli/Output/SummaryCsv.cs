using DistrictSim.Evaluation;
using DistrictSim.Statistics;

namespace DistrictSim.Cli.Output;

/// <summary>The flat CSV forms of a summary and of a statement (money in yuan, rates as fractions, NaN empty).</summary>
public static class SummaryCsv
{
    public static readonly string[] MetricColumns = ["metric", "unit", "mean", "std", "se", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "defined", "undefined"];

    /// <summary>One row per metric, then one row per probability (its value in the mean column).</summary>
    public static string Write(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var csv = new Csv().Row(MetricColumns);
        foreach (var (name, m) in summary.Metrics)
        {
            var p = m.Percentiles;
            csv.Row(name, m.Unit, Csv.Number(m.Mean), Csv.Number(m.Std), Csv.Number(m.StandardError), Csv.Number(m.Min), Csv.Number(m.Max),
                Csv.Number(p.P1), Csv.Number(p.P5), Csv.Number(p.P10), Csv.Number(p.P25), Csv.Number(p.P50), Csv.Number(p.P75), Csv.Number(p.P90), Csv.Number(p.P95), Csv.Number(p.P99),
                Csv.Number(m.Defined), Csv.Number(m.Undefined));
        }
        foreach (var (name, unit, value) in ProbabilityRows(summary.Probabilities))
        {
            csv.Row(new[] { "probability." + name, unit, Csv.Number(value) }.Concat(Enumerable.Repeat("", MetricColumns.Length - 3)));
        }
        return csv.ToString();
    }

    public static IEnumerable<(string Name, string Unit, double Value)> ProbabilityRows(Probabilities p)
    {
        yield return ("coverage_below_requirement", "probability", p.CoverageBelowRequirement);
        yield return ("any_shortfall", "probability", p.AnyShortfall);
        yield return ("never_pays_back", "probability", p.NeverPaysBack);
        yield return ("negative_npv", "probability", p.NegativeNpv);
        yield return ("expected_topup_given_shortfall", "yuan", p.ExpectedTopupGivenShortfall);
        yield return ("npv_value_at_risk_95", "yuan", p.NpvValueAtRisk95);
    }
}

/// <summary>The year-by-year statement as named columns: the one layout the table, the CSV and the workbook share.</summary>
public static class StatementColumns
{
    public sealed record Column(string Name, string Unit, double[] Values);

    public static IReadOnlyList<Column> Of(Statement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var columns = new List<Column>
        {
            new("capex", "yuan", s.CapexYuan),
        };
        columns.AddRange(s.Sources.Select(x => new Column($"source.{x.Name}", "yuan", x.Yuan)));
        columns.Add(new("funding_gap", "yuan", s.FundingGapYuan));
        columns.AddRange(s.Revenue.Select(x => new Column($"revenue.{x.Name}", "yuan", x.Yuan)));
        columns.Add(new("revenue", "yuan", s.RevenueYuan));
        columns.Add(new("operating_cost", "yuan", s.OperatingCostYuan));
        columns.Add(new("tax", "yuan", s.TaxYuan));
        columns.Add(new("cfads", "yuan", s.CfadsYuan));
        for (var i = 0; i < s.InterestDue.Count; i++)
        {
            var interest = s.InterestDue[i];
            var principal = s.PrincipalDue[i];
            columns.Add(new($"debt_service.{interest.Name}", "yuan", interest.Yuan.Zip(principal.Yuan, (a, b) => a + b).ToArray()));
        }
        columns.Add(new("debt_service", "yuan", s.DebtServiceYuan));
        columns.Add(new("dscr", "ratio", s.Dscr));
        columns.Add(new("reserve", "yuan", s.ReserveYuan));
        columns.Add(new("fiscal_topup", "yuan", s.FiscalTopupYuan));
        columns.Add(new("default", "yuan", s.DefaultYuan));
        columns.Add(new("equity_distribution", "yuan", s.EquityDistributionYuan));
        columns.Add(new("cumulative_cash", "yuan", s.CumulativeProjectCashYuan));
        return columns;
    }

    /// <summary>The statement as CSV: one row per year, the columns of <see cref="Of"/> (yuan; DSCR empty where undefined).</summary>
    public static string Csv(Statement s)
    {
        var columns = Of(s);
        var csv = new Csv().Row(new[] { "year" }.Concat(columns.Select(c => c.Name)));
        for (var t = 0; t < s.Years; t++)
        {
            csv.Row(new[] { Output.Csv.Number(t) }.Concat(columns.Select(c => Output.Csv.Number(c.Values[t]))));
        }
        return csv.ToString();
    }
}
