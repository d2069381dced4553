using System.CommandLine;
using System.Globalization;
using DistrictSim.Cli.Output;
using DistrictSim.Cli.Rendering;
using DistrictSim.MonteCarlo;
using DistrictSim.Reporting.Charts;
using DistrictSim.Scenarios;
using DistrictSim.Statistics;
using Spectre.Console;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim sweep</c>: a grid of field values, every point on the same paths.</summary>
internal sealed class SweepCommand : Command
{
    public Argument<string> Scenario { get; } = CommonOptions.Scenario();
    public Option<string[]> Set { get; } = new("--set") { Description = "field.path=FROM:TO:STEP (repeat for a grid); numbers may end in %, 万 or 亿.", Required = true, Arity = ArgumentArity.OneOrMore };
    public Option<long?> Paths { get; } = CommonOptions.Paths("Paths at every point (default: the scenario's analysis.paths).");
    public Option<ulong?> Seed { get; } = CommonOptions.Seed();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<string?> Out { get; } = CommonOptions.Out("sweep.csv and the sweep charts");
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> NoCharts { get; } = CommonOptions.NoCharts();
    public Option<bool> Svg { get; } = CommonOptions.Svg();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private SweepCommand()
        : base("sweep",
            "Run a scenario over a grid of field values (the cartesian product of every --set), all on the same seed and paths (common random numbers), and tabulate metric means, P5, P95 and probabilities against the swept values.\n" +
            "Example: districtsim sweep scenarios/reference-district.yaml --set funding.special_bond.share=30%:50%:5% --paths 20000 --out results/bond-share")
    {
        Add(Scenario);
        foreach (var option in new Option[] { Set, Paths, Seed, Threads, Out, Force, NoCharts, Svg, Verbose }) Add(option);
    }

    public static SweepCommand Create(CliEnvironment environment)
    {
        var command = new SweepCommand();
        command.SetAction(parse => new SweepAction(parse, command, environment).Execute());
        return command;
    }
}

internal sealed class SweepAction(ParseResult parse, SweepCommand definition, CliEnvironment environment)
{
    private static readonly string[] TableMetrics = [MetricNames.Npv, MetricNames.CoverageRatio, MetricNames.MinDscr, MetricNames.FiscalTopup];

    public int Execute() => CommandExecution.Execute(environment, parse.GetValue(definition.Verbose), Run);

