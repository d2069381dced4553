using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DistrictSim.Cli.Commands;
using DistrictSim.Statistics;

namespace DistrictSim.Cli.Output;

/// <summary>
/// summary.json, the stable contract: scenario, paths, seed, sampling, currency, coverage_requirement,
/// metrics.&lt;name&gt;.{unit, mean, std, se, min, max, p1 … p99, defined, undefined}, probabilities,
/// bands.&lt;series&gt; (by year), convergence, stopped_early and elapsed_seconds last. Money in yuan,
/// rates as fractions; a value that does not exist (NaN) is null. Doubles are written shortest
/// round-trip and invariant, so the same run gives the same bytes (apart from elapsed_seconds).
/// </summary>
public static class SummaryJson
{
    public static string Write(Summary summary)
    {
        using var stream = new MemoryStream();
        Write(summary, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Summary summary, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("scenario", summary.Scenario);
        w.WriteNumber("paths", summary.Paths);
        w.WriteNumber("seed", summary.Seed);
        w.WriteString("sampling", CommonOptions.SamplingName(summary.Sampling));
        w.WriteString("currency", summary.Currency);
        Number(w, "coverage_requirement", summary.CoverageRequirement);

        w.WriteStartObject("metrics");
        foreach (var (name, m) in summary.Metrics)
        {
            w.WriteStartObject(name);
            w.WriteString("unit", m.Unit);
            Number(w, "mean", m.Mean);
            Number(w, "std", m.Std);
            Number(w, "se", m.StandardError);
            Number(w, "min", m.Min);
            Number(w, "max", m.Max);
            var p = m.Percentiles;
            Number(w, "p1", p.P1);
            Number(w, "p5", p.P5);
            Number(w, "p10", p.P10);
            Number(w, "p25", p.P25);
            Number(w, "p50", p.P50);
            Number(w, "p75", p.P75);
            Number(w, "p90", p.P90);
            Number(w, "p95", p.P95);
            Number(w, "p99", p.P99);
            w.WriteNumber("defined", m.Defined);
            w.WriteNumber("undefined", m.Undefined);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        var pr = summary.Probabilities;
        w.WriteStartObject("probabilities");
        Number(w, "coverage_below_requirement", pr.CoverageBelowRequirement);
        Number(w, "any_shortfall", pr.AnyShortfall);
        Number(w, "never_pays_back", pr.NeverPaysBack);
        Number(w, "negative_npv", pr.NegativeNpv);
        Number(w, "expected_topup_given_shortfall", pr.ExpectedTopupGivenShortfall);
        Number(w, "npv_value_at_risk_95", pr.NpvValueAtRisk95);
        w.WriteEndObject();

        w.WriteStartObject("bands");
        foreach (var (series, points) in summary.Bands)
        {
            w.WriteStartArray(series);
            foreach (var b in points)
            {
                w.WriteStartObject();
                w.WriteNumber("year", b.Year);
                Number(w, "p5", b.P5);
                Number(w, "p25", b.P25);
                Number(w, "p50", b.P50);
                Number(w, "p75", b.P75);
                Number(w, "p95", b.P95);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WriteStartObject("convergence");
        foreach (var (metric, points) in summary.Convergence)
        {
            w.WriteStartArray(metric);
            foreach (var c in points)
            {
                w.WriteStartObject();
                w.WriteNumber("paths", c.Paths);
                Number(w, "mean", c.Mean);
                Number(w, "se", c.StandardError);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WriteBoolean("stopped_early", summary.StoppedEarly);
        Number(w, "elapsed_seconds", summary.ElapsedSeconds);
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Finite doubles shortest round-trip ("R"), invariant; NaN and infinities as null.</summary>
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
