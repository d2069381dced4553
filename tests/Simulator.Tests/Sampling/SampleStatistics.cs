namespace DistrictSim.Simulator.Tests.Sampling;

/// <summary>Small statistics the sampling tests derive their tolerances from.</summary>
internal static class SampleStatistics
{
    /// <summary>
    /// Kolmogorov-Smirnov critical value at alpha = 1% for large n: 1.628 / sqrt(n)
    /// (the asymptotic Kolmogorov distribution's 99% point is 1.6276). For a discrete law the test is conservative.
    /// </summary>
    public static double KsCritical(int n) => 1.63 / Math.Sqrt(n);

    public static (double Mean, double Variance, double FourthCentral) Moments(double[] xs)
    {
        var n = xs.Length;
        var mean = xs.Average();
        double m2 = 0, m4 = 0;
        foreach (var x in xs)
        {
            var d = (x - mean) * (x - mean);
            m2 += d;
            m4 += d * d;
        }
        return (mean, m2 / (n - 1), m4 / n);
    }

    /// <summary>sup |F_n(x) - F(x)| over the sample (both sides of each jump of F_n).</summary>
    public static double KsDistance(double[] xs, Func<double, double> cdf)
    {
        var sorted = (double[])xs.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        double d = 0;
        var i = 0;
        while (i < n)
        {
            var j = i;
            while (j < n && sorted[j] == sorted[i]) j++;
            // F_n just below x is i / n and at x is j / n (ties jump together); compare them with
            // F(x-) and F(x), so that a discrete law's jumps are not counted as distance.
            var below = cdf(Math.BitDecrement(sorted[i]));
            var at = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(Math.Abs((double)j / n - at), Math.Abs((double)i / n - below)));
            i = j;
        }
        return d;
    }

    /// <summary>Spearman's rank correlation (Pearson's of the ranks, ties averaged).</summary>
    public static double Spearman(double[] x, double[] y) => MathNet.Numerics.Statistics.Correlation.Spearman(x, y);
}