    private int Run()
    {
        var path = parse.GetRequiredValue(definition.Scenario);
        var force = parse.GetValue(definition.Force);
        var axes = parse.GetRequiredValue(definition.Set).Select(SweepAxis.Parse).ToList();
        var duplicate = axes.GroupBy(a => a.Field, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UsageException($"--set {duplicate.Key} is given more than once.");
        var grid = SweepAxis.Grid(axes);

        // Load every point first: a field path that does not exist fails at once, with its location.
        var points = grid.Select(values => (Values: values, Scenario: LoadPoint(path, axes, values))).ToList();
        var target = OutputFolder.Choose(environment, parse.GetValue(definition.Out), "sweep-" + points[0].Scenario.Slug, force);

        var defaults = RunOptions.FromAnalysis(points[0].Scenario.District.Analysis);
        var options = defaults with
        {
            Paths = parse.GetValue(definition.Paths) ?? defaults.Paths,
            Seed = parse.GetValue(definition.Seed) ?? defaults.Seed,
            Threads = parse.GetValue(definition.Threads),
        };
        var summaries = new List<Summary>();
        for (var i = 0; i < points.Count; i++)
        {
            var label = string.Join(", ", axes.Select((a, k) => $"{a.Field}={SweepAxis.Yaml(points[i].Values[k])}"));
            environment.Error.WriteLine($"[{i + 1}/{points.Count}] {label}");
            summaries.Add(Simulation.Run(environment, points[i].Scenario, options).Summary);
        }

        using (var folder = OutputFolder.Begin(target, force))
        {
            folder.WriteText("sweep.csv", Csv(axes, grid, summaries));
            if (!parse.GetValue(definition.NoCharts))
            {
                Simulation.ThrowIfInterrupted(environment, "while drawing the charts");
                foreach (var chart in Charts(axes, grid, summaries, CommonOptions.ChartsFor(parse.GetValue(definition.Svg)))) folder.WriteChart(chart);
            }
            Simulation.ThrowIfInterrupted(environment, "while writing the results");
            folder.Commit();
        }

        Render(Consoles.ForOut(environment), axes, grid, summaries);
        environment.Out.WriteLine($"results: {target}");
        return ExitCodes.Success;
    }

    private LoadedScenario LoadPoint(string path, IReadOnlyList<SweepAxis> axes, double[] values)
    {
        var overrides = axes.Select((a, k) => new FieldOverride(a.Field, SweepAxis.Yaml(values[k]))).ToList();
        try
        {
            var district = ScenarioInput.LoadDistrict(environment, path, overrides);
            return new LoadedScenario(path, district, ScenarioInput.Compile(environment, path, district));
        }
        catch (UsageException e)
        {
            // Name the grid point: the same file is valid at other points.
            var point = string.Join(", ", overrides.Select(o => $"{o.Path}={o.Value}"));
            throw new UsageException($"at the sweep point {point}:{Environment.NewLine}{e.Message}");
        }
    }

    /// <summary>One line per grid point: the swept values, then mean, P5 and P95 of every metric, then the probabilities.</summary>
    private static string Csv(IReadOnlyList<SweepAxis> axes, IReadOnlyList<double[]> grid, IReadOnlyList<Summary> summaries)
    {
        var csv = new Csv();
        var metrics = summaries[0].Metrics.Keys.ToList();
        var header = axes.Select(a => a.Field).ToList();
        foreach (var m in metrics) header.AddRange([$"{m}.mean", $"{m}.p5", $"{m}.p95"]);
        header.AddRange(SummaryCsv.ProbabilityRows(summaries[0].Probabilities).Select(p => "probability." + p.Name));
        csv.Row(header);
        for (var i = 0; i < grid.Count; i++)
        {
            var cells = grid[i].Select(Output.Csv.Number).ToList();
            foreach (var m in metrics)
            {
                var s = summaries[i].Metrics[m];
                cells.AddRange([Output.Csv.Number(s.Mean), Output.Csv.Number(s.Percentiles.P5), Output.Csv.Number(s.Percentiles.P95)]);
            }
            cells.AddRange(SummaryCsv.ProbabilityRows(summaries[i].Probabilities).Select(p => Output.Csv.Number(p.Value)));
            csv.Row(cells);
        }
        return csv.ToString();
    }

    /// <summary>The sweep charts along each axis, the other axes held at their first value.</summary>
    private static IEnumerable<Chart> Charts(IReadOnlyList<SweepAxis> axes, IReadOnlyList<double[]> grid, IReadOnlyList<Summary> summaries, ChartOptions options)
    {
        for (var k = 0; k < axes.Count; k++)
        {
            var axis = k;
            var line = Enumerable.Range(0, grid.Count)
                .Where(i => Enumerable.Range(0, axes.Count).All(j => j == axis || grid[i][j] == axes[j].Values[0]))
                .Select(i => (grid[i][axis], summaries[i]))
                .ToList();
            var charts = ChartSet.ForSweep(axes[axis].Field, line, options);
            foreach (var chart in charts)
            {
                yield return axes.Count == 1 ? chart : chart with { FileName = $"{Slugs.From(axes[axis].Field)}-{chart.FileName}" };
            }
        }
    }

    private static void Render(IAnsiConsole console, IReadOnlyList<SweepAxis> axes, IReadOnlyList<double[]> grid, IReadOnlyList<Summary> summaries)
    {
        var format = ValueFormat.For(summaries);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summaries[0].Scenario}: {grid.Count} points, {summaries[0].Paths:#,##0} paths each, seed {summaries[0].Seed} (common random numbers); money in {format.Money.Unit}"));
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var axis in axes) table.AddColumn(new TableColumn(Markup.Escape(axis.Field)).RightAligned());
        foreach (var m in TableMetrics)
        {
            var unit = format.UnitLabel(summaries[0].Metrics[m].Unit);
            table.AddColumn(new TableColumn(Markup.Escape($"{m} mean [{unit}]")).RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape($"P5")).RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape($"P95")).RightAligned());
        }
        var requirement = summaries[0].CoverageRequirement.ToString("0.##", CultureInfo.InvariantCulture);
        foreach (var column in new[] { $"P(cov < {requirement}) [%]", "P(shortfall) [%]", "P(never pays back) [%]" }) table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        for (var i = 0; i < grid.Count; i++)
        {
            var cells = grid[i].Select(v => v.ToString("G6", CultureInfo.InvariantCulture)).ToList();
            foreach (var m in TableMetrics)
            {
                var s = summaries[i].Metrics[m];
                cells.AddRange([format.Value(s.Mean, s.Unit), format.Value(s.Percentiles.P5, s.Unit), format.Value(s.Percentiles.P95, s.Unit)]);
            }
            var p = summaries[i].Probabilities;
            cells.AddRange([format.Value(p.CoverageBelowRequirement, "probability"), format.Value(p.AnyShortfall, "probability"), format.Value(p.NeverPaysBack, "probability")]);
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }
}
