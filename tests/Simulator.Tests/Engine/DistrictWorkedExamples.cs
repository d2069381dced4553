using DistrictSim.Finance;
using DistrictSim.Model;
using Xunit;
using static DistrictSim.Simulator.Tests.Engine.Worked;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>Whole districts small enough to evaluate by hand: metrics, the waterfall, sources and uses.</summary>
public sealed class DistrictWorkedExamples
{
    private static readonly Parking FiveSpaces = new()
    {
        Name = "parking",
        Spaces = 5,
        Occupancy = 1.0,
        FeeYuanPerSpacePerMonth = 1.0,
    };

    [Fact]
    public void TwoStreamDistrict_HasHandNpvIrrAndDscr()
    {
        // Capex 100 in year 0; year 1 revenue = asset rent 50 + parking 5 spaces x 100% x 1 yuan x 12 = 60,
        // so 110. A loan of 80 at 5% repaid in year 1: debt service 80 + 4 = 84.
        var district = District(1, 2,
            [Component("building", 100)],
            [Loan("bank", 80, 0.05, 0, 1, LoanRepayment.EqualPrincipal)],
            [Rent("rent", 50), FiveSpaces],
            discountRate: 0.05);
        var s = Evaluate(district);

        Rows([0, 50], Row(s.Revenue, "rent"), 1e-12, "asset rent");
        Rows([0, 60], Row(s.Revenue, "parking"), 1e-12, "parking");
        Rows([0, 110], s.CfadsYuan, 1e-12, "CFADS");
        // NPV (Excel convention) = -100 / 1.05 + 110 / 1.05^2 = -95.238095 + 99.773243 = 4.535147.
        var npv = -100 / 1.05 + 110 / (1.05 * 1.05);
        Near(4.535147, npv, 1e-6, "hand NPV");
        Near(npv, s.Metrics.NpvYuan, 1e-9, "project NPV");
        // IRR: -100 / (1 + r) + 110 / (1 + r)^2 = 0  =>  r = 10%.
        Near(0.10, s.Metrics.ProjectIrr, 1e-10, "project IRR");
        // DSCR year 1 = 110 / 84; the only debt-service year, so also the minimum and the coverage.
        Near(110 / 84.0, s.Dscr[1], 1e-12, "DSCR", 1);
        Near(110 / 84.0, s.Metrics.MinDscr, 1e-12, "minimum DSCR");
        Near(110 / 84.0, s.Metrics.CoverageRatio, 1e-12, "coverage");
        // Payback: cumulative -100, +10: year 1.
        Near(1, s.Metrics.PaybackYear, 0, "payback year");
    }

    [Fact]
    public void LongerDistrict_NpvAtItsIrrIsZero()
    {
        // Capex 100, then 40 a year for 3 years: NPV at 5% = -100/1.05 + 40 (1/1.05^2 + 1/1.05^3 + 1/1.05^4).
        var s = Evaluate(District(1, 4, [Component("building", 100)], revenues: [Rent("rent", 40)]));
        var npv = -100 / 1.05 + 40 * (Math.Pow(1.05, -2) + Math.Pow(1.05, -3) + Math.Pow(1.05, -4));
        Near(npv, s.Metrics.NpvYuan, 1e-9, "project NPV");
        double[] flows = [-100, 40, 40, 40];
        Near(0, Irr.Npv(s.Metrics.ProjectIrr, flows), 1e-6 * 100, "NPV at the project IRR");
        // 3 x 40 = 120 > 100 so the IRR is positive, and 40 / 100 = 40% a year is an upper bound.
        Assert.InRange(s.Metrics.ProjectIrr, 0.0, 0.4);
        // No debt: DSCR, its minimum and coverage are undefined, not 0 or infinity.
        Assert.True(double.IsNaN(s.Metrics.MinDscr), $"min DSCR: expected NaN, found {s.Metrics.MinDscr}");
        Assert.True(double.IsNaN(s.Metrics.CoverageRatio), $"coverage: expected NaN, found {s.Metrics.CoverageRatio}");
        Assert.All(s.Dscr, d => Assert.True(double.IsNaN(d)));
    }

    // A loan of 1,000,000 drawn at the end of year 0 at 5%, one grace year, repaid in 2 equal parts.
    // One construction year plus a one-year delay: operations start in year 2, so the 50,000 interest
    // of year 1 falls due before operations earn anything.
    private static District DelayedDistrict(PreOperationInterest policy) => District(1, 5,
        [Component("garage", 1_000_000)],
        [Loan("cdb", 1_000_000, 0.05, 1, 2, LoanRepayment.EqualPrincipal)],
        [Rent("shops", 800_000)],
        new Waterfall { PreOperationInterest = policy },
        delayYears: 1);

