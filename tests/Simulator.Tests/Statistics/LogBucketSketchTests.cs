using DistrictSim.Statistics;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Statistics;

public class LogBucketSketchTests
{
    private const double Alpha = LogBucketSketch.RelativeAccuracy;

    [Fact]
    public void Representative_is_within_alpha_of_both_ends_of_its_bucket()
    {
        // Bucket [lo, hi) with hi - lo = lo' / 128 for the power of two lo' <= lo: its value 2 lo hi / (lo + hi)
        // is off by (hi - lo) / (hi + lo) <= (1/128) / (2 + 1/128) = 1/257 < α at either end.
        var first = LogBucketSketch.Index(LogBucketSketch.MinMagnitude);
        var last = LogBucketSketch.Index(LogBucketSketch.MaxMagnitude);
        for (var i = first; i <= last; i += 37)
        {
            var v = LogBucketSketch.Representative(i);
            var (lower, upper) = LogBucketSketch.Bounds(i);
            Assert.True(LogBucketSketch.Index(lower) == i && LogBucketSketch.Index(Math.BitDecrement(upper)) == i, $"bucket {i} does not hold its bounds");
            Assert.True(Math.Abs(v - upper) <= upper / 257 * (1 + 1e-12), $"bucket {i}: {v} vs upper {upper}");
            Assert.True(Math.Abs(v - lower) <= Alpha * lower * (1 + 1e-9), $"bucket {i}: {v} vs lower {lower}");
        }
    }

    [Fact]
    public void Sketch_of_nothing_is_NaN_and_NaN_is_not_counted()
    {
        var sketch = new LogBucketSketch();
        sketch.Add(double.NaN);
        Assert.Equal(0, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
    }

    [Fact]
    public void Zeros_and_negatives_keep_their_order()
    {
        // -50, -2, 0, 0, 3: the order statistics 0..4 come back in that order, each within α.
        var sketch = new LogBucketSketch();
        foreach (var x in new[] { 3.0, 0.0, -50.0, 0.0, -2.0 })
        {
            sketch.Add(x);
        }

        Assert.InRange(sketch.Quantile(0.0), -50 * 1.005, -50 * 0.995);
        Assert.InRange(sketch.Quantile(0.25), -2 * 1.005, -2 * 0.995);
        Assert.Equal(0.0, sketch.Quantile(0.5));
        Assert.Equal(0.0, sketch.Quantile(0.75));
        Assert.InRange(sketch.Quantile(1.0), 3 * 0.995, 3 * 1.005);
        Assert.Equal(2, sketch.ZeroCount);
    }

    [Fact]
    public void Band_levels_of_ten_thousand_lognormal_values_are_close_to_exact_type7_percentiles()
    {
        var random = new Random(11);
        var values = new double[10_000];
        var sketch = new LogBucketSketch();
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller normal → lognormal around 1e6 yuan, a tenth of them negative.
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = Math.Exp(13.8 + z) * (i % 10 == 0 ? -1 : 1);
            sketch.Add(values[i]);
        }

        Array.Sort(values);
        foreach (var q in SummaryBuilder.BandLevels)
        {
            var exact = Percentile.Type7(values, q);
            var k = (int)Math.Floor(q * (values.Length - 1));
            var neighbourGap = values[k + 1] - values[k];
            var estimate = sketch.Quantile(q);
            Assert.True(
                Math.Abs(estimate - exact) <= (Alpha * Math.Abs(values[k]) * (1 + 1e-12)) + neighbourGap,
                $"level {q}: expected {exact} within {Alpha:P1}, found {estimate}");
        }
    }

