using System.Net;
using System.Text;
using DistrictSim.Model;
using DistrictSim.Reporting.Charts;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Report;

/// <summary>
/// Writes a report as one self-contained HTML page (inline CSS, charts as base64 data URIs, no external
/// reference of any kind, so it opens offline and can be mailed as one file) or as Markdown with the
/// same content, whose images reference the chart PNGs by relative file name. Returns strings; the
/// caller writes the files. The HTML is also well-formed XML (XHTML syntax) so that it can be checked strictly.
/// </summary>
public static class ReportWriter
{
    /// <summary>The run report: answer, summary table, probabilities, charts, sources.</summary>
    public static string Html(Summary summary, District? district, IReadOnlyList<Chart> charts) => Html(ReportContent.ForRun(summary, district, charts));

    public static string Markdown(Summary summary, District? district, IReadOnlyList<Chart> charts) => Markdown(ReportContent.ForRun(summary, district, charts));

    public static string Html(ReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<title>").Append(E(report.Title)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(report.Title)).Append("</h1>\n");

        html.Append("<section id=\"answer\">\n");
        foreach (var s in report.Scenarios)
        {
            html.Append("<p class=\"answer\">");
            if (report.Scenarios.Count > 1) html.Append("<strong>").Append(E(s.Scenario)).Append(":</strong> ");
            html.Append(E(s.Answer)).Append("</p>\n");
        }
        html.Append("</section>\n");

        foreach (var s in report.Scenarios)
        {
            html.Append("<section class=\"scenario\">\n<h2>").Append(E(s.Scenario)).Append("</h2>\n")
                .Append("<p class=\"run\">").Append(E(s.RunLine)).Append("</p>\n");
            html.Append("<h3>Summary of metrics</h3>\n<table>\n<thead><tr><th>Metric</th><th>Unit</th><th>Mean</th><th>P5</th><th>P50</th><th>P95</th><th>Defined paths</th><th>Undefined paths</th></tr></thead>\n<tbody>\n");
            foreach (var m in s.Metrics)
            {
                html.Append("<tr><td>").Append(E(m.Metric)).Append("</td><td>").Append(E(m.Unit)).Append("</td>")
                    .Append(Num(m.Mean)).Append(Num(m.P5)).Append(Num(m.P50)).Append(Num(m.P95))
                    .Append(Num(Formatting.Numbers.Count(m.Defined))).Append(Num(Formatting.Numbers.Count(m.Undefined))).Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n<h3>Probabilities</h3>\n<table>\n<tbody>\n");
            foreach (var (label, value) in s.Probabilities)
            {
                html.Append("<tr><td>").Append(E(label)).Append("</td>").Append(Num(value)).Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n</section>\n");
        }

        if (report.Charts.Count > 0)
        {
            html.Append("<section id=\"charts\">\n<h2>Charts</h2>\n");
            foreach (var chart in report.Charts)
            {
                html.Append("<figure>\n<img src=\"data:image/png;base64,").Append(Convert.ToBase64String(chart.Png))
                    .Append("\" alt=\"").Append(E(chart.Title)).Append("\"/>\n<figcaption>").Append(E(chart.Title)).Append("</figcaption>\n</figure>\n");
            }
            html.Append("</section>\n");
        }

        html.Append("<section id=\"assumptions\">\n<h2>Sources and assumptions</h2>\n");
        foreach (var s in report.Scenarios)
        {
            if (report.Scenarios.Count > 1) html.Append("<h3>").Append(E(s.Scenario)).Append("</h3>\n");
            html.Append("<h4>Figures from the seed document</h4>\n");
            AppendSources(html, s.SeedFigures, seed: true);
            html.Append("<h4>Assumed values (not in the seed)</h4>\n");
            AppendSources(html, s.Assumptions, seed: false);
        }
        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendSources(StringBuilder html, IReadOnlyList<SourceNote> notes, bool seed)
    {
        if (notes.Count == 0)
        {
            html.Append("<p class=\"none\">None listed in the scenario's sources block.</p>\n");
            return;
        }
        html.Append("<table>\n<thead><tr><th>Field</th><th>").Append(seed ? "Quote" : "Range").Append("</th><th>Reference</th></tr></thead>\n<tbody>\n");
        foreach (var note in notes)
        {
            html.Append("<tr><td><code>").Append(E(note.Field)).Append("</code></td><td>").Append(E((seed ? note.Quote : note.Range) ?? ""))
                .Append("</td><td>").Append(E(note.Reference ?? "")).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static string Num(string value) => $"<td class=\"num\">{E(value)}</td>";

    /// <summary>
    /// HTML-escapes user text (scenario names, quotes, references). "//" is written as "&#47;&#47;" so that a
    /// URL quoted in a reference stays readable text and the page's source holds no "//" outside data URIs.
    /// </summary>
    internal static string E(string text) => WebUtility.HtmlEncode(text).Replace("//", "&#47;&#47;", StringComparison.Ordinal);

    private const string Css =
        "body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}" +
        "h1{font-size:1.6em;margin-bottom:.3em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}" +
        ".answer{font-size:1.25em;background:#eef5fb;border-left:4px solid #1f77b4;padding:.6em 1em}" +
        ".run{color:#555}table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}" +
        "th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
        "figure{margin:1.2em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:.9em}" +
        "code{font-size:.9em}.none{color:#777;font-style:italic}";

    public static string Markdown(ReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append("# ").Append(M(report.Title)).Append("\n\n");
        foreach (var s in report.Scenarios)
        {
            if (report.Scenarios.Count > 1) md.Append("- **").Append(M(s.Scenario)).Append(":** ").Append(M(s.Answer)).Append('\n');
            else md.Append("**").Append(M(s.Answer)).Append("**\n");
        }
        md.Append('\n');
        foreach (var s in report.Scenarios)
        {
            md.Append("## ").Append(M(s.Scenario)).Append("\n\n").Append(M(s.RunLine)).Append("\n\n");
            md.Append("### Summary of metrics\n\n| Metric | Unit | Mean | P5 | P50 | P95 | Defined paths | Undefined paths |\n|---|---|--:|--:|--:|--:|--:|--:|\n");
            foreach (var m in s.Metrics)
            {
                md.Append("| ").Append(M(m.Metric)).Append(" | ").Append(M(m.Unit)).Append(" | ").Append(M(m.Mean)).Append(" | ").Append(M(m.P5))
                    .Append(" | ").Append(M(m.P50)).Append(" | ").Append(M(m.P95)).Append(" | ").Append(Formatting.Numbers.Count(m.Defined))
                    .Append(" | ").Append(Formatting.Numbers.Count(m.Undefined)).Append(" |\n");
            }
            md.Append("\n### Probabilities\n\n| Probability | Value |\n|---|--:|\n");
            foreach (var (label, value) in s.Probabilities) md.Append("| ").Append(M(label)).Append(" | ").Append(M(value)).Append(" |\n");
            md.Append('\n');
        }
        if (report.Charts.Count > 0)
        {
            md.Append("## Charts\n\n");
            foreach (var chart in report.Charts)
            {
                md.Append("![").Append(M(chart.Title)).Append("](").Append(Uri.EscapeDataString(chart.FileName)).Append(")\n\n");
            }
        }
        md.Append("## Sources and assumptions\n\n");
        foreach (var s in report.Scenarios)
        {
            if (report.Scenarios.Count > 1) md.Append("### ").Append(M(s.Scenario)).Append("\n\n");
            md.Append("#### Figures from the seed document\n\n");
            MarkdownSources(md, s.SeedFigures, seed: true);
            md.Append("#### Assumed values (not in the seed)\n\n");
            MarkdownSources(md, s.Assumptions, seed: false);
        }
        return md.ToString();
    }

    private static void MarkdownSources(StringBuilder md, IReadOnlyList<SourceNote> notes, bool seed)
    {
        if (notes.Count == 0)
        {
            md.Append("_None listed in the scenario's sources block._\n\n");
            return;
        }
        md.Append("| Field | ").Append(seed ? "Quote" : "Range").Append(" | Reference |\n|---|---|---|\n");
        foreach (var note in notes)
        {
            md.Append("| ").Append(M(note.Field)).Append(" | ").Append(M((seed ? note.Quote : note.Range) ?? "")).Append(" | ").Append(M(note.Reference ?? "")).Append(" |\n");
        }
        md.Append('\n');
    }

    /// <summary>
    /// Markdown-escapes user text: Markdown specials backslashed, then &amp;, &lt; and &gt; as entities (Markdown
    /// passes raw HTML through, so a name like "&lt;script&gt;" must not reach a renderer as a tag); newlines become spaces.
    /// </summary>
    internal static string M(string text)
    {
        var md = new StringBuilder(text.Length + 8);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            switch (c)
            {
                case '&': md.Append("&amp;"); break;
                case '<': md.Append("&lt;"); break;
                case '>': md.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '|' or '!' or '{' or '}' or '~':
                    md.Append('\\').Append(c);
                    break;
                default: md.Append(c); break;
            }
        }
        return md.ToString();
    }
}
