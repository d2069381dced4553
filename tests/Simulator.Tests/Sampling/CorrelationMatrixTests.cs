using DistrictSim.Sampling;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace DistrictSim.Simulator.Tests.Sampling;

public class CorrelationMatrixTests
{
    private static readonly string[] Names = ["parking.occupancy", "lease.rent", "capex.overrun"];

    private static double SmallestEigenvalue(double[] m, int n) =>
        Matrix<double>.Build.Dense(n, n, (i, j) => m[i * n + j]).Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum();

    [Fact]
    public void Check_AcceptsAValidMatrix()
    {
        Assert.Empty(CorrelationMatrix.Check(Names, [1, 0.5, -0.2, 0.5, 1, 0.3, -0.2, 0.3, 1]));
    }

    [Fact]
    public void Check_RejectsANonSymmetricMatrixNamingBothInputs()
    {
        var problems = CorrelationMatrix.Check(Names, [1, 0.5, 0, 0.4, 1, 0, 0, 0, 1]);
        var problem = Assert.Single(problems);
        Assert.Contains("not symmetric", problem);
        Assert.Contains("'parking.occupancy'", problem);
        Assert.Contains("'lease.rent'", problem);
    }

    [Fact]
    public void Check_RejectsADiagonalOtherThanOneNamingTheInput()
    {
        var problem = Assert.Single(CorrelationMatrix.Check(Names, [1, 0, 0, 0, 0.9, 0, 0, 0, 1]));
        Assert.Contains("'lease.rent'", problem);
        Assert.Contains("0.9", problem);
    }

    [Fact]
    public void Check_RejectsEntriesOutsideMinusOneToOne()
    {
        var problems = CorrelationMatrix.Check(Names, [1, 0, 1.2, 0, 1, 0, 1.2, 0, 1]);
        var problem = Assert.Single(problems);
        Assert.Contains("outside [-1, 1]", problem);
        Assert.Contains("'parking.occupancy'", problem);
        Assert.Contains("'capex.overrun'", problem);
        Assert.Contains(CorrelationMatrix.Check(Names, [1, 0, double.NaN, 0, 1, 0, double.NaN, 0, 1]), p => p.Contains("NaN", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_RejectsANonPositiveSemiDefiniteMatrixNamingTheInputsInvolved()
    {
        // A and B strongly together, B and C strongly together, yet A and C strongly opposed:
        // eigenvalues of [[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]] are 1.9, 1.9 and -0.8.
        var problem = Assert.Single(CorrelationMatrix.Check(Names, [1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1]));
        Assert.Contains("not positive semi-definite", problem);
        foreach (var name in Names) Assert.Contains($"'{name}'", problem);
    }

    [Fact]
    public void Check_RejectsTheWrongNumberOfEntries()
    {
        var problem = Assert.Single(CorrelationMatrix.Check(Names, [1, 0, 0, 1]));
        Assert.Contains("3 x 3 = 9", problem);
    }

    [Fact]
    public void Nearest_MatchesHighamsPublishedExample()
    {
        // Higham (2002), "Computing the nearest correlation matrix", section 4 (also NAG g02aa's example):
        // the nearest correlation matrix to tridiag(-1, 2, -1) of order 4, to 4 decimals.
        double[] a = [2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2];
        double[] expected =
        [
            1, -0.8084, 0.1916, 0.1068,
            -0.8084, 1, -0.6562, 0.1916,
            0.1916, -0.6562, 1, -0.8084,
            0.1068, 0.1916, -0.8084, 1,
        ];
        var x = CorrelationMatrix.Nearest(a, 4, maxIterations: 1000);
        for (var i = 0; i < 16; i++) Assert.True(Math.Abs(x[i] - expected[i]) < 1e-3, $"entry {i}: expected {expected[i]}, found {x[i]:F5}");
    }

    [Fact]
    public void Nearest_LeavesAValidMatrixAlone()
    {
        double[] valid = [1, 0.5, -0.2, 0.5, 1, 0.3, -0.2, 0.3, 1];
        var x = CorrelationMatrix.Nearest(valid, 3);
        for (var i = 0; i < 9; i++) Assert.Equal(valid[i], x[i], 1e-9);
    }

    [Fact]
    public void Nearest_RepairsTheInconsistentTriangleToAValidCloseMatrix()
    {
        double[] bad = [1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1];
        var x = CorrelationMatrix.Nearest(bad, 3);
        Assert.Empty(CorrelationMatrix.Check(Names, x));
        // The nearest PSD matrix lifts the eigenvalue -0.8 to 0, at Frobenius distance 0.8; correlation matrices
        // are a subset of the PSD ones, so 0.8 bounds the distance from below; the unit diagonal adds a little.
        var distance = Math.Sqrt(bad.Zip(x, (p, q) => (p - q) * (p - q)).Sum());
        Assert.InRange(distance, 0.79, 1.2);
    }

    private static Arbitrary<double[]> SymmetricEntries(int n) =>
        Gen.Choose(-1000, 1000).ArrayOf(n * n).Select(raw =>
        {
            var m = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++) m[i * n + j] = i == j ? 1 : raw[Math.Min(i, j) * n + Math.Max(i, j)] / 1000.0;
            }
            return m;
        }).ToArbitrary();

    [Property(MaxTest = 50)]
    public Property Nearest_AlwaysReturnsAValidCorrelationMatrix() =>
        Prop.ForAll(SymmetricEntries(4), m =>
        {
            string[] names = ["a", "b", "c", "d"];
            var x = CorrelationMatrix.Nearest(m, 4);
            var valid = CorrelationMatrix.Check(names, x).Count == 0 && SmallestEigenvalue(x, 4) >= -1e-12;
            // Close: never further than the input is from the identity, a valid matrix.
            var toX = Math.Sqrt(m.Zip(x, (p, q) => (p - q) * (p - q)).Sum());
            var toIdentity = Math.Sqrt(m.Select((v, i) => i % 5 == 0 ? 0 : v * v).Sum());
            var wasValid = CorrelationMatrix.Check(names, m).Count == 0;
            return valid && toX <= toIdentity + 1e-9 && (!wasValid || toX < 1e-6);
        });
}
