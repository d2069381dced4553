using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using DistrictSim.Reporting.Charts;
using DistrictSim.Reporting.Formatting;
using DistrictSim.Reporting.Report;
using DistrictSim.Statistics;
using Xunit;

namespace DistrictSim.Reporting.Tests;

public class ReportTests
{
    private static readonly ChartOptions Small = new() { Width = 400, Height = 250 };

    internal static string RunHtml(out IReadOnlyList<Chart> charts)
    {
        var summary = TestData.Summary();
        var district = TestData.District();
        charts = ChartSet.ForRun(summary, TestData.Statement(), district, Small);
        return ReportWriter.Html(summary, district, charts);
    }

    [Fact]
    public void Answer_StatesCoverageShareOfPathsAndExpectedTopup()
    {
        // P(coverage < 1.2) = 0.37, so coverage of at least 1.2 in 1 - 0.37 = 63% of paths; mean top-up 4,100,000 yuan = 410 万元.
        var summary = new SummaryBuilder().CoverageBelow(0.37).Build();

        Assert.Equal("Coverage of at least 1.2 in 63% of 100,000 paths; expected fiscal top-up 410 万元 (4.1 million yuan).", Answer.For(summary));
    }

    [Fact]
    public void Answer_WithoutDebt_SaysCoverageDoesNotApply()
    {
        var summary = new SummaryBuilder().NoDebt().Build();

        Assert.StartsWith("No debt service in any of 100,000 paths, so the coverage requirement of 1.2 does not apply;", Answer.For(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IsWellFormedAndCarriesAnswerTableProbabilitiesChartsAndSources()
    {
        var html = RunHtml(out var charts);

        var doc = Parse(html);
        var text = doc.Root!.Value;
        Assert.Contains(Answer.For(TestData.Summary()), text, StringComparison.Ordinal);
        Assert.Contains("Project NPV", text, StringComparison.Ordinal);
        Assert.Contains("P(coverage < 1.2)", text, StringComparison.Ordinal);
        Assert.Equal(charts.Count, doc.Descendants("img").Count());
        // Seed figures and assumptions sit in separate tables under their own headings.
        var headings = doc.Descendants("h4").Select(h => h.Value).ToList();
        Assert.Equal(["Figures from the seed document", "Assumed values (not in the seed)"], headings);
        var seedTable = doc.Descendants("h4").First().ElementsAfterSelf("table").First().Value;
        Assert.Contains("capex.building.amount_yuan", seedTable, StringComparison.Ordinal);
        Assert.DoesNotContain("parking.fee_yuan_per_space_per_month", seedTable, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ReferencesNoExternalResource()
    {
        var html = RunHtml(out _);

        var doc = Parse(html);
        foreach (var attribute in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href" or "srcset" or "action" or "data"))
        {
            Assert.StartsWith("data:image/png;base64,", attribute.Value, StringComparison.Ordinal);
        }
        Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        // Outside the base64 payloads there is no "//" at all (a protocol-relative reference would need one).
        var withoutPayloads = Regex.Replace(html, "data:image/png;base64,[A-Za-z0-9+/=]+", "data:");
        Assert.DoesNotContain("//", withoutPayloads, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesEveryUserString()
    {
        var summary = new SummaryBuilder().Scenario("A <b>bold</b> & \"quoted\" 片区").Build();
        var district = TestData.District(summary.Scenario);

        var html = ReportWriter.Html(summary, district, []);

        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var doc = Parse(html);
        Assert.Equal("districtsim report: A <b>bold</b> & \"quoted\" 片区", doc.Descendants("h1").Single().Value);
        Assert.Contains("see https://example.org/lpr <script>alert(1)</script>", doc.Root!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_HasTheSameContentAndReferencesPngsByRelativeName()
    {
        var summary = TestData.Summary();
        var district = TestData.District();
        var charts = ChartSet.ForRun(summary, TestData.Statement(), district, Small);

        var md = ReportWriter.Markdown(summary, district, charts);

        Assert.StartsWith("# districtsim report: Reference district\n\n**Coverage of at least 1.2 in 63% of 100,000 paths; expected fiscal top-up 410 万元 \\(4.1 million yuan\\).**", md, StringComparison.Ordinal);
        foreach (var chart in charts) Assert.Contains($"]({chart.FileName})", md, StringComparison.Ordinal);
        Assert.Contains("#### Figures from the seed document", md, StringComparison.Ordinal);
        Assert.Contains("| revenues.parking.fee\\_yuan\\_per\\_space\\_per\\_month | 150-300 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", md, StringComparison.Ordinal);
    }

    [Fact]
    public void CompareReport_HasOneAnswerPerScenario()
    {
        var summaries = new[] { new SummaryBuilder().Scenario("Base").Build(), new SummaryBuilder().Scenario("塔坪 Taping").CoverageBelow(0.1).Build() };
        var charts = ChartSet.ForCompare(summaries, Small);

        var html = ReportWriter.Html(ReportContent.ForCompare(summaries, null, charts));

        var answers = Parse(html).Descendants("p").Where(p => (string?)p.Attribute("class") == "answer").Select(p => p.Value).ToList();
        Assert.Equal(2, answers.Count);
        Assert.StartsWith("塔坪 Taping: Coverage of at least 1.2 in 90% of 100,000 paths", answers[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_100_000, "万元", "410 万元")]
    [InlineData(76_000_000, "万元", "7,600 万元")]
    [InlineData(99_999_999, "万元", "10,000 万元")]
    [InlineData(100_000_000, "亿元", "1 亿元")]
    [InlineData(-120_000_000, "亿元", "-1.2 亿元")]
    [InlineData(double.NaN, "万元", "n/a")]
    public void MoneyScale_Below1Yi_Uses万元_Else亿元(double yuan, string unit, string formatted)
    {
        var scale = MoneyScale.For(yuan);

        Assert.Equal(unit, scale.Unit);
        Assert.Equal(formatted, scale.Format(yuan));
    }

    private static XDocument Parse(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }
}
