// The districtsim command: see Commands/ for each command's definition and action.
using System.Text;
using DistrictSim.Cli;

Console.OutputEncoding = Encoding.UTF8;
using var cancel = new CancellationTokenSource();
var interrupts = 0;
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks the run to stop cleanly; a second one ends the process at once.
    if (Interlocked.Increment(ref interrupts) == 1)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};
return CliApp.Run(args, CliEnvironment.FromConsole(cancel.Token));
