using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Finance;
using DistrictSim.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using static DistrictSim.Simulator.Tests.Engine.Worked;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>Properties of the engine over generated districts (see <see cref="DistrictGenerators"/>).</summary>
public sealed class EngineProperties
{
    private const int Tests = 150;

    private static Arbitrary<District> Districts => Arb.From(DistrictGenerators.District());

    /// <summary>Money amounts compare within 1e-9 of the district's scale (its planned capex).</summary>
    private static double Tolerance(District d) => 1e-9 * Math.Max(1, d.Capex.Components.Sum(c => c.AmountYuan.BaseValue) * 3);

    [Property(MaxTest = Tests)]
    public Property DebtIsRepaidExactlyByMaturity_WithInterestOnTheOpeningBalance() => Prop.ForAll(Districts, d =>
    {
        var s = Evaluate(d);
        var tol = Tolerance(d);
        var policy = d.Waterfall.PreOperationInterest;
        double paidFromReserve = 0;
        foreach (var debt in d.Funding.Where(f => f is SpecialBond or DistrictSim.Model.Loan))
        {
            var rate = DistrictGenerators.RateOf(debt);
            var maturity = DistrictGenerators.LastRepaymentYear(debt);
            var draws = Row(s.Sources, debt.Name);
            var interest = Row(s.InterestDue, debt.Name);
            var principal = Row(s.PrincipalDue, debt.Name);
            var balance = Row(s.DebtBalance, debt.Name);
            double opening = 0, sumPrincipal = 0, sumDrawn = 0, sumCapitalised = 0, sumCharged = 0, sumRateTimesOpening = 0;
            for (var t = 0; t < s.Years; t++)
            {
                // The interest of the year is rate x opening balance; before operations it is due
                // (Paid), added to the balance (Capitalised) or met by the reserve (Reserve).
                var charged = rate * opening;
                var preOperation = t < s.OperationStartYear;
                // Capitalising stops at the last repayment: a principal already repaid cannot grow.
                var capitalised = preOperation && policy == PreOperationInterest.Capitalised && t < maturity ? charged : 0;
                var fromReserve = preOperation && policy == PreOperationInterest.Reserve ? charged : 0;
                Near(charged - capitalised - fromReserve, interest[t], tol, $"{debt.Name} interest due", t);
                // Balance identity: closing = opening - principal + capitalised interest + draw.
                Near(opening - principal[t] + capitalised + draws[t], balance[t], tol, $"{debt.Name} closing balance", t);
                if (t >= maturity) Near(0, balance[t], tol, $"{debt.Name} balance after maturity ({maturity})", t);
                sumPrincipal += principal[t];
                sumDrawn += draws[t];
                sumCapitalised += capitalised;
                sumCharged += interest[t] + capitalised + fromReserve;
                sumRateTimesOpening += charged;
                paidFromReserve += fromReserve;
                opening = balance[t];
            }
            var scale = Math.Max(1, sumDrawn + sumCapitalised);
            Near(sumDrawn + sumCapitalised, sumPrincipal, 1e-9 * scale, $"{debt.Name}: Σ principal vs amount drawn + capitalised interest");
            Near(sumRateTimesOpening, sumCharged, 1e-9 * scale, $"{debt.Name}: Σ interest vs Σ rate x opening balance");
        }
        if (policy == PreOperationInterest.Reserve)
        {
            // The reserve drawn with the debt pays exactly the pre-operation interest, its own included,
            // also where principal is repaid before operations start (the reserve follows the schedule).
            Near(paidFromReserve, s.InterestReserveFundingYuan.Sum(), tol, "interest-reserve funding vs interest it pays");
        }
    });

    [Property(MaxTest = Tests)]
    public Property SourcesEqualUses_EveryYear() => Prop.ForAll(Districts, d =>
    {
        var s = Evaluate(d);
        var tol = Tolerance(d);
        for (var t = 0; t < s.Years; t++)
        {
            // Σ sources + funding gap = capex + interest-reserve funding + change in construction cash.
            var sources = s.Sources.Sum(x => x.Yuan[t]) + s.FundingGapYuan[t];
            var cashChange = s.ConstructionCashYuan[t] - (t > 0 ? s.ConstructionCashYuan[t - 1] : 0);
            var uses = s.CapexYuan[t] + s.InterestReserveFundingYuan[t] + cashChange;
            Near(uses, sources, tol, "sources + gap vs uses", t);
            Assert.True(s.FundingGapYuan[t] >= 0, $"funding gap: expected >= 0 at year {t}, found {s.FundingGapYuan[t]}");
        }
    });

