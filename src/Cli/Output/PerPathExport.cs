using System.Text;
using DistrictSim.MonteCarlo;
using Parquet;
using Parquet.Schema;

namespace DistrictSim.Cli.Output;

/// <summary>
/// Every path of a run: its index, the inputs drawn (by input name) and its metrics. CSV (NaN as an empty
/// cell), or Parquet when the file name ends in .parquet (doubles nullable, NaN as null).
/// </summary>
public static class PerPathExport
{
    private const int RowGroupRows = 65_536;

    public static void Write(RunResult result, string path, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            WriteParquetAsync(result, path, cancellation).GetAwaiter().GetResult();
        }
        else
        {
            WriteCsv(result, path, cancellation);
        }
    }

    public static void WriteCsv(RunResult result, string path, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(string.Join(',', new[] { "path" }.Concat(result.PerPathColumns).Select(Csv.Escape)));
        writer.Write('\n');
        var line = new StringBuilder();
        foreach (var row in result.Paths())
        {
            if (row.Path % 4096 == 0) cancellation.ThrowIfCancellationRequested();
            line.Clear().Append(Csv.Number(row.Path));
            foreach (var v in row.Inputs) line.Append(',').Append(Csv.Number(v));
            foreach (var v in row.Metrics) line.Append(',').Append(Csv.Number(v));
            line.Append('\n');
            writer.Write(line);
        }
    }

    public static async Task WriteParquetAsync(RunResult result, string path, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = result.PerPathColumns;
        var pathField = new DataField<long>("path");
        var fields = names.Select(n => new DataField<double?>(n)).ToArray();
        var schema = new ParquetSchema(new Field[] { pathField }.Concat(fields));
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellation).ConfigureAwait(false);
        var inputCount = result.District.Slots.Count;
        var indices = new long[RowGroupRows];
        var columns = fields.Select(_ => new double?[RowGroupRows]).ToArray();
        var n = 0;

        async Task Flush()
        {
            if (n == 0) return;
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(pathField, new ReadOnlyMemory<long>(indices, 0, n), cancellationToken: cancellation).ConfigureAwait(false);
            for (var c = 0; c < fields.Length; c++)
            {
                await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>(columns[c], 0, n), cancellationToken: cancellation).ConfigureAwait(false);
            }
            n = 0;
        }

        foreach (var row in result.Paths())
        {
            indices[n] = row.Path;
            for (var i = 0; i < inputCount; i++) columns[i][n] = Nullable(row.Inputs[i]);
            for (var m = 0; m < row.Metrics.Length; m++) columns[inputCount + m][n] = Nullable(row.Metrics[m]);
            if (++n == RowGroupRows)
            {
                cancellation.ThrowIfCancellationRequested();
                await Flush().ConfigureAwait(false);
            }
        }
        await Flush().ConfigureAwait(false);
    }

    private static double? Nullable(double value) => double.IsFinite(value) ? value : null;
}
