using Xunit;
using DistrictSim.Sampling;

namespace DistrictSim.Simulator.Tests.Sampling;

public class CounterRngTests
{
    // Random123's published known-answer vectors for Philox4x32-10 (its tests/kat_vectors file):
    // guards against a mistake in the round function, the key schedule or the word order.
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Philox_MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        var block = CounterRng.Philox4x32x10(c0, c1, c2, c3, k0, k1);
        Assert.Equal((e0, e1, e2, e3), block);
    }

    [Fact]
    public void Uniform_IsAPureFunctionOfItsArguments()
    {
        var first = CounterRng.Uniform(7, 123_456_789_012, 5, 1);
        // Interleave other draws: a counter-based generator has no state for them to disturb.
        _ = CounterRng.Uniform(7, 1, 5, 1);
        _ = CounterRng.Uniform(8, 123_456_789_012, 5, 1);
        Assert.Equal(first, CounterRng.Uniform(7, 123_456_789_012, 5, 1));
        Assert.NotEqual(first, CounterRng.Uniform(7, 123_456_789_012, 5, 2));
        Assert.NotEqual(first, CounterRng.Uniform(7, 123_456_789_012, 6, 1));
        Assert.NotEqual(first, CounterRng.Uniform(7, 123_456_789_013, 5, 1));
        Assert.Equal(CounterRng.Uniform(7, 9, 5), CounterRng.Uniform(7, 9, 5, 0));
    }

    [Fact]
    public void Uniforms_InABatch_EqualTheSameDrawsOneByOne_ForEveryBatchLength()
    {
        // Batches of 0 to 40 slots cover full groups of eight and every padded remainder; slots include
        // negative ints (a stream is any 32-bit value), a repeated slot, and paths above 2^32.
        foreach (var path in new[] { 0L, 17L, (1L << 40) + 3 })
        {
            for (var length = 0; length <= 40; length++)
            {
                var slots = new int[length];
                for (var i = 0; i < length; i++) slots[i] = i == 5 ? slots[0] : unchecked((int)(0x9E3779B9u * (uint)(i + 1)));
                var batch = new double[length + 3];
                Array.Fill(batch, -1);
                CounterRng.Uniforms(99, path, slots, 2, batch);
                for (var i = 0; i < length; i++) Assert.Equal(CounterRng.Uniform(99, path, slots[i], 2), batch[i]);
                for (var i = length; i < batch.Length; i++) Assert.Equal(-1, batch[i]); // nothing written past the batch
            }
        }
    }

    [Fact]
    public void UniformsOfPaths_EqualTheSameDrawsOneByOne_ForEveryLength()
    {
        // 0 to 40 consecutive paths cover full groups of twelve and every remainder; the second start crosses 2^32
        // (the counter's high word changes between lanes), the third is near the top of the long range.
        foreach (var first in new[] { 0L, (1L << 32) - 17, long.MaxValue - 60 })
        {
            for (var length = 0; length <= 40; length++)
            {
                var batch = new double[length + 3];
                Array.Fill(batch, -1);
                CounterRng.UniformsOfPaths(99, first, unchecked((int)0x9E3779B9u), 1, batch.AsSpan(0, length));
                for (var i = 0; i < length; i++) Assert.Equal(CounterRng.Uniform(99, first + i, unchecked((int)0x9E3779B9u), 1), batch[i]);
                for (var i = length; i < batch.Length; i++) Assert.Equal(-1, batch[i]); // nothing written past the span
            }
        }
    }

    [Fact]
    public void Uniform_LiesInTheOpenUnitIntervalWithUniformMoments()
    {
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        var xs = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = CounterRng.Uniform(2024, i, 3);
            Assert.True(u > 0 && u < 1, $"draw {i} is {u}, outside (0, 1)");
            sum += u;
            sumSquares += u * u;
            xs[i] = u;
        }
        // U(0,1): mean 1/2, sd sqrt(1/12) = 0.2887; tolerance 4 sd / sqrt(n) = 4 x 0.2887 / 447.2 = 0.00258.
        Assert.InRange(sum / n, 0.5 - 4 * Math.Sqrt(1.0 / 12 / n), 0.5 + 4 * Math.Sqrt(1.0 / 12 / n));
        // E[U^2] = 1/3, Var(U^2) = 1/5 - 1/9 = 4/45; tolerance 4 sqrt(4/45/n) = 0.00267.
        Assert.InRange(sumSquares / n, 1.0 / 3 - 4 * Math.Sqrt(4.0 / 45 / n), 1.0 / 3 + 4 * Math.Sqrt(4.0 / 45 / n));
        Assert.True(SampleStatistics.KsDistance(xs, u => u) < SampleStatistics.KsCritical(n));
    }

    [Fact]
    public void Uniform_NeighbouringSlotsAreUncorrelated()
    {
        // Pearson correlation of independent uniforms has sd 1 / sqrt(n); tolerance 4 / sqrt(50,000) = 0.018.
        const int n = 50_000;
        var a = new double[n];
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = CounterRng.Uniform(1, i, 0);
            b[i] = CounterRng.Uniform(1, i, 1);
        }
        Assert.InRange(MathNet.Numerics.Statistics.Correlation.Pearson(a, b), -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
    }
}