    [Property(MaxTest = Tests)]
    public Property NpvAtTheProjectIrr_IsZero_WhereTheIrrIsDefined() => Prop.ForAll(Districts, d =>
    {
        var s = Evaluate(d);
        var flows = ProjectFlows(s);
        var irr = s.Metrics.ProjectIrr;
        var expected = Irr.Compute(flows);
        Assert.True(double.IsNaN(irr) == double.IsNaN(expected), $"project IRR: expected {expected}, found {irr}");
        if (double.IsNaN(irr)) return;
        Assert.InRange(irr, Irr.MinRate, Irr.MaxRate);
        Near(0, Irr.Npv(irr, flows), 1e-6 * DiscountedScale(flows, irr), $"NPV at the IRR {irr}");
    });

    [Property(MaxTest = 300)]
    public Property NpvAtTheIrr_IsZero_ForArbitraryFlows() => Prop.ForAll(
        Arb.From(Gen.Choose(-1000, 1000).ArrayOf().Where(f => f.Length >= 2)),
        ints =>
        {
            var flows = ints.Select(x => (double)x).ToArray();
            var irr = Irr.Compute(flows);
            if (double.IsNaN(irr)) return;
            Assert.InRange(irr, Irr.MinRate, Irr.MaxRate);
            Near(0, Irr.Npv(irr, flows), 1e-6 * DiscountedScale(flows, irr), $"NPV at the IRR {irr}");
        });

    [Property(MaxTest = Tests)]
    public Property NpvAtRateZero_IsThePlainSum() => Prop.ForAll(Districts, d =>
    {
        var zero = d with { Analysis = d.Analysis with { DiscountRate = 0 } };
        var s = Evaluate(zero);
        var flows = ProjectFlows(s);
        var sum = flows.Sum();
        var tol = Tolerance(d) * s.Years;
        Near(sum, s.Metrics.NpvYuan, tol, "project NPV at 0%");
        Near(sum, Irr.Npv(0, flows), tol, "Irr.Npv at 0%");
        Near(sum, s.CumulativeProjectCashYuan[^1], tol, "cumulative project cash");
    });

    [Property(MaxTest = Tests)]
    public Property ScalingRevenueAndCosts_ScalesCfads() => Prop.ForAll(
        Arb.From(from d in DistrictGenerators.District() from k in Gen.Elements(0.5, 2.0, 3.7) select (d, k)),
        pair =>
        {
            var (d, k) = pair;
            var untaxed = d with { Taxes = new Taxes() };
            var s = Evaluate(untaxed);
            var scaled = Evaluate(DistrictGenerators.ScaleMoney(untaxed, k));
            var tol = 1e-9 * Math.Max(1, s.CfadsYuan.Max(Math.Abs)) * k;
            for (var t = 0; t < s.Years; t++) Near(k * s.CfadsYuan[t], scaled.CfadsYuan[t], tol, $"CFADS scaled by {k}", t);
        });

    [Property(MaxTest = Tests)]
    public Property RaisingARevenue_NeverLowersCfadsDscrOrCoverage() => Prop.ForAll(
        Arb.From(from d in DistrictGenerators.District()
                 from which in Gen.Choose(0, 3)
                 from raise in Gen.Elements(1.01, 1.5, 3.0)
                 select (d, which, raise)),
        triple =>
        {
            var (d, which, raise) = triple;
            var index = which % d.Revenues.Count;
            var raised = d with
            {
                Revenues = [.. d.Revenues.Select((r, i) => i == index ? DistrictGenerators.ScaleStream(r, raise) : r)],
            };
            var before = Evaluate(d);
            var after = Evaluate(raised);
            var tol = Tolerance(d);
            for (var t = 0; t < before.Years; t++)
            {
                Assert.True(after.CfadsYuan[t] >= before.CfadsYuan[t] - tol,
                    $"CFADS: expected at least {before.CfadsYuan[t]} at year {t}, found {after.CfadsYuan[t]}");
            }
            NotLower(before.Metrics.MinDscr, after.Metrics.MinDscr, "minimum DSCR");
            NotLower(before.Metrics.CoverageRatio, after.Metrics.CoverageRatio, "coverage ratio");
        });

