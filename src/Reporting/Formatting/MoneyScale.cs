using System.Globalization;

namespace DistrictSim.Reporting.Formatting;

/// <summary>
/// The unit money is shown in, chosen once per chart (or table row) from the largest magnitude shown:
/// below 1亿 yuan (100 million) amounts read in 万元 (ten thousand yuan), the unit Chinese project
/// finance plans use; from 1亿 up they read in 亿元. So 7,600万元 stays 7,600 万元 and 1.2亿 reads 1.2 亿元.
/// Every value on one chart uses the same scale, never a mix.
/// </summary>
public readonly record struct MoneyScale
{
    /// <summary>万元: ten thousand yuan.</summary>
    public static MoneyScale Wan { get; } = new(1e4, "万元");

    /// <summary>亿元: one hundred million yuan.</summary>
    public static MoneyScale Yi { get; } = new(1e8, "亿元");

    /// <summary>The threshold between the two units, in yuan: 1亿.</summary>
    public const double YiThresholdYuan = 1e8;

    private MoneyScale(double yuanPerUnit, string unit)
    {
        YuanPerUnit = yuanPerUnit;
        Unit = unit;
    }

    public double YuanPerUnit { get; }

    /// <summary>The unit's label, for axes ("NPV (万元)") and tables.</summary>
    public string Unit { get; }

    /// <summary>The scale for values whose largest magnitude is <paramref name="maxAbsYuan"/>; NaN and infinities are ignored (万元).</summary>
    public static MoneyScale For(double maxAbsYuan) =>
        double.IsFinite(maxAbsYuan) && Math.Abs(maxAbsYuan) >= YiThresholdYuan ? Yi : Wan;

    /// <summary>The scale for a set of values: by the largest finite magnitude among them.</summary>
    public static MoneyScale For(IEnumerable<double> yuan)
    {
        ArgumentNullException.ThrowIfNull(yuan);
        var max = 0.0;
        foreach (var value in yuan)
        {
            if (double.IsFinite(value)) max = Math.Max(max, Math.Abs(value));
        }
        return For(max);
    }

    public double ToUnit(double yuan) => yuan / YuanPerUnit;

    public double[] ToUnit(IEnumerable<double> yuan)
    {
        ArgumentNullException.ThrowIfNull(yuan);
        return yuan.Select(ToUnit).ToArray();
    }

    /// <summary>"410 万元", "1.23 亿元"; "n/a" for NaN.</summary>
    public string Format(double yuan) =>
        double.IsFinite(yuan) ? $"{Number(ToUnit(yuan))} {Unit}" : "n/a";

    /// <summary>The amount alone in this unit, with digits by magnitude ("7,600", "41.3", "1.23").</summary>
    public string Number(double value) => Numbers.Significant(value);

    public override string ToString() => Unit;
}

/// <summary>Invariant-culture number formats shared by charts and reports.</summary>
public static class Numbers
{
    /// <summary>Three significant digits at most, thousands separators, no exponent: 7,600 / 41.3 / 1.23 / 0.0412.</summary>
    public static string Significant(double value)
    {
        if (!double.IsFinite(value)) return "n/a";
        var abs = Math.Abs(value);
        var format = abs >= 100 ? "#,##0" : abs >= 10 ? "#,##0.#" : abs >= 1 ? "0.##" : abs == 0 ? "0" : "0.###";
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>A probability as a percentage: 63%, 12.5%, &lt;0.1%, 100%.</summary>
    public static string Percent(double probability)
    {
        if (!double.IsFinite(probability)) return "n/a";
        var pct = probability * 100;
        if (pct > 0 && pct < 0.1) return "<0.1%";
        if (pct < 100 && pct > 99.9) return ">99.9%";
        return pct.ToString("0.#", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>A count with thousands separators: 100,000.</summary>
    public static string Count(long count) => count.ToString("#,##0", CultureInfo.InvariantCulture);
}
