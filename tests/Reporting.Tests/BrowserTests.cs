using DistrictSim.Reporting.Report;
using Microsoft.Playwright;
using Xunit;

namespace DistrictSim.Reporting.Tests;

/// <summary>Opens the HTML report in headless Debian Chromium, offline, and checks what a reader sees.</summary>
public class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Html_OpensOffline_EveryImageLoads_AndTheAnswerIsShown()
    {
        Assert.True(File.Exists(Chromium), $"Debian's Chromium is needed at {Chromium}: apt-get install -y chromium");
        var html = ReportTests.RunHtml(out var charts);
        var dir = Directory.CreateTempSubdirectory("districtsim-report-");
        try
        {
            var file = Path.Combine(dir.FullName, "report.html");
            await File.WriteAllTextAsync(file, html);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var page = await browser.NewPageAsync();
            var requests = new List<string>();
            page.Request += (_, request) => requests.Add(request.Url);
            await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            var widths = await page.EvalOnSelectorAllAsync<int[]>("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)");
            Assert.Equal(charts.Count, widths.Length);
            Assert.All(widths, w => Assert.Equal(400, w));
            var answer = await page.InnerTextAsync("p.answer");
            Assert.Equal(Answer.For(TestData.Summary()), answer.Trim());
            // Only the file itself (data URIs are not network requests).
            Assert.All(requests, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
