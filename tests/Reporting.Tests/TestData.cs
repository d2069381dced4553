using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Tests;

/// <summary>
/// Realistic results built by hand, shaped like the reference district (7,600万 building, 30 years,
/// 100,000 paths): the rendering code must not care whether an engine or a test produced them.
/// </summary>
internal sealed class SummaryBuilder
{
    private string _scenario = "Reference district";
    private long _paths = 100_000;
    private ulong _seed = 42;
    private double _requirement = 1.2;
    private readonly Dictionary<string, MetricSummary> _metrics = new();
    private Probabilities _probabilities = new()
    {
        CoverageBelowRequirement = 0.37,
        AnyShortfall = 0.22,
        NeverPaysBack = 0.31,
        NegativeNpv = 0.41,
        ExpectedTopupGivenShortfall = 18_500_000,
        NpvValueAtRisk95 = 21_000_000,
    };

    public SummaryBuilder()
    {
        // NPV ~ Normal(4.2 million, 15 million) yuan: 40 bins over mean ± 4 sd.
        Metric(MetricNames.Npv, "yuan", mean: 4_200_000, sd: 15_000_000);
        Metric(MetricNames.EquityNpv, "yuan", mean: -1_500_000, sd: 6_000_000);
        Metric(MetricNames.ProjectIrr, "fraction", mean: 0.058, sd: 0.02, undefined: 1_250);
        Metric(MetricNames.MinDscr, "ratio", mean: 1.05, sd: 0.3);
        Metric(MetricNames.CoverageRatio, "ratio", mean: 1.31, sd: 0.25);
        Metric(MetricNames.PaybackYear, "year", mean: 19, sd: 4, undefined: 31_000);
        // Most paths need no top-up: a spike at zero and a right tail.
        _metrics[MetricNames.FiscalTopup] = Skewed(MetricNames.FiscalTopup, mean: 4_100_000, max: 60_000_000);
    }

    public SummaryBuilder Scenario(string name) { _scenario = name; return this; }
    public SummaryBuilder Paths(long paths) { _paths = paths; return this; }
    public SummaryBuilder Seed(ulong seed) { _seed = seed; return this; }
    public SummaryBuilder Requirement(double requirement) { _requirement = requirement; return this; }
    public SummaryBuilder CoverageBelow(double p) { _probabilities = _probabilities with { CoverageBelowRequirement = p }; return this; }

    /// <summary>A district without debt: coverage and DSCR undefined in every path.</summary>
    public SummaryBuilder NoDebt()
    {
        _metrics[MetricNames.CoverageRatio] = Undefined(MetricNames.CoverageRatio, "ratio");
        _metrics[MetricNames.MinDscr] = Undefined(MetricNames.MinDscr, "ratio");
        _probabilities = _probabilities with { CoverageBelowRequirement = 0 };
        return this;
    }

    /// <summary>Shifts a metric's whole distribution by <paramref name="shift"/> (its own unit).</summary>
    public SummaryBuilder Shift(string name, double shift)
    {
        var m = _metrics[name];
        _metrics[name] = m with
        {
            Mean = m.Mean + shift,
            Min = m.Min + shift,
            Max = m.Max + shift,
            Percentiles = new Percentiles(m.Percentiles.P1 + shift, m.Percentiles.P5 + shift, m.Percentiles.P10 + shift, m.Percentiles.P25 + shift, m.Percentiles.P50 + shift, m.Percentiles.P75 + shift, m.Percentiles.P90 + shift, m.Percentiles.P95 + shift, m.Percentiles.P99 + shift),
            Histogram = new Histogram(m.Histogram.Edges.Select(e => e + shift).ToArray(), m.Histogram.Counts),
        };
        return this;
    }

    public SummaryBuilder Metric(string name, string unit, double mean, double sd, long undefined = 0)
    {
        const int bins = 40;
        var defined = _paths - undefined;
        var edges = Enumerable.Range(0, bins + 1).Select(i => mean - 4 * sd + i * 8 * sd / bins).ToArray();
        var weights = Enumerable.Range(0, bins).Select(i => Math.Exp(-0.5 * Math.Pow((edges[i] + edges[i + 1]) / 2 - mean, 2) / (sd * sd))).ToArray();
        var counts = Apportion(weights, defined);
        double Z(double z) => mean + z * sd;
        _metrics[name] = new MetricSummary
        {
            Name = name,
            Unit = unit,
            Defined = defined,
            Undefined = undefined,
            Mean = mean,
            Std = sd,
            StandardError = sd / Math.Sqrt(defined),
            Min = edges[0],
            Max = edges[^1],
            // Normal quantiles: z(0.01) = -2.326, z(0.05) = -1.645, z(0.10) = -1.282, z(0.25) = -0.674.
            Percentiles = new Percentiles(Z(-2.326), Z(-1.645), Z(-1.282), Z(-0.674), Z(0), Z(0.674), Z(1.282), Z(1.645), Z(2.326)),
            Histogram = new Histogram(edges, counts),
        };
        return this;
    }

