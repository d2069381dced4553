using System.Text;

namespace DistrictSim.Cli.Rendering;

/// <summary>
/// A plain aligned table that never wraps a cell: for wide year-by-year statements, where a terminal-width
/// table would break numbers across lines. First column left-aligned, the others right-aligned;
/// CJK characters count two columns.
/// </summary>
public sealed class TextTable(IReadOnlyList<string[]> header)
{
    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var all = header.Concat(_rows).ToList();
        var columns = all.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in all)
        {
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], DisplayWidth(row[c]));
        }

        void Line(string[] row)
        {
            var line = new StringBuilder();
            for (var c = 0; c < columns; c++)
            {
                var cell = c < row.Length ? row[c] : "";
                var pad = new string(' ', widths[c] - DisplayWidth(cell));
                if (c > 0) line.Append("  ");
                line.Append(c == 0 ? cell + pad : pad + cell);
            }
            writer.WriteLine(line.ToString().TrimEnd());
        }

        foreach (var row in header) Line(row);
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows) Line(row);
    }

    public static int DisplayWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var ch in text)
        {
            width += ch is >= '\u1100' and (<= '\u115F' or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6')) ? 2 : 1;
        }
        return width;
    }
}
