using DistrictSim.Model;
using FsCheck;
using FsCheck.Fluent;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>
/// Generators of small valid districts with every input fixed: 1-3 capex components, a random
/// funding stack (grant, special bonds with bullet / equal-parts / custom repayment, loans with grace,
/// equal principal or instalments and a rate floor, fixed or residual equity), 1-4 streams of random
/// kinds, fixed, variable and major-repair costs, and random waterfall settings.
/// </summary>
internal static class DistrictGenerators
{
    private static Gen<double> Between(double min, double max, int steps = 1000) =>
        Gen.Choose(0, steps).Select(i => min + (max - min) * i / steps);

    private static Gen<double[]> Shares(int count) =>
        Gen.Choose(1, 10).ArrayOf(count).Select(w => w.Select(x => x / (double)w.Sum()).ToArray());

    private static Gen<CapexComponent> Component(int index, int construction) =>
        from amount in Gen.Choose(100, 10_000).Select(x => x * 1_000.0)
        from category in Gen.Elements(CapexCategory.Basic, CapexCategory.Complete, CapexCategory.Upgrade)
        from tag in Gen.Elements(CapexTag.PublicGood, CapexTag.RevenueBearing)
        from evenly in Gen.Elements(true, false)
        from phasing in Shares(construction)
        from life in Gen.Choose(5, 30)
        select new CapexComponent
        {
            Name = "component" + index,
            Category = category,
            Tag = tag,
            AmountYuan = amount,
            Phasing = evenly ? [] : [.. phasing],
            DepreciationYears = life,
        };

    /// <summary>A fixed amount (a share of the planned capex, in yuan) or a share of the eligible capex.</summary>
    private static Gen<FundingAmount> Amount(double plannedCapex) =>
        from share in Between(0.05, 0.35)
        from asShare in Gen.Elements(true, false)
        select asShare ? FundingAmount.ShareOf(share) : FundingAmount.Fixed(Math.Round(share * plannedCapex));

    private static Gen<SpecialBond> Bond(int index, int construction, double plannedCapex) =>
        from amount in Amount(plannedCapex)
        from issue in Gen.Choose(0, construction - 1)
        from tenor in Gen.Choose(1, 10)
        from coupon in Between(0.015, 0.04)
        from repayment in Gen.Elements(PrincipalRepayment.Bullet, PrincipalRepayment.EqualParts, PrincipalRepayment.Custom)
        from from_ in Gen.Choose(issue + 1, issue + tenor)
        from to in Gen.Choose(from_, issue + tenor)
        from customYears in Gen.Choose(1, Math.Min(3, tenor))
        from customShares in Shares(customYears)
        from seniority in Gen.Choose(1, 3)
        from frequency in Gen.Elements(CouponFrequency.Annual, CouponFrequency.SemiAnnual)
        select new SpecialBond
        {
            Name = "bond" + index,
            Amount = amount,
            IssueYear = issue,
            TenorYears = tenor,
            Coupon = coupon,
            CouponFrequency = frequency,
            Repayment = repayment,
            RepayFromYear = repayment == PrincipalRepayment.EqualParts ? from_ : null,
            RepayToYear = repayment == PrincipalRepayment.EqualParts ? to : null,
            // custom: the last customYears years up to maturity
            Schedule = repayment == PrincipalRepayment.Custom
                ? [.. customShares.Select((share, i) => new YearShare(issue + tenor - customYears + 1 + i, share))]
                : [],
            Seniority = seniority,
        };

    private static Gen<Loan> Loan(int index, int construction, double plannedCapex) =>
        from amount in Amount(plannedCapex)
        from drawYears in Gen.Choose(1, construction)
        from firstDraw in Gen.Choose(0, construction - drawYears)
        from drawShares in Shares(drawYears)
        from baseRate in Between(0.02, 0.06)
        from spread in Between(0, 0.01)
        from floor in Gen.Elements<double?>(null, 0.035, 0.045)
        from grace in Gen.Choose(0, 3)
        from years in Gen.Choose(1, 10)
        from repayment in Gen.Elements(LoanRepayment.EqualPrincipal, LoanRepayment.EqualInstalments)
        from seniority in Gen.Choose(1, 3)
        select new Loan
        {
            Name = "loan" + index,
            Kind = LoanKind.Policy,
            Amount = amount,
            Drawdown = [.. drawShares.Select((share, i) => new YearShare(firstDraw + i, share))],
            BaseRate = baseRate,
            Spread = spread,
            RateFloor = floor,
            GraceYears = grace,
            RepaymentYears = years,
            Repayment = repayment,
            Seniority = seniority,
        };