    private MetricSummary Skewed(string name, double mean, double max)
    {
        const int bins = 30;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i * max / bins).ToArray();
        var weights = Enumerable.Range(0, bins).Select(i => i == 0 ? 78.0 : 22.0 * Math.Exp(-i / 5.0) / 4.5).ToArray();
        return new MetricSummary
        {
            Name = name,
            Unit = "yuan",
            Defined = _paths,
            Undefined = 0,
            Mean = mean,
            Std = 9_000_000,
            StandardError = 9_000_000 / Math.Sqrt(_paths),
            Min = 0,
            Max = max,
            Percentiles = new Percentiles(0, 0, 0, 0, 0, 0, 14_000_000, 24_000_000, 41_000_000),
            Histogram = new Histogram(edges, Apportion(weights, _paths)),
        };
    }

    private static MetricSummary Undefined(string name, string unit) => new()
    {
        Name = name,
        Unit = unit,
        Defined = 0,
        Undefined = 100_000,
        Mean = double.NaN,
        Std = double.NaN,
        StandardError = double.NaN,
        Min = double.NaN,
        Max = double.NaN,
        Percentiles = Percentiles.Undefined,
        Histogram = new Histogram([], []),
    };

    private static long[] Apportion(double[] weights, long total)
    {
        var sum = weights.Sum();
        var counts = weights.Select(w => (long)Math.Floor(total * w / sum)).ToArray();
        counts[Array.IndexOf(weights, weights.Max())] += total - counts.Sum();
        return counts;
    }

    public Summary Build()
    {
        const int years = 30;
        var reserve = Enumerable.Range(0, years).Select(y => y < 2
            ? new BandPoint(y, 0, 0, 0, 0, 0)
            : new BandPoint(y, -2e5 * (y - 2), 1e5 * (y - 2), 4e5 * (y - 2), 7e5 * (y - 2), 1.1e6 * (y - 2))).ToList();
        var cfads = Enumerable.Range(0, years).Select(y => new BandPoint(y, 2e6, 3e6, 3.6e6, 4.2e6, 5e6)).ToList();
        // Debt service from year 2 to year 21; no DSCR (NaN) before and after.
        var dscr = Enumerable.Range(0, years).Select(y => y is >= 2 and <= 21
            ? new BandPoint(y, 0.7 + 0.02 * y, 0.95 + 0.02 * y, 1.15 + 0.02 * y, 1.35 + 0.02 * y, 1.7 + 0.02 * y)
            : new BandPoint(y, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)).ToList();
        var npv = _metrics[MetricNames.Npv];
        var convergence = Enumerable.Range(1, 20).Select(k =>
        {
            var n = _paths * k / 20;
            return new ConvergencePoint(n, npv.Mean + npv.Std * Math.Sin(k) / Math.Sqrt(n), npv.Std / Math.Sqrt(n));
        }).ToList();
        return new Summary
        {
            Scenario = _scenario,
            Paths = _paths,
            Seed = _seed,
            Sampling = SamplingMethod.MonteCarlo,
            Currency = "CNY",
            CoverageRequirement = _requirement,
            Metrics = new Dictionary<string, MetricSummary>(_metrics),
            Probabilities = _probabilities,
            Bands = new Dictionary<string, IReadOnlyList<BandPoint>> { [BandNames.Reserve] = reserve, [BandNames.Cfads] = cfads, [BandNames.Dscr] = dscr },
            Convergence = new Dictionary<string, IReadOnlyList<ConvergencePoint>> { [MetricNames.Npv] = convergence },
            ElapsedSeconds = 12.5,
        };
    }
}

internal static class TestData
{
    public static Summary Summary() => new SummaryBuilder().Build();

