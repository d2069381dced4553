using System.CommandLine;
using System.Globalization;
using DistrictSim.Cli.Output;
using DistrictSim.Cli.Rendering;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;
using DistrictSim.Reporting.Charts;
using DistrictSim.Reporting.Report;
using DistrictSim.Statistics;
using Spectre.Console;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim compare</c>: several scenarios on the same paths (common random numbers).</summary>
internal sealed class CompareCommand : Command
{
    public Argument<string[]> Scenarios { get; } = new("scenarios") { Description = "Two or more scenario files; differences are to the first.", Arity = new ArgumentArity(2, 64) };
    public Option<long?> Paths { get; } = CommonOptions.Paths("Paths for every scenario (default: the first scenario's analysis.paths).");
    public Option<ulong?> Seed { get; } = CommonOptions.Seed();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<string?> Out { get; } = CommonOptions.Out("compare.csv, each scenario's summary JSON, the compare charts and the report");
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> NoCharts { get; } = CommonOptions.NoCharts();
    public Option<bool> Svg { get; } = CommonOptions.Svg();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private CompareCommand()
        : base("compare",
            "Run scenarios with the same seed and paths (common random numbers: draws are keyed by input name) and show metric means and probabilities side by side, with differences to the first scenario and their paired standard errors.\n" +
            "Example: districtsim compare scenarios/wuhan-zhiyin-dongyuan.yaml scenarios/wuhan-zhiyin-dongyuan-bond-50.yaml --paths 20000 --out results/bond-50")
    {
        Add(Scenarios);
        foreach (var option in new Option[] { Paths, Seed, Threads, Out, Force, NoCharts, Svg, Verbose }) Add(option);
    }

    public static CompareCommand Create(CliEnvironment environment)
    {
        var command = new CompareCommand();
        command.SetAction(parse => new CompareAction(parse, command, environment).Execute());
        return command;
    }
}

internal sealed class CompareAction(ParseResult parse, CompareCommand definition, CliEnvironment environment)
{
    /// <summary>The metrics the compare table shows (all are in the CSV).</summary>
    private static readonly string[] TableMetrics =
        [MetricNames.Npv, MetricNames.ProjectIrr, MetricNames.EquityIrr, MetricNames.MinDscr, MetricNames.CoverageRatio, MetricNames.Llcr, MetricNames.PaybackYear, MetricNames.FiscalTopup];

    public int Execute() => CommandExecution.Execute(environment, parse.GetValue(definition.Verbose), Run);

    private int Run()
    {
        var files = parse.GetRequiredValue(definition.Scenarios);
        var force = parse.GetValue(definition.Force);
        var scenarios = files.Select(f => ScenarioInput.Load(environment, f)).ToList();
        var slug = string.Join("-vs-", scenarios.Select(s => s.Slug).Take(3));
        var target = OutputFolder.Choose(environment, parse.GetValue(definition.Out), "compare-" + slug, force);

        // Common random numbers: one seed, one path count and one sampling method for all.
        var first = RunOptions.FromAnalysis(scenarios[0].District.Analysis);
        var options = first with
        {
            Paths = parse.GetValue(definition.Paths) ?? first.Paths,
            Seed = parse.GetValue(definition.Seed) ?? first.Seed,
            Threads = parse.GetValue(definition.Threads),
        };
        var results = scenarios.Select(s => Simulation.Run(environment, s, options)).ToList();
        var comparison = Comparison.Of(results);

        using (var folder = OutputFolder.Begin(target, force))
        {
            folder.WriteText("compare.csv", comparison.Csv());
            for (var i = 0; i < results.Count; i++)
            {
                folder.WriteText($"summary-{i + 1}-{scenarios[i].Slug}.json", SummaryJson.Write(results[i].Summary));
            }
            if (!parse.GetValue(definition.NoCharts))
            {
                Simulation.ThrowIfInterrupted(environment, "while drawing the charts");
                var summaries = results.Select(r => r.Summary).ToList();
                var charts = ChartSet.ForCompare(summaries, CommonOptions.ChartsFor(parse.GetValue(definition.Svg)));
                foreach (var chart in charts) folder.WriteChart(chart);
                var content = ReportContent.ForCompare(summaries, scenarios.Select(s => s.District).ToList(), charts);
                folder.WriteText("report.html", ReportWriter.Html(content));
                folder.WriteText("report.md", ReportWriter.Markdown(content));
            }
            Simulation.ThrowIfInterrupted(environment, "while writing the results");
            folder.Commit();
        }

        comparison.Render(Consoles.ForOut(environment), TableMetrics);
        environment.Out.WriteLine($"results: {target}");
        return ExitCodes.Success;
    }
}

/// <summary>The rows of a comparison: each quantity's value per scenario and its paired difference to the first.</summary>
internal sealed record Comparison(IReadOnlyList<Summary> Summaries, IReadOnlyList<Comparison.Row> Rows)
{
    public sealed record Row(string Name, string Unit, double[] Values, Difference[] Differences);

