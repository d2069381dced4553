using DistrictSim.Reporting.Charts;
using System.CommandLine;
using DistrictSim.Model;

namespace DistrictSim.Cli.Commands;

/// <summary>Options several commands share, each created fresh per command (a symbol belongs to one parent).</summary>
public static class CommonOptions
{
    public static Argument<string> Scenario() => new("scenario") { Description = "The scenario file (YAML)." };

    public static Option<long?> Paths(string? description = null)
    {
        var option = new Option<long?>("--paths", "-n") { Description = description ?? "Monte Carlo paths (default: the scenario's analysis.paths)." };
        option.Validators.Add(r =>
        {
            if (r.GetValue(option) is <= 0) r.AddError($"--paths must be a positive whole number; got {r.GetValue(option)}.");
        });
        return option;
    }

    public static Option<ulong?> Seed() => new("--seed", "-s") { Description = "Random seed (default: the scenario's analysis.seed)." };

    public static Option<int> Threads()
    {
        var option = new Option<int>("--threads", "-t") { Description = "Worker threads; 0 = one per core. Results do not depend on it." };
        option.Validators.Add(r =>
        {
            if (r.GetValue(option) < 0) r.AddError($"--threads must be 0 or more; got {r.GetValue(option)}.");
        });
        return option;
    }

    public static Option<string?> Sampling()
    {
        var option = new Option<string?>("--sampling") { Description = "mc (plain Monte Carlo) or lhs (Latin hypercube); default: the scenario's." };
        option.AcceptOnlyFromAmong("mc", "lhs");
        return option;
    }

    public static Option<string?> Out(string what) => new("--out", "-o") { Description = $"Folder for {what} (must be new or empty unless --force). Default: a new folder out/<scenario>/<yyyyMMdd-HHmmss>/." };

    public static Option<bool> Force() => new("--force", "-f") { Description = "Overwrite existing outputs." };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Show stack traces of internal errors and more detail." };

    public static Option<bool> NoCharts() => new("--no-charts") { Description = "Skip the charts and the report (faster)." };

    public static Option<bool> Svg() => new("--svg") { Description = "Also write every chart as SVG (vector), beside its PNG." };

    public static ChartOptions ChartsFor(bool svg) => new() { Format = svg ? ChartFormat.PngAndSvg : ChartFormat.Png };

    public static SamplingMethod? ParseSampling(string? text) => text switch
    {
        null => null,
        "mc" => SamplingMethod.MonteCarlo,
        "lhs" => SamplingMethod.LatinHypercube,
        _ => throw new UsageException($"--sampling must be mc or lhs; got '{text}'."),
    };

    public static string SamplingName(SamplingMethod method) => method == SamplingMethod.LatinHypercube ? "lhs" : "mc";
}
