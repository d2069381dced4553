using System.Globalization;
using DistrictSim.Cli.Rendering;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;

namespace DistrictSim.Cli.Commands;

/// <summary>The run settings the user can override; anything left null comes from the scenario's analysis block.</summary>
public sealed record RunSettings
{
    public long? Paths { get; init; }
    public ulong? Seed { get; init; }
    public int Threads { get; init; }
    public SamplingMethod? Sampling { get; init; }
    public double? TargetRelativeStandardError { get; init; }

    public RunOptions For(District district)
    {
        ArgumentNullException.ThrowIfNull(district);
        var defaults = RunOptions.FromAnalysis(district.Analysis);
        return defaults with
        {
            Paths = Paths ?? defaults.Paths,
            Seed = Seed ?? defaults.Seed,
            Sampling = Sampling ?? defaults.Sampling,
            Threads = Threads,
            TargetRelativeStandardError = TargetRelativeStandardError,
        };
    }
}

/// <summary>Runs a compiled scenario's Monte Carlo with progress on standard error; Ctrl+C becomes an <see cref="InterruptedException"/>.</summary>
public static class Simulation
{
    public static RunResult Run(CliEnvironment environment, LoadedScenario scenario, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems(scenario.Compiled);
        if (problems.Count > 0) throw new UsageException(problems.Select(p => $"districtsim: {scenario.Path}: {p}."));
        var label = $"{scenario.Slug}";
        var result = ProgressDisplay.Run(environment, label, options.Paths,
            progress => MonteCarloEngine.Run(scenario.Compiled, options, progress, environment.Cancellation));
        if (environment.Cancellation.IsCancellationRequested)
        {
            throw new InterruptedException(string.Create(CultureInfo.InvariantCulture,
                $"interrupted after {result.Accumulator.PathCount:#,##0} of {options.Paths:#,##0} paths of {scenario.Path}; nothing was written."));
        }
        return result;
    }

    /// <summary>Stops with exit 130 when Ctrl+C came while results were being prepared.</summary>
    public static void ThrowIfInterrupted(CliEnvironment environment, string what)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Cancellation.IsCancellationRequested) throw new InterruptedException($"interrupted {what}; nothing was written.");
    }
}