    [Fact]
    public void PreOperationInterest_Paid_ShowsAsShortfallToppedUp()
    {
        var s = Evaluate(DelayedDistrict(PreOperationInterest.Paid));
        Assert.Equal(2, s.OperationStartYear);
        // Year 1: interest 5% x 1,000,000 = 50,000 due, CFADS 0: a shortfall of 50,000, topped up.
        // Years 2-3: principal 500,000 each, interest 50,000 then 25,000.
        Rows([0, 50_000, 50_000, 25_000, 0], Row(s.InterestDue, "cdb"), 1e-6, "interest");
        Rows([0, 0, 500_000, 500_000, 0], Row(s.PrincipalDue, "cdb"), 1e-6, "principal");
        Rows([0, 50_000, 0, 0, 0], s.FiscalTopupYuan, 1e-6, "fiscal top-up");
        Near(50_000, s.Metrics.FiscalTopupYuan, 1e-6, "total top-up");
        Near(1, s.Metrics.FirstShortfallYear, 0, "first shortfall year");
        // The year-1 DSCR is 0 / 50,000 = 0: the minimum over the years with debt service.
        Near(0, s.Metrics.MinDscr, 0, "minimum DSCR");
    }

    [Fact]
    public void PreOperationInterest_Capitalised_IsAddedToPrincipal()
    {
        var s = Evaluate(DelayedDistrict(PreOperationInterest.Capitalised));
        // Year 1: 50,000 added to the principal: balance 1,050,000, nothing due.
        // Years 2-3: principal 525,000 each, interest 5% x 1,050,000 = 52,500 then 5% x 525,000 = 26,250.
        Rows([0, 0, 52_500, 26_250, 0], Row(s.InterestDue, "cdb"), 1e-6, "interest");
        Rows([0, 0, 525_000, 525_000, 0], Row(s.PrincipalDue, "cdb"), 1e-6, "principal");
        Rows([1_000_000, 1_050_000, 525_000, 0, 0], Row(s.DebtBalance, "cdb"), 1e-6, "balance");
        Near(0, s.Metrics.FiscalTopupYuan, 1e-9, "total top-up");
    }

    [Fact]
    public void PreOperationInterest_Reserve_IsFundedByExtraDebt()
    {
        var s = Evaluate(DelayedDistrict(PreOperationInterest.Reserve));
        // The reserve R pays year 1's interest on the loan and on itself: R = 5% (1,000,000 + R)
        // => R = 50,000 / 0.95 = 52,631.58, drawn with the loan in year 0.
        var reserve = 0.05 * 1_000_000 / 0.95;
        Near(52_631.58, reserve, 0.005, "hand reserve");
        Rows([reserve, 0, 0, 0, 0], s.InterestReserveFundingYuan, 1e-6, "interest-reserve funding");
        Rows([1_000_000 + reserve, 0, 0, 0, 0], Row(s.Sources, "cdb"), 1e-6, "loan draw");
        // Year 1's interest is paid from the reserve (nothing due); then 2 parts of 526,315.79
        // with interest 5% x 1,052,631.58 = 52,631.58 and 5% x 526,315.79 = 26,315.79.
        var drawn = 1_000_000 + reserve;
        Rows([0, 0, 0.05 * drawn, 0.05 * drawn / 2, 0], Row(s.InterestDue, "cdb"), 1e-6, "interest");
        Rows([0, 0, drawn / 2, drawn / 2, 0], Row(s.PrincipalDue, "cdb"), 1e-6, "principal");
        Near(0, s.Metrics.FiscalTopupYuan, 1e-9, "total top-up");
    }

    // Loan of 300 at 10%, equal principal over years 1-3: debt service 100 + 30 = 130, 100 + 20 = 120,
    // 100 + 10 = 110. Rent 140 with a ramp of 100% then 75%: revenue 140, 105, 140.
    private static District ShortOfCash(bool backstop) => District(1, 4,
        [Component("garage", 300)],
        [Loan("bank", 300, 0.10, 0, 3, LoanRepayment.EqualPrincipal)],
        [new AssetRent { Name = "rent", AnnualYuan = 140, Ramp = [1.0, 0.75] }],
        new Waterfall { FiscalBackstop = backstop });

    [Fact]
    public void Reserve_AbsorbsFirst_ThenFiscalTopupBringsItBackToZero()
    {
        var s = Evaluate(ShortOfCash(backstop: true));
        // Year 1: 0 + 140 - 130 = 10 to the reserve.
        // Year 2: 10 + 105 - 120 = -5: a shortfall; the government tops up 5, the reserve is 0.
        // Year 3: 0 + 140 - 110 = 30.
        Rows([0, 140, 105, 140], s.CfadsYuan, 1e-9, "CFADS");
        Rows([0, 130, 120, 110], s.DebtServiceYuan, 1e-9, "debt service");
        Rows([0, 10, 0, 30], s.ReserveYuan, 1e-9, "reserve");
        Rows([0, 0, 5, 0], s.FiscalTopupYuan, 1e-9, "fiscal top-up");
        Rows([0, 0, 0, 0], s.DefaultYuan, 1e-9, "default");
        Near(5, s.Metrics.FiscalTopupYuan, 1e-9, "total top-up");
        Near(2, s.Metrics.FirstShortfallYear, 0, "first shortfall year");
        // Min DSCR = 105 / 120 = 0.875; coverage = (140 + 105 + 140) / (130 + 120 + 110) = 385 / 360.
        Near(105 / 120.0, s.Metrics.MinDscr, 1e-12, "minimum DSCR");
        Near(385 / 360.0, s.Metrics.CoverageRatio, 1e-12, "coverage");
    }

