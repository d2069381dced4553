namespace DistrictSim.Scenarios.Tests;

/// <summary>
/// The corpus of broken files under Broken/: each gives its expected located diagnostic
/// (Broken/expected.txt: file, line, column, field path, severity, message fragment), and none throws.
/// </summary>
public class BrokenCorpusTests
{
    public static TheoryData<string, int, int, string, string, string, string?> Expectations()
    {
        var data = new TheoryData<string, int, int, string, string, string, string?>();
        foreach (var line in File.ReadAllLines(Path.Combine(TestPaths.Broken, "expected.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split('\t');
            data.Add(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3], f[4], f[5], f.Length > 6 ? f[6] : null);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Expectations))]
    public void Broken_file_gives_its_located_diagnostic(string file, int line, int column, string fieldPath, string severity, string fragment, string? reportedIn)
    {
        var path = Path.Combine(TestPaths.Broken, file);
        var result = ScenarioLoader.Load(path);
        var expectedSeverity = severity == "warning" ? Severity.Warning : Severity.Error;
        var match = result.Diagnostics.FirstOrDefault(d => d.Line == line && d.Column == column && d.FieldPath == fieldPath && d.Severity == expectedSeverity && d.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(match != null, $"expected {file}:{line}:{column}: {fieldPath}: ({severity}) ...{fragment}...\nfound:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal(expectedSeverity == Severity.Warning, result.Success);
        Assert.EndsWith(Path.GetFileName(reportedIn ?? file), match!.File, StringComparison.Ordinal);
        Assert.Contains($":{line}:{column}: ", match.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_has_at_least_thirty_files_and_every_file_is_expected()
    {
        var files = Directory.GetFiles(TestPaths.Broken, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestPaths.Broken, f).Replace('\\', '/'))
            .Where(f => f != "valid-base.yaml" && f != "cycle/b.yaml")
            .ToHashSet();
        var expected = Expectations().Select(row => (string)row[0]).ToHashSet();
        Assert.True(files.Count >= 30, $"only {files.Count} broken files");
        Assert.Empty(files.Except(expected));
    }

    [Fact]
    public void The_valid_base_of_the_corpus_loads()
    {
        var result = ScenarioLoader.Load(Path.Combine(TestPaths.Broken, "valid-base.yaml"));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }
}
