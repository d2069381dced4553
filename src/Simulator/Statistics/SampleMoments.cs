namespace DistrictSim.Statistics;

/// <summary>
/// Count, mean, sample standard deviation (n - 1) and standard error of the defined (non-NaN) values of a
/// span, summed in the order given (compensated, Neumaier) so that the same values in the same order
/// give the same bits. Two passes: the mean, then the squared deviations from it.
/// </summary>
internal readonly record struct SampleMoments(long Defined, double Mean, double Std)
{
    /// <summary>std / sqrt(defined); NaN when Std is.</summary>
    public double StandardError => Std / Math.Sqrt(Defined);

    public static SampleMoments Of(ReadOnlySpan<double> values)
    {
        long n = 0;
        var sum = new CompensatedSum();
        foreach (var x in values)
        {
            if (!double.IsNaN(x))
            {
                sum.Add(x);
                n++;
            }
        }

        if (n == 0)
        {
            return new SampleMoments(0, double.NaN, double.NaN);
        }

        var mean = sum.Value / n;
        if (n < 2)
        {
            return new SampleMoments(n, mean, double.NaN);
        }

        var squares = new CompensatedSum();
        foreach (var x in values)
        {
            if (!double.IsNaN(x))
            {
                var d = x - mean;
                squares.Add(d * d);
            }
        }

        return new SampleMoments(n, mean, Math.Sqrt(squares.Value / (n - 1)));
    }

    /// <summary>Neumaier's improved Kahan summation.</summary>
    private struct CompensatedSum
    {
        private double _sum;
        private double _compensation;

        public readonly double Value => _sum + _compensation;

        public void Add(double x)
        {
            var t = _sum + x;
            _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
            _sum = t;
        }
    }
}