    [Fact]
    public void WithoutFiscalBackstop_TheShortfallIsADefault()
    {
        var s = Evaluate(ShortOfCash(backstop: false));
        // Same arithmetic as above; the 5 short in year 2 is a default, and nobody tops up.
        Rows([0, 0, 0, 0], s.FiscalTopupYuan, 1e-9, "fiscal top-up");
        Rows([0, 0, 5, 0], s.DefaultYuan, 1e-9, "default");
        Rows([0, 10, 0, 30], s.ReserveYuan, 1e-9, "reserve");
        Near(5, s.Metrics.DefaultYuan, 1e-9, "total default");
        Near(0, s.Metrics.FiscalTopupYuan, 0, "total top-up");
        Near(2, s.Metrics.FirstShortfallYear, 0, "first shortfall year");
    }

    // Planned capex 1,000, a 20% overrun (actual 1,200); a central-budget grant of 30% of planned
    // capex (300) and a loan of 500.
    private static District Overrun(bool residualEquity)
    {
        var grant = new Grant { Name = "central", Kind = GrantKind.CentralBudget, Amount = FundingAmount.ShareOf(0.3) };
        var loan = Loan("bank", 500, 0.04, 0, 2, LoanRepayment.EqualPrincipal);
        FundingSource[] funding = residualEquity
            ? [grant, loan, new SocialCapital { Name = "investor", Amount = new FundingAmount(), Residual = true }]
            : [grant, loan];
        return District(1, 4, [Component("garage", 1_000)], funding, [Rent("rent", 400)], overrun: 1.2);
    }

    [Fact]
    public void ResidualEquity_AbsorbsTheOverrun_SourcesEqualUses()
    {
        var s = Evaluate(Overrun(residualEquity: true));
        // Uses: 1,000 x 1.2 = 1,200. Sources: grant 300 + loan 500 + equity 1,200 - 800 = 400.
        Near(1_200, s.CapexYuan[0], 1e-9, "capex", 0);
        Near(300, Row(s.Sources, "central")[0], 1e-9, "grant", 0);
        Near(500, Row(s.Sources, "bank")[0], 1e-9, "loan", 0);
        Near(400, Row(s.Sources, "investor")[0], 1e-9, "residual equity", 0);
        Near(s.CapexYuan[0], s.Sources.Sum(x => x.Yuan[0]), 1e-9, "sources = uses", 0);
        Rows([0, 0, 0, 0], s.FundingGapYuan, 0, "funding gap");
        Near(0, s.Metrics.FundingGapYuan, 0, "total funding gap");
    }

    [Fact]
    public void WithoutResidualEquity_TheOverrunIsAFundingGap()
    {
        var s = Evaluate(Overrun(residualEquity: false));
        // 1,200 - 300 - 500 = 400 not covered: reported as a gap in year 0, never absorbed.
        Rows([400, 0, 0, 0], s.FundingGapYuan, 1e-9, "funding gap");
        Near(400, s.Metrics.FundingGapYuan, 1e-9, "total funding gap");
        Near(s.CapexYuan[0], s.Sources.Sum(x => x.Yuan[0]) + s.FundingGapYuan[0], 1e-9, "sources + gap = uses", 0);
    }

    [Fact]
    public void RentSteps_ApplyFromTheirOperationYear_EvenWhenTheLeaseStartsLater()
    {
        // Guards against indexing rent steps by the stream's own year instead of the operation year.
        // 100 m2 at 1 yuan/m2/month, full: 1,200 a year, from operation year 2 (calendar year 3);
        // a step x1.5 from operation year 3 (calendar year 4), per CommercialLease.Steps.
        var lease = new CommercialLease
        {
            Name = "shops",
            AreaM2 = 100,
            Rent = 1.0,
            RentBasis = RentBasis.PerM2PerMonth,
            Occupancy = 1.0,
            StartOperationYear = 2,
            Steps = [new RentStep(3, 1.5)],
        };
        var s = Evaluate(District(1, 6, [Component("shop", 1_000)], revenues: [lease]));
        // calendar years: 0 build; 1, 2 operation years 0, 1 (no lease); 3 op year 2: 1,200; 4, 5: 1,800.
        Rows([0, 0, 0, 1_200, 1_800, 1_800], Row(s.Revenue, "shops"), 1e-9, "lease revenue");
    }
}
