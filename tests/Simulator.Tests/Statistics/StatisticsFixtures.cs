using DistrictSim.Model;
using DistrictSim.Statistics;

namespace DistrictSim.Simulator.Tests.Statistics;

/// <summary>Small layouts and helpers that record hand-made paths.</summary>
internal static class StatisticsFixtures
{
    /// <summary>npv, coverage_ratio, payback_year, fiscal_topup, first_shortfall_year; bands reserve and dscr over 3 years from 2025.</summary>
    public static AccumulatorLayout FiveMetrics { get; } = new(
        [
            new MetricDefinition(MetricNames.Npv, "yuan"),
            new MetricDefinition(MetricNames.CoverageRatio, "ratio"),
            new MetricDefinition(MetricNames.PaybackYear, "year"),
            new MetricDefinition(MetricNames.FiscalTopup, "yuan"),
            new MetricDefinition(MetricNames.FirstShortfallYear, "year"),
        ],
        [BandNames.Reserve, BandNames.Dscr],
        firstYear: 2025,
        years: 3);

    public static SummaryContext Context { get; } = new()
    {
        Scenario = "test",
        Seed = 42,
        Sampling = SamplingMethod.MonteCarlo,
        CoverageRequirement = 1.2,
    };

    /// <summary>An accumulator of one metric (npv) and no bands, holding <paramref name="values"/> as paths 0, 1, ...</summary>
    public static RunAccumulator NpvOnly(params double[] values)
    {
        var accumulator = new RunAccumulator(new AccumulatorLayout([new MetricDefinition(MetricNames.Npv, "yuan")], [], 2025, 0));
        if (values.Length == 0)
        {
            return accumulator;
        }

        accumulator.BeginBlock(0, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            accumulator.RecordMetrics(i, [values[i]]);
        }

        accumulator.EndBlock();
        return accumulator;
    }

    /// <summary>Records paths [first, first + count) of a generated data set into <paramref name="accumulator"/> as one block.</summary>
    public static void RecordBlock(RunAccumulator accumulator, PathData data, long first, int count)
    {
        accumulator.BeginBlock(first, count);
        for (var path = first; path < first + count; path++)
        {
            for (var s = 0; s < accumulator.Layout.BandSeries.Count; s++)
            {
                accumulator.RecordBands(s, data.Bands(path, s));
            }

            accumulator.RecordMetrics(path, data.Metrics(path));
        }

        accumulator.EndBlock();
    }
}

/// <summary>Per-path metric and band values, path-major, for a layout.</summary>
internal sealed class PathData(AccumulatorLayout layout, double[] metrics, double[] bands)
{
    public long Paths => metrics.Length / layout.MetricCount;

    public ReadOnlySpan<double> Metrics(long path) => metrics.AsSpan((int)path * layout.MetricCount, layout.MetricCount);

    public ReadOnlySpan<double> Bands(long path, int series) =>
        bands.AsSpan((((int)path * layout.BandSeries.Count) + series) * layout.Years, layout.Years);

    /// <summary>Values drawn from <paramref name="random"/>: mixed signs and magnitudes, ties, zeros and about 10% NaN.</summary>
    public static PathData Random(AccumulatorLayout layout, int paths, Random random)
    {
        double Draw()
        {
            var u = random.NextDouble();
            return u switch
            {
                < 0.10 => double.NaN,
                < 0.15 => 0.0,
                < 0.25 => Math.Round(random.NextDouble() * 4) - 2, // ties
                < 0.60 => (random.NextDouble() - 0.3) * 1e6,
                _ => Math.Exp(random.NextDouble() * 20 - 10) * (random.NextDouble() < 0.2 ? -1 : 1),
            };
        }

        var metrics = new double[paths * layout.MetricCount];
        var bands = new double[paths * layout.BandSeries.Count * layout.Years];
        for (var i = 0; i < metrics.Length; i++)
        {
            metrics[i] = Draw();
        }

        for (var i = 0; i < bands.Length; i++)
        {
            bands[i] = Draw();
        }

        return new PathData(layout, metrics, bands);
    }
}
