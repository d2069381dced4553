using DistrictSim.Statistics;
using Xunit;

namespace DistrictSim.Simulator.Tests.MonteCarlo;

internal static class SummaryAssert
{
    /// <summary>Every number of two summaries equal bit for bit (ElapsedSeconds aside).</summary>
    public static void BitIdentical(Summary expected, Summary actual)
    {
        Assert.Equal(expected.Paths, actual.Paths);
        Assert.Equal(expected.Metrics.Keys, actual.Metrics.Keys);
        foreach (var (name, e) in expected.Metrics)
        {
            var a = actual.Metrics[name];
            Same($"{name}.mean", e.Mean, a.Mean);
            Same($"{name}.std", e.Std, a.Std);
            Same($"{name}.se", e.StandardError, a.StandardError);
            Same($"{name}.min", e.Min, a.Min);
            Same($"{name}.max", e.Max, a.Max);
            Same($"{name}.p1", e.Percentiles.P1, a.Percentiles.P1);
            Same($"{name}.p50", e.Percentiles.P50, a.Percentiles.P50);
            Same($"{name}.p99", e.Percentiles.P99, a.Percentiles.P99);
            Assert.Equal(e.Defined, a.Defined);
            Assert.Equal(e.Histogram.Counts, a.Histogram.Counts);
        }
        Assert.Equal(expected.Probabilities, actual.Probabilities);
        foreach (var (series, band) in expected.Bands)
        {
            Assert.Equal(band, actual.Bands[series]);
        }
        foreach (var (metric, trace) in expected.Convergence)
        {
            Assert.Equal(trace, actual.Convergence[metric]);
        }
    }

    private static void Same(string what, double expected, double actual) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"{what}: expected {expected:R}, found {actual:R}");
}
