using DistrictSim.Model;
using DistrictSim.Statistics;

namespace DistrictSim.MonteCarlo;

/// <summary>
/// How to run a district's Monte Carlo. The results depend only on the district, <see cref="Seed"/>,
/// <see cref="Paths"/> and <see cref="Sampling"/> (and the stopping rule, whose checkpoints are fixed
/// path counts): never on <see cref="Threads"/> or on how the path range is split into shards.
/// </summary>
public sealed record RunOptions
{
    public required long Paths { get; init; }
    public required ulong Seed { get; init; }
    public SamplingMethod Sampling { get; init; } = SamplingMethod.MonteCarlo;
    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Stop once this metric's relative standard error (SE / |mean|) is below the target, checked every <see cref="CheckpointPaths"/> paths.</summary>
    public double? TargetRelativeStandardError { get; init; }
    public string TargetMetric { get; init; } = MetricNames.Npv;
    /// <summary>Paths between early-stopping checks (a fixed count, so that stopping is deterministic).</summary>
    public long CheckpointPaths { get; init; } = 65_536;
    /// <summary>Paths a worker takes at a time.</summary>
    public int BlockPaths { get; init; } = 4_096;

    public static RunOptions FromAnalysis(Analysis analysis) => new()
    {
        Paths = analysis.Paths,
        Seed = analysis.Seed,
        Sampling = analysis.Sampling,
    };

    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>
    /// Every reason these options cannot run on <paramref name="district"/> (empty when they can): paths,
    /// threads and checkpoints out of range, and runs too large for a correlation plan over all paths.
    /// </summary>
    public IReadOnlyList<string> Problems(Compilation.CompiledDistrict district)
    {
        ArgumentNullException.ThrowIfNull(district);
        var problems = new List<string>();
        if (Paths <= 0) problems.Add($"paths must be a positive whole number; got {Paths}");
        if (Threads < 0) problems.Add($"threads must be 0 (one per core) or more; got {Threads}");
        if (BlockPaths <= 0) problems.Add($"block paths must be positive; got {BlockPaths}");
        if (TargetRelativeStandardError is { } target && !(target > 0)) problems.Add($"the target relative standard error must be positive; got {target}");
        if (TargetRelativeStandardError is not null && CheckpointPaths <= 0) problems.Add($"checkpoint paths must be positive; got {CheckpointPaths}");
        // Latin hypercube with a copula, and Iman-Conover, plan ranks over all N paths in arrays.
        var planned = district.Correlations.Any(c => c.Method == CorrelationMethod.ImanConover || Sampling == SamplingMethod.LatinHypercube);
        if (planned && Paths > Array.MaxLength)
        {
            problems.Add($"{Paths:N0} paths are more than a correlation group can be planned for under {(Sampling == SamplingMethod.LatinHypercube ? "Latin hypercube sampling" : "Iman-Conover")} (at most {Array.MaxLength:N0}); use fewer paths{(Sampling == SamplingMethod.LatinHypercube ? ", or Monte Carlo sampling" : "")}");
        }
        return problems;
    }
}
