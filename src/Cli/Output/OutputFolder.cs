using System.Globalization;
using System.Text;

namespace DistrictSim.Cli.Output;

/// <summary>
/// Writes a command's results atomically: every file goes to a hidden temporary sibling folder, which is
/// moved into place (Directory.Move) only once complete. An interrupted or failed run leaves nothing
/// behind, and a non-empty target is never replaced without --force.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private readonly string _target;
    private readonly bool _force;
    private bool _committed;

    private OutputFolder(string target, bool force)
    {
        _target = target;
        _force = force;
        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where the results will be once committed.</summary>
    public string Target => _target;

    /// <summary>The temporary folder being written.</summary>
    public string Staging { get; }

    /// <summary>
    /// The target folder: <paramref name="requested"/> when given (checked now, before any work: it must be new,
    /// empty, or --force), else a new folder <c>out/&lt;slug&gt;/&lt;yyyyMMdd-HHmmss[-n]&gt;</c> under the working folder.
    /// </summary>
    public static string Choose(CliEnvironment environment, string? requested, string slug, bool force)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (requested is not null)
        {
            var full = environment.Resolve(requested);
            if (File.Exists(full)) throw new UsageException($"--out {requested}: a file of that name exists; give a folder.");
            if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            {
                throw new UsageException($"--out {requested}: the folder exists and is not empty; choose another or add --force to replace it.");
            }
            return full;
        }

        var stamp = environment.Clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var parent = Path.Combine(environment.WorkingDirectory, "out", slug);
        var candidate = Path.Combine(parent, stamp);
        for (var n = 2; Directory.Exists(candidate) || File.Exists(candidate); n++)
        {
            candidate = Path.Combine(parent, $"{stamp}-{n}");
        }
        return candidate;
    }

    public static OutputFolder Begin(string target, bool force) => new(target, force);

    public void WriteText(string name, string text) => File.WriteAllText(Path.Combine(Staging, name), text, new UTF8Encoding(false));

    public void WriteBytes(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(Staging, name), bytes);

    /// <summary>A chart's PNG, and its SVG when it was rendered.</summary>
    public void WriteChart(DistrictSim.Reporting.Charts.Chart chart)
    {
        WriteBytes(chart.FileName, chart.Png);
        if (chart.Svg is not null) WriteText(chart.SvgFileName, chart.Svg);
    }

    public string PathOf(string name) => Path.Combine(Staging, name);

    /// <summary>Moves the finished folder into place, replacing an existing target only when allowed.</summary>
    public void Commit()
    {
        if (Directory.Exists(_target))
        {
            if (Directory.EnumerateFileSystemEntries(_target).Any() && !_force)
            {
                throw new UsageException($"{_target}: the folder appeared while the run was going and is not empty; the results are not written (add --force to replace it).");
            }
            Directory.Delete(_target, recursive: true);
        }
        Directory.Move(Staging, _target);
        _committed = true;
    }

    /// <summary>Removes the temporary folder unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden .tmp folder is harmless and named as such.
            }
        }
    }
}

/// <summary>Writes one file atomically: to a temporary sibling, moved over the target by <see cref="StagedFile.Commit"/>.</summary>
public static class AtomicFile
{
    /// <summary>Checks now, before any work, that <paramref name="path"/> may be written.</summary>
    public static string Check(CliEnvironment environment, string option, string path, bool force)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var full = environment.Resolve(path);
        if (Directory.Exists(full)) throw new UsageException($"{option} {path}: a folder of that name exists; give a file name.");
        if (File.Exists(full) && !force) throw new UsageException($"{option} {path}: the file exists; add --force to replace it.");
        return full;
    }

    /// <summary>Writes and commits at once.</summary>
    public static void Write(string path, Action<string> write)
    {
        using var file = StagedFile.Write(path, write);
        file.Commit();
    }
}

/// <summary>A file written to a temporary sibling; <see cref="Commit"/> moves it into place, disposing without committing deletes it.</summary>
public sealed class StagedFile : IDisposable
{
    private StagedFile(string target, string temporary)
    {
        Target = target;
        Temporary = temporary;
    }

    public string Target { get; }

    public string Temporary { get; }

    public static StagedFile Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var folder = Path.GetDirectoryName(path) ?? ".";
        Directory.CreateDirectory(folder);
        var file = new StagedFile(path, Path.Combine(folder, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}{Path.GetExtension(path)}"));
        try
        {
            write(file.Temporary);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Commit() => File.Move(Temporary, Target, overwrite: true);

    public void Dispose()
    {
        if (File.Exists(Temporary)) File.Delete(Temporary);
    }
}
