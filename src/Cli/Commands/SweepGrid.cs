using System.Globalization;

namespace DistrictSim.Cli.Commands;

/// <summary>One swept field: <c>field.path=FROM:TO:STEP</c>, values FROM, FROM+STEP, … up to TO (inclusive, within rounding).</summary>
public sealed record SweepAxis(string Field, IReadOnlyList<double> Values)
{
    public const int MaxPoints = 10_000;

    /// <summary>Parses one --set; numbers may end in % (a fraction), 万 (×10⁴) or 亿 (×10⁸).</summary>
    public static SweepAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new UsageException($"--set {text}: expected field.path=FROM:TO:STEP, for example funding.special_bond.share=30%:50%:5%.");
        var field = text[..eq].Trim();
        var parts = text[(eq + 1)..].Split(':');
        if (parts.Length != 3) throw new UsageException($"--set {text}: expected FROM:TO:STEP after '=', for example 30%:50%:5%.");
        var from = Number(text, parts[0]);
        var to = Number(text, parts[1]);
        var step = Number(text, parts[2]);
        if (!(step > 0)) throw new UsageException($"--set {text}: STEP must be positive; got {parts[2]}.");
        if (to < from) throw new UsageException($"--set {text}: TO ({parts[1]}) is below FROM ({parts[0]}).");
        var count = (long)Math.Floor(((to - from) / step) + 1e-9) + 1;
        if (count > MaxPoints) throw new UsageException($"--set {text}: {count} points; at most {MaxPoints}.");
        // Each value from its index (no accumulated rounding), rounded to 12 significant digits so 0.1+0.2 prints as 0.3.
        var values = Enumerable.Range(0, (int)count).Select(i => Math.Round(from + (i * step), 12)).ToArray();
        return new SweepAxis(field, values);
    }

    public static double Number(string option, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var scale = 1.0;
        if (t.EndsWith('%')) { scale = 0.01; t = t[..^1]; }
        else if (t.EndsWith('万')) { scale = 1e4; t = t[..^1]; }
        else if (t.EndsWith('亿')) { scale = 1e8; t = t[..^1]; }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException($"--set {option}: '{text}' is not a number (use 0.35, 35%, 7600万 or 1.2亿).");
        }
        return value * scale;
    }

    /// <summary>The value as the override's YAML text: invariant, round-trip.</summary>
    public static string Yaml(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Every combination of the axes' values (the first axis varies slowest).</summary>
    public static IReadOnlyList<double[]> Grid(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        IEnumerable<double[]> points = [[]];
        foreach (var axis in axes) points = points.SelectMany(p => axis.Values.Select(v => p.Append(v).ToArray()));
        var grid = points.ToList();
        if (grid.Count > MaxPoints) throw new UsageException($"the sweep has {grid.Count} points; at most {MaxPoints}.");
        return grid;
    }
}
