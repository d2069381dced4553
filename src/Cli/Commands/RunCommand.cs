using System.CommandLine;
using System.Globalization;
using DistrictSim.Cli.Rendering;
using DistrictSim.Cli.Output;
using DistrictSim.Evaluation;
using DistrictSim.Reporting.Charts;
using DistrictSim.Reporting.Report;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim run</c>: the definition (arguments and options) and its wiring.</summary>
internal sealed class RunCommand : Command
{
    public Argument<string> Scenario { get; } = CommonOptions.Scenario();
    public Option<long?> Paths { get; } = CommonOptions.Paths();
    public Option<ulong?> Seed { get; } = CommonOptions.Seed();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<string?> Sampling { get; } = CommonOptions.Sampling();
    public Option<string?> Out { get; } = CommonOptions.Out("summary.json, summary.csv, base_case.csv, the charts and the report");
    public Option<bool> Json { get; } = new("--json") { Description = "Print summary.json on standard output instead of the tables." };
    public Option<string?> PerPath { get; } = new("--per-path") { Description = "Write every path's drawn inputs and metrics to FILE: CSV, or Parquet when FILE ends in .parquet." };
    public Option<string?> Xlsx { get; } = new("--xlsx") { Description = "Write the summary, base-case statement and yearly bands as sheets of one workbook." };
    public Option<double?> TargetRse { get; } = new("--target-rse") { Description = "Stop early once NPV's relative standard error (SE/|mean|) is below X, checked every 65,536 paths." };
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> NoCharts { get; } = CommonOptions.NoCharts();
    public Option<bool> Svg { get; } = CommonOptions.Svg();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private RunCommand()
        : base("run",
            "Load, validate and compile a scenario, run its Monte Carlo and write the results (summary.json, CSVs, charts, report).\n" +
            "Example: districtsim run scenarios/reference-district.yaml --paths 20000 --seed 7 --out results/reference --xlsx results/reference.xlsx")
    {
        Add(Scenario);
        foreach (var option in new Option[] { Paths, Seed, Threads, Sampling, Out, Json, PerPath, Xlsx, TargetRse, Force, NoCharts, Svg, Verbose }) Add(option);
        TargetRse.Validators.Add(r =>
        {
            if (r.GetValue(TargetRse) is { } x && !(x > 0)) r.AddError($"--target-rse must be a positive fraction such as 0.01; got {x}.");
        });
    }

    public static RunCommand Create(CliEnvironment environment)
    {
        var command = new RunCommand();
        command.SetAction(parse => new RunAction(parse, command, environment).Execute());
        return command;
    }
}

/// <summary><c>districtsim run</c>: what it does with a parse result.</summary>
internal sealed class RunAction(ParseResult parse, RunCommand definition, CliEnvironment environment)
{
    public int Execute() => CommandExecution.Execute(environment, parse.GetValue(definition.Verbose), Run);

    private int Run()
    {
        var scenarioPath = parse.GetRequiredValue(definition.Scenario);
        var force = parse.GetValue(definition.Force);
        var json = parse.GetValue(definition.Json);
        var settings = new RunSettings
        {
            Paths = parse.GetValue(definition.Paths),
            Seed = parse.GetValue(definition.Seed),
            Threads = parse.GetValue(definition.Threads),
            Sampling = CommonOptions.ParseSampling(parse.GetValue(definition.Sampling)),
            TargetRelativeStandardError = parse.GetValue(definition.TargetRse),
        };

        var scenario = ScenarioInput.Load(environment, scenarioPath);
        // Check every destination before the run, so a long run never ends in "cannot write".
        var target = OutputFolder.Choose(environment, parse.GetValue(definition.Out), scenario.Slug, force);
        var perPath = parse.GetValue(definition.PerPath) is { } p ? AtomicFile.Check(environment, "--per-path", p, force) : null;
        var xlsx = parse.GetValue(definition.Xlsx) is { } x ? AtomicFile.Check(environment, "--xlsx", x, force) : null;

        var options = settings.For(scenario.District);
        var result = Simulation.Run(environment, scenario, options);
        var summary = result.Summary;
        var statement = BaseCase.Evaluate(scenario.Compiled);

        // Everything is staged first and moved into place only when complete: Ctrl+C at any point leaves nothing partial.
        using var folder = OutputFolder.Begin(target, force);
        folder.WriteText("summary.json", SummaryJson.Write(summary));
        folder.WriteText("summary.csv", SummaryCsv.Write(summary));
        folder.WriteText("base_case.csv", StatementColumns.Csv(statement));
        if (!parse.GetValue(definition.NoCharts))
        {
            Simulation.ThrowIfInterrupted(environment, "while drawing the charts");
            var charts = ChartSet.ForRun(summary, statement, scenario.District, CommonOptions.ChartsFor(parse.GetValue(definition.Svg)));
            foreach (var chart in charts) folder.WriteChart(chart);
            folder.WriteText("report.html", ReportWriter.Html(summary, scenario.District, charts));
            folder.WriteText("report.md", ReportWriter.Markdown(summary, scenario.District, charts));
        }
        Simulation.ThrowIfInterrupted(environment, "while writing the results");
        using var perPathFile = perPath is null ? null : StagedFile.Write(perPath, file => PerPathExport.Write(result, file, environment.Cancellation));
        Simulation.ThrowIfInterrupted(environment, "while writing the per-path file");
        using var xlsxFile = xlsx is null ? null : StagedFile.Write(xlsx, file => WorkbookExport.Write(file, summary, statement));
        Simulation.ThrowIfInterrupted(environment, "while writing the workbook");
        folder.Commit();
        perPathFile?.Commit();
        xlsxFile?.Commit();

        if (json)
        {
            environment.Out.Write(SummaryJson.Write(summary));
            environment.Error.WriteLine($"results: {target}");
        }
        else
        {
            Tables.Summary(Consoles.ForOut(environment), summary);
            // The question answered in one sentence, as at the top of the report.
            environment.Out.WriteLine(Answer.For(summary));
            environment.Out.WriteLine($"results: {target}");
            if (perPath is not null) environment.Out.WriteLine($"per-path: {perPath}");
            if (xlsx is not null) environment.Out.WriteLine($"workbook: {xlsx}");
        }
        if (summary.StoppedEarly)
        {
            environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stopped early at {summary.Paths:#,##0} paths: the target relative standard error was reached."));
        }
        return ExitCodes.Success;
    }
}
