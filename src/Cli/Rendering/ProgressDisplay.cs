using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace DistrictSim.Cli.Rendering;

/// <summary>Latest paths done, reported from any worker thread; the display polls it.</summary>
public sealed class PathCounter : IProgress<long>
{
    private long _done;

    public long Done => Interlocked.Read(ref _done);

    public void Report(long value)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _done);
            if (value <= seen) return;
        }
        while (Interlocked.CompareExchange(ref _done, value, seen) != seen);
    }
}

/// <summary>
/// Shows the progress of a run on standard error: a Spectre progress bar (paths per second, time left)
/// on a terminal; plain lines (each ~10% and at least every few seconds) when standard error is redirected.
/// </summary>
public static class ProgressDisplay
{
    public static T Run<T>(CliEnvironment environment, string label, long total, Func<IProgress<long>, T> work)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(work);
        var counter = new PathCounter();
        var task = Task.Factory.StartNew(() => work(counter), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (environment.ErrorIsTerminal)
        {
            Bar(environment, label, total, counter, task);
        }
        else
        {
            Lines(environment, label, total, counter, task);
        }

        return task.GetAwaiter().GetResult();
    }

    private static void Bar(CliEnvironment environment, string label, long total, PathCounter counter, Task task)
    {
        var console = Consoles.ForError(environment);
        var clock = Stopwatch.StartNew();
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(label, maxValue: total);
                while (!task.Wait(150))
                {
                    var done = counter.Done;
                    bar.Value = done;
                    bar.Description = $"{Markup.Escape(label)} {Rate(done, clock.Elapsed)}";
                }
                bar.Value = counter.Done;
            });
    }

    private static void Lines(CliEnvironment environment, string label, long total, PathCounter counter, Task task)
    {
        var clock = Stopwatch.StartNew();
        var lastDecile = 0L;
        var lastLine = TimeSpan.Zero;
        var heartbeat = environment.PlainProgressInterval * 5;
        while (!task.Wait(100))
        {
            var done = counter.Done;
            var decile = total > 0 ? done * 10 / total : 0;
            var now = clock.Elapsed;
            if ((decile > lastDecile && now - lastLine >= environment.PlainProgressInterval / 4) || now - lastLine >= heartbeat)
            {
                lastDecile = decile;
                lastLine = now;
                environment.Error.WriteLine(Line(label, done, total, now));
            }
        }

        environment.Error.WriteLine(Line(label, counter.Done, total, clock.Elapsed));
    }

    public static string Line(string label, long done, long total, TimeSpan elapsed)
    {
        var percent = total > 0 ? 100.0 * done / total : 100;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label}: {percent,3:0}% {done:#,##0}/{total:#,##0} paths, {rate:#,##0} paths/s, {elapsed.TotalSeconds:0.0}s elapsed{(left is { } l ? $", {l.TotalSeconds:0}s left" : "")}");
    }

    private static string Rate(long done, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $"[grey]{done / elapsed.TotalSeconds:#,##0} paths/s[/]") : "";
}
