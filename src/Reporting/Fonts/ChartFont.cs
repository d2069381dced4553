using ScottPlot;
using SkiaSharp;

namespace DistrictSim.Reporting.Fonts;

/// <summary>
/// The one font every chart uses: WenQuanYi Micro Hei, embedded in this assembly (see Fonts/README.md),
/// so that Chinese scenario names and units render on a machine with no CJK font installed.
/// ScottPlot keeps its font resolvers in a process-wide list; <see cref="EnsureRegistered"/> adds ours
/// once, from memory (no temporary file), and is safe to call from any thread.
/// </summary>
public static class ChartFont
{
    /// <summary>The family name the charts ask ScottPlot for.</summary>
    public const string Name = "WenQuanYi Micro Hei (districtsim)";

    internal const string ResourceName = "DistrictSim.Reporting.Fonts.wqy-microhei.ttc";

    private static readonly Lazy<SKTypeface> Typeface = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once the embedded font is in ScottPlot's resolver list.</summary>
    public static bool IsRegistered => Registration.IsValueCreated && ScottPlot.Fonts.FontResolvers.OfType<EmbeddedFontResolver>().Any();

    /// <summary>Registers the embedded font with ScottPlot (first call only) and returns its family name.</summary>
    public static string EnsureRegistered()
    {
        _ = Registration.Value;
        return Name;
    }

    /// <summary>Whether the embedded font has a glyph for every character of <paramref name="text"/>.</summary>
    public static bool Covers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var font = new SKFont(Typeface.Value);
        return font.ContainsGlyphs(text);
    }

    private static bool Register()
    {
        ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(Typeface.Value));
        return true;
    }

    private static SKTypeface Load()
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded font resource '{ResourceName}' is missing from {typeof(ChartFont).Assembly.GetName().Name}.");
        using var data = SKData.Create(stream);
        // Index 0 of the collection is "WenQuanYi Micro Hei" (index 1 is the monospaced variant).
        return SKTypeface.FromData(data, 0)
            ?? throw new InvalidOperationException($"Embedded font resource '{ResourceName}' could not be decoded by SkiaSharp.");
    }

    /// <summary>Answers ScottPlot's requests for <see cref="Name"/> with the embedded typeface; other names fall through.</summary>
    private sealed class EmbeddedFontResolver(SKTypeface typeface) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            string.Equals(fontName, Name, StringComparison.Ordinal) ? typeface : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, Name, StringComparison.Ordinal) ? typeface : null;
    }
}
