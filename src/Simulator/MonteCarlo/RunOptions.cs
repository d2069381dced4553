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
}
