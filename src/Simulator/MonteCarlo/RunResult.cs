using DistrictSim.Compilation;
using DistrictSim.Sampling;
using DistrictSim.Statistics;

namespace DistrictSim.MonteCarlo;

/// <summary>A finished run: its summary, the merged accumulator (every path's metrics) and the sampler that drew its inputs.</summary>
public sealed class RunResult(Summary summary, RunAccumulator accumulator, InputSampler sampler, CompiledDistrict district)
{
    public Summary Summary { get; } = summary;

    public RunAccumulator Accumulator { get; } = accumulator;

    public CompiledDistrict District { get; } = district;

    /// <summary>Where the run's wall-clock time went (zero for a result not made by <see cref="MonteCarloEngine.Run"/>).</summary>
    public RunTimings Timings { get; init; } = new(0, 0, 0);

    /// <summary>Names of the per-path columns: the uncertain inputs' keys, then the metrics.</summary>
    public IReadOnlyList<string> PerPathColumns =>
        District.Slots.Select(s => s.Key).Concat(Accumulator.Layout.Metrics.Select(m => m.Name)).ToArray();

    /// <summary>
    /// Every recorded path in path order: its index, the inputs drawn (re-drawn from the counter-based
    /// generator, identical to the run's) and its metrics. One buffer is reused across rows: copy what you keep.
    /// </summary>
    public IEnumerable<PathRow> Paths()
    {
        var inputs = new double[District.Slots.Count];
        foreach (var block in Accumulator.Blocks)
        {
            for (var path = block.FirstPath; path < block.EndPath; path++)
            {
                sampler.Fill(path, inputs);
                yield return new PathRow(path, inputs, block.PathValues(path));
            }
        }
    }
}

/// <summary>One path of a run: the inputs drawn (by slot) and the metrics (in layout order).</summary>
public sealed record PathRow(long Path, double[] Inputs, double[] Metrics);

/// <summary>
/// The wall-clock seconds of a run's three parts: preparing the sampler (distributions, tables, correlation plans),
/// evaluating the paths (sampling, cash flows, metrics, accumulation; the JIT warming up falls here too), and the
/// summary (statistics over every path).
/// </summary>
public sealed record RunTimings(double SetupSeconds, double PathsSeconds, double SummarySeconds);
