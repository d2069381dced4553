using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DistrictSim.Numerics;

namespace DistrictSim.Finance;

// The IRRs of a batch of rows: Halley's iteration of Compute run for eight rows at once, one a vector lane.
// Per lane every operation is the scalar one in the scalar order (IEEE add, sub, mul, div and fused multiply-add
// round lane by lane exactly as scalar), so each result is Compute's to the bit; what the lanes cannot follow
// goes to Compute itself; the trims and the guess sums are Compute's own (SignsAndSums). Changes to HalleyStep,
// DurationGuess or ApproximatePower must be mirrored here.
public static partial class Irr
{
    /// <summary>Rows iterated together: two vectors of four, whose independent chains overlap in the core.</summary>
    private const int GroupRows = 8;

    /// <summary>
    /// The most flows (after trimming) of a row that <see cref="ComputeMany"/> puts in a group: those SignsAndSums
    /// takes four at a time (longer rows go to Compute).
    /// </summary>
    private const int GroupYears = 63;

    /// <summary>
    /// The IRR of each of <paramref name="count"/> flow rows of <paramref name="length"/> years, row i at
    /// flows[i × length .. (i + 1) × length): irrs[i] is bit for bit <see cref="Compute"/> of row i.
    /// </summary>
    public static void ComputeMany(ReadOnlySpan<double> flows, int length, int count, Span<double> irrs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)length * count > flows.Length) throw new ArgumentException($"{count} rows of {length} flows need {(long)length * count} values; found {flows.Length}.", nameof(flows));
        if (irrs.Length < count) throw new ArgumentException($"{count} rows need {count} results; found room for {irrs.Length}.", nameof(irrs));
        if (!Vector256.IsHardwareAccelerated || !Fma.IsSupported)
        {
            for (var i = 0; i < count; i++) irrs[i] = Compute(flows.Slice(i * length, length));
            return;
        }
        // Rows that take Halley's iteration (one sign change, 3 to GroupYears flows after trimming) wait in a group
        // of up to eight sharing their trimmed range; all other rows are computed one at a time. A few groups fill
        // side by side, so that rows of a few different ranges interleaved still make full groups.
        Span<double> yearMajor = stackalloc double[(GroupYears + 1) * GroupRows]; // an odd count has a +0 year added
        Span<double> sums = stackalloc double[Groups * 4 * GroupRows];
        Span<int> members = stackalloc int[Groups * GroupRows];
        Span<int> sizes = stackalloc int[Groups];
        Span<int> firsts = stackalloc int[Groups];
        Span<int> years = stackalloc int[Groups];
        sizes.Clear();
        for (var i = 0; i < count; i++)
        {
            var row = flows.Slice(i * length, length);
            if (!TakesHalley(row, out var first, out var n, out var pos, out var neg, out var tPos, out var tNeg))
            {
                irrs[i] = Compute(row);
                continue;
            }
            // The group of this range, else an empty one, else the fullest one is done first and this row starts it anew.
            var g = -1;
            for (var k = 0; k < Groups && g < 0; k++) g = sizes[k] > 0 && firsts[k] == first && years[k] == n ? k : -1;
            for (var k = 0; k < Groups && g < 0; k++) g = sizes[k] == 0 ? k : -1;
            if (g < 0)
            {
                g = 0;
                for (var k = 1; k < Groups; k++) g = sizes[k] > sizes[g] ? k : g;
                Flush(flows, length, members.Slice(g * GroupRows, sizes[g]), firsts[g], years[g], sums.Slice(g * 4 * GroupRows, 4 * GroupRows), yearMajor, irrs);
                sizes[g] = 0;
            }
            firsts[g] = first;
            years[g] = n;
            var at = sizes[g]++;
            members[(g * GroupRows) + at] = i;
            // Sums lane by lane: pos at [0 .. 8), neg at [8 .. 16), tPos at [16 .. 24), tNeg at [24 .. 32) of the group's 32.
            var groupSums = sums.Slice(g * 4 * GroupRows, 4 * GroupRows);
            groupSums[at] = pos;
            groupSums[GroupRows + at] = neg;
            groupSums[(2 * GroupRows) + at] = tPos;
            groupSums[(3 * GroupRows) + at] = tNeg;
            if (sizes[g] == GroupRows)
            {
                Flush(flows, length, members.Slice(g * GroupRows, GroupRows), first, n, groupSums, yearMajor, irrs);
                sizes[g] = 0;
            }
        }
        for (var g = 0; g < Groups; g++)
        {
            if (sizes[g] > 0) Flush(flows, length, members.Slice(g * GroupRows, sizes[g]), firsts[g], years[g], sums.Slice(g * 4 * GroupRows, 4 * GroupRows), yearMajor, irrs);
        }
    }

    /// <summary>Groups filling side by side in <see cref="ComputeMany"/>.</summary>
    private const int Groups = 4;

    /// <summary>
    /// The IRRs of a group's rows: by <see cref="IterateGroup"/>, or for one or two rows by Compute, which costs
    /// less than eight lanes then.
    /// </summary>
    private static void Flush(ReadOnlySpan<double> flows, int length, ReadOnlySpan<int> rows, int first, int n, Span<double> sums, Span<double> yearMajor, Span<double> irrs)
    {
        if (rows.Length >= 3)
        {
            IterateGroup(flows, length, rows, first, n, sums, yearMajor, irrs);
            return;
        }
        foreach (var row in rows) irrs[row] = Compute(flows.Slice(row * length, length));
    }

    /// <summary>
    /// Whether <see cref="Compute"/> of the row goes to Halley's iteration; if so its trimmed flows
    /// row[first .. first + n) and the sums of its guess, found exactly as Compute finds them.
    /// </summary>
    private static bool TakesHalley(ReadOnlySpan<double> row, out int first, out int n, out double pos, out double neg, out double tPos, out double tNeg)
    {
        pos = neg = tPos = tNeg = 0;
        n = 0;
        first = Rows.FirstNonZero(row);
        if (first < 0) return false;
        n = Rows.LastNonZero(row) + 1 - first;
        if (n <= 2 || n > GroupYears) return false;
        return SignsAndSums(row.Slice(first, n), out var signChanges, out pos, out neg, out tPos, out tNeg) && signChanges == 1;
    }

    /// <summary>
    /// Halley's iteration of <see cref="Compute"/> for up to eight rows whose trimmed flows are
    /// flows[row × length + first ..][..n], with the guess sums of lane j at sums[j], sums[8 + j], ...: each lane
    /// takes exactly the scalar steps and stops where the scalar loop stops. A lane that leaves the loop without
    /// converging (a non-finite or &lt;= -1 step, or 20 steps) is computed again by Compute, which goes on to the
    /// safeguarded Newton. Spare lanes repeat the first row, and their results are dropped.
    /// </summary>
    private static void IterateGroup(ReadOnlySpan<double> flows, int length, ReadOnlySpan<int> rows, int first, int n, Span<double> sums, Span<double> yearMajor, Span<double> irrs)
    {
        Span<int> starts = stackalloc int[GroupRows];
        for (var j = 0; j < GroupRows; j++)
        {
            var lane = j < rows.Length ? j : 0;
            starts[j] = (rows[lane] * length) + first;
            for (var s = 0; s < 4; s++) sums[(s * GroupRows) + j] = sums[(s * GroupRows) + lane];
        }
        var evenN = (n + 1) & ~1;
        ToYearMajor(flows, starts, n, yearMajor);
        var years = yearMajor[..(GroupRows * evenN)];
        var r0 = DurationGuess(sums, 0);
        var r1 = DurationGuess(sums, 4);
        var active = (1u << rows.Length) - 1; // lanes still iterating
        var fallback = 0u; // lanes for Compute
        for (var i = 0; i < 20 && active != 0; i++)
        {
            var (next0, next1) = HalleyStep(r0, r1, years);
            var stray = Stray(next0) | (Stray(next1) << 4);
            var converged = (Converged(next0, r0) | (Converged(next1, r1) << 4)) & ~stray;
            for (var done = active & converged; done != 0; done &= done - 1)
            {
                var j = BitOperations.TrailingZeroCount(done);
                var root = (j < 4 ? next0 : next1).GetElement(j & 3);
                irrs[rows[j]] = root is >= MinRate and <= MaxRate ? root : double.NaN;
            }
            fallback |= active & stray;
            active &= ~(converged | stray);
            r0 = next0;
            r1 = next1;
        }
        // Lanes that strayed or took 20 steps: Compute repeats their steps and goes on to the safeguarded Newton.
        for (fallback |= active; fallback != 0; fallback &= fallback - 1)
        {
            var row = rows[BitOperations.TrailingZeroCount(fallback)];
            irrs[row] = Compute(flows.Slice(row * length, length));
        }
    }

    /// <summary>The lanes (bits) where the scalar loop breaks off: a non-finite or &lt;= -1 step.</summary>
    private static uint Stray(Vector256<double> next) =>
        (~Vector256.Equals(next - next, Vector256<double>.Zero).ExtractMostSignificantBits() & 0b1111) // next - next is 0 only for finite next
        | Vector256.LessThanOrEqual(next, Vector256.Create(-1.0)).ExtractMostSignificantBits();

    /// <summary>The lanes (bits) where |next - r| &lt;= 1e-8 (1 + |next|), as in the scalar loop.</summary>
    private static uint Converged(Vector256<double> next, Vector256<double> r) =>
        Vector256.LessThanOrEqual(Vector256.Abs(next - r), Vector256.Create(ConvergedStep) * (Vector256<double>.One + Vector256.Abs(next))).ExtractMostSignificantBits();

    /// <summary>
    /// The flows of year t of lane j (flows[starts[j] + t]) to yearMajor[8t + j], t &lt; n, and a +0 year after an odd
    /// n (the scalar step adds 0 for the missing odd flow). Four rows at a time by 4×4 transposes where AVX is there.
    /// </summary>
    private static void ToYearMajor(ReadOnlySpan<double> flows, ReadOnlySpan<int> starts, int n, Span<double> yearMajor)
    {
        ref var source = ref MemoryMarshal.GetReference(flows);
        ref var target = ref MemoryMarshal.GetReference(yearMajor);
        for (var h = 0; h < GroupRows; h += 4)
        {
            var t = 0;
            if (Avx.IsSupported)
            {
                // In bounds: starts[j] + n is at most the end of row j's flows (ComputeMany checked the length).
                for (; t <= n - 4; t += 4)
                {
                    var a = Vector256.LoadUnsafe(ref source, (nuint)(starts[h] + t));
                    var b = Vector256.LoadUnsafe(ref source, (nuint)(starts[h + 1] + t));
                    var c = Vector256.LoadUnsafe(ref source, (nuint)(starts[h + 2] + t));
                    var d = Vector256.LoadUnsafe(ref source, (nuint)(starts[h + 3] + t));
                    var abEven = Avx.UnpackLow(a, b); // a0 b0 a2 b2
                    var abOdd = Avx.UnpackHigh(a, b); // a1 b1 a3 b3
                    var cdEven = Avx.UnpackLow(c, d);
                    var cdOdd = Avx.UnpackHigh(c, d);
                    Avx.Permute2x128(abEven, cdEven, 0x20).StoreUnsafe(ref target, (nuint)((GroupRows * t) + h));
                    Avx.Permute2x128(abOdd, cdOdd, 0x20).StoreUnsafe(ref target, (nuint)((GroupRows * (t + 1)) + h));
                    Avx.Permute2x128(abEven, cdEven, 0x31).StoreUnsafe(ref target, (nuint)((GroupRows * (t + 2)) + h));
                    Avx.Permute2x128(abOdd, cdOdd, 0x31).StoreUnsafe(ref target, (nuint)((GroupRows * (t + 3)) + h));
                }
            }
            for (; t < n; t++)
            {
                for (var j = h; j < h + 4; j++) yearMajor[(GroupRows * t) + j] = flows[starts[j] + t];
            }
        }
        if ((n & 1) != 0) yearMajor.Slice(GroupRows * n, GroupRows).Clear();
    }

    /// <summary>
    /// <see cref="DurationGuess(double, double, double, double)"/> for the lanes lane .. lane + 3 of sums (see
    /// IterateGroup), with <see cref="ApproximatePower"/>'s operations per lane. A lane where the scalar takes one of
    /// its exits (a gap near 0, a ratio outside the normal range, a power beyond ±1000) gets the scalar guess.
    /// </summary>
    internal static Vector256<double> DurationGuess(ReadOnlySpan<double> sums, int lane)
    {
        var pos = Vector256.Create(sums.Slice(lane, 4));
        var neg = Vector256.Create(sums.Slice(GroupRows + lane, 4));
        var tPos = Vector256.Create(sums.Slice((2 * GroupRows) + lane, 4));
        var tNeg = Vector256.Create(sums.Slice((3 * GroupRows) + lane, 4));
        var one = Vector256<double>.One;
        var gap = (tPos / pos) - (tNeg / neg);
        var x = pos / neg;
        var y = one / gap;
        // log2 x: the exponent, exact through 2^52 + e (its bits hold e), and the mantissa m in [1, 2).
        var twoTo52 = Vector256.Create(4503599627370496.0);
        var bits = x.AsInt64();
        var exponent = (Vector256.ShiftRightLogical(bits, 52) | twoTo52.AsInt64()).AsDouble() - twoTo52 - Vector256.Create(1023.0);
        var m = ((bits & Vector256.Create(0x000F_FFFF_FFFF_FFFFL)) | Vector256.Create(0x3FF0_0000_0000_0000L)).AsDouble();
        var halve = Vector256.GreaterThan(m, Vector256.Create(1.4142135623730951));
        m = Vector256.ConditionalSelect(halve, m * Vector256.Create(0.5), m);
        exponent = Vector256.ConditionalSelect(halve, exponent + one, exponent);
        var t = (m - one) / (m + one);
        var t2 = t * t;
        var log2 = exponent + (Vector256.Create(2.8853900817779268) * t * (one + (t2 * (Vector256.Create(1.0 / 3) + (t2 * (Vector256.Create(0.2) + (t2 / Vector256.Create(7.0))))))));
        var power = log2 * y;
        var n = Vector256.Floor(power);
        var z = (power - n) * Vector256.Create(0.69314718055994531);
        // The Taylor polynomial from the inside out, the scalar's nesting.
        var p = Vector256.Create(1.0 / 720) + (z / Vector256.Create(5040.0));
        p = Vector256.Create(1.0 / 120) + (z * p);
        p = Vector256.Create(1.0 / 24) + (z * p);
        p = Vector256.Create(1.0 / 6) + (z * p);
        p = Vector256.Create(0.5) + (z * p);
        p = one + (z * p);
        p = one + (z * p);
        // 2^n exactly (as Math.ScaleB(1.0, n)): n + 1023 (between 23 and 2022 here) moved into the exponent bits.
        var scale = Vector256.ShiftLeft((n + twoTo52 + Vector256.Create(1023.0)).AsInt64(), 52).AsDouble();
        var guess = (p * scale) - one;
        var exits = ~(Vector256.GreaterThan(Vector256.Abs(gap), Vector256.Create(1e-9))
            & Vector256.GreaterThanOrEqual(x, Vector256.Create(2.2250738585072014E-308))
            & Vector256.LessThanOrEqual(x, Vector256.Create(double.MaxValue))
            & Vector256.LessThan(Vector256.Abs(power), Vector256.Create(1000.0))
            & Vector256.Equals(guess - guess, Vector256<double>.Zero));
        for (var bitsLeft = exits.ExtractMostSignificantBits(); bitsLeft != 0; bitsLeft &= bitsLeft - 1)
        {
            var j = BitOperations.TrailingZeroCount(bitsLeft);
            guess = guess.WithElement(j, DurationGuess(pos.GetElement(j), neg.GetElement(j), tPos.GetElement(j), tNeg.GetElement(j)));
        }
        return guess;
    }

    /// <summary>
    /// <see cref="HalleyStep(double, ReadOnlySpan{double})"/> for eight rows at once, lanes 0-3 at rate0 and 4-7 at
    /// rate1, with the flows of year t at yearMajor[8t ..][..8] (an even number of years): per lane the same
    /// operations in the same order, so the same bits. The two halves' chains are independent and overlap.
    /// </summary>
    private static (Vector256<double>, Vector256<double>) HalleyStep(Vector256<double> rate0, Vector256<double> rate1, ReadOnlySpan<double> yearMajor)
    {
        var one = Vector256<double>.One;
        var x0 = one / (one + rate0);
        var x1 = one / (one + rate1);
        var y0 = x0 * x0;
        var y1 = x1 * x1;
        Vector256<double> e0 = default, de0 = default, he0 = default, o0 = default, dO0 = default, ho0 = default;
        Vector256<double> e1 = default, de1 = default, he1 = default, o1 = default, dO1 = default, ho1 = default;
        ref var f = ref MemoryMarshal.GetReference(yearMajor);
        for (var k = (yearMajor.Length / (2 * GroupRows)) - 1; k >= 0; k--)
        {
            // Years 2k (lanes 0-3, 4-7) and 2k + 1 (likewise).
            var at = (nuint)(2 * GroupRows * k);
            he0 = Vector256.FusedMultiplyAdd(he0, y0, de0);
            he1 = Vector256.FusedMultiplyAdd(he1, y1, de1);
            ho0 = Vector256.FusedMultiplyAdd(ho0, y0, dO0);
            ho1 = Vector256.FusedMultiplyAdd(ho1, y1, dO1);
            de0 = Vector256.FusedMultiplyAdd(de0, y0, e0);
            de1 = Vector256.FusedMultiplyAdd(de1, y1, e1);
            dO0 = Vector256.FusedMultiplyAdd(dO0, y0, o0);
            dO1 = Vector256.FusedMultiplyAdd(dO1, y1, o1);
            e0 = Vector256.FusedMultiplyAdd(e0, y0, Vector256.LoadUnsafe(ref f, at));
            e1 = Vector256.FusedMultiplyAdd(e1, y1, Vector256.LoadUnsafe(ref f, at + 4));
            o0 = Vector256.FusedMultiplyAdd(o0, y0, Vector256.LoadUnsafe(ref f, at + GroupRows));
            o1 = Vector256.FusedMultiplyAdd(o1, y1, Vector256.LoadUnsafe(ref f, at + GroupRows + 4));
        }
        return (HalleyFinish(rate0, x0, y0, e0, de0, he0, o0, dO0, ho0), HalleyFinish(rate1, x1, y1, e1, de1, he1, o1, dO1, ho1));
    }

    /// <summary>The end of <see cref="HalleyStep(double, ReadOnlySpan{double})"/> from its six sums, parenthesised as C# evaluates the scalar expressions (left to right).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> HalleyFinish(Vector256<double> rate, Vector256<double> x, Vector256<double> y, Vector256<double> e, Vector256<double> de, Vector256<double> he, Vector256<double> o, Vector256<double> dO, Vector256<double> ho)
    {
        var two = Vector256.Create(2.0);
        var eight = Vector256.Create(8.0);
        var p = e + (x * o);
        var dp = (two * x * de) + o + (two * y * dO);
        var ddp = (two * de) + (eight * y * he) + (Vector256.Create(6.0) * x * dO) + (eight * y * x * ho);
        var q1 = p + (x * dp);
        var q2 = (two * dp) + (x * ddp);
        var npv = x * p;
        var d1 = (y ^ Vector256.Create(-0.0)) * q1; // -y: a sign flip, as the scalar negation
        var d2 = y * ((y * q2) + (two * x * q1));
        return rate - (two * npv * d1 / ((two * d1 * d1) - (npv * d2)));
    }
}