    [Property(MaxTest = 200)]
    public bool Quantile_is_within_alpha_of_the_lower_type7_neighbour(NormalFloat[] raw, PositiveInt levelSeed)
    {
        var values = raw.Select(x => x.Get).Where(x => Math.Abs(x) <= LogBucketSketch.MaxMagnitude).ToArray();
        if (values.Length == 0)
        {
            return true;
        }

        var sketch = new LogBucketSketch();
        foreach (var x in values)
        {
            sketch.Add(x);
        }

        Array.Sort(values);
        double[] levels = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1, (levelSeed.Get % 1000) / 1000.0];
        foreach (var q in levels)
        {
            var order = values[(int)Math.Floor(q * (values.Length - 1))];
            var estimate = sketch.Quantile(q);
            var tolerance = Math.Abs(order) < LogBucketSketch.MinMagnitude
                ? LogBucketSketch.MinMagnitude
                : Alpha * Math.Abs(order) * (1 + 1e-12);
            if (!(Math.Abs(estimate - order) <= tolerance))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool Merging_in_any_split_gives_the_same_quantiles(NormalFloat[] raw, int seed)
    {
        var values = raw.Select(x => x.Get).ToArray();
        var whole = new LogBucketSketch();
        var parts = Enumerable.Range(0, 3).Select(_ => new LogBucketSketch()).ToArray();
        var random = new Random(seed);
        foreach (var x in values)
        {
            whole.Add(x);
            parts[random.Next(parts.Length)].Add(x);
        }

        parts[2].Merge(parts[0]);
        parts[1].Merge(parts[2]);
        return whole.Count == parts[1].Count
            && SummaryBuilder.BandLevels.All(q => BitConverter.DoubleToInt64Bits(whole.Quantile(q)) == BitConverter.DoubleToInt64Bits(parts[1].Quantile(q)));
    }

    [Property(MaxTest = 100)]
    public bool Recorded_band_rows_count_as_adding_each_value(NormalFloat[] raw, PositiveInt yearsSeed)
    {
        // Rows of 1 to 11 years (vector groups of four and the rest), with every kind of value mixed in: signed
        // zeros, magnitudes below and above the kept range, infinities, NaN.
        double[] special = [0.0, -0.0, 1e-12, -1e-12, 1e-9, 1e18, -1e18, 3e20, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon];
        var years = (yearsSeed.Get % 11) + 1;
        var values = raw.Select((x, i) => i % 3 == 2 ? special[(i / 3) % special.Length] : x.Get).Concat(special).Concat(special.Reverse()).ToArray();
        var layout = new AccumulatorLayout([new MetricDefinition(MetricNames.Npv, "yuan")], [BandNames.Reserve, BandNames.Dscr], 2025, years);
        var accumulator = new RunAccumulator(layout);
        var expected = Enumerable.Range(0, 2 * years).Select(_ => new LogBucketSketch()).ToArray();
        var rows = (values.Length + years - 1) / years;
        accumulator.BeginBlock(0, Math.Max(1, rows));
        var row = new double[years];
        for (var r = 0; r < rows; r++)
        {
            for (var y = 0; y < years; y++)
            {
                row[y] = values[((r * years) + y) % values.Length];
            }

            var series = r % 2;
            accumulator.RecordBands(series, row);
            for (var y = 0; y < years; y++)
            {
                expected[(series * years) + y].Add(row[y]);
            }

            accumulator.RecordMetrics(r, [0.0]);
        }

        accumulator.EndBlock();
        for (var k = 0; k < expected.Length; k++)
        {
            var actual = accumulator.BandSketch(k / years, k % years);
            var wanted = expected[k];
            if (actual.Count != wanted.Count || actual.ZeroCount != wanted.ZeroCount
                || !Same(actual.Positive, wanted.Positive) || !Same(actual.Negative, wanted.Negative))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(BucketStore a, BucketStore b)
    {
        // The same count in every bucket (the stores' spans may start at different places).
        var counts = new Dictionary<int, long>();
        for (var i = 0; i < a.Counts.Length; i++)
        {
            if (a.Counts[i] != 0) counts[a.FirstIndex + i] = a.Counts[i];
        }

        for (var i = 0; i < b.Counts.Length; i++)
        {
            if (b.Counts[i] != 0 && (!counts.Remove(b.FirstIndex + i, out var c) || c != b.Counts[i])) return false;
        }

        return counts.Count == 0;
    }
}
