using MathNet.Numerics.LinearAlgebra;

namespace DistrictSim.Sampling;

/// <summary>
/// Checks a correlation matrix among named inputs, and repairs it to the nearest valid
/// correlation matrix only when asked (Higham 2002, alternating projections).
/// </summary>
public static class CorrelationMatrix
{
    private const double Tolerance = 1e-10;

    /// <summary>Every problem with the matrix, each naming the inputs concerned; empty when valid.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> names, IReadOnlyList<double> rowMajor)
    {
        var n = names.Count;
        var problems = new List<string>();
        if (rowMajor.Count != n * n)
        {
            problems.Add($"the matrix has {rowMajor.Count} entries; {n} inputs need {n} x {n} = {n * n}");
            return problems;
        }
        for (var i = 0; i < n; i++)
        {
            if (rowMajor[i * n + i] != 1) problems.Add($"the diagonal entry of '{names[i]}' is {Fmt(rowMajor[i * n + i])}, not 1");
            for (var j = 0; j < n; j++)
            {
                var v = rowMajor[i * n + j];
                if (!double.IsFinite(v) || v < -1 || v > 1)
                {
                    if (i < j || !double.IsFinite(v)) problems.Add($"the correlation of '{names[i]}' and '{names[j]}' is {Fmt(v)}, outside [-1, 1]");
                }
                else if (i < j && Math.Abs(v - rowMajor[j * n + i]) > Tolerance)
                {
                    problems.Add($"the matrix is not symmetric: '{names[i]}' with '{names[j]}' is {Fmt(v)} but '{names[j]}' with '{names[i]}' is {Fmt(rowMajor[j * n + i])}");
                }
            }
        }
        if (problems.Count > 0) return problems;

        var matrix = Matrix<double>.Build.Dense(n, n, (i, j) => rowMajor[i * n + j]);
        var evd = matrix.Evd(Symmetricity.Symmetric);
        var smallest = evd.EigenValues.Real().Minimum();
        if (smallest < -1e-9)
        {
            // Name the inputs that weigh most in the offending direction.
            var k = evd.EigenValues.Real().MinimumIndex();
            var vector = evd.EigenVectors.Column(k);
            var involved = Enumerable.Range(0, n).Where(i => Math.Abs(vector[i]) > 0.3).Select(i => $"'{names[i]}'");
            problems.Add($"the matrix is not positive semi-definite (smallest eigenvalue {smallest:G4}); the inconsistent correlations involve {string.Join(", ", involved)}; set repair: true to use the nearest valid matrix");
        }
        return problems;
    }

    /// <summary>True when the matrix has no problem (see <see cref="Check"/>).</summary>
    public static bool IsValid(IReadOnlyList<string> names, IReadOnlyList<double> rowMajor) => Check(names, rowMajor).Count == 0;

    /// <summary>
    /// The nearest correlation matrix in the Frobenius norm (Higham 2002, with Dykstra's correction):
    /// symmetrised, entries clipped to [-1, 1], unit diagonal, positive semi-definite.
    /// </summary>
    public static double[] Nearest(IReadOnlyList<double> rowMajor, int n, int maxIterations = 200)
    {
        var y = Matrix<double>.Build.Dense(n, n, (i, j) =>
        {
            var v = (rowMajor[i * n + j] + rowMajor[j * n + i]) / 2;
            return double.IsFinite(v) ? Math.Clamp(v, -1, 1) : 0;
        });
        var correction = Matrix<double>.Build.Dense(n, n);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var r = y - correction;
            var evd = r.Evd(Symmetricity.Symmetric);
            var d = evd.EigenValues.Real().Map(v => Math.Max(v, 0));
            var x = evd.EigenVectors * Matrix<double>.Build.DenseOfDiagonalVector(d) * evd.EigenVectors.Transpose();
            correction = x - r;
            var next = x.Clone();
            for (var i = 0; i < n; i++) next[i, i] = 1;
            var change = (next - y).FrobeniusNorm();
            y = next;
            if (change < 1e-12) break;
        }
        // Final tidy-up: exact symmetry and unit diagonal, tiny negative eigenvalues lifted.
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) result[i * n + j] = i == j ? 1 : Math.Clamp((y[i, j] + y[j, i]) / 2, -1, 1);
        }
        var check = Matrix<double>.Build.Dense(n, n, (i, j) => result[i * n + j]).Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum();
        if (check < 0)
        {
            var shrink = -check / (1 - check) + 1e-12;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++) if (i != j) result[i * n + j] *= 1 - shrink;
            }
        }
        return result;
    }

    private static string Fmt(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
