using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistrictSim.MonteCarlo;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim bench</c>: paths per second, elapsed time and memory of one run.</summary>
internal sealed class BenchCommand : Command
{
    public const string DefaultScenario = "scenarios/reference-district.yaml";

    public Argument<string> Scenario { get; } = new("scenario") { Description = $"The scenario to run (default: {DefaultScenario}).", DefaultValueFactory = _ => DefaultScenario };
    public Option<long?> Paths { get; } = CommonOptions.Paths("Paths to run (default: 1,000,000).");
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private BenchCommand()
        : base("bench",
            "Run a scenario without writing anything and report paths per second, elapsed time, peak working set and GC allocated bytes.\n" +
            "Example: districtsim bench scenarios/reference-district.yaml --paths 1000000 --threads 2")
    {
        Add(Scenario);
        Add(Paths);
        Add(Threads);
        Add(Verbose);
    }

    public static BenchCommand Create(CliEnvironment environment)
    {
        var command = new BenchCommand();
        command.SetAction(parse => CommandExecution.Execute(environment, parse.GetValue(command.Verbose), () =>
        {
            var scenario = ScenarioInput.Load(environment, parse.GetRequiredValue(command.Scenario));
            var options = RunOptions.FromAnalysis(scenario.District.Analysis) with
            {
                Paths = parse.GetValue(command.Paths) ?? 1_000_000,
                Threads = parse.GetValue(command.Threads),
            };
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var result = Simulation.Run(environment, scenario, options);
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
            var paths = result.Accumulator.PathCount;
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scenario:       {scenario.District.Metadata.Name} ({scenario.Path})"));
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paths:          {paths:#,##0} on {threads} thread(s)"));
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed:        {clock.Elapsed.TotalSeconds:0.000} s"));
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paths/s:        {paths / clock.Elapsed.TotalSeconds:#,##0}"));
            var t = result.Timings;
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"of which:       set-up {t.SetupSeconds:0.000} s, paths {t.PathsSeconds:0.000} s ({paths / Math.Max(t.PathsSeconds, 1e-9):#,##0} paths/s while evaluating), summary {t.SummarySeconds:0.000} s"));
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / 1048576.0:#,##0.0} MiB"));
            environment.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC allocated:   {allocated / 1048576.0:#,##0.0} MiB ({allocated / (double)Math.Max(1, paths):0.0} bytes/path)"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
