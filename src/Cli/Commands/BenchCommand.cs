using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Finance;
using DistrictSim.MonteCarlo;
using DistrictSim.Statistics;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim bench</c>: paths per second, elapsed time and memory of measured runs after an untimed warm-up.</summary>
internal sealed class BenchCommand : Command
{
    public const string DefaultScenario = "scenarios/reference-district.yaml";

    public Argument<string> Scenario { get; } = new("scenario") { Description = $"The scenario to run (default: {DefaultScenario}).", DefaultValueFactory = _ => DefaultScenario };
    public Option<long?> Paths { get; } = CommonOptions.Paths("Paths to run (default: 1,000,000).");
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();
    public Option<bool> Parts { get; } = new("--parts") { Description = "Also time the parts of a path on one thread: sampling, cash flows and metrics, recording (best of 3 on up to 200,000 paths; recording summed over batches of 64 paths, each its best of 3; the thread's CPU time where the system gives it, so other work on the machine counts less)." };
    public Option<long?> Warmup { get; } = new("--warmup")
    {
        Description = "Paths of an untimed warm-up run before the measured runs, so that they measure compiled code rather than the JIT compiling it, as BenchmarkDotNet does (default: 200,000 or --paths if fewer; 0 times a cold first run).",
    };
    public Option<int> Runs { get; } = new("--runs") { Description = "Measured runs (default: 3); the median and best are reported.", DefaultValueFactory = _ => 3 };

