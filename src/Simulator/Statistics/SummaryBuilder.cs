using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistrictSim.Statistics;

/// <summary>
/// Turns a (merged) accumulator into the <see cref="Summary"/> contract. Every statistic of a metric is
/// computed over the recorded values in path order, and bands come from integer sketch counts, so the
/// result depends only on which paths were recorded and their values: never on threads, blocks, shards
/// or merge order.
/// </summary>
public static class SummaryBuilder
{
    /// <summary>Bins of each metric's histogram (equal width from the minimum to the maximum defined value).</summary>
    public const int HistogramBins = 40;

    private const int HistogramCopies = 4;

    /// <summary>Levels of the per-year bands: P5, P25, P50, P75, P95.</summary>
    public static IReadOnlyList<double> BandLevels { get; } = [0.05, 0.25, 0.50, 0.75, 0.95];

    public static Summary Build(RunAccumulator accumulator, SummaryContext context)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(context);
        if (accumulator.IsBlockOpen)
        {
            throw new InvalidOperationException("Cannot summarise while a block is open; call EndBlock first.");
        }

        var layout = accumulator.Layout;
        var paths = accumulator.PathCount;
        // Metrics are independent: summarise them in parallel, each into its own place, so the
        // result does not depend on which thread did what. Each worker reuses one column buffer (and one
        // array of bucket counts for the percentiles), so the summary needs a column a worker, not one per
        // metric. What the probabilities and the convergence traces need of a single metric is taken from
        // that metric's column while it is in path order; the expected top-up, which needs two metrics, is
        // one more item of the loop.
        var summaries = new MetricSummary[layout.MetricCount];
        var buffers = new ColumnBuffers((int)paths);
        var coverageIndex = layout.IndexOfMetric(context.CoverageMetric);
        var shortfallIndex = layout.IndexOfMetric(context.ShortfallMetric);
        var paybackIndex = layout.IndexOfMetric(context.PaybackMetric);
        var negativeNpvIndex = layout.IndexOfMetric(context.NpvMetric);
        var requirement = context.CoverageRequirement;
        double coverageBelow = double.NaN, anyShortfall = double.NaN, neverPaysBack = double.NaN, negativeNpv = double.NaN;
        var expectedTopup = double.NaN;
        var traced = context.ConvergenceMetrics.Select(layout.IndexOfMetric).ToArray();
        var traces = new ConvergencePoint[traced.Length][];
        Parallel.For(
            0,
            layout.MetricCount + 1,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new WorkerBuffers(),
            (m, _, local) =>
            {
                local.Column ??= buffers.Take();
                var column = local.Column;
                if (m == layout.MetricCount)
                {
                    expectedTopup = ExpectedTopupGivenShortfall(accumulator, context, column);
                    return local;
                }

                accumulator.FillMetricColumn(m, column);
                for (var i = 0; i < traced.Length; i++)
                {
                    if (traced[i] == m) traces[i] = ConvergenceTrace(column);
                }

                var moments = SampleMoments.Of(column, out var min, out var max);
                // NaN never compares below, so undefined coverage (no debt service) counts as not below.
                if (m == coverageIndex) coverageBelow = Fraction(CountBelow(column, requirement), paths);
                if (m == shortfallIndex) anyShortfall = Fraction(moments.Defined, paths);
                if (m == paybackIndex) neverPaysBack = Fraction(paths - moments.Defined, paths);
                if (m == negativeNpvIndex) negativeNpv = Fraction(CountBelow(column, 0), paths);
                local.BucketCounts ??= new int[OrderStatistics.BucketCount];
                summaries[m] = Summarise(layout.Metrics[m], column, moments, min, max, local.BucketCounts);
                return local;
            },
            local =>
            {
                if (local.Column is not null)
                {
                    buffers.Return(local.Column);
                }
            });
        var metrics = new Dictionary<string, MetricSummary>(StringComparer.Ordinal);
        for (var m = 0; m < summaries.Length; m++)
        {
            metrics.Add(layout.Metrics[m].Name, summaries[m]);
        }

        var npvIndex = layout.IndexOfMetric(context.NpvMetric);
        var npvP5 = npvIndex < 0 ? double.NaN : summaries[npvIndex].Percentiles.P5;

