using DistrictSim.Model;
using FsCheck;
using FsCheck.Fluent;

namespace DistrictSim.Scenarios.Tests;

/// <summary>
/// Generators of small valid districts: every value the loader accepts without error, with awkward
/// doubles (thirds, tiny and large magnitudes) and awkward strings (quotes, Chinese, newlines, '#').
/// </summary>
public static class DistrictGenerators
{
    public static Arbitrary<District> District() => DistrictGen.ToArbitrary();

    private static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, 1_000_000).Select(i => lo + (hi - lo) * (i / 1_000_000.0));

    private static Gen<double> Odd(double lo, double hi) =>
        Gen.OneOf(Between(lo, hi), Gen.Choose(0, 3000).Select(i => Math.Clamp(lo + i / 3.0, lo, hi)), Gen.Constant(lo), Gen.Constant(hi));

    /// <summary>An input whose whole support lies in [lo, hi].</summary>
    private static Gen<Input> Bounded(double lo, double hi) =>
        from kind in Gen.Choose(0, 7)
        from a in Odd(lo, hi)
        from b in Odd(lo, hi)
        from c in Odd(lo, hi)
        from alpha in Gen.Choose(1, 40).Select(i => i / 4.0)
        from beta in Gen.Choose(1, 40).Select(i => i / 3.0)
        from withBase in Gen.Elements(false, false, true)
        let s = new[] { a, b, c }.Order().ToArray()
        let d = kind switch
        {
            0 => (Distribution)new Fixed(a),
            1 => new Uniform(s[0], s[2]),
            2 => new Triangular(s[0], s[1], s[2]),
            3 => new Pert(s[0], s[1], s[2]),
            4 => new TruncatedNormal(s[1], (s[2] - s[0]) / 2, s[0], s[2]),
            5 => lo == 0 && hi == 1 ? new Beta(alpha, beta) : new Beta(alpha, beta, s[0], s[2]),
            6 => new Discrete(new[] { s[0], s[1] }.ToValueArray(), new[] { alpha, beta }.ToValueArray()),
            _ => new Discrete(new[] { s[2] }.ToValueArray(), default),
        }
        select kind == 0 && !withBase ? new Input(d) : new Input(d, withBase ? s[1] : null);

    /// <summary>A non-negative amount: bounded forms or a lognormal.</summary>
    private static Gen<Input> Amount(double hi) =>
        Gen.Frequency((4, Bounded(0, hi)), (1, from mu in Between(0, 15) from sigma in Between(0, 1) select new Input(new LogNormal(mu, sigma))));

    /// <summary>A yearly rate: a number, a distribution or a process.</summary>
    private static Gen<Input> YearlyRate =>
        from kind in Gen.Choose(0, 5)
        from mu in Between(-0.05, 0.1)
        from sd in Between(0, 0.02)
        from phi in Between(0, 1)
        from p in Between(0, 1)
        select kind switch
        {
            0 => new Input(new Fixed(mu)),
            1 => new Input(new Normal(mu, sd)),
            2 => new Input(new Yearly(new Normal(mu, sd))),
            3 => new Input(new RandomWalk(mu, sd / 10, sd)),
            4 => new Input(new MeanReverting(mu, phi, sd, mu / 2)),
            _ => new Input(new StepChange(mu, sd, p)),
        };

    private static readonly string[] Texts = ["Wuhan", "知音东苑 片区", "a \"quoted\" # not a comment", "line one\nline two", "true", "123", "- dash: colon", "tab\there", " leading space", "yes"];

    private static Gen<string?> OptionalText => Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(Texts).Select(s => (string?)s));

    private static Gen<ValueArray<double>> Phasing(int years) =>
        Gen.OneOf(
            Gen.Constant(ValueArray<double>.Empty),
            Gen.ArrayOf(Gen.Choose(1, 9), years).Select(w => w.Select(x => x / (double)w.Sum()).ToValueArray())
                .Where(p => Math.Abs(p.Sum() - 1) <= 1e-9));

    private static Gen<CapexComponent> Component(int index, int years) =>
        from category in Gen.Elements(Enum.GetValues<CapexCategory>())
        from tag in Gen.Elements(Enum.GetValues<CapexTag>())
        from amount in Amount(1e9)
        from phasing in Phasing(years)
        from depreciation in Gen.Choose(1, 50)
        select new CapexComponent { Name = "c" + index, Category = category, Tag = tag, AmountYuan = amount, Phasing = phasing, DepreciationYears = depreciation };

    private static Gen<FundingSource> Source(int index, int construction, string[] components) =>
        from kind in Gen.Choose(0, 3)
        from share in Bounded(0, 0.2)
        from yuan in Amount(1e8)
        from useYuan in Gen.Elements(true, false)
        from grantKind in Gen.Elements(Enum.GetValues<GrantKind>())
        from categories in Gen.SubListOf(Enum.GetValues<CapexCategory>())
        from eligibleComponents in Gen.SubListOf(components)
        from cap in Gen.OneOf(Gen.Constant<double?>(null), Between(0, 1e8).Select(x => (double?)x))
        from issue in Gen.Choose(0, construction - 1) // debt is drawn in construction years
        from tenor in Gen.Choose(3, 15)
        from repayment in Gen.Choose(0, 3)
        from coupon in Bounded(0, 0.06)
        from frequency in Gen.Elements(Enum.GetValues<CouponFrequency>())
        from baseRate in YearlyRate
        from spread in YearlyRate
        from floor in Gen.OneOf(Gen.Constant<double?>(null), Between(0, 0.03).Select(x => (double?)x))
        from grace in Gen.Choose(0, 3)
        from repaymentYears in Gen.Choose(1, 15)
        from loanRepayment in Gen.Elements(Enum.GetValues<LoanRepayment>())
        from hurdle in Between(0, 0.15)
        let amount = new FundingAmount
        {
            Yuan = useYuan ? yuan : null,
            Share = useYuan ? null : share,
            Eligible = new Eligibility { Categories = categories.ToValueArray(), Components = eligibleComponents.ToValueArray() },
            CapYuan = cap,
        }
        let name = "f" + index
        select kind switch
        {
            0 => (FundingSource)new Grant { Name = name, Amount = amount, Kind = grantKind },
            1 => new SpecialBond
            {
                Name = name, Amount = amount, IssueYear = issue, TenorYears = tenor, Coupon = coupon, CouponFrequency = frequency,
                Repayment = repayment switch { 0 => PrincipalRepayment.Bullet, 1 or 2 => PrincipalRepayment.EqualParts, _ => PrincipalRepayment.Custom },
                RepayFromYear = repayment == 1 ? issue + 1 : null,
                RepayToYear = repayment == 1 ? issue + tenor : null,
                Schedule = repayment == 3 ? new[] { new YearShare(issue + tenor - 1, 0.25), new YearShare(issue + tenor, 0.75) }.ToValueArray() : default,
                Seniority = grace,
            },
            2 => new Loan
            {
                Name = name, Amount = amount, Kind = useYuan ? LoanKind.Policy : LoanKind.Commercial,
                Drawdown = issue == 0 ? new[] { new YearShare(0, 1.0) }.ToValueArray() : new[] { new YearShare(0, 0.25), new YearShare(issue, 0.75) }.ToValueArray(),
                BaseRate = baseRate, Spread = spread, RateFloor = floor, GraceYears = grace, RepaymentYears = repaymentYears, Repayment = loanRepayment,
            },
            _ => new SocialCapital { Name = name, Amount = amount, HurdleRate = hurdle },
        };

    private static Gen<RevenueStream> Stream(int index) =>
        from kind in Gen.Choose(0, 6)
        from q in Amount(1e4)
        from q2 in Amount(100)
        from q3 in Amount(1e6)
        from unit in Bounded(0, 1)
        from unit2 in Bounded(0, 1)
        from hours in Bounded(0, 24)
        from hourly in Gen.Elements(true, false)
        from growth in YearlyRate
        from start in Gen.Choose(0, 3)
        from length in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 10).Select(x => (int?)x))
        from ramp in Gen.ListOf(Between(0, 1), 2).Select(x => x.ToValueArray())
        from basis in Gen.Elements(Enum.GetValues<RentBasis>())
        from step in Between(1, 1.5)
        from term in Gen.Choose(1, 20)
        from probability in Between(0, 0.2)
        from relet in Gen.Elements(true, false)
        from unitName in OptionalText
        let name = "r" + index
        let stream = kind switch
        {
            0 => hourly
                ? (RevenueStream)new Parking { Name = name, Spaces = q, Occupancy = unit, FeeYuanPerHour = q2, HoursPerDay = hours }
                : new Parking { Name = name, Spaces = q, Occupancy = unit, FeeYuanPerSpacePerMonth = q2 },
            1 => new CommercialLease { Name = name, AreaM2 = q, Rent = q2, RentBasis = basis, Occupancy = unit, Steps = new[] { new RentStep(3, step), new RentStep(8, step) }.ToValueArray() },
            2 => new EvCharging { Name = name, Chargers = q, PowerKw = q2, Utilisation = unit, FeeYuanPerKwh = q2 },
            3 => new PropertyFee { Name = name, Households = q, M2PerHousehold = q2, FeeYuanPerM2PerMonth = q2, CollectionRate = unit2 },
            4 => new OpsContract { Name = name, AnnualYuan = q3, TermYears = term, DefaultProbability = probability, Relet = relet, ReletFactor = q2, ReletGrowth = growth },
            5 => new AssetRent { Name = name, AnnualYuan = q3, Occupancy = unit },
            _ => new GenericStream { Name = name, Driver = q, PriceYuanPerUnit = q2, Unit = unitName },
        }
        select stream with { StartOperationYear = start, EndOperationYear = length is null ? null : start + length, Growth = growth, Ramp = ramp };

    private static Gen<District> DistrictGen =>
        from construction in Gen.Choose(1, 3)
        from horizon in Gen.Choose(35, 50)
        from componentCount in Gen.Choose(1, 3)
        from components in Gen.CollectToArray(Enumerable.Range(0, componentCount).Select(i => Component(i, construction)))
        from fundingCount in Gen.Choose(0, 4)
        from funding in Gen.CollectToArray(Enumerable.Range(0, fundingCount).Select(i => Source(i, construction, components.Select(c => c.Name).ToArray())))
        from residual in Gen.Elements(true, false)
        from streamCount in Gen.Choose(0, 4)
        from streams in Gen.CollectToArray(Enumerable.Range(0, streamCount).Select(Stream))
        from fixedCost in Amount(1e7)
        from inflation in YearlyRate
        from variable in Bounded(0, 0.3)
        from repair in Amount(1e7)
        from interval in Gen.Choose(1, 15)
        from overrun in Bounded(0.9, 1.5)
        from delay in Gen.OneOf(Gen.Constant(new Input(new Fixed(0))), Gen.Constant(new Input(new Discrete(new[] { 0.0, 1, 2 }.ToValueArray(), new[] { 0.7, 0.2, 0.1 }.ToValueArray()))))
        from taxes in Between(0, 0.3)
        from interest in Gen.Elements(Enum.GetValues<PreOperationInterest>())
        from months in Between(0, 12)
        from flags in Gen.ArrayOf(Gen.Elements(true, false), 4)
        from rate in Between(0, 0.2)
        from coverage in Between(1, 2)
        from paths in Gen.Choose(1, 200_000)
        from seed in Gen.Choose(0, int.MaxValue).Select(x => (ulong)x * 7919UL)
        from sampling in Gen.Elements(Enum.GetValues<SamplingMethod>())
        from correlation in Between(-0.9, 0.9)
        from method in Gen.Elements(Enum.GetValues<CorrelationMethod>())
        from city in OptionalText
        from notes in OptionalText
        from title in Gen.Elements(Texts)
        let allFunding = residual ? funding.Append(new SocialCapital { Name = "equity", Amount = new FundingAmount(), Residual = true }).ToArray() : funding
        let district = new District
        {
            Metadata = new Metadata
            {
                Name = title, City = city, Notes = notes, Currency = "CNY",
                Sources = new[] { new SourceNote { Field = "capex.c0.amount_yuan", Kind = SourceKind.Seed, Quote = notes }, new SourceNote { Field = "x.y", Kind = SourceKind.Assumed, Range = "1-2", Reference = city } }.ToValueArray(),
            },
            Timeline = new Timeline { ConstructionYears = construction, HorizonYears = horizon, DelayYears = delay },
            Capex = new Capex { Components = components.ToValueArray(), Overrun = overrun },
            Funding = allFunding.ToValueArray(),
            Revenues = streams.ToValueArray(),
            Costs = new Costs
            {
                Fixed = new[] { new FixedCost { Name = "k0", AnnualYuan = fixedCost, Inflation = inflation } }.ToValueArray(),
                Variable = new[] { new VariableCost { Name = "k1", ShareOfRevenue = variable, Streams = streams.Take(1).Select(s => s.Name).ToValueArray() } }.ToValueArray(),
                MajorRepairs = new[] { new MajorRepair { Name = "k2", AmountYuan = repair, IntervalYears = interval } }.ToValueArray(),
            },
            Taxes = new Taxes { RevenueTaxRate = taxes, IncomeTaxRate = taxes / 2 },
            Waterfall = new Waterfall { PreOperationInterest = interest, ReserveTargetMonths = months, ReserveInterestRate = rate / 4, DistributeExcess = flags[0], FiscalBackstop = flags[1] },
            Analysis = new Analysis { DiscountRate = rate, CoverageRequirement = coverage, MidYearDiscounting = flags[2], Paths = paths, Seed = seed, Sampling = sampling },
        }
        select WithCorrelation(district, correlation, method, flags[3]);

    /// <summary>Correlates the first two uncertain inputs drawn once per path, when there are two.</summary>
    private static District WithCorrelation(District district, double r, CorrelationMethod method, bool repair)
    {
        var keys = InputCatalog.Enumerate(district).Where(e => e.Input.IsUncertain && !e.Input.IsProcess).Select(e => e.Key).Take(2).ToArray();
        if (keys.Length < 2) return district;
        var correlation = new Correlation { Inputs = keys.ToValueArray(), Matrix = new[] { 1, r, r, 1 }.ToValueArray(), Method = method, Repair = repair };
        return district with { Correlations = new[] { correlation }.ToValueArray() };
    }
}
