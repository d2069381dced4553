using System.Globalization;
using System.Text;

namespace DistrictSim.Cli.Output;

/// <summary>RFC 4180 CSV with invariant round-trip numbers; NaN is an empty cell.</summary>
public sealed class Csv
{
    private readonly StringBuilder _text = new();

    public Csv Row(IEnumerable<string> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) _text.Append(',');
            first = false;
            _text.Append(Escape(cell));
        }
        _text.Append('\n');
        return this;
    }

    public Csv Row(params string[] cells) => Row((IEnumerable<string>)cells);

    public override string ToString() => _text.ToString();

    public static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Escape(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