    public static Comparison Of(IReadOnlyList<RunResult> results)
    {
        var summaries = results.Select(r => r.Summary).ToList();
        var rows = new List<Row>();
        var columns = results.Select(r => new Dictionary<string, double[]>()).ToList();
        double[] Column(int run, string metric)
        {
            if (!columns[run].TryGetValue(metric, out var column))
            {
                column = PairedDifference.Column(results[run].Accumulator, metric);
                columns[run][metric] = column;
            }
            return column;
        }

        Difference[] Differences(Func<int, double[]> perPath) =>
            Enumerable.Range(0, results.Count).Select(i => i == 0 ? new Difference(0, 0, 0) : PairedDifference.Of(perPath(0), perPath(i))).ToArray();

        foreach (var (name, metric) in summaries[0].Metrics)
        {
            rows.Add(new Row(name, metric.Unit, summaries.Select(s => s.Metrics.TryGetValue(name, out var m) ? m.Mean : double.NaN).ToArray(),
                Differences(i => Column(i, name))));
        }

        rows.Add(new Row("p_coverage_below_requirement", "probability", summaries.Select(s => s.Probabilities.CoverageBelowRequirement).ToArray(),
            Differences(i => PairedDifference.Indicator(Column(i, MetricNames.CoverageRatio), x => x < summaries[i].CoverageRequirement))));
        rows.Add(new Row("p_any_shortfall", "probability", summaries.Select(s => s.Probabilities.AnyShortfall).ToArray(),
            Differences(i => PairedDifference.Indicator(Column(i, MetricNames.FirstShortfallYear), x => !double.IsNaN(x)))));
        rows.Add(new Row("p_never_pays_back", "probability", summaries.Select(s => s.Probabilities.NeverPaysBack).ToArray(),
            Differences(i => PairedDifference.Indicator(Column(i, MetricNames.PaybackYear), double.IsNaN))));
        rows.Add(new Row("p_negative_npv", "probability", summaries.Select(s => s.Probabilities.NegativeNpv).ToArray(),
            Differences(i => PairedDifference.Indicator(Column(i, MetricNames.Npv), x => x < 0))));
        // A conditional expectation has no simple paired form: its difference is shown without a standard error.
        var topups = summaries.Select(s => s.Probabilities.ExpectedTopupGivenShortfall).ToArray();
        rows.Add(new Row("expected_topup_given_shortfall", "yuan", topups,
            topups.Select(t => new Difference(t - topups[0], double.NaN, 0)).ToArray()));
        return new Comparison(summaries, rows);
    }

    public string Csv()
    {
        var csv = new Csv();
        var header = new List<string> { "quantity", "unit" };
        for (var i = 0; i < Summaries.Count; i++) header.Add($"value_{i + 1}");
        for (var i = 1; i < Summaries.Count; i++)
        {
            header.Add($"diff_{i + 1}_minus_1");
            header.Add($"se_diff_{i + 1}_minus_1");
        }
        csv.Row(header);
        csv.Row(new[] { "scenario", "" }.Concat(Summaries.Select(s => s.Scenario)).Concat(Enumerable.Repeat("", 2 * (Summaries.Count - 1))));
        foreach (var row in Rows)
        {
            var cells = new List<string> { row.Name, row.Unit };
            cells.AddRange(row.Values.Select(Output.Csv.Number));
            for (var i = 1; i < Summaries.Count; i++)
            {
                cells.Add(Output.Csv.Number(row.Differences[i].Value));
                cells.Add(Output.Csv.Number(row.Differences[i].StandardError));
            }
            csv.Row(cells);
        }
        return csv.ToString();
    }

    public void Render(IAnsiConsole console, IReadOnlyCollection<string> metrics)
    {
        var format = ValueFormat.For(Summaries);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Summaries[0].Paths:#,##0} paths each, seed {Summaries[0].Seed} (common random numbers); means, and differences to [1] ± paired standard error; money in {format.Money.Unit}"));
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(Markup.Escape("quantity [unit]"));
        for (var i = 0; i < Summaries.Count; i++) table.AddColumn(new TableColumn(Markup.Escape($"[{i + 1}] {Summaries[i].Scenario}")).RightAligned());
        for (var i = 1; i < Summaries.Count; i++) table.AddColumn(new TableColumn(Markup.Escape($"[{i + 1}] - [1]")).RightAligned());
        foreach (var row in Rows.Where(r => metrics.Contains(r.Name) || r.Unit == "probability" || r.Name.StartsWith("expected", StringComparison.Ordinal)))
        {
            var cells = new List<string> { Markup.Escape($"{row.Name} [{format.UnitLabel(row.Unit)}]") };
            cells.AddRange(row.Values.Select(v => format.Value(v, row.Unit)));
            for (var i = 1; i < Summaries.Count; i++)
            {
                var d = row.Differences[i];
                var se = double.IsFinite(d.StandardError) ? $" ± {format.Uncertainty(d.StandardError, row.Unit)}" : "";
                cells.Add(format.Difference(d.Value, row.Unit) + se);
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }
}