    private static Gen<RevenueStream> Stream(int index) =>
        from kind in Gen.Choose(0, 6)
        from a in Between(10, 200)
        from b in Between(0.3, 1.0)
        from c in Between(1, 30)
        from start in Gen.Choose(0, 2)
        from length in Gen.Choose(-1, 8) // -1: to the horizon
        from growth in Between(-0.02, 0.05)
        from ramped in Gen.Elements(true, false)
        from hourly in Gen.Elements(true, false)
        from relet in Gen.Elements(true, false)
        from stepYear in Gen.Choose(0, 5)
        from term in Gen.Choose(1, 8)
        select Describe(kind, "stream" + index, a, b, c, start, length < 0 ? null : start + length, growth,
            ramped ? [0.5, 0.75] : [], hourly, relet, stepYear, term);

    private static RevenueStream Describe(int kind, string name, double a, double b, double c, int start, int? end,
        double growth, double[] ramp, bool hourly, bool relet, int stepYear, int term) => kind switch
    {
        0 => new Parking
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            Spaces = Math.Round(a), Occupancy = b,
            FeeYuanPerSpacePerMonth = hourly ? null : c * 10,
            FeeYuanPerHour = hourly ? c / 5 : null,
            HoursPerDay = hourly ? 8.0 : null,
        },
        1 => new CommercialLease
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            AreaM2 = a * 10, Rent = c / 10, Occupancy = b, Steps = [new RentStep(stepYear, 1.1)],
        },
        2 => new EvCharging
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            Chargers = Math.Round(a / 10) + 1, PowerKw = 7, Utilisation = b / 5, FeeYuanPerKwh = c / 20,
        },
        3 => new PropertyFee
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            Households = Math.Round(a * 5), M2PerHousehold = 60, FeeYuanPerM2PerMonth = c / 20, CollectionRate = b,
        },
        4 => new OpsContract
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            AnnualYuan = a * 1_000, TermYears = term, Relet = relet, ReletFactor = 0.9, ReletGrowth = 0.01,
        },
        5 => new AssetRent
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            AnnualYuan = a * 2_000, Occupancy = b,
        },
        _ => new GenericStream
        {
            Name = name, StartOperationYear = start, EndOperationYear = end, Growth = growth, Ramp = [.. ramp],
            Driver = a, PriceYuanPerUnit = c * 50,
        },
    };

    private static Gen<Costs> CostsOf(ValueArray<RevenueStream> streams) =>
        from fixedCount in Gen.Choose(0, 2)
        from fixedAmounts in Between(1_000, 50_000).ArrayOf(fixedCount)
        from inflation in Between(0, 0.03)
        from variableCount in Gen.Choose(0, 2)
        from variableShares in Between(0.01, 0.25).ArrayOf(variableCount)
        from onlyFirst in Gen.Elements(true, false)
        from repair in Gen.Elements(true, false)
        from repairAmount in Between(5_000, 100_000)
        from interval in Gen.Choose(2, 6)
        select new Costs
        {
            Fixed = [.. fixedAmounts.Select((x, i) => new FixedCost { Name = "fixed" + i, AnnualYuan = x, Inflation = inflation })],
            Variable = [.. variableShares.Select((x, i) => new VariableCost
            {
                Name = "variable" + i,
                ShareOfRevenue = x,
                Streams = onlyFirst && i == 0 ? [streams[0].Name] : [],
            })],
            MajorRepairs = repair ? [new MajorRepair { Name = "repair", AmountYuan = repairAmount, IntervalYears = interval }] : [],
        };

    /// <summary>Valid small districts; <paramref name="withDebt"/> false leaves bonds and loans out.</summary>
    public static Gen<District> District(bool withDebt = true) =>
        from construction in Gen.Choose(1, 3)
        from delay in Gen.Choose(0, 2)
        from componentCount in Gen.Choose(1, 3)
        from components in Gen.CollectToArray(Enumerable.Range(0, componentCount).Select(i => Component(i, construction)))
        let planned = components.Sum(c => c.AmountYuan.BaseValue)
        from overrun in Gen.Elements(1.0, 0.9, 1.25)
        from hasGrant in Gen.Elements(true, false)
        from grantShare in Between(0.1, 0.4)
        from bondCount in withDebt ? Gen.Choose(0, 2) : Gen.Constant(0)
        from bonds in Gen.CollectToArray(Enumerable.Range(0, bondCount).Select(i => Bond(i, construction, planned)))
        from loanCount in withDebt ? Gen.Choose(0, 2) : Gen.Constant(0)
        from loans in Gen.CollectToArray(Enumerable.Range(0, loanCount).Select(i => Loan(i, construction, planned)))
        from equity in Gen.Choose(0, 2) // 0 none, 1 fixed, 2 residual
        from equityShare in Between(0.05, 0.3)
        from streamCount in Gen.Choose(1, 4)
        from streams in Gen.CollectToArray(Enumerable.Range(0, streamCount).Select(Stream))
        from costs in CostsOf([.. streams])
        from revenueTax in Gen.Elements(0.0, 0.05)
        from incomeTax in Gen.Elements(0.0, 0.25)
        from policy in Gen.Elements(PreOperationInterest.Paid, PreOperationInterest.Capitalised, PreOperationInterest.Reserve)
        from backstop in Gen.Elements(true, false)
        from distribute in Gen.Elements(true, false)
        from reserveRate in Gen.Elements(0.0, 0.02)
        from targetMonths in Gen.Elements(0.0, 6.0)
        from discount in Between(0.03, 0.08)
        from extraYears in Gen.Choose(1, 4)
        let lastDebtYear = Math.Max(
            bonds.Select(b => b.MaturityYear).DefaultIfEmpty(0).Max(),
            loans.Select(l => l.MaturityYear).DefaultIfEmpty(0).Max())
        let horizon = Math.Max(lastDebtYear, construction + delay + 2) + extraYears
        select new District
        {
            Metadata = new Metadata { Name = "generated" },
            Timeline = new Timeline { ConstructionYears = construction, HorizonYears = horizon, DelayYears = delay },
            Capex = new Capex { Components = [.. components], Overrun = overrun },
            Funding =
            [
                .. hasGrant ? [new Grant { Name = "grant", Kind = GrantKind.CentralBudget, Amount = FundingAmount.ShareOf(grantShare) }] : Array.Empty<FundingSource>(),
                .. bonds,
                .. loans,
                .. equity switch
                {
                    1 => [new SocialCapital { Name = "equity", Amount = FundingAmount.Fixed(Math.Round(equityShare * planned)) }],
                    2 => [new SocialCapital { Name = "equity", Amount = new FundingAmount(), Residual = true }],
                    _ => Array.Empty<FundingSource>(),
                },
            ],
            Revenues = [.. streams],
            Costs = costs,
            Taxes = new Taxes { RevenueTaxRate = revenueTax, IncomeTaxRate = incomeTax },
            Waterfall = new Waterfall
            {
                PreOperationInterest = policy,
                FiscalBackstop = backstop,
                DistributeExcess = distribute,
                ReserveInterestRate = reserveRate,
                ReserveTargetMonths = targetMonths,
            },
            Analysis = new Analysis { DiscountRate = discount },
        };

    /// <summary>The fixed yearly rate of a generated debt instrument (coupon, or max(floor, base + spread)).</summary>
    public static double RateOf(FundingSource debt) => debt switch
    {
        SpecialBond b => b.Coupon.BaseValue,
        Loan l => Math.Max(l.RateFloor ?? double.NegativeInfinity, l.BaseRate.BaseValue + l.Spread.BaseValue),
        _ => throw new ArgumentException($"'{debt.Name}' is not debt", nameof(debt)),
    };

    /// <summary>The year of the last principal repayment: the instrument's balance is 0 from then on.</summary>
    public static int LastRepaymentYear(FundingSource debt) => debt switch
    {
        SpecialBond { Repayment: PrincipalRepayment.EqualParts } b => b.RepayToYear ?? b.MaturityYear,
        SpecialBond { Repayment: PrincipalRepayment.Custom } b => b.Schedule.Max(x => x.Year),
        SpecialBond b => b.MaturityYear,
        Loan l => l.MaturityYear,
        _ => throw new ArgumentException($"'{debt.Name}' is not debt", nameof(debt)),
    };

    /// <summary>The district with every revenue price and every cost amount multiplied by k.</summary>
    public static District ScaleMoney(District d, double k) => d with
    {
        Revenues = [.. d.Revenues.Select(s => ScaleStream(s, k))],
        Costs = d.Costs with
        {
            Fixed = [.. d.Costs.Fixed.Select(c => c with { AnnualYuan = c.AnnualYuan.BaseValue * k })],
            MajorRepairs = [.. d.Costs.MajorRepairs.Select(c => c with { AmountYuan = c.AmountYuan.BaseValue * k })],
        },
    };

    /// <summary>One stream's price multiplied by k (its revenue in every year scales by k).</summary>
    public static RevenueStream ScaleStream(RevenueStream s, double k) => s switch
    {
        Parking p when p.FeeYuanPerSpacePerMonth is not null => p with { FeeYuanPerSpacePerMonth = p.FeeYuanPerSpacePerMonth.BaseValue * k },
        Parking p => p with { FeeYuanPerHour = p.FeeYuanPerHour!.BaseValue * k },
        CommercialLease c => c with { Rent = c.Rent.BaseValue * k },
        EvCharging e => e with { FeeYuanPerKwh = e.FeeYuanPerKwh.BaseValue * k },
        PropertyFee f => f with { FeeYuanPerM2PerMonth = f.FeeYuanPerM2PerMonth.BaseValue * k },
        OpsContract o => o with { AnnualYuan = o.AnnualYuan.BaseValue * k },
        AssetRent a => a with { AnnualYuan = a.AnnualYuan.BaseValue * k },
        GenericStream g => g with { PriceYuanPerUnit = g.PriceYuanPerUnit.BaseValue * k },
        _ => throw new ArgumentException($"stream '{s.Name}' has an unknown kind", nameof(s)),
    };
}
