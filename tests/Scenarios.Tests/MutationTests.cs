using System.Text.RegularExpressions;
using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.MonteCarlo;

namespace DistrictSim.Scenarios.Tests;

/// <summary>
/// The case library with its numbers changed one at a time to awkward values (0, negative, huge, a
/// fraction): every variant the loader accepts must compile, evaluate and run, and every variant it
/// rejects must say where. Validation is what stands between a user and an unlocated engine error.
/// </summary>
public sealed partial class MutationTests
{
    [GeneratedRegex(@"(?<=[\s\[{,:])-?\d+(\.\d+)?(e\d+)?(%|万|亿)?(?=[\s,\]}])")]
    private static partial Regex Number();

    private static readonly string[] Replacements = ["0", "-1", "1e12", "0.5", "1", "150%", "3"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Root, "scenarios"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (!File.ReadAllText(file).Contains("extends:", StringComparison.Ordinal)) data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_accepted_mutation_runs_and_every_rejected_one_is_located(string name)
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Root, "scenarios", name));
        var random = new Random(name.Length * 7919);
        var matches = Number().Matches(text);
        Assert.NotEmpty(matches);
        int accepted = 0, rejected = 0;
        foreach (Match match in matches)
        {
            var replacement = Replacements[random.Next(Replacements.Length)];
            var mutated = string.Concat(text.AsSpan(0, match.Index), replacement, text.AsSpan(match.Index + match.Length));
            var line = text[..match.Index].Count(c => c == '\n') + 1;
            var loaded = ScenarioLoader.LoadText(mutated, name);
            if (!loaded.Success)
            {
                rejected++;
                Assert.All(loaded.Diagnostics.Where(d => d.IsError), d => Assert.True(d.Line >= 1 && d.Column >= 1, $"{name}:{line}: {d}"));
                Assert.DoesNotContain(loaded.Diagnostics, d => d.Message.Contains("failed unexpectedly", StringComparison.Ordinal));
                continue;
            }
            accepted++;
            try
            {
                var compiled = DistrictCompiler.Compile(loaded.District!);
                var statement = BaseCase.Evaluate(compiled);
                var run = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 16, Seed = 3, Threads = 1 });
                // Accepted inputs give numbers: NPV is defined on every path (it has no undefined case).
                if (!double.IsFinite(statement.Metrics.NpvYuan) || run.Summary.Metrics["npv"].Undefined > 0)
                {
                    throw new InvalidOperationException($"NPV is not a finite number (base case {statement.Metrics.NpvYuan})");
                }
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{name}:{line}: '{match.Value}' -> '{replacement}' loads cleanly but the engine throws {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(accepted > 0 && rejected > 0, $"{name}: {accepted} accepted, {rejected} rejected mutations");
    }
}
