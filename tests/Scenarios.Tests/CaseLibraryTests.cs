namespace DistrictSim.Scenarios.Tests;

/// <summary>
/// The case library in scenarios/ (the seed's five cases, the funding-stack example, the reference
/// district and their variants) must load cleanly: no errors and no warnings, so a case never drifts
/// from the format without someone noticing.
/// </summary>
public class CaseLibraryTests
{
    private static string Folder => Path.Combine(TestPaths.Root, "scenarios");

    /// <summary>Every scenarios/**/*.yaml, relative to scenarios/.</summary>
    private static IEnumerable<string> RelativePaths() =>
        Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Folder, file))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> CaseFiles() => new(RelativePaths());

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Case_file_loads_without_diagnostics(string relativePath)
    {
        var result = ScenarioLoader.Load(Path.Combine(Folder, relativePath));

        Assert.True(result.Success, relativePath + ":\n" + string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Case_file_names_itself_and_gives_its_sources(string relativePath)
    {
        var district = ScenarioLoader.Load(Path.Combine(Folder, relativePath)).District;

        Assert.NotNull(district);
        Assert.False(string.IsNullOrWhiteSpace(district.Metadata.Name), relativePath + ": no name");
        Assert.False(string.IsNullOrWhiteSpace(district.Metadata.City), relativePath + ": no city");
        Assert.False(string.IsNullOrWhiteSpace(district.Metadata.Notes), relativePath + ": no notes");
        Assert.Equal("CNY", district.Metadata.Currency);
        Assert.NotEmpty(district.Metadata.Sources);
        // every assumption carries a range and a reference; every seed figure a quote
        Assert.All(district.Metadata.Sources, s =>
        {
            if (s.Kind == Model.SourceKind.Seed) Assert.False(string.IsNullOrWhiteSpace(s.Quote), relativePath + ": seed source without quote: " + s.Field);
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(s.Range), relativePath + ": assumption without range: " + s.Field);
                Assert.False(string.IsNullOrWhiteSpace(s.Reference), relativePath + ": assumption without reference: " + s.Field);
            }
        });
    }

    [Fact]
    public void Library_holds_the_five_seed_cases_the_funding_stack_and_the_reference()
    {
        var names = RelativePaths().ToHashSet(StringComparer.Ordinal);

        foreach (var expected in new[]
        {
            "reference-district.yaml", "wuhan-zhiyin-dongyuan.yaml", "shanghai-jinniu-huayuan.yaml",
            "changsha-baichuanli.yaml", "beijing-pinggu-nanxiaoqu.yaml", "chongqing-taping.yaml",
            "funding-stack-30-40-30.yaml",
        })
        {
            Assert.Contains(expected, names);
        }
    }
}
