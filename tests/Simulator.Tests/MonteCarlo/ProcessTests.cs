using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;
using Xunit;

namespace DistrictSim.Simulator.Tests.MonteCarlo;

/// <summary>
/// Yearly processes, observed through a stream of 1 yuan a year whose growth follows the process:
/// revenue(t + 1) / revenue(t) = 1 + g(t), so each path's g(t) can be read back from its statement.
/// </summary>
public sealed class ProcessTests
{
    private const int Paths = 4_000;
    private const int Years = 12;

    private static District WithGrowth(Distribution growth) => new()
    {
        Metadata = new Metadata { Name = "process probe" },
        // One construction year: operations start in year 1, so g(t) is read for t = 1 .. Years - 2.
        Timeline = new Timeline { ConstructionYears = 1, HorizonYears = Years },
        Capex = new Capex { Components = [new CapexComponent { Name = "works", Category = CapexCategory.Basic, Tag = CapexTag.PublicGood, AmountYuan = 100 }] },
        Revenues = [new GenericStream { Name = "probe", Driver = 1, PriceYuanPerUnit = 1, Growth = Input.Of(growth) }],
    };

    /// <summary>g(path, t) for t = 1 .. Years - 2, from the ratio of consecutive revenues.</summary>
    private static double[][] Growths(District district, bool baseCase = false)
    {
        var compiled = DistrictCompiler.Compile(district);
        var sampler = MonteCarloEngine.CreateSampler(compiled, new RunOptions { Paths = Paths, Seed = 99 });
        var slots = new double[compiled.Slots.Count];
        var rows = new double[baseCase ? 1 : Paths][];
        for (var p = 0; p < rows.Length; p++)
        {
            if (baseCase) compiled.BaseSlotValues.ToArray().CopyTo(slots, 0);
            else sampler.Fill(p, slots);
            var revenue = BaseCase.Evaluate(compiled, slots).RevenueYuan;
            rows[p] = Enumerable.Range(1, Years - 2).Select(t => revenue[t + 1] / revenue[t] - 1).ToArray();
        }
        return rows;
    }

    private static (double Mean, double Variance) Moments(double[][] rows, int year)
    {
        var xs = rows.Select(r => r[year - 1]).ToArray();
        var mean = xs.Average();
        return (mean, xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
    }

    private static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G6} ± {tolerance:G3}, found {actual:G6}");

    [Fact]
    public void Mean_reverting_base_case_is_the_deterministic_path_and_draws_have_the_AR1_moments()
    {
        // x(t) = 3% + 0.5 (x(t-1) - 3%) + 1% z(t), x(-1) = 5%: base x(t) = 3% + 0.5^(t+1) 2%;
        // Var x(t) = 0.01² (1 - 0.25^(t+1)) / (1 - 0.25).
        var district = WithGrowth(new MeanReverting(0.03, 0.5, 0.01, 0.05));
        var baseRow = Growths(district, baseCase: true)[0];
        for (var t = 1; t <= Years - 2; t++) Near(0.03 + Math.Pow(0.5, t + 1) * 0.02, baseRow[t - 1], 1e-12, $"base g({t})");
        var rows = Growths(district);
        foreach (var t in new[] { 1, 5, 10 })
        {
            var (mean, variance) = Moments(rows, t);
            var expectedVariance = 1e-4 * (1 - Math.Pow(0.25, t + 1)) / 0.75;
            Near(0.03 + Math.Pow(0.5, t + 1) * 0.02, mean, 4 * Math.Sqrt(expectedVariance / Paths), $"mean g({t})");
            // The sample variance of n normals has sd ≈ variance sqrt(2 / (n - 1)).
            Near(expectedVariance, variance, 4 * expectedVariance * Math.Sqrt(2.0 / (Paths - 1)), $"variance g({t})");
        }
        // Lag-1 correlation of a stationary AR(1) is phi.
        var a = rows.Select(r => r[8]).ToArray();
        var b = rows.Select(r => r[9]).ToArray();
        Near(0.5, Correlation(a, b), 4 / Math.Sqrt(Paths), "lag-1 correlation");
    }

    [Fact]
    public void Random_walk_variance_grows_linearly_with_the_years()
    {
        // x(t) = x(t-1) + 0.1% + 1% z(t), x(-1) = 0: mean 0.1% (t+1), variance 0.01² (t+1).
        var rows = Growths(WithGrowth(new RandomWalk(0, 0.001, 0.01)));
        foreach (var t in new[] { 1, 4, 9 })
        {
            var (mean, variance) = Moments(rows, t);
            var v = 1e-4 * (t + 1);
            Near(0.001 * (t + 1), mean, 4 * Math.Sqrt(v / Paths), $"mean g({t})");
            Near(v, variance, 4 * v * Math.Sqrt(2.0 / (Paths - 1)), $"variance g({t})");
        }
    }

    [Fact]
    public void Step_changes_arrive_at_the_yearly_probability()
    {
        // Starts at 2%, drops 1 point in each year with probability 20%: E x(t) = 2% - 1% 0.2 (t+1),
        // Var x(t) = 0.01² 0.2 0.8 (t+1); the base case never steps.
        var district = WithGrowth(new StepChange(0.02, -0.01, 0.2));
        Assert.All(Growths(district, baseCase: true)[0], g => Near(0.02, g, 1e-12, "base"));
        var rows = Growths(district);
        foreach (var t in new[] { 1, 6 })
        {
            var (mean, _) = Moments(rows, t);
            var v = 1e-4 * 0.16 * (t + 1);
            Near(0.02 - 0.002 * (t + 1), mean, 4 * Math.Sqrt(v / Paths), $"mean g({t})");
        }
    }

    [Fact]
    public void Yearly_draws_are_independent_from_year_to_year()
    {
        var rows = Growths(WithGrowth(new Yearly(new Normal(0.02, 0.01))));
        var (mean, variance) = Moments(rows, 3);
        Near(0.02, mean, 4 * 0.01 / Math.Sqrt(Paths), "mean");
        Near(1e-4, variance, 4 * 1e-4 * Math.Sqrt(2.0 / (Paths - 1)), "variance");
        Near(0, Correlation(rows.Select(r => r[2]).ToArray(), rows.Select(r => r[3]).ToArray()), 4 / Math.Sqrt(Paths), "lag-1 correlation");
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