        return new Summary
        {
            Scenario = context.Scenario,
            Paths = paths,
            Seed = context.Seed,
            Sampling = context.Sampling,
            Currency = context.Currency,
            CoverageRequirement = context.CoverageRequirement,
            Metrics = metrics,
            Probabilities = new Probabilities
            {
                CoverageBelowRequirement = coverageBelow,
                AnyShortfall = anyShortfall,
                NeverPaysBack = neverPaysBack,
                NegativeNpv = negativeNpv,
                ExpectedTopupGivenShortfall = expectedTopup,
                NpvValueAtRisk95 = -npvP5,
            },
            Bands = BuildBands(accumulator),
            Convergence = BuildConvergence(context, traced, traces),
            ElapsedSeconds = context.ElapsedSeconds,
            StoppedEarly = context.StoppedEarly,
        };
    }

    /// <summary>Checkpoints of the convergence trace for a run of <paramref name="paths"/> paths: 1,000, 2,000, 5,000, 10,000, ... below it, then the run itself.</summary>
    public static IReadOnlyList<long> ConvergenceCheckpoints(long paths)
    {
        var checkpoints = new List<long>();
        ReadOnlySpan<long> steps = [1, 2, 5];
        for (long decade = 1000; decade < paths && decade > 0; decade *= 10)
        {
            foreach (var step in steps)
            {
                var n = step * decade;
                if (n < paths)
                {
                    checkpoints.Add(n);
                }
            }
        }

        if (paths > 0)
        {
            checkpoints.Add(paths);
        }

        return checkpoints;
    }

    /// <summary>Equal-width histogram of sorted defined values; one bin when all are equal, none when there are none.</summary>
    public static Histogram BuildHistogram(ReadOnlySpan<double> sorted, int bins = HistogramBins) =>
        sorted.IsEmpty ? BuildHistogram(sorted, 0, 0, bins) : BuildHistogram(sorted, sorted[0], sorted[^1], bins);

    /// <summary>Equal-width histogram of defined values in any order, given their minimum and maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a run, on a million values
    private static Histogram BuildHistogram(ReadOnlySpan<double> values, double min, double max, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (values.IsEmpty)
        {
            return new Histogram([], []);
        }

        if (min == max)
        {
            return new Histogram([min, max], [values.Length]);
        }

        var edges = new double[bins + 1];
        var width = (max - min) / bins;
        var finiteWidth = double.IsFinite(width);
        for (var i = 0; i < bins; i++)
        {
            // When max - min overflows (values near ±1.8e308), interpolate without forming the difference.
            edges[i] = finiteWidth ? min + (i * width) : (min * ((double)(bins - i) / bins)) + (max * ((double)i / bins));
        }

        edges[bins] = max;
        // The guess multiplies by the reciprocal width (it is settled against the stored edges, so counts agree with
        // the edges reported whatever the rounding of the guess). Value i is counted in copy i mod 4 of the counts,
        // so that a run of values in one bin does not make every increment wait for the previous one.
        var copies = new long[HistogramCopies * bins];
        var perWidth = finiteWidth ? 1.0 / width : 0.0;
        var last = bins - 1;
        ReadOnlySpan<double> edge = edges;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            // (x - min) / width lies in [0, bins] (or is 0 when the width is not finite): truncating is safe.
            var guess = (x - min) * perWidth;
            var bin = Sse2.IsSupported ? Sse2.ConvertToInt32WithTruncation(Vector128.CreateScalarUnsafe(guess)) : (int)guess;
            bin = Math.Min(Math.Max(bin, 0), last);
            while (bin > 0 && x < edge[bin])
            {
                bin--;
            }

            while (bin < last && x >= edge[bin + 1])
            {
                bin++;
            }

            copies[((i & (HistogramCopies - 1)) * bins) + bin]++;
        }

        var counts = new long[bins];
        for (var copy = 0; copy < HistogramCopies; copy++)
        {
            for (var bin = 0; bin < bins; bin++)
            {
                counts[bin] += copies[(copy * bins) + bin];
            }
        }

        return new Histogram(edges, counts);
    }

    /// <summary>
    /// The rest of a metric's summary from its column in path order and the moments, minimum and maximum of its
    /// defined values (the column is this call's own copy: it is compacted and reordered).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a run, on a million values
    private static MetricSummary Summarise(MetricDefinition metric, double[] column, SampleMoments moments, double min, double max, int[] bucketCounts)
    {
        var n = (int)moments.Defined;
        if (n < column.Length)
        {
            // The defined values, compacted in place.
            var k = 0;
            foreach (var x in column)
            {
                if (!double.IsNaN(x))
                {
                    column[k++] = x;
                }
            }
        }

        var defined = column.AsSpan(0, n);
        var histogram = BuildHistogram(defined, min, max, HistogramBins);
        var levels = new double[Percentiles.Levels.Length];
        if (n > 0 && min == max)
        {
            // All values equal (funding gap and default amount are often all zero): every percentile is that value,
            // as the selection's interpolation lower + f (upper - lower) gives it (a zero always as +0).
            levels.AsSpan().Fill(min == 0 ? 0.0 : min);
        }
        else
        {
            OrderStatistics.Type7(defined, Percentiles.Levels, levels, bucketCounts, min, max);
        }
        var p = n == 0 ? Percentiles.Undefined : ToPercentiles(levels);
        return new MetricSummary
        {
            Name = metric.Name,
            Unit = metric.Unit,
            Defined = moments.Defined,
            Undefined = column.LongLength - moments.Defined,
            Mean = moments.Mean,
            Std = moments.Std,
            StandardError = moments.StandardError,
            Min = n == 0 ? double.NaN : min,
            Max = n == 0 ? double.NaN : max,
            Percentiles = p,
            Histogram = histogram,
        };
    }

    private static Percentiles ToPercentiles(double[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);

    /// <summary><paramref name="hits"/> as a fraction of all paths; NaN without paths.</summary>
    private static double Fraction(long hits, long paths) => paths == 0 ? double.NaN : (double)hits / paths;

    /// <summary>How many values lie below <paramref name="threshold"/> (NaN never does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a run, on a million values
    private static long CountBelow(ReadOnlySpan<double> values, double threshold)
    {
        var vectors = values.Length / Vector256<double>.Count;
        var limit = Vector256.Create(threshold);
        var below = Vector256<long>.Zero;
        ref var source = ref MemoryMarshal.GetReference(values);
        for (var v = 0; v < vectors; v++)
        {
            below -= Vector256.LessThan(Vector256.LoadUnsafe(ref source, (nuint)(v * Vector256<double>.Count)), limit).AsInt64();
        }

        var hits = Vector256.Sum(below);
        foreach (var x in values[(vectors * Vector256<double>.Count)..])
        {
            if (x < threshold)
            {
                hits++;
            }
        }

        return hits;
    }

    /// <summary>Mean top-up over the paths with a shortfall, in path order (undefined top-ups are not averaged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a run, on a million values
    private static double ExpectedTopupGivenShortfall(RunAccumulator accumulator, SummaryContext context, double[] column)
    {
        var layout = accumulator.Layout;
        var shortfallIndex = layout.IndexOfMetric(context.ShortfallMetric);
        var topupIndex = layout.IndexOfMetric(context.TopupMetric);
        if (shortfallIndex < 0 || topupIndex < 0)
        {
            return double.NaN;
        }

        // The top-ups, NaN where there is no shortfall, read straight from the blocks' shortfall columns.
        accumulator.FillMetricColumn(topupIndex, column);
        var n = 0;
        foreach (var block in accumulator.Blocks)
        {
            if (n == column.Length)
            {
                break;
            }

            var shortfall = block.Column(shortfallIndex);
            var given = column.AsSpan(n, Math.Min(block.Count, column.Length - n));
            for (var i = 0; i < given.Length; i++)
            {
                given[i] = double.IsNaN(shortfall[i]) ? double.NaN : given[i];
            }

            n += given.Length;
        }

        return SampleMoments.MeanOf(column);
    }

    private static Dictionary<string, IReadOnlyList<BandPoint>> BuildBands(RunAccumulator accumulator)
    {
        var layout = accumulator.Layout;
        var bands = new Dictionary<string, IReadOnlyList<BandPoint>>(StringComparer.Ordinal);
        for (var s = 0; s < layout.BandSeries.Count; s++)
        {
            var points = new BandPoint[layout.Years];
            for (var y = 0; y < layout.Years; y++)
            {
                var sketch = accumulator.BandSketch(s, y);
                points[y] = new BandPoint(
                    layout.FirstYear + y,
                    sketch.Quantile(BandLevels[0]),
                    sketch.Quantile(BandLevels[1]),
                    sketch.Quantile(BandLevels[2]),
                    sketch.Quantile(BandLevels[3]),
                    sketch.Quantile(BandLevels[4]));
            }

            bands.Add(layout.BandSeries[s], points);
        }

        return bands;
    }

    /// <summary>The convergence trace of a metric's column (all recorded paths, in path order).</summary>
    private static ConvergencePoint[] ConvergenceTrace(double[] column)
    {
        var checkpoints = ConvergenceCheckpoints(column.LongLength);
        var points = new ConvergencePoint[checkpoints.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var n = checkpoints[i];
            var moments = SampleMoments.Of(column.AsSpan(0, (int)n));
            points[i] = new ConvergencePoint(n, moments.Mean, moments.StandardError);
        }

        return points;
    }

    /// <summary>The traces in the order of <see cref="SummaryContext.ConvergenceMetrics"/>, each metric once, those the layout records.</summary>
    private static Dictionary<string, IReadOnlyList<ConvergencePoint>> BuildConvergence(SummaryContext context, int[] traced, ConvergencePoint[][] traces)
    {
        var result = new Dictionary<string, IReadOnlyList<ConvergencePoint>>(StringComparer.Ordinal);
        for (var i = 0; i < traced.Length; i++)
        {
            var name = context.ConvergenceMetrics[i];
            if (traced[i] < 0 || result.ContainsKey(name))
            {
                continue;
            }

            result.Add(name, traces[i]);
        }

        return result;
    }

    /// <summary>What one worker of the summary reuses from metric to metric.</summary>
    private sealed class WorkerBuffers
    {
        public double[]? Column { get; set; }

        public int[]? BucketCounts { get; set; }
    }

    /// <summary>Reusable column buffers of one length (a summary needs a few at a time, whatever the number of metrics).</summary>
    private sealed class ColumnBuffers(int length)
    {
        private readonly Stack<double[]> _free = new();

        public double[] Take()
        {
            lock (_free)
            {
                return _free.Count > 0 ? _free.Pop() : new double[length];
            }
        }

        public void Return(double[] buffer)
        {
            lock (_free)
            {
                _free.Push(buffer);
            }
        }
    }
}