    [Property(MaxTest = Tests)]
    public Property ReorderingStreams_ChangesNoMetric() => Prop.ForAll(Districts, d =>
    {
        var reversed = d with { Revenues = [.. d.Revenues.Reverse()] };
        var rotated = d with { Revenues = [.. d.Revenues.Skip(1), d.Revenues[0]] };
        var m = Evaluate(d).Metrics;
        SameMetrics(m, Evaluate(reversed).Metrics, "streams reversed");
        SameMetrics(m, Evaluate(rotated).Metrics, "streams rotated");
    });

    [Property(MaxTest = Tests)]
    public Property WithoutDebt_DscrAndCoverageAreUndefined() => Prop.ForAll(Arb.From(DistrictGenerators.District(withDebt: false)), d =>
    {
        var s = Evaluate(d);
        for (var t = 0; t < s.Years; t++)
        {
            Assert.True(s.DebtServiceYuan[t] == 0, $"debt service: expected 0 at year {t}, found {s.DebtServiceYuan[t]}");
            Assert.True(double.IsNaN(s.Dscr[t]), $"DSCR: expected NaN at year {t}, found {s.Dscr[t]}");
        }
        Assert.True(double.IsNaN(s.Metrics.MinDscr), $"minimum DSCR: expected NaN, found {s.Metrics.MinDscr}");
        Assert.True(double.IsNaN(s.Metrics.CoverageRatio), $"coverage: expected NaN, found {s.Metrics.CoverageRatio}");
        Assert.True(double.IsNaN(s.Metrics.SpecialBondCoverage), $"special-bond coverage: expected NaN, found {s.Metrics.SpecialBondCoverage}");
        Assert.True(double.IsNaN(s.Metrics.Llcr), $"LLCR: expected NaN, found {s.Metrics.Llcr}");
    });

    /// <summary>
    /// The flows' scale at rate r: Σ |f_t| / (1 + r)^(t + 1). At a negative IRR (say -90%) discounting
    /// multiplies late flows by 10^t, so rounding in NPV is relative to these magnitudes, not to Σ |f_t|.
    /// </summary>
    private static double DiscountedScale(double[] flows, double rate) =>
        Math.Max(1, flows.Select((f, t) => Math.Abs(f) * Math.Pow(1 + rate, -(t + 1))).Sum());

    private static double[] ProjectFlows(Statement s) =>
        [.. Enumerable.Range(0, s.Years).Select(t => s.CfadsYuan[t] - s.CapexYuan[t])];

    private static void NotLower(double before, double after, string what)
    {
        if (double.IsNaN(before) || double.IsNaN(after))
        {
            Assert.True(double.IsNaN(before) && double.IsNaN(after), $"{what}: expected {before}, found {after}");
            return;
        }
        Assert.True(after >= before - 1e-12 * Math.Max(1, Math.Abs(before)), $"{what}: expected at least {before}, found {after}");
    }

    private static void SameMetrics(Metrics expected, Metrics actual, string how)
    {
        (string Name, double Expected, double Actual)[] pairs =
        [
            ("NPV", expected.NpvYuan, actual.NpvYuan),
            ("equity NPV", expected.EquityNpvYuan, actual.EquityNpvYuan),
            ("project IRR", expected.ProjectIrr, actual.ProjectIrr),
            ("equity IRR", expected.EquityIrr, actual.EquityIrr),
            ("minimum DSCR", expected.MinDscr, actual.MinDscr),
            ("coverage", expected.CoverageRatio, actual.CoverageRatio),
            ("special-bond coverage", expected.SpecialBondCoverage, actual.SpecialBondCoverage),
            ("LLCR", expected.Llcr, actual.Llcr),
            ("payback year", expected.PaybackYear, actual.PaybackYear),
            ("fiscal top-up", expected.FiscalTopupYuan, actual.FiscalTopupYuan),
            ("first shortfall year", expected.FirstShortfallYear, actual.FirstShortfallYear),
            ("funding gap", expected.FundingGapYuan, actual.FundingGapYuan),
            ("default", expected.DefaultYuan, actual.DefaultYuan),
        ];
        foreach (var (name, e, a) in pairs)
        {
            if (double.IsNaN(e) || double.IsNaN(a))
            {
                Assert.True(double.IsNaN(e) && double.IsNaN(a), $"{name} ({how}): expected {e}, found {a}");
                continue;
            }
            // Summing streams in another order may move the last bits only.
            Near(e, a, 1e-9 * Math.Max(1, Math.Abs(e)), $"{name} ({how})");
        }
    }
}
