using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DistrictSim.Cli.Commands;

/// <summary>
/// This thread's CPU time in seconds where the system gives it (Linux: CLOCK_THREAD_CPUTIME_ID), else the wall
/// clock. For timing the parts of a path on a machine that other work shares: time spent waiting for a core does
/// not count, so the figures move less with the machine's load.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True when <see cref="Seconds"/> is thread CPU time rather than wall-clock time.</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && TryCpuSeconds(out _);

    public static double Seconds() =>
        IsCpuTime && TryCpuSeconds(out var seconds) ? seconds : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    private static bool TryCpuSeconds(out double seconds)
    {
        seconds = 0;
        try
        {
            if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0) return false;
            seconds = time.Seconds + (time.Nanoseconds * 1e-9);
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out Timespec time);
}