    private BenchCommand()
        : base("bench",
            "Run a scenario without writing anything and report paths per second, elapsed time, peak working set and GC allocated bytes.\n" +
            "Example: districtsim bench scenarios/reference-district.yaml --paths 1000000 --threads 2 --parts\n" +
            "Cold first run in a fresh process (the JIT compiling the hot code is timed): districtsim bench --warmup 0 --runs 1")
    {
        Add(Scenario);
        Add(Paths);
        Add(Threads);
        Add(Verbose);
        Add(Parts);
        Add(Warmup);
        Add(Runs);
        Warmup.Validators.Add(r =>
        {
            if (r.GetValue(Warmup) is < 0) r.AddError($"--warmup must be 0 or more paths; got {r.GetValue(Warmup)}.");
        });
        Runs.Validators.Add(r =>
        {
            if (r.GetValue(Runs) < 1) r.AddError($"--runs must be at least 1; got {r.GetValue(Runs)}.");
        });
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
            var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
            var output = environment.Out;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scenario:       {scenario.District.Metadata.Name} ({scenario.Path})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paths:          {options.Paths:#,##0} on {threads} thread(s), seed {options.Seed}, {options.Sampling.ToString().ToLowerInvariant()} sampling"));
            var warmup = parse.GetValue(command.Warmup) ?? Math.Min(200_000, options.Paths);
            if (warmup > 0)
            {
                var clock = Stopwatch.StartNew();
                Simulation.Run(environment, scenario, options with { Paths = warmup });
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warm-up:        {warmup:#,##0} paths in {clock.Elapsed.TotalSeconds:0.000} s, not counted (the JIT compiles the hot code; --warmup 0 times a cold first run)"));
            }
            var runs = parse.GetValue(command.Runs);
            var elapsed = new double[runs];
            long paths = 0, allocated = 0;
            for (var run = 0; run < runs; run++)
            {
                // A full collection between runs, outside the clock (as BenchmarkDotNet forces one after each
                // iteration): a run neither pays for nor keeps alive the previous run's paths.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var pausedBefore = GC.GetTotalPauseDuration();
                int gen0Before = GC.CollectionCount(0), gen2Before = GC.CollectionCount(2);
                var clock = Stopwatch.StartNew();
                var result = Simulation.Run(environment, scenario, options);
                clock.Stop();
                allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
                paths = result.Accumulator.PathCount;
                elapsed[run] = clock.Elapsed.TotalSeconds;
                var t = result.Timings;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1}:          {elapsed[run]:0.000} s, {paths / elapsed[run]:#,##0} paths/s; of which set-up {t.SetupSeconds:0.000} s, paths {t.PathsSeconds:0.000} s ({paths / Math.Max(t.PathsSeconds, 1e-9):#,##0} paths/s while evaluating), summary {t.SummarySeconds:0.000} s; " +
                    $"GC {GC.CollectionCount(0) - gen0Before} collections ({GC.CollectionCount(2) - gen2Before} full), paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:0} ms"));
            }
            Array.Sort(elapsed);
            var median = runs % 2 == 1 ? elapsed[runs / 2] : (elapsed[(runs / 2) - 1] + elapsed[runs / 2]) / 2;
            var best = elapsed[0];
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed:        median {median:0.000} s, best {best:0.000} s over {runs} run(s)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paths/s:        median {paths / median:#,##0}, best {paths / best:#,##0}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / 1048576.0:#,##0.0} MiB"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC allocated:   {allocated / 1048576.0:#,##0.0} MiB a run ({allocated / (double)Math.Max(1, paths):0.0} bytes/path)"));
            if (parse.GetValue(command.Parts))
            {
                var (sample, evaluate, record, measured) = TimeParts(scenario.Compiled, options);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per path, one thread: sampling {sample:#,##0} ns, cash flows and metrics {evaluate:#,##0} ns, recording {record:#,##0} ns (best of 3 on {measured:#,##0} paths; recording: each batch of 64 paths its best of 3; {(ThreadClock.IsCpuTime ? "the thread's CPU time" : "wall clock")})"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Nanoseconds per path, on this thread, of the three parts of a path: filling its inputs, evaluating its cash
    /// flows and metrics, and recording its metrics and bands. Recording is timed on its own: paths are evaluated in
    /// batches of 64 (as the engine's workers take them) whose band rows and metrics are kept aside, then recorded together
    /// under the clock. Each batch counts with its fastest round (the same paths into the same state each round), so a
    /// time slice lost to another process in one round does not count: a few microseconds a batch are robust where the
    /// whole pass, on a loaded machine, is not.
    /// </summary>
    private static (double Sample, double Evaluate, double Record, int Paths) TimeParts(CompiledDistrict district, RunOptions options)
    {
        const int Batch = 64;
        var paths = (int)Math.Min(options.Paths, 200_000);
        var width = district.Slots.Count;
        var years = district.Years;
        var sampler = MonteCarloEngine.CreateSampler(district, options);
        var evaluator = new PathEvaluator(district);
        var layout = MonteCarloEngine.Layout(district);
        var inputs = new double[(long)paths * width];
        var metricCount = layout.MetricCount;
        var metrics = new double[Batch * metricCount];
        var bands = new double[Batch * 3 * years];
        int reserve = layout.IndexOfBandSeries(BandNames.Reserve), cfads = layout.IndexOfBandSeries(BandNames.Cfads), dscr = layout.IndexOfBandSeries(BandNames.Dscr);
        double sample = double.MaxValue, evaluate = double.MaxValue;
        var recordSeconds = new double[(paths + Batch - 1) / Batch]; // per batch, its fastest round
        Array.Fill(recordSeconds, double.MaxValue);
        double sink = 0;
        var irrBuffers = new double[(2 * 64 * years) + 64];
        for (var round = 0; round < 3; round++)
        {
            var started = ThreadClock.Seconds();
            // In batches of 64 paths, as the workers draw them.
            for (var p = 0; p < paths; p += 64) sampler.FillBatch(p, Math.Min(64, paths - p), inputs.AsSpan(p * width));
            sample = Math.Min(sample, ThreadClock.Seconds() - started);
            started = ThreadClock.Seconds();
            // In batches of 64 paths whose IRRs are computed together, as the workers evaluate them.
            for (var p = 0; p < paths; p += 64) sink += EvaluateBatch(evaluator, inputs.AsSpan(p * width), Math.Min(64, paths - p), irrBuffers);
            evaluate = Math.Min(evaluate, ThreadClock.Seconds() - started);
            var accumulator = new RunAccumulator(layout);
            accumulator.BeginBlock(0, paths);
            for (var first = 0; first < paths; first += Batch)
            {
                var count = Math.Min(Batch, paths - first);
                for (var k = 0; k < count; k++)
                {
                    MetricVector.Write(evaluator.Evaluate(inputs.AsSpan((first + k) * width, width)), metrics.AsSpan(k * metricCount, metricCount));
                    evaluator.Reserve.CopyTo(bands.AsSpan(((3 * k) + 0) * years, years));
                    evaluator.Cfads.CopyTo(bands.AsSpan(((3 * k) + 1) * years, years));
                    evaluator.Dscr.CopyTo(bands.AsSpan(((3 * k) + 2) * years, years));
                }
                started = ThreadClock.Seconds();
                for (var k = 0; k < count; k++)
                {
                    accumulator.RecordBands(reserve, bands.AsSpan(((3 * k) + 0) * years, years));
                    accumulator.RecordBands(cfads, bands.AsSpan(((3 * k) + 1) * years, years));
                    accumulator.RecordBands(dscr, bands.AsSpan(((3 * k) + 2) * years, years));
                    accumulator.RecordMetrics(first + k, metrics.AsSpan(k * metricCount, metricCount));
                }
                recordSeconds[first / Batch] = Math.Min(recordSeconds[first / Batch], ThreadClock.Seconds() - started);
            }
            accumulator.EndBlock();
        }
        GC.KeepAlive(sink);
        var record = recordSeconds.Sum();
        var perPath = 1e9 / paths;
        return (sample * perPath, evaluate * perPath, record * perPath, paths);
    }

    /// <summary>Evaluates <paramref name="count"/> paths' cash flows and metrics, their IRRs together, as a worker does; returns a sum to keep the work alive.</summary>
    private static double EvaluateBatch(PathEvaluator evaluator, ReadOnlySpan<double> inputs, int count, Span<double> buffers)
    {
        var width = evaluator.District.Slots.Count;
        var years = evaluator.District.Years;
        var projectFlows = buffers[..(count * years)];
        var equityFlows = buffers.Slice(64 * years, count * years);
        var irrs = buffers.Slice(2 * 64 * years, count);
        double sum = 0;
        for (var k = 0; k < count; k++)
        {
            sum += evaluator.EvaluateExceptIrr(inputs.Slice(k * width, width)).NpvYuan;
            evaluator.ProjectFlow.CopyTo(projectFlows.Slice(k * years, years));
            if (evaluator.HasEquity) evaluator.EquityFlow.CopyTo(equityFlows.Slice(k * years, years));
        }
        Irr.ComputeMany(projectFlows, years, count, irrs);
        sum += irrs[0];
        if (evaluator.HasEquity) Irr.ComputeMany(equityFlows, years, count, irrs);
        return sum + irrs[0];
    }
}