    /// <summary>The reference district's base case: 7,600万 building over 2 years, 5 revenue streams from year 2.</summary>
    public static Statement Statement()
    {
        const int years = 30;
        double[] Series(Func<int, double> f) => Enumerable.Range(0, years).Select(f).ToArray();
        double Op(int y, double full) => y < 2 ? 0 : full * (y == 2 ? 0.5 : y == 3 ? 0.75 : 1) * Math.Pow(1.02, y - 2);
        var capex = Series(y => y < 2 ? 38_000_000 : 0);
        var revenue = new List<NamedSeries>
        {
            new("ops_contract", "ops_contract", Series(y => y is >= 2 and < 12 ? 2_040_000 : 0)),
            new("parking", "parking", Series(y => Op(y, 400 * 0.73 * 250 * 12))),
            new("ev_charging", "ev_charging", Series(y => Op(y, 60 * 7 * 0.1 * 8760 * 0.6))),
            new("property_fee", "property_fee", Series(y => Op(y, 1200 * 65 * 1.0 * 12 * 0.7))),
            new("commercial_lease", "commercial_lease", Series(y => Op(y, 1800 * 3.0 * 365 * 0.82))),
        };
        var total = Series(y => revenue.Sum(s => s.Yuan[y]));
        var cost = Series(y => y < 2 ? 0 : 1_500_000 * Math.Pow(1.025, y - 2) + 0.15 * total[y]);
        var cfads = Series(y => total[y] - cost[y]);
        var service = Series(y => y is >= 2 and <= 21 ? 2_400_000 : 0);
        var nan = Series(_ => double.NaN);
        return new Statement
        {
            Years = years,
            OperationStartYear = 2,
            CapexYuan = capex,
            InterestReserveFundingYuan = Series(y => y == 1 ? 1_200_000 : 0),
            Sources =
            [
                new("central_budget", "central_budget", Series(y => y < 2 ? 7_600_000 : 0)),
                new("special_bond", "special_bond", Series(y => y == 1 ? 30_400_000 : 0)),
                new("policy_loan", "policy_loan", Series(y => y == 1 ? 19_000_000 : 0)),
                new("social_capital", "social_capital", Series(y => y == 0 ? 12_600_000 : 0)),
            ],
            FundingGapYuan = Series(_ => 0),
            ConstructionCashYuan = Series(_ => 0),
            Revenue = revenue,
            RevenueYuan = total,
            OperatingCostYuan = cost,
            TaxYuan = Series(_ => 0),
            CfadsYuan = cfads,
            InterestDue = [],
            PrincipalDue = [],
            DebtBalance = [],
            DebtServiceYuan = service,
            Dscr = Series(y => service[y] > 0 ? cfads[y] / service[y] : double.NaN),
            ReserveYuan = Series(_ => 0),
            FiscalTopupYuan = Series(_ => 0),
            DefaultYuan = Series(_ => 0),
            EquityDistributionYuan = Series(_ => 0),
            CumulativeProjectCashYuan = Series(_ => 0),
            Metrics = new Metrics(4_000_000, 0, 0.058, nan[0], 1.02, 1.3, 1.25, 1.4, 19, 0, nan[0], 0, 0),
        };
    }

    public static District District(string name = "Reference district") => new()
    {
        Metadata = new Metadata
        {
            Name = name,
            City = "Wuhan",
            Sources =
            [
                new SourceNote { Field = "capex.building.amount_yuan", Kind = SourceKind.Seed, Quote = "投资约7600万元 <embedded building> & more", Reference = "seed: Wuhan, Zhiyin Dongyuan" },
                new SourceNote { Field = "revenues.ops_contract.annual_yuan", Kind = SourceKind.Seed, Quote = "expected to yield 2.04 million yuan a year", Reference = "seed" },
                new SourceNote { Field = "revenues.parking.fee_yuan_per_space_per_month", Kind = SourceKind.Assumed, Range = "150-300", Reference = "domain-parameters.md S9" },
                new SourceNote { Field = "funding.policy_loan.base_rate", Kind = SourceKind.Assumed, Range = "2.5%-4%", Reference = "see https://example.org/lpr <script>alert(1)</script>" },
            ],
        },
        Timeline = new Timeline { ConstructionYears = 2, HorizonYears = 30 },
        Capex = new Capex
        {
            Components =
            [
                new CapexComponent { Name = "building", Category = CapexCategory.Complete, Tag = CapexTag.RevenueBearing, AmountYuan = 70_000_000 },
                new CapexComponent { Name = "pipes", Category = CapexCategory.Basic, Tag = CapexTag.PublicGood, AmountYuan = 6_000_000 },
            ],
        },
    };
}
