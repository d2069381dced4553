using DistrictSim.Finance;
using Xunit;
using static DistrictSim.Simulator.Tests.Engine.Worked;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>Annuity, NPV and IRR against Excel's documented examples and hand arithmetic.</summary>
public sealed class FinanceWorkedExamples
{
    [Fact]
    public void AnnuityPayment_EqualsExcelPmtExample()
    {
        // Excel's PMT documentation: PMT(8%/12, 10, 10000) = -1,037.03 (a payment, hence negative).
        // By hand: P r / (1 - (1 + r)^-n) with r = 0.08/12 = 0.0066667, n = 10:
        // (1.0066667)^-10 = 0.9357787, so 10000 x 0.0066667 / 0.0642213 = 1037.03.
        var r = 0.08 / 12;
        var expected = 10000 * r / (1 - Math.Pow(1 + r, -10));
        Near(1037.03, expected, 0.005, "hand PMT"); // the hand formula reproduces Excel's figure
        Near(1037.03, Annuity.Payment(10000, r, 10), 0.005, "Annuity.Payment");
    }

    [Fact]
    public void AnnuityPayment_AtZeroRate_IsEqualParts()
    {
        // 1200 over 12 periods at 0%: 1200 / 12 = 100 (Excel: PMT(0, 12, 1200) = -100).
        Near(100, Annuity.Payment(1200, 0, 12), 1e-12, "Annuity.Payment at 0%");
    }

    [Fact]
    public void Npv_EqualsExcelNpvExample()
    {
        // Excel's NPV documentation: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44;
        // -10000/1.1 + 3000/1.1^2 + 4200/1.1^3 + 6800/1.1^4
        // = -9090.909 + 2479.339 + 3155.522 + 4644.491 = 1188.44.
        double[] flows = [-10000, 3000, 4200, 6800];
        var hand = -10000 / 1.1 + 3000 / Math.Pow(1.1, 2) + 4200 / Math.Pow(1.1, 3) + 6800 / Math.Pow(1.1, 4);
        Near(1188.44, hand, 0.005, "hand NPV");
        Near(hand, Irr.Npv(0.10, flows), 1e-9, "Irr.Npv");
    }

    [Fact]
    public void Irr_OfMinus100Then110_IsTenPercent()
    {
        // -100 / (1 + r) + 110 / (1 + r)^2 = 0  =>  1 + r = 110 / 100  =>  r = 10%.
        double[] flows = [-100, 110];
        Near(0.10, Irr.Compute(flows), 1e-10, "IRR");
    }

    [Fact]
    public void Irr_EqualsExcelIrrExamples()
    {
        // Excel's IRR documentation: -70,000 then 12,000, 15,000, 18,000, 21,000 gives -2.1%;
        // with 26,000 in the fifth year 8.7%. At the computed IRR the NPV must vanish.
        double[] four = [-70000, 12000, 15000, 18000, 21000];
        double[] five = [-70000, 12000, 15000, 18000, 21000, 26000];
        var irrFour = Irr.Compute(four);
        var irrFive = Irr.Compute(five);
        Near(-0.021, irrFour, 0.0005, "IRR after four years");
        Near(0.087, irrFive, 0.0005, "IRR after five years");
        Near(0, Irr.Npv(irrFour, four), 1e-6 * 70000, "NPV at the four-year IRR");
        Near(0, Irr.Npv(irrFive, five), 1e-6 * 70000, "NPV at the five-year IRR");
    }

    [Fact]
    public void Irr_WithoutSignChange_IsUndefined()
    {
        // All flows positive: NPV > 0 at every rate, no root: undefined, never a number.
        double[] flows = [10, 20, 30];
        Assert.True(double.IsNaN(Irr.Compute(flows)), $"expected NaN, found {Irr.Compute(flows)}");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Irr_OfFlowsThatAreNotFinite_IsUndefined_NeverAnException(double bad)
    {
        double[] flows = [-100, 50, bad, 60];
        Assert.True(double.IsNaN(Irr.Compute(flows)));
    }

    [Fact]
    public void Irr_WithTwoRoots_IsTheOneNearestZero()
    {
        // -100, 230, -132 = -(100 - 230 x + 132 x^2)... with 1 + r = y: -100 y^2 + 230 y - 132 = 0
        // => y = (230 -+ sqrt(52900 - 52800)) / 200 = (230 -+ 10) / 200 = 1.1 or 1.2: roots 10% and 20%.
        double[] flows = [-100, 230, -132];
        Near(0.10, Irr.Compute(flows), 1e-9, "IRR nearest to 0");
    }

    [Theory]
    [InlineData(1.032, 20)]
    [InlineData(0.99, 7)]
    [InlineData(1.5, 1)]
    [InlineData(1.000001, 360)]
    public void IntegerPower_AgreesWithMathPow_WithinAFewUlps(double x, int n)
    {
        var expected = Math.Pow(x, n);
        Assert.Equal(expected, Annuity.IntegerPower(x, n), expected * 1e-14);
        Assert.Equal(1.0, Annuity.IntegerPower(x, 0));
    }
}
