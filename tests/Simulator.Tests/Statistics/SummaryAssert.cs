using DistrictSim.Statistics;
using Xunit.Sdk;

namespace DistrictSim.Simulator.Tests.Statistics;

/// <summary>Compares two summaries field by field, every double by its bits; ElapsedSeconds is ignored.</summary>
internal static class SummaryAssert
{
    public static void BitIdentical(Summary expected, Summary actual)
    {
        Same(expected.Scenario, actual.Scenario, "Scenario");
        Same(expected.Paths, actual.Paths, "Paths");
        Same(expected.Seed, actual.Seed, "Seed");
        Same(expected.Sampling, actual.Sampling, "Sampling");
        Same(expected.Currency, actual.Currency, "Currency");
        Bits(expected.CoverageRequirement, actual.CoverageRequirement, "CoverageRequirement");
        Same(expected.StoppedEarly, actual.StoppedEarly, "StoppedEarly");

        Same(string.Join(",", expected.Metrics.Keys), string.Join(",", actual.Metrics.Keys), "metric names");
        foreach (var (name, e) in expected.Metrics)
        {
            var a = actual.Metrics[name];
            var at = $"Metrics[{name}]";
            Same(e.Unit, a.Unit, at + ".Unit");
            Same(e.Defined, a.Defined, at + ".Defined");
            Same(e.Undefined, a.Undefined, at + ".Undefined");
            Bits(e.Mean, a.Mean, at + ".Mean");
            Bits(e.Std, a.Std, at + ".Std");
            Bits(e.StandardError, a.StandardError, at + ".StandardError");
            Bits(e.Min, a.Min, at + ".Min");
            Bits(e.Max, a.Max, at + ".Max");
            Bits(PercentileValues(e.Percentiles), PercentileValues(a.Percentiles), at + ".Percentiles");
            Bits(e.Histogram.Edges, a.Histogram.Edges, at + ".Histogram.Edges");
            Same(string.Join(",", e.Histogram.Counts), string.Join(",", a.Histogram.Counts), at + ".Histogram.Counts");
        }

        var ep = expected.Probabilities;
        var ap = actual.Probabilities;
        Bits(
            [ep.CoverageBelowRequirement, ep.AnyShortfall, ep.NeverPaysBack, ep.NegativeNpv, ep.ExpectedTopupGivenShortfall, ep.NpvValueAtRisk95],
            [ap.CoverageBelowRequirement, ap.AnyShortfall, ap.NeverPaysBack, ap.NegativeNpv, ap.ExpectedTopupGivenShortfall, ap.NpvValueAtRisk95],
            "Probabilities");

        Same(string.Join(",", expected.Bands.Keys), string.Join(",", actual.Bands.Keys), "band names");
        foreach (var (name, e) in expected.Bands)
        {
            Bits(e.SelectMany(BandValues).ToArray(), actual.Bands[name].SelectMany(BandValues).ToArray(), $"Bands[{name}]");
        }

        Same(string.Join(",", expected.Convergence.Keys), string.Join(",", actual.Convergence.Keys), "convergence names");
        foreach (var (name, e) in expected.Convergence)
        {
            Bits(e.SelectMany(c => new[] { c.Paths, c.Mean, c.StandardError }).ToArray(), actual.Convergence[name].SelectMany(c => new[] { c.Paths, c.Mean, c.StandardError }).ToArray(), $"Convergence[{name}]");
        }
    }

    public static double[] PercentileValues(Percentiles p) => [p.P1, p.P5, p.P10, p.P25, p.P50, p.P75, p.P90, p.P95, p.P99];

    private static double[] BandValues(BandPoint b) => [b.Year, b.P5, b.P25, b.P50, b.P75, b.P95];

    private static void Bits(double expected, double actual, string at) => Bits([expected], [actual], at);

    private static void Bits(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string at)
    {
        Same(expected.Count, actual.Count, at + " length");
        for (var i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                throw new XunitException($"{at}: expected {expected[i]:R} at index {i}, found {actual[i]:R} (bits differ).");
            }
        }
    }

    private static void Same<T>(T expected, T actual, string at)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new XunitException($"{at}: expected {expected}, found {actual}.");
        }
    }
}
