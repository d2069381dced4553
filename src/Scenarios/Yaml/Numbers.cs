using System.Globalization;

namespace DistrictSim.Scenarios.Yaml;

/// <summary>What a numeric field measures, which decides the notations it accepts.</summary>
internal enum NumberKind
{
    /// <summary>Yuan: magnitude suffixes allowed (7600万, 1.2亿, 2.04M, 15k), no percent.</summary>
    Yuan,
    /// <summary>Counts and physical quantities (spaces, m2, kW, fees per unit): suffixes allowed, no percent.</summary>
    Quantity,
    /// <summary>Rates, shares and probabilities as fractions: percent allowed (3.2%), no suffix.</summary>
    Fraction,
    /// <summary>Dimensionless factors (overrun, ramp, phasing): percent allowed, no suffix.</summary>
    Factor,
    /// <summary>Distribution shape parameters and whole numbers: plain numbers only.</summary>
    Plain,
}

/// <summary>
/// Parses the number notations of scenario files. Magnitude suffixes: 千 = k = K = 1e3, 万 = 1e4,
/// 百万 = M = 1e6, 千万 = 1e7, 亿 = 1e8, B = 1e9; one suffix per number. Percent divides by 100.
/// Values are computed by shifting the decimal exponent, so 1.2亿 is exactly the double nearest 120000000.
/// </summary>
internal static class Numbers
{
    /// <summary>No amount or quantity in a district comes near this: larger values are typos.</summary>
    public const double MaxMagnitude = 1e15;

    private static readonly (string Suffix, int Exponent)[] Suffixes =
    [
        ("百万", 6), ("千万", 7), ("万", 4), ("亿", 8), ("千", 3), ("k", 3), ("K", 3), ("M", 6), ("B", 9),
    ];

    public static string SuffixList => "千/k/K (1e3), 万 (1e4), 百万/M (1e6), 千万 (1e7), 亿 (1e8), B (1e9)";

    public static bool TryParse(string text, NumberKind kind, out double value, out string error)
    {
        value = 0;
        error = "";
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        if (s.Length == 0)
        {
            error = "expected a number, found an empty value";
            return false;
        }
        var exponent = 0;
        var percent = false;
        string? suffixUsed = null;
        if (s.EndsWith('%'))
        {
            percent = true;
            s = s[..^1].TrimEnd();
            exponent -= 2;
        }
        foreach (var (suffix, e) in Suffixes)
        {
            if (s.Length > suffix.Length && s.EndsWith(suffix, StringComparison.Ordinal))
            {
                suffixUsed = suffix;
                s = s[..^suffix.Length].TrimEnd();
                exponent += e;
                break;
            }
        }
        if (suffixUsed != null && Suffixes.Any(x => s.EndsWith(x.Suffix, StringComparison.Ordinal)))
        {
            error = $"'{text}' stacks magnitude suffixes; use one ({SuffixList}) or scientific notation";
            return false;
        }
        if (!IsPlainNumber(s))
        {
            error = $"expected a number, found '{Clip(text)}'" + (LooksLikeSuffixed(s) ? $" (magnitude suffixes: {SuffixList})" : "");
            return false;
        }
        if (percent && suffixUsed != null)
        {
            error = $"'{text}' mixes a percent sign and a magnitude suffix";
            return false;
        }
        if (percent && kind is not (NumberKind.Fraction or NumberKind.Factor))
        {
            error = $"'{text}': a percentage is not allowed here; this field is {Describe(kind)}";
            return false;
        }
        if (suffixUsed != null && kind is not (NumberKind.Yuan or NumberKind.Quantity))
        {
            error = $"'{text}': a magnitude suffix is not allowed here; this field is {Describe(kind)}";
            return false;
        }
        var mantissa = s;
        var e10 = exponent;
        var ePos = s.IndexOfAny(['e', 'E']);
        if (ePos >= 0)
        {
            if (!int.TryParse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var given) || Math.Abs(given) > 100_000)
            {
                error = $"'{Clip(text)}' is out of range: not a finite number";
                return false;
            }
            mantissa = s[..ePos];
            e10 += given;
        }
        var composed = e10 == 0 ? mantissa : mantissa + "e" + e10.ToString(CultureInfo.InvariantCulture);
        if (!double.TryParse(composed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            error = $"'{Clip(text)}' is out of range: not a finite number";
            return false;
        }
        if (Math.Abs(value) > MaxMagnitude)
        {
            error = $"'{Clip(text)}' = {value.ToString("G4", CultureInfo.InvariantCulture)} is an absurd magnitude (the limit is 1e15)";
            return false;
        }
        if (value == 0) value = 0; // no negative zero
        return true;
    }

    public static string Describe(NumberKind kind) => kind switch
    {
        NumberKind.Yuan => "an amount in yuan (suffixes like 7600万 or 2.04M allowed)",
        NumberKind.Quantity => "a quantity (suffixes like 1.2k allowed)",
        NumberKind.Fraction => "a fraction (0.032 or 3.2%)",
        NumberKind.Factor => "a factor (1.05 or 105%)",
        _ => "a plain number",
    };

    private static bool IsPlainNumber(string s)
    {
        // [sign] digits [. digits] [e [sign] digits]
        var i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            var expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == s.Length;
    }

    private static bool LooksLikeSuffixed(string s) => s.Length > 0 && char.IsAsciiDigit(s[0]);

    internal static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>The shortest text that parses back to the same double.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
