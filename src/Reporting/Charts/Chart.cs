namespace DistrictSim.Reporting.Charts;

/// <summary>
/// One rendered chart: plain data the CLI writes to files and the report embeds.
/// <see cref="Png"/> is always present (the report embeds it); <see cref="Svg"/> only when asked for.
/// </summary>
/// <param name="FileName">Relative file name of the PNG ("npv_histogram.png"); the SVG takes the same stem.</param>
/// <param name="Title">The chart's title as drawn, first line (what it shows).</param>
/// <param name="Png">PNG bytes of <see cref="ChartOptions.Width"/> x <see cref="ChartOptions.Height"/> pixels.</param>
/// <param name="Svg">SVG markup when <see cref="ChartOptions.Format"/> asks for it, else null.</param>
/// <param name="SeriesCount">Plottables drawn: bars, bands, lines and marker lines each count one.</param>
/// <param name="XLabel">Bottom axis label, with its unit in parentheses.</param>
/// <param name="YLabel">Left axis label, with its unit in parentheses.</param>
public sealed record Chart(string FileName, string Title, byte[] Png, string? Svg, int SeriesCount, string XLabel, string YLabel)
{
    /// <summary>The SVG's file name: the PNG's stem with ".svg".</summary>
    public string SvgFileName => Path.ChangeExtension(FileName, ".svg");
}

/// <summary>Which image formats a chart is rendered to. PNG always (the report embeds it).</summary>
public enum ChartFormat
{
    Png,
    PngAndSvg,
}

/// <summary>How charts are rendered: size in pixels and formats. Validated when charts are made.</summary>
public sealed record ChartOptions
{
    public const int MinSize = 200;
    public const int MaxSize = 8000;

    public int Width { get; init; } = 1000;
    public int Height { get; init; } = 600;
    public ChartFormat Format { get; init; } = ChartFormat.Png;

    public static ChartOptions Default { get; } = new();

    internal void Validate()
    {
        if (Width is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, $"Chart width must be between {MinSize} and {MaxSize} pixels.");
        if (Height is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(Height), Height, $"Chart height must be between {MinSize} and {MaxSize} pixels.");
        if (!Enum.IsDefined(Format))
            throw new ArgumentOutOfRangeException(nameof(Format), Format, "Unknown chart format.");
    }
}
